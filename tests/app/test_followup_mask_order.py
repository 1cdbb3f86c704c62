"""A follow-up study's lesion or brain mask of the study's own voxels, stored with its slices in the
other order (a sagittal DICOM series is read with its slices sorted along the normal, right to
left; the walk's mask was saved left to right, its affine saying so), is reordered onto the
study's grid, as ``dataset add`` and the window place it. The s47 walk's command refused it:
"label map has the image's shape (256, 256, 192) but lies elsewhere in space: its corner voxels
are up to 0.00 mm from the image's"."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "io" / "dicom"))

from series_maker import SeriesSpec, write_series  # noqa: E402

from neuroview.app.followup import load_study  # noqa: E402
from neuroview.io import load  # noqa: E402
from neuroview.io.nifti import save_nifti  # noqa: E402


def _flipped(array, affine):
    """The same voxels stored with the last axis reversed, the affine mirroring it."""
    mirrored = np.asarray(affine, float).copy()
    mirrored[:3, 3] += mirrored[:3, 2] * (array.shape[2] - 1)
    mirrored[:3, 2] *= -1
    return np.ascontiguousarray(array[:, :, ::-1]), mirrored


def test_masks_stored_with_the_slices_reversed_lie_where_they_were_drawn(tmp_path, mni_volume):
    series = write_series(tmp_path / "sag", mni_volume, SeriesSpec(
        orientation="sagittal", rows=24, cols=20, n_slices=12, row_spacing=6.0, col_spacing=6.0,
        slice_step=8.0))
    volume = load(series.folder)
    lesions = np.zeros(volume.shape, np.uint8)
    lesions[8:11, 9:12, 2:4] = 1          # 18 voxels, near the series' first slices
    brain = np.zeros(volume.shape, np.uint8)
    brain[3:17, 4:20, 1:11] = 1
    for name, array in (("lesions", lesions), ("brain", brain)):
        save_nifti(*_flipped(array, volume.ijk_to_ras), tmp_path / f"{name}.nii.gz")

    _, study = load_study(series.folder, tmp_path / "lesions.nii.gz", tmp_path / "brain.nii.gz")

    assert np.array_equal(study.ijk_to_ras, volume.ijk_to_ras)
    assert np.array_equal(study.lesions > 0, lesions > 0)      # 18 voxels where they were drawn
    assert np.array_equal(study.brain, brain > 0)
