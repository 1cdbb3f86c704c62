"""``neuroview snapshot --slab MM --slab-mode mip|minip|mean`` draws the window's thick slab: the
axial PNG of a 10 mm MIP is, pixel for pixel, the thin snapshot of an image whose every slice is
numpy's max over the 11 slices around the middle one; only the caption differs ('MIP 10 mm')."""

from __future__ import annotations

import numpy as np

from neuroview.io.nifti import save_nifti
from neuroview.render.png import read_png
from neuroview.render.slices import window_to_gray

CLI_FORKED = "claims about the picture a command writes; no network"
SHAPE = (40, 44, 30)


def test_a_mip_snapshot_is_numpys_max_over_the_slab(cli, tmp_path):
    rng = np.random.default_rng(5)
    data = rng.integers(0, 100, size=SHAPE).astype(np.int16)
    k = SHAPE[2] // 2
    data[10:14, 20:24, k + 4] = 900     # in the slab (4 mm above), not in the thin slice
    data[30:33, 8:11, k + 6] = 700      # 6 mm: just past the slab's half thickness, not in it
    affine = np.eye(4)
    affine[:3, 3] = -np.array(SHAPE) // 2
    save_nifti(data, affine, tmp_path / "ct.nii.gz")
    mip = data[:, :, k - 5: k + 6].max(axis=2)
    save_nifti(np.repeat(mip[:, :, None], SHAPE[2], axis=2), affine, tmp_path / "mip.nii.gz")
    common = ["--view", "axial", "--at", "0,0,0", "--window", "1000", "--level", "500",
              "--size", "256x256"]
    slab = cli("snapshot", tmp_path / "ct.nii.gz", *common, "--slab", "10", "--slab-mode", "mip",
               "--out", tmp_path / "slab.png")
    assert slab.returncode == 0, slab.stderr
    thin_of_max = cli("snapshot", tmp_path / "mip.nii.gz", *common, "--out", tmp_path / "max.png")
    assert thin_of_max.returncode == 0, thin_of_max.stderr
    picture, expected = read_png(tmp_path / "slab.png"), read_png(tmp_path / "max.png")
    differ = np.argwhere(np.any(picture != expected, axis=2))
    # the caption, bottom left: 'S: 0.0 mm', and 'MIP 10 mm' a line above it (in a picture 256
    # wide the one line ran over the bottom letter), left of the middle
    caption_rows = 40
    assert len(differ) and differ[:, 0].min() >= 256 - caption_rows and differ[:, 1].max() < 128
    bright = window_to_gray(np.array([900.0]), 1000.0, 500.0)[0]
    assert (picture[..., 0] == bright).sum() >= 16     # the spot 4 mm above is drawn
