"""``convert --frame N --tilt resample`` of a gantry-tilted 4D image writes the same voxels as
volume N of ``convert --tilt resample``, outside the acquired slices too: until session 35 the
grid there held the minimum of what was resampled, the one time point's in the first and the
whole run's in the second. Now air (-1024 HU) on a CT, 0 on an MR, in both."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest

from neuroview.cli.main import main

TILT = np.array([[2.0, 0.0, 0.0, -20.0], [0.0, 2.0, 0.7, -30.0], [0.0, 0.0, 3.0, -10.0],
                 [0.0, 0.0, 0.0, 1.0]])
"""Each slice 0.7 mm further along y (a gantry tilt), 2 x 2 x 3 mm voxels."""


def _mr(shape) -> np.ndarray:
    """Three time points, each brighter than the one before: their minima differ (10, 30, 50)."""
    i, j, k = np.indices(shape)
    base = (10 + (i + j + k) % 7).astype(np.int16)
    return np.stack([base + 20 * t for t in range(3)], axis=-1)


def _ct(shape) -> np.ndarray:
    """A head in HU: air -1000 (a few voxels of the first time point at -1024), brain 40, a
    skull 1000 around it; the brain a little brighter at each time point (perfusion)."""
    i, j, k = np.indices(shape)
    centre = np.array(shape) / 2
    r = np.sqrt(((i - centre[0]) / centre[0]) ** 2 + ((j - centre[1]) / centre[1]) ** 2
                + ((k - centre[2]) / centre[2]) ** 2)
    frames = []
    for t in range(3):
        frame = np.where(r < 0.66, 40 + 5 * t, np.where(r < 0.72, 1000, -1000)).astype(np.int16)
        frames.append(frame)
    frames[0][0, 0, :3] = -1024
    return np.stack(frames, axis=-1)


@pytest.mark.parametrize("kind,outside", [("MR", 0), ("CT", -1024)])
def test_a_frame_resampled_alone_is_that_volume_of_the_whole_run(tmp_path, capsys, kind, outside):
    shape = (20, 18, 10)
    data = _mr(shape) if kind == "MR" else _ct(shape)
    source = tmp_path / f"{kind}.nii.gz"
    nib.save(nib.Nifti1Image(data, TILT), source)
    whole = tmp_path / "whole.nii.gz"
    assert main(["convert", str(source), str(whole), "--tilt", "resample"]) == 0
    run = np.asanyarray(nib.load(whole).dataobj)
    assert run.shape[:3] == (20, 18 + 4, 10)   # 9 x 0.7 mm = 3.15 rows more, widened to hold them
    acquired = np.zeros(run.shape[:3], bool)   # every output voxel some slice was resampled onto
    for n, frame in enumerate((1, 2, 3)):
        one = tmp_path / f"frame{frame}.nii.gz"
        assert main(["convert", str(source), str(one), "--frame", str(frame), "--tilt", "resample"]) == 0
        written = nib.load(one)
        np.testing.assert_allclose(written.affine, nib.load(whole).affine, atol=1e-6)
        voxels = np.asanyarray(written.dataobj)
        np.testing.assert_array_equal(voxels, run[..., n])   # inside and outside the slices
        inside = voxels != outside
        acquired |= inside
    capsys.readouterr()
    outside_slices = ~acquired
    assert outside_slices.sum() >= 20 * 3 * 10   # 3 rows or more of each slice that it did not reach
    assert np.all(run[outside_slices] == outside)
