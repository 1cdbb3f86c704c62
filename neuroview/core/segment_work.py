"""Who worked on a label map and for how long: the annotators' editing sessions behind it.

*Save labels* writes, in each row of the ``NAME.segments.json`` sidecar, the work behind the
labels saved: one entry per editing session (a window's time on the case, carried through a
restore after a crash), ``{"annotator", "session", "editing_seconds", "hand_edits"}``. Loading the
file brings them into the segment table (:attr:`core.labels.Segment.work`, journaled with every
step and kept in the workspace's base), so the next annotator's save and *Send to training set*
count every annotator's time, not only their own: until session 47 a case ben finished from
anna's saved labels went to the training set as ben's, with ben's minutes alone.

An entry's ``session`` tells a session's own earlier save, loaded again, from another session: the
same session counts once, at its latest (longest) time.
"""

from __future__ import annotations

import math
import numbers
from typing import Iterable

NAME_LIMIT = 256
"""The most characters an annotator's name or session token may hold (as a segment's name)."""
MAX_ENTRIES = 1000
"""The most work entries a segment keeps (a sidecar edited by hand may hold anything)."""


def checked_work(raw) -> tuple[dict, ...]:
    """The valid work entries of ``raw`` (a sidecar row's ``work``): each with a name and a session
    of text, a finite editing time >= 0 and a whole count of edits by hand >= 0; others are left
    out, as a hand-edited sidecar's other unreadable provenance is (``Segment.from_dict``)."""
    if not isinstance(raw, (list, tuple)):
        return ()
    kept = []
    for entry in raw[:MAX_ENTRIES]:
        if not isinstance(entry, dict):
            continue
        name, session = entry.get("annotator"), entry.get("session")
        seconds, edits = entry.get("editing_seconds"), entry.get("hand_edits", 0)
        if not (isinstance(name, str) and isinstance(session, str) and session
                and len(name) <= NAME_LIMIT and len(session) <= NAME_LIMIT):
            continue
        if not (isinstance(seconds, numbers.Real) and not isinstance(seconds, bool)
                and math.isfinite(seconds) and seconds >= 0):
            continue
        if type(edits) is not int or edits < 0:
            continue
        kept.append({"annotator": name.strip(), "session": session,
                     "editing_seconds": round(float(seconds), 1), "hand_edits": edits})
    return tuple(kept)


def merge_work(*entries: Iterable[dict]) -> list[dict]:
    """The entries of every list in ``entries``, one per session (the longest time of that
    session, and the edits by hand of its last list's entry: a session's own save loaded again
    counts once), in the order each session first appears."""
    merged: dict[str, dict] = {}
    for group in entries:
        for entry in group:
            seen = merged.get(entry["session"])
            if seen is None:
                merged[entry["session"]] = dict(entry)
            else:
                seen["editing_seconds"] = max(seen["editing_seconds"], entry["editing_seconds"])
                seen["hand_edits"] = entry["hand_edits"]
                seen["annotator"] = entry["annotator"] or seen["annotator"]
    return list(merged.values())


def saved_by(segments) -> str:
    """Who saved the labels file ``segments`` were read from: the annotator of the last editing
    session their work names (a sidecar's last entry: the one who saved it), "" when none is named."""
    work = merge_work(*(segment.work for segment in segments))
    return work[-1]["annotator"] if work else ""


def by_annotator(entries: Iterable[dict]) -> list[dict]:
    """The work of each annotator, in the order each first appears: ``{"annotator",
    "editing_seconds", "hand_edits", "sessions"}`` summed over their sessions (an unnamed one's
    under ``""``)."""
    people: dict[str, dict] = {}
    for entry in entries:
        person = people.setdefault(entry["annotator"], {"annotator": entry["annotator"],
                                                       "editing_seconds": 0.0, "hand_edits": 0,
                                                       "sessions": 0})
        person["editing_seconds"] = round(person["editing_seconds"] + entry["editing_seconds"], 1)
        person["hand_edits"] += entry["hand_edits"]
        person["sessions"] += 1
    return list(people.values())


def duration(seconds: float) -> str:
    """``45 s``, ``8 min 20 s``, ``1 h 5 min``; under half a second, ``< 1 s`` (it read ``0 s``,
    as if no time at all had been spent), none at all ``0 s``."""
    whole = int(round(seconds))
    if whole == 0 and seconds > 0:
        return "< 1 s"
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    return f"{whole // 3600} h {whole % 3600 // 60} min"
