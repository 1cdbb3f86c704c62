"""``neuroview snapshot --view 3d`` of a single-slice image (a localizer) draws its slice in grey at
the window/level, as the window's 3D view does. Until session 30 the command never gave the slice
plane its window: VTK's default rainbow table over 0..1 drew a head slice as a blue square with
coloured specks (the values under 1)."""

from __future__ import annotations

import numpy as np

from neuroview.io.nifti import save_nifti
from neuroview.render.orientation_marker import MARKER_FRACTION
from neuroview.render.png import read_png

SIZE = 200


def test_a_single_slice_in_3d_is_grey_at_the_window(cli, tmp_path):
    rng = np.random.default_rng(3)
    array = rng.uniform(0.0, 100.0, (64, 64, 1)).astype(np.float32)   # tissue, some values under 1
    array[40:60, 36:56, 0] = 400.0                                      # a bright block
    save_nifti(array, np.diag([2.0, 2.0, 2.0, 1.0]), tmp_path / "localizer.nii.gz")
    out = tmp_path / "3d.png"
    result = cli("snapshot", tmp_path / "localizer.nii.gz", "--view", "3d", "--size",
                 f"{SIZE}x{SIZE}", "--window", "400", "--level", "200", "--out", out,
                 env={"DISPLAY": ""})
    assert result.returncode == 0, result.stderr
    rgb = read_png(out).astype(int)
    background = rgb[2, SIZE // 2]   # the scene's dark blue-grey, outside the slice
    drawn = np.abs(rgb - background).sum(axis=2) > 30
    corner = int(SIZE * MARKER_FRACTION) + 2   # the orientation cube, coloured on purpose
    drawn[SIZE - corner:, :corner] = False
    assert drawn.sum() > SIZE * SIZE // 10, "the slice is drawn"
    slice_pixels = rgb[drawn]
    # grey, as the 2D views draw it: no channel apart from the others (the rainbow's blue was
    # (0, 0, 255), its specks red, yellow, green)
    spread = slice_pixels.max(axis=1) - slice_pixels.min(axis=1)
    assert np.percentile(spread, 99) <= 12
    # the block at 400 is white at window 400 / level 200; tissue under 100 is dark grey
    assert (slice_pixels.min(axis=1) > 240).sum() > 100
    assert np.median(slice_pixels.mean(axis=1)) < 100


def test_a_scout_is_drawn_in_its_own_plane_by_default(cli, tmp_path):
    """A CT scout is one coronal slice (a (64, 64, 1) array whose third axis points anterior, as
    DICOM stacks it): snapshot's default axial view drew a black picture with a line through it,
    said as written. Without --view it now draws the scout's plane; --view axial still means it."""
    array = np.full((64, 64, 1), -1000.0, np.float32)
    array[16:48, 8:56, 0] = 40.0                       # the body on the scout
    affine = np.array([[2.0, 0, 0, -64], [0, 0, 1.0, 0], [0, -2.0, 0, 64], [0, 0, 0, 1]])
    save_nifti(array, affine, tmp_path / "scout.nii.gz")
    out = tmp_path / "scout.png"
    result = cli("snapshot", tmp_path / "scout.nii.gz", "--size", f"{SIZE}x{SIZE}", "--window",
                 "400", "--level", "40", "--out", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {out} ({SIZE}x{SIZE}, coronal)"
    grey = read_png(out).astype(int).min(axis=2)       # the yellow crosshair's blue is low
    assert (grey > 100).sum() > SIZE * SIZE // 8      # the body at 40 HU, mid-grey at 400/40
    result = cli("snapshot", tmp_path / "scout.nii.gz", "--view", "axial", "--out", out)
    assert result.returncode == 0 and result.stdout.strip().endswith("(512x512, axial)")
