"""Which series of the study on screen a label file saved on another image was drawn on
(``app.labels_image.series_saved_on``): one of the same DICOM frame of reference whose grid is the
file's or whose key its sidecar names; never one of another frame of reference, nor any for an
image that names none (a NIfTI)."""

from __future__ import annotations

import json

import numpy as np

from neuroview.app.labels_image import IMAGE_KEY, series_saved_on
from neuroview.core.volume import Volume


def _volume(shape, spacing, frame, seed=0):
    affine = np.diag([spacing, spacing, spacing, 1.0])
    values = np.random.default_rng(seed).random(shape).astype(np.float32)
    return Volume(values, affine, source_metadata={"FrameOfReferenceUID": frame} if frame else {})


def test_the_series_of_the_labels_grid_or_key_in_the_same_frame(tmp_path):
    t1, flair = _volume((20, 22, 18), 1.0, "1.2.3"), _volume((10, 11, 9), 2.0, "1.2.3", seed=1)
    other_session = _volume((10, 11, 9), 2.0, "1.2.4", seed=2)
    sidecar = tmp_path / "labels.segments.json"
    sidecar.write_text(json.dumps([{"value": 1, "name": "lesion", IMAGE_KEY: "elsewhere"}]))
    flair_grid = (flair.shape, flair.ijk_to_ras)
    assert series_saved_on(sidecar, flair_grid, t1, [flair]) is flair            # its grid
    assert series_saved_on(sidecar, flair_grid, t1, [other_session]) is None     # other frame
    assert series_saved_on(sidecar, ((5, 5, 5), np.eye(4)), t1, [flair]) is None  # other grid
    nifti = _volume((20, 22, 18), 1.0, "")
    assert series_saved_on(sidecar, flair_grid, nifti, [flair]) is None           # no frame
    sidecar.write_text(json.dumps([{"value": 1, IMAGE_KEY: flair.workspace_key()}]))
    assert series_saved_on(sidecar, None, t1, [None, flair]) is flair             # its key
