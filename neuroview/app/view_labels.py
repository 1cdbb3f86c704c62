"""Opening a label map (a NIfTI mask) for display, on its own grid, with a segment table."""

from __future__ import annotations

import os

from ..core.errors import LabelMapError
from ..core.jobs import CancelToken, ProgressFn, check, report
from ..core.labels import LabelMap, as_label_array
from .label_files import check_label_values, finish_label_save


def load_label_map(path: str | os.PathLike, progress: ProgressFn | None = None,
                   cancel: CancelToken | None = None) -> LabelMap:
    """Read an integer mask (NIfTI/MGH/NRRD) as a :class:`LabelMap` keeping its own affine.

    A mask on another grid than the image stays on its grid: the views sample it in world space.
    Names and colours come from the ``NAME.segments.json`` sidecar when there is one (written by
    *Save labels* and ``neuroview segment``), as :meth:`Session.load_labels` reads them, so the
    window and ``neuroview snapshot`` colour a segment alike; else from the default colour table.
    """
    from ..io.registry import load

    path = os.fspath(path)
    report(progress, 0, 2, "reading labels")
    finish_label_save(path)   # a save killed between the mask and its sidecar: complete it first
    volume = load(path, progress=None, cancel=cancel)
    check(cancel)
    if volume.array.ndim != 3:
        raise LabelMapError(f"a label map must be 3D, got shape {volume.array.shape}", path=path)
    array = as_label_array(volume.array, source=path)
    check_label_values(array, path)
    report(progress, 1, 2, "counting segments")
    labels = LabelMap.from_array(array, volume.ijk_to_ras)
    _apply_sidecar(labels, path)
    report(progress, 2, 2, "done")
    return labels


def _apply_sidecar(labels: LabelMap, path: str) -> None:
    from .label_files import read_sidecar, sidecar_path

    for value, segment in read_sidecar(sidecar_path(path), strict=False).items():
        if value in labels.segments:
            labels.segments.put(segment)
