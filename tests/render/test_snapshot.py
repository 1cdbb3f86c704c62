"""``neuroview snapshot`` as a user runs it: the PNG on disk shows the labelled point where the
window would, and the 3D view shows the volume and the label surface."""

from __future__ import annotations

import numpy as np
import pytest
from render_cases import AFFINES, BLOB_RAS, make_case

from neuroview.app.view_labels import load_label_map
from neuroview.app.view_state import ViewerState
from neuroview.io.nifti import save_nifti
from neuroview.render.png import read_png
from neuroview.render.slices import render_view
from tests.checkout import run_cli

CLI_FORKED = ("claims about the picture and the lines a command writes, no network; the 3D and "
              "four-up pictures (a VTK render window) by a fresh process, run_cli")


@pytest.fixture(scope="module")
def lps_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("snap")
    volume, labels = make_case(AFFINES["lps"])
    save_nifti(volume.array, volume.ijk_to_ras, folder / "image.nii.gz")
    save_nifti(labels.array, labels.ijk_to_ras, folder / "labels.nii.gz")
    return folder, volume, labels


def test_snapshot_axial_matches_the_view_renderer(cli, lps_files):
    folder, volume, labels = lps_files
    out = folder / "axial.png"
    at = ",".join(str(v) for v in BLOB_RAS)
    result = cli("snapshot", folder / "image.nii.gz", "--labels", folder / "labels.nii.gz",
                 "--view", "axial", "--at", at, "--size", "240x200", "--window", "400",
                 "--level", "200", "--out", out, env={"DISPLAY": ""})
    assert result.returncode == 0, result.stderr
    picture = read_png(out)
    assert picture.shape == (200, 240, 3)
    state = ViewerState.for_volume(volume)
    state.set_crosshair(BLOB_RAS)
    state.set_window_level(400, 200)
    from_file = load_label_map(folder / "labels.nii.gz")  # default segment colours, as the CLI
    np.testing.assert_array_equal(picture, render_view(volume, state, "axial", 240, 200, from_file).rgb)
    # The lesion (patient right-posterior) is drawn in red on the screen's left, lower half.
    redness = picture[..., 0].astype(int) - picture[..., 1]
    ys, xs = np.nonzero(redness > 60)
    assert len(xs) > 10 and xs.mean() < 120 and ys.mean() > 100


def test_snapshot_3d_and_four_up(lps_files):
    cli = run_cli
    folder, _, _ = lps_files
    for view, size in (("3d", (160, 160)), ("four-up", (322, 322))):
        out = folder / f"{view}.png"
        result = cli("snapshot", folder / "image.nii.gz", "--labels", folder / "labels.nii.gz",
                     "--view", view, "--size", f"{size[0]}x{size[1]}", "--out", out,
                     env={"DISPLAY": ""})
        assert result.returncode == 0, result.stderr
        picture = read_png(out)
        assert picture.shape == (size[1], size[0], 3)
        background = picture[2, 2] if view == "3d" else picture[2, size[0] - 3]
        lit = np.any(np.abs(picture.astype(int) - background) > 30, axis=2)
        if view == "3d":  # with labels, their surfaces (volume rendering would hide them)
            red = picture[..., 0].astype(int)
            assert ((red > picture[..., 1] + 40) & (red > picture[..., 2] + 20)).sum() > 20
        else:
            assert lit.mean() > 0.05  # the slices and the 3D scene are drawn, not empty frames
    out = folder / "volume.png"  # without labels: the volume rendering
    result = cli("snapshot", folder / "image.nii.gz", "--view", "3d", "--size", "160x160", "--out", out,
                 env={"DISPLAY": ""})
    assert result.returncode == 0, result.stderr
    picture = read_png(out)
    lit = np.any(np.abs(picture.astype(int) - picture[2, 2]) > 30, axis=2)
    assert lit.mean() > 0.05


def test_snapshot_reports_bad_input(cli, tmp_path):
    bad = tmp_path / "broken.nii.gz"
    bad.write_bytes(b"not a nifti at all")
    result = cli("snapshot", bad, "--out", tmp_path / "x.png")
    assert result.returncode == 1
    assert "broken.nii.gz" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.png").exists()
    result = cli("snapshot", bad, "--size", "huge", "--out", tmp_path / "x.png")
    assert result.returncode == 1 and "--size" in result.stderr


def test_snapshot_refuses_an_intensity_image_as_labels(cli, lps_files, tmp_path):
    """An image given as --labels (the usual slip: the T1 instead of its mask) is one line naming
    the file, whether its values are fractions or whole numbers in the thousands; no PNG."""
    folder, volume, labels = lps_files
    noise = np.random.default_rng(0).normal(0.0, 0.05, volume.shape)  # an MR image's grain
    image = (volume.array / volume.array.max() + 0.2 + noise).clip(0, None).astype(np.float32)
    rounded = np.rint(image * 3000).astype(np.float32)  # whole numbers, thousands of them
    assert len(np.unique(rounded)) > 500
    eight_bit = np.rint(image / image.max() * 255).astype(np.uint8)  # at most 256 values
    for name, array, problem in (("fractions.nii.gz", image * 3000 + 0.25, "non-integer"),
                                 ("grey_levels.nii.gz", rounded, "distinct values"),
                                 ("eight_bit.nii.gz", eight_bit, "of neighbouring voxels share")):
        save_nifti(array, volume.ijk_to_ras, tmp_path / name)
        out = tmp_path / f"{name}.png"
        result = cli("snapshot", folder / "image.nii.gz", "--labels", tmp_path / name, "--out", out,
                     env={"DISPLAY": ""})
        assert result.returncode == 1, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and name in lines[0] and problem in lines[0], result.stderr
        assert not out.exists()
    # a label map with many labels, well under the bound, is still drawn: 300 values in 4^3 blocks
    i, j, k = np.indices(volume.shape)
    many = (1 + ((i // 4) * 97 + (j // 4) * 13 + k // 4) % 300).astype(np.uint16)
    assert len(np.unique(many)) == 300
    save_nifti(many, volume.ijk_to_ras, tmp_path / "many.nii.gz")
    result = cli("snapshot", folder / "image.nii.gz", "--labels", tmp_path / "many.nii.gz",
                 "--out", tmp_path / "many.png", env={"DISPLAY": ""})
    assert result.returncode == 0, result.stderr
    assert read_png(tmp_path / "many.png").shape == (512, 512, 3)


def test_snapshot_with_labels_and_no_at_centres_on_the_labels(tmp_path):
    """A small label far from the volume's centre shows in all three planes without --at."""
    from neuroview.cli.main import main

    volume, _ = make_case(AFFINES["oblique"])
    save_nifti(volume.array, volume.ijk_to_ras, tmp_path / "image.nii.gz")
    label = np.zeros(volume.shape, np.uint8)
    label[36:39, 8:11, 37:40] = 1  # 3x3x3 voxels (6 mm) near a corner, 25+ mm off every centre plane
    save_nifti(label, volume.ijk_to_ras, tmp_path / "labels.nii.gz")
    colour = np.array((230, 25, 75))  # segment 1's default colour, blended at the default opacity
    for view in ("axial", "sagittal", "coronal"):
        out = tmp_path / f"{view}.png"
        assert main(["snapshot", str(tmp_path / "image.nii.gz"), "--labels", str(tmp_path / "labels.nii.gz"),
                     "--view", view, "--size", "200x200", "--out", str(out)]) == 0
        plain = tmp_path / f"{view}-plain.png"
        at = ",".join(str(v) for v in _label_centre(label, volume))
        assert main(["snapshot", str(tmp_path / "image.nii.gz"), "--view", view, "--size", "200x200",
                     "--at", at, "--out", str(plain)]) == 0
        picture, reference = read_png(out).astype(int), read_png(plain).astype(int)
        changed = np.any(picture != reference, axis=2)
        assert changed.sum() >= 4, f"{view}: label pixels are shown"
        # where the label is drawn, the pixel moved towards the segment colour
        assert np.all(np.abs(picture[changed] - colour).sum(1) < np.abs(reference[changed] - colour).sum(1))


def _label_centre(label, volume):
    from neuroview.app.components import find_components, voxel_ras

    return voxel_ras(find_components(label > 0, volume.ijk_to_ras)[0].jump_ijk, volume.ijk_to_ras)


def test_snapshot_of_a_folder_with_two_images_says_which_it_drew(cli, tmp_path):
    """Found walking the CLI: a study folder with several series gave one picture with no word of
    which series it showed (convert refuses; info numbers them)."""
    small, _ = make_case(AFFINES["ras"], shape=(20, 20, 20))
    large, _ = make_case(AFFINES["ras"], shape=(30, 30, 30))
    save_nifti(small.array, small.ijk_to_ras, tmp_path / "a_small.nii.gz")
    save_nifti(large.array, large.ijk_to_ras, tmp_path / "b_large.nii.gz")
    result = cli("snapshot", tmp_path, "--out", tmp_path / "s.png", env={"DISPLAY": ""})
    assert result.returncode == 0, result.stderr
    assert f"note: {tmp_path}: 2 series found; drew [2] b_large.nii.gz" in result.stderr
    assert "--series N" in result.stderr
    result = cli("snapshot", tmp_path, "--series", "1", "--out", tmp_path / "s1.png",
                 env={"DISPLAY": ""})
    assert result.returncode == 0 and "series found" not in result.stderr


def test_snapshot_3d_draws_a_nifti_ct_with_the_ct_preset_as_the_window_does(tmp_path, monkeypatch):
    """A CT saved as NIfTI has no modality; its air at -1000 makes it a CT in the window (the CT
    window presets, the 'CT bone' 3D preset), and ``snapshot --view 3d`` draws it the same way."""
    from neuroview.cli import snapshot
    from neuroview.io import load
    from neuroview.render.volume3d import Scene3D

    volume, _ = make_case(AFFINES["lps"])
    bright = volume.array > volume.array.mean()                  # air, soft tissue and some bone
    hu = np.where(bright, 40.0, -1000.0).astype(np.float32)
    hu[bright & (volume.array > np.percentile(volume.array[bright], 90))] = 1200.0
    save_nifti(hu, volume.ijk_to_ras, tmp_path / "ct.nii.gz")
    ct = load(tmp_path / "ct.nii.gz")
    assert not ct.modality
    drawn = []
    original = Scene3D.set_preset
    monkeypatch.setattr(Scene3D, "set_preset", lambda self, name: (drawn.append(name), original(self, name)))
    picture = snapshot._render_3d(ct, None, 96, 96, None)
    assert picture.shape[:2] == (96, 96)
    assert drawn[0] == "CT bone"


def test_a_point_left_of_the_origin_is_taken_as_written(cli, lps_files):
    """``--at -6,-18,10`` (a point with a negative first coordinate, as most points right of or
    behind the origin are) was refused by argparse with "expected one argument"; it now gives the
    picture of ``--at=-6,-18,10``."""
    folder, _, _ = lps_files
    pictures = []
    for words in (["--at", "-6,-18,10"], ["--at=-6,-18,10"]):
        out = folder / f"at{len(words)}.png"
        result = cli("snapshot", folder / "image.nii.gz", "--labels", folder / "labels.nii.gz",
                     "--view", "axial", *words, "--size", "120x100", "--out", out, env={"DISPLAY": ""})
        assert result.returncode == 0, result.stderr
        pictures.append(read_png(out))
    np.testing.assert_array_equal(pictures[0], pictures[1])
