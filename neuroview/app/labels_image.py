"""Which image a label file was saved on: *Save labels* writes the image's key
(``Volume.workspace_key``: a SHA-256 of its geometry and every voxel, the name of its workspace
folder; no patient data) into each row of the ``NAME.segments.json`` sidecar, and *Load labels*
compares it with the image on screen.

Cases of one dataset often share a grid (images registered to a template, one scanner protocol),
so another case's label file loaded by mistake passed every check (same grid, label values) and
became this case's labels without a word; its next *Send to training set* trained the model on
the wrong lesions. A file saved by an older neuroview, or by another program, names no image and
is loaded as before.

A label file drawn on another series of the study on screen (the FLAIR's lesions while the T1 is
shown) names that series' key, not this one's. The sidecar also names the study's DICOM frame of
reference, hashed under the data folder's secret (``frame_key``: no UID in the file, and none
that one holding it can confirm; a plain SHA-256 until session 45, still read), and
:func:`same_study` knows such a file by it, or by the grid or key of the series overlaid
(*View > Other series > Overlay series...*) for a file saved before session 43: the window
offers to resample it onto the image on screen instead of asking "another case's labels?"."""

from __future__ import annotations

import hashlib
import os

from ..core.jsonfile import read_json
from .same_anatomy import frame_of_reference
from .series_digest import keyed_digest

IMAGE_KEY = "image_key"
"""The sidecar row's field naming the image the labels were saved on."""
SIDECAR_FRAME = "frame_key"
"""The sidecar row's field naming, hashed, the DICOM frame of reference of that image."""


def _frame_text(volume) -> str:
    frame = frame_of_reference(volume)
    return f"neuroview frame of reference\0{frame}" if frame else ""


def frame_key(volume) -> str:
    """A digest of ``volume``'s DICOM frame of reference keyed by the data folder's secret
    (``app.series_digest``; empty where it names none): the study the labels belong to, with no
    UID written, and none that one holding the UID can check."""
    return keyed_digest(_frame_text(volume), 64)


def frame_keys(volume) -> tuple[str, str]:
    """:func:`frame_key` and the plain SHA-256 that sidecars saved before session 45 keep."""
    text = _frame_text(volume)
    return frame_key(volume), hashlib.sha256(text.encode()).hexdigest() if text else ""


def with_image_key(rows: list[dict], key: str, frame: str = "") -> list[dict]:
    """The sidecar ``rows`` each naming the image ``key`` and its ``frame`` (:func:`frame_key`),
    where given."""
    named = {name: value for name, value in ((IMAGE_KEY, key), (SIDECAR_FRAME, frame)) if value}
    return [{**row, **named} for row in rows] if named else rows


def saved_on(sidecar: str | os.PathLike, field: str = IMAGE_KEY) -> set[str]:
    """The image keys (``field``: or the :data:`SIDECAR_FRAME` s) a label file's ``sidecar``
    (``label_files.sidecar_path``) names; empty where there is none, for one naming no image (an
    older neuroview's, another program's) or one that cannot be read (the load says why)."""
    try:
        rows = read_json(sidecar)
    except (OSError, ValueError, TypeError, OverflowError):
        return set()
    if not isinstance(rows, list):
        return set()
    return {row[field] for row in rows
            if isinstance(row, dict) and isinstance(row.get(field), str) and row[field]}


def saved_on_another(sidecar: str | os.PathLike, volume) -> bool:
    """Whether a label file's ``sidecar`` says it was saved on another image than ``volume``
    (whose key, computed once as the image opened, is not among those it names; nor, for a 4D
    image saved on before session 50, the key of its time point 1)."""
    keys = saved_on(sidecar)
    return bool(keys) and not keys & {volume.workspace_key(), volume.first_time_point_key()}


def seg_made_on_another(path: str | os.PathLike, volume) -> bool:
    """Whether the DICOM SEG at ``path`` names another series than ``volume``'s (its
    ReferencedSeriesSequence; a SEG naming none, another frame of reference): a SEG of another
    case of the same grid loaded without a word, as a NIfTI was until its sidecar named its
    image. An image that is no DICOM series (a NIfTI) cannot be told: not asked."""
    from ..io.seg_source import seg_source

    shown = volume.source_metadata
    series, frame = str(shown.get("SeriesInstanceUID") or ""), str(shown.get("FrameOfReferenceUID") or "")
    made_on = seg_source(path)
    if series and made_on.series:
        return series not in made_on.series
    return bool(frame and made_on.frame_of_reference) and frame != made_on.frame_of_reference


def same_study(sidecar: str | os.PathLike, grid, volume, others) -> str | None:
    """Whether a label file saved on another image than ``volume`` was drawn on another series of
    its study (its DICOM frame of reference): the name of that series where it is one of
    ``others`` (the series overlaid) whose key the ``sidecar`` names or whose grid is the file's
    ``grid`` (``(shape, ijk_to_ras)``, ``PreparedLabels.grid``); ``""`` where the sidecar names
    the frame alone (:data:`SIDECAR_FRAME`); ``None`` when neither says so (another case, a NIfTI)."""
    from ..core.geometry import same_grid

    frame, keys = frame_of_reference(volume), saved_on(sidecar)
    if not frame:
        return None
    for other in others:
        if other is None or frame_of_reference(other) != frame:
            continue
        if other.workspace_key() in keys or (grid is not None and same_grid(
                grid[0], grid[1], other.shape[:3], other.ijk_to_ras)):
            return other.description or "the series overlaid"
    return "" if saved_on(sidecar, SIDECAR_FRAME) & set(frame_keys(volume)) else None


def seg_same_study(path: str | os.PathLike, volume) -> str | None:
    """:func:`same_study` for a DICOM SEG made on another series than ``volume``'s: ``""`` where
    the SEG names ``volume``'s frame of reference (another series of its study), else ``None``."""
    from ..io.seg_source import seg_source

    frame = frame_of_reference(volume)
    return "" if frame and seg_source(path).frame_of_reference == frame else None
