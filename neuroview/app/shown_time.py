"""How a notice says when something happened (no Qt): the local time a person reads, as a mail
client says it, not the UTC stamp a file keeps (``2026-12-05T17:28:04Z`` stood in the notices
of a send or a training run cut short).

::

    shown_time("2026-12-05T17:28:04Z")   # '17:28 today' (in UTC's zone, on 5 Dec 2026)
    shown_time("2026-12-04T09:12:00Z")   # 'yesterday 09:12'
    shown_time("2026-11-05T17:28:00Z")   # '5 Nov 17:28'; '5 Nov 2025 17:28' in another year
    shown_dicom_time("20261205172804.170640")   # '17:28 today' (DICOM's date and time, local)
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Optional

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def shown_time(stamp: str, now: Optional[datetime] = None) -> str:
    """``stamp`` (ISO 8601, or ``YYYY-MM-DD HH:MM UTC``; UTC when it names no zone) in the local
    zone: ``HH:MM today``, ``yesterday HH:MM``, else ``D Mon HH:MM`` (the year added when it is not this one).
    ``now``: the clock (an aware datetime, whose zone is the one shown; default the local
    time). A stamp that cannot be read is given back as it is."""
    text = str(stamp).strip()
    if text.endswith(" UTC"):   # '2026-12-05 17:28 UTC', as measurements.json kept it until session 34
        text = text[:-len(" UTC")] + "+00:00"
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return str(stamp)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    # the local zone of that moment (its own summer time), or the fixed clock's zone
    when = when.astimezone() if now is None else when.astimezone(now.tzinfo)
    now = datetime.now().astimezone() if now is None else now
    clock = f"{when.hour:02d}:{when.minute:02d}"
    if when.date() == now.date():
        return f"{clock} today"
    if when.date() == (now - timedelta(days=1)).date():
        return f"yesterday {clock}"
    year = "" if when.year == now.year else f" {when.year}"
    return f"{when.day} {_MONTHS[when.month - 1]}{year} {clock}"


def shown_dicom_time(created: str, now: Optional[datetime] = None) -> str:
    """DICOM's date and time run together (a SEG's ContentDate + ContentTime,
    ``20261207060310.170640``), the local time of the machine that wrote it, as
    :func:`shown_time` says it (``06:03 today``); a date alone as ``D Mon`` (year where not
    this one). ``now`` as for :func:`shown_time`; what cannot be read is given back as it is."""
    text = str(created).strip()
    if len(text) < 8 or not text[:8].isdigit():
        return str(created)
    clock = text[8:14].split(".")[0]
    try:
        day = datetime.strptime(text[:8], "%Y%m%d")
        if not clock:
            now = datetime.now() if now is None else now
            year = "" if day.year == now.year else f" {day.year}"
            return f"{day.day} {_MONTHS[day.month - 1]}{year}"
        when = datetime.strptime(text[:8] + clock.ljust(6, "0"), "%Y%m%d%H%M%S")
    except ValueError:
        return str(created)
    zone = datetime.now().astimezone().tzinfo if now is None else now.tzinfo
    return shown_time(when.replace(tzinfo=zone).isoformat(), now)
