"""Which echo of a multi-echo series an image is (a T2* or SWI GRE, a multi-echo FLAIR): its
number and echo time, kept in ``Volume.source_metadata`` as ``EchoNumbers`` and ``EchoTime``
(milliseconds, as DICOM gives it) where the series was split by echo as dcm2niix splits it
(``_e2``: ``io.dicom.grouping``), or where a NIfTI's dcm2niix sidecar names its echo
(``"EchoNumber": 2``, ``"EchoTime": 0.01`` in seconds, written for a multi-echo series only).
The window names it where a time point is named (a view's corner, a rectangle's line in
*Measurements*, ``app.frames.time_point_text``) and in its title, the series chooser and ``info``
after the series (``SeriesCandidate.origin``): until session 51 only the name's ``_e2`` told the
echoes apart, and their TE nowhere."""

from __future__ import annotations

import math


def echo_metadata(number, echo_time_ms) -> dict:
    """``{"EchoNumbers": "2", "EchoTime": "10"}`` for echo ``number`` at ``echo_time_ms``;
    the fields that are not known (0, None, not finite) left out."""
    meta = {}
    if isinstance(number, int) and not isinstance(number, bool) and number > 0:
        meta["EchoNumbers"] = str(number)
    if isinstance(echo_time_ms, (int, float)) and not isinstance(echo_time_ms, bool) \
            and math.isfinite(echo_time_ms) and echo_time_ms > 0:
        meta["EchoTime"] = f"{round(float(echo_time_ms), 3):g}"
    return meta


def echo_words(metadata) -> str:
    """``"echo 2, TE 10 ms"`` of an image whose ``metadata`` (``Volume.source_metadata``) names
    its echo (:func:`echo_metadata`), ``"TE 4.2 ms"`` where its number is not known; ``""``."""
    meta = metadata or {}
    number, te = meta.get("EchoNumbers", ""), meta.get("EchoTime", "")
    words = ([f"echo {number}"] if number else []) + ([f"TE {te} ms"] if te else [])
    return ", ".join(words)
