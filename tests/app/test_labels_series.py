"""Whether a label file saved on another image was drawn on another series of the study on screen
(``app.labels_image.same_study``): the series overlaid, of the same DICOM frame of reference,
whose grid is the file's or whose key its sidecar names; or the frame of reference its sidecar
names, hashed (no UID in the file); never for another frame, nor for an image naming none."""

from __future__ import annotations

import json

import numpy as np

from neuroview.app.label_files import save_label_files, sidecar_path
from neuroview.app.labels_image import IMAGE_KEY, SIDECAR_FRAME, frame_key, same_study
from neuroview.core.labels import LabelMap
from neuroview.core.volume import Volume

FRAME = "1.2.826.0.1.3680043.8.498.1"


def _volume(shape, spacing, frame, seed=0, description=""):
    affine = np.diag([spacing, spacing, spacing, 1.0])
    values = np.random.default_rng(seed).random(shape).astype(np.float32)
    return Volume(values, affine, description=description,
                  source_metadata={"FrameOfReferenceUID": frame} if frame else {})


def test_the_series_overlaid_by_the_labels_grid_or_key(tmp_path):
    t1 = _volume((20, 22, 18), 1.0, FRAME)
    flair = _volume((10, 11, 9), 2.0, FRAME, seed=1, description="FLAIR")
    other_session = _volume((10, 11, 9), 2.0, FRAME + "9", seed=2)
    sidecar = tmp_path / "labels.segments.json"
    sidecar.write_text(json.dumps([{"value": 1, "name": "lesion", IMAGE_KEY: "elsewhere"}]))
    flair_grid = (flair.shape, flair.ijk_to_ras)
    assert same_study(sidecar, flair_grid, t1, [flair]) == "FLAIR"                # its grid
    assert same_study(sidecar, flair_grid, t1, [other_session]) is None           # other frame
    assert same_study(sidecar, ((5, 5, 5), np.eye(4)), t1, [flair]) is None        # other grid
    nifti = _volume((20, 22, 18), 1.0, "")
    assert same_study(sidecar, flair_grid, nifti, [flair]) is None                 # no frame
    sidecar.write_text(json.dumps([{"value": 1, IMAGE_KEY: flair.workspace_key()}]))
    assert same_study(sidecar, None, t1, [None, flair]) == "FLAIR"                 # its key


def test_the_frame_the_sidecar_names(tmp_path):
    t1, flair = _volume((20, 22, 18), 1.0, FRAME), _volume((10, 11, 9), 2.0, FRAME, seed=1)
    labels = LabelMap.from_array(np.ones(flair.shape, np.uint8), flair.ijk_to_ras)
    path = save_label_files(labels, flair.ijk_to_ras, tmp_path / "flair-labels.nii.gz",
                            image_key=flair.workspace_key(), frame_key=frame_key(flair))
    rows = json.loads(sidecar_path(path).read_text())
    assert rows[0][SIDECAR_FRAME] == frame_key(t1) and FRAME not in sidecar_path(path).read_text()
    assert same_study(sidecar_path(path), None, t1, []) == ""                     # no overlay
    assert same_study(sidecar_path(path), None, _volume((4, 4, 4), 1.0, FRAME + "9"), []) is None
    assert frame_key(_volume((4, 4, 4), 1.0, "")) == ""
