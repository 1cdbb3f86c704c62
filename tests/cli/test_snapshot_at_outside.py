"""``neuroview snapshot --at`` outside the image is refused in one line that says where the image
lies, and writes nothing. Until session 30 a typo (R 500 for 50) wrote a picture whose sagittal
view was black and whose crosshair lines were off the other views, with no word of it."""

from __future__ import annotations

import numpy as np

from neuroview.io.nifti import save_nifti


def test_a_point_outside_the_image_is_refused(cli, tmp_path):
    affine = np.diag([2.0, 2.0, 2.0, 1.0])
    affine[:3, 3] = (-31.0, -31.0, -15.0)   # voxel centres R/A -31..31, S -15..15 mm
    save_nifti(np.ones((32, 32, 16), np.float32), affine, tmp_path / "head.nii.gz")
    out = tmp_path / "view.png"
    result = cli("snapshot", tmp_path / "head.nii.gz", "--at", "500,0,0", "--view", "four-up",
                 "--out", out, env={"DISPLAY": ""})
    assert result.returncode != 0 and not out.exists()
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "--at 500,0,0 lies outside the image (R -31.0..31.0, A -31.0..31.0, S -15.0..15.0 mm)" in lines[0]
    inside = cli("snapshot", tmp_path / "head.nii.gz", "--at", "30,0,-15", "--view", "axial",
                 "--out", out, env={"DISPLAY": ""})
    assert inside.returncode == 0 and out.exists(), inside.stderr
