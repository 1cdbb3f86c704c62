"""Labels resampled onto an image of thicker voxels (drawn on one 1 mm slice of a T1, loaded on a
FLAIR of 5 mm slices) can keep no voxel of a segment: the notice names it instead of a segment
left empty without a word (the resampling's "lies on another grid" line said nothing of it)."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image, wait_for_session

from neuroview.io.nifti import save_nifti


def test_a_segment_no_voxel_kept_is_named(qtbot, window, tmp_path):
    image_affine = np.diag([1.0, 1.0, 5.0, 1.0])          # 5 mm slices at z = 0, 5, ... 35 mm
    image = np.random.default_rng(3).normal(100, 10, (32, 32, 8)).astype(np.float32)
    save_nifti(image, image_affine, tmp_path / "flair.nii.gz")
    mask = np.zeros((32, 32, 40), np.uint8)                # 1 mm slices at z = 0 ... 39 mm
    mask[4:12, 4:12, 8:23] = 1                             # 15 mm thick: kept
    mask[20:28, 20:28, 7] = 2                              # one slice, at z = 7 mm: none kept
    save_nifti(mask, np.eye(4), tmp_path / "t1-labels.nii.gz")

    open_image(qtbot, window, tmp_path / "flair.nii.gz")
    session = wait_for_session(qtbot, window)
    window.open_labels(tmp_path / "t1-labels.nii.gz")
    qtbot.waitUntil(lambda: session.labels.array.any(), timeout=30000)
    kept = session.labels.array
    assert set(np.unique(kept)) == {0, 1}
    assert np.array_equal(np.argwhere(kept == 1)[[0, -1]], [[4, 4, 2], [11, 11, 4]])
    text = window.notice_bar.text
    assert "resampled onto the image grid" in text
    assert "Segment 2: no voxel of this image lies in it" in text and "Segment 1" not in text
