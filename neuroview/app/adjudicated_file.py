"""A label file's adjudication: its ``NAME.segments.json`` says, for each segment the readers'
*Apply to label map* filled (still in force when it was saved), who adjudicated it and whether a
hand edit followed, so that *Load labels* after a close gives the segment list's ``adjudicated``
(``adjudicated + drawn``) back with the adjudicator's name.

Until session 40 the file said nothing of it: closing the window after a save sets the
workspace aside, and the reopened labels read ``file labels.nii.gz``, the adjudication gone.

A segment's entry in the sidecar gets ``"adjudicated": {"by": "Sam Senior", "drawn": false}``:
the adjudicator as people read the name (a person of the staff, as the crash journal and the
training set's ``annotator`` hold it; never the patient), nothing else of the plan (the readers
and the outline taken per lesion stay in the workspace). A sidecar without it (an older one,
another program's) loads as before; a damaged entry is no mark.
"""

from __future__ import annotations

import numbers
from typing import Optional

import numpy as np

from ..core.jsonfile import read_json

KEY = "adjudicated"
"""A sidecar row's key, and the load step's ``meta`` key (a list of marks: :func:`load_meta`)."""
META = "adjudicated_file"
MAX_NAME = 256
"""An adjudicator's name longer than this is no name (a damaged or hand-made sidecar)."""


def with_marks(rows: list[dict], marks: Optional[dict]) -> list[dict]:
    """The sidecar ``rows`` (``SegmentTable.to_list``), each segment of ``marks`` (value ->
    ``(adjudicator, drawn)``) saying who adjudicated it."""
    if not marks:
        return rows
    return [{**row, KEY: {"by": str(marks[row["value"]][0]), "drawn": bool(marks[row["value"]][1])}}
            if row.get("value") in marks else row for row in rows]


def read_marks(path) -> dict[int, tuple[str, bool]]:
    """The adjudicated segments the sidecar ``path`` names: value -> ``(adjudicator, drawn)``;
    none without a sidecar or a readable mark (the segments' own errors are ``read_sidecar``'s)."""
    try:
        rows = read_json(path)
    except (OSError, ValueError, TypeError, OverflowError):
        return {}
    found = {}
    for row in rows if isinstance(rows, list) else []:
        mark = row.get(KEY) if isinstance(row, dict) else None
        value = row.get("value") if isinstance(mark, dict) else None
        by, drawn = (mark.get("by"), mark.get("drawn", False)) if isinstance(mark, dict) else ("", False)
        if isinstance(value, numbers.Integral) and not isinstance(value, bool) and isinstance(by, str) \
                and 0 < len(by.strip()) <= MAX_NAME and isinstance(drawn, bool):
            found[int(value)] = (by.strip(), drawn)
    return found


def load_meta(marks: dict[int, tuple[str, bool]], values) -> dict:
    """The ``meta`` of the load step for the file's ``marks`` among the segment ``values`` it
    brings (journaled with the step: a restore reads them back); ``{}`` without."""
    kept = [{"value": int(v), "by": marks[v][0], "drawn": marks[v][1]} for v in values if v in marks]
    return {META: kept} if kept else {}



def marked_record(marks: dict[int, tuple[str, bool]], labels, as_loaded) -> tuple:
    """What *Add to training set* records of the segments a reloaded label file says were
    adjudicated (``marks``: value -> ``(adjudicator, drawn)``, ``Segments.adjudication_marks``):
    ``(made, adjudication)``: the map as the file made them (``as_loaded``, the session's
    ``loaded_labels``; the voxels the segment holds now where it has none of them), which their
    changed voxels are counted against, and the record's ``adjudication``: who, and that the
    readers' plan came back from a label file (the sidecar keeps no readers, no lesions). A
    segment saved ``adjudicated + drawn`` is ``drawn`` in ``made``: the record's ``hand_edited``
    (its edits before the save are not among the changed voxels, counted since the load).
    ``(None, None)`` without marks among ``labels``' segments; until session 41 such segments
    were recorded ``loaded``, the adjudicator gone."""
    from ..core.labels import LabelMap
    from ..io.dicom.person_name import readable_name

    values = [v for v in marks if v in labels.segments]
    if not values:
        return None, None
    array = np.zeros_like(labels.array)
    for value in values:
        held = as_loaded is not None and as_loaded.array.shape == labels.array.shape \
            and bool(np.any(as_loaded.array == value))
        array[(as_loaded.array if held else labels.array) == value] = value
    made = LabelMap(array, labels.ijk_to_ras)
    for value in values:   # "adjudicated + drawn": edited by hand before the save, so hand edited
        made.segments.add(labels.segments.get(value).name, value=value, drawn=bool(marks[value][1]))
    names = sorted({readable_name(marks[v][0]) for v in values})   # "Sam Senior", as saved
    return made, {"adjudicator": ", ".join(names), "from_label_file": True}
