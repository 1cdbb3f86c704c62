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


def test_a_seg_segment_no_voxel_kept_is_named(qtbot, window, tmp_path, mni_volume):
    """The same with a DICOM SEG saved on a 1 mm series and loaded on one of 5 mm slices of its
    study (*Load onto this image*): it said nothing at all."""
    import sys
    from pathlib import Path

    from editor_helpers import save_and_wait
    from pydicom.uid import generate_uid

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
    from series_maker import SeriesSpec, write_series

    same = (("FrameOfReferenceUID", generate_uid()), ("StudyInstanceUID", generate_uid()))
    grid = dict(rows=32, cols=32, row_spacing=1.0, col_spacing=1.0, extra=same)
    thin = write_series(tmp_path / "thin", mni_volume, SeriesSpec(
        n_slices=40, slice_step=1.0, description="THIN", **grid))
    write_series(tmp_path / "thick", mni_volume, SeriesSpec(
        n_slices=8, slice_step=5.0, series_number=4, description="THICK", **grid))
    open_image(qtbot, window, thin.folder)
    session = wait_for_session(qtbot, window)
    at = {k: (thin.ijk_to_ras @ [16, 16, k, 1])[:3] for k in (5, 20)}
    session.segments.add("ball")
    session.apply("paint", at_ras=at[20], radius_mm=6.0, mode="3d", segment=1)
    session.segments.add("thin")                      # slice 5 lies between two 5 mm slices
    session.apply("paint", at_ras=at[5], radius_mm=4.0, mode="2d", segment=2)
    seg = save_and_wait(window, tmp_path / "thin-seg.dcm", seg=True)

    open_image(qtbot, window, tmp_path / "thick")
    session = wait_for_session(qtbot, window)
    window.open_labels(seg)
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Load onto this image" in bar.buttons, timeout=30000)
    bar.buttons["Load onto this image"].click()
    qtbot.waitUntil(lambda: session.labels.array.any(), timeout=30000)
    assert set(np.unique(session.labels.array)) == {0, 1}
    assert "thin: no voxel of this image lies in it" in bar.text and "ball" not in bar.text
