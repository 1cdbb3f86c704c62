"""``neuroview snapshot --overlay SERIES`` draws another series of the study over the image as the
window's *View > Other series > Overlay series...* does: an oblique FLAIR over an axial T1 (one DICOM frame of
reference), its pixels against the written series' own values and grid; a NIfTI, which names no
frame of reference, is refused in one line unless ``--overlay-anyway``."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import ndimage

from neuroview.io.nifti import save_nifti
from neuroview.render.fusion import hot_colors
from neuroview.render.png import read_png
from neuroview.render.slices import window_to_gray

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from series_maker import SeriesSpec, write_series  # noqa: E402

CLI_FORKED = "claims about the picture a command writes; no network"
AT = "-20,-30,25"


def test_an_overlay_series_in_a_snapshot(cli, tmp_path, mni_volume):
    from pydicom.uid import generate_uid

    from neuroview.app.view_state import ViewerState
    from neuroview.io import load

    frame = generate_uid()
    t1 = write_series(tmp_path / "t1", mni_volume, SeriesSpec(
        rows=48, cols=44, n_slices=30, row_spacing=3.0, col_spacing=3.0, slice_step=4.0,
        description="AX T1", extra=(("FrameOfReferenceUID", frame),)))
    flair = write_series(tmp_path / "flair", mni_volume, SeriesSpec(
        orientation="oblique", rows=40, cols=36, n_slices=34, row_spacing=3.5, col_spacing=3.5,
        slice_step=3.0, series_number=4, description="OBL FLAIR", value_scale=3.0,
        extra=(("FrameOfReferenceUID", frame),)))
    out = tmp_path / "fused.png"
    common = ["--view", "axial", "--at", AT, "--size", "200x200"]
    result = cli("snapshot", t1.folder, *common, "--overlay", flair.folder,
                 "--overlay-opacity", "100", "--out", out)
    assert result.returncode == 0, result.stderr
    picture = read_png(out).astype(int)

    state = ViewerState.for_volume(load(t1.folder))
    state.set_crosshair(np.array([float(x) for x in AT.split(",")]))
    geom = state.geometry("axial", 200, 200)
    y, x = np.mgrid[0:200, 0:200]
    ras = geom.origin_ras + x[..., None] * geom.col_ras + y[..., None] * geom.row_ras
    inverse = np.linalg.inv(flair.ijk_to_ras)
    ijk = np.moveaxis(ras @ inverse[:3, :3].T + inverse[:3, 3], -1, 0)
    inside = np.all((ijk > 0.1) & (ijk < np.array(flair.values.shape)[:, None, None] - 1.1), axis=0)
    cx, cy = np.floor(geom.ras_to_pixel(state.crosshair_ras)).astype(int)
    inside[:, cx - 8: cx + 9] = inside[cy - 8: cy + 9, :] = False          # the crosshair's lines
    inside[:20], inside[-30:], inside[:, :20], inside[:, -20:] = False, False, False, False  # text
    values = ndimage.map_coordinates(flair.values.astype(np.float64), ijk, order=1, mode="nearest")
    from neuroview.app.view_presets import body_window_level

    window, level = body_window_level(load(flair.folder).frame(0))   # the window's overlay window
    assert inside.sum() > 3000
    assert np.abs(picture[inside] - (hot_colors(values, window, level)[inside] + 0.5).astype(int)).max() <= 2

    nifti = tmp_path / "flair.nii.gz"
    save_nifti(flair.values, flair.ijk_to_ras, nifti)
    refused = cli("snapshot", t1.folder, *common, "--overlay", nifti, "--out", tmp_path / "no.png")
    assert refused.returncode != 0 and not (tmp_path / "no.png").exists()
    assert refused.stderr.strip().splitlines()[-1].endswith(
        "names no DICOM frame of reference (a NIfTI, a series without one): it lies right only if "
        "it was saved in the same space as the image under it; --overlay-anyway draws it as it lies")
    anyway = cli("snapshot", t1.folder, *common, "--overlay", nifti, "--overlay-anyway",
                 "--overlay-opacity", "100", "--overlay-colours", "grey", "--out", tmp_path / "anyway.png")
    assert anyway.returncode == 0, anyway.stderr
    grey = window_to_gray(values, window, level)[inside]   # the NIfTI's window: the same values
    assert np.abs(read_png(tmp_path / "anyway.png")[inside].astype(int) - grey[:, None]).max() <= 2


def test_an_overlay_given_as_one_dicom_file_is_its_series(cli, tmp_path, mni_volume):
    """``--overlay FOLDER/FILE.dcm`` draws that file's series, read whole from its folder, as the
    window's *Overlay series...* takes a file: the file alone was drawn (one 3 mm slice of the
    FLAIR). The folder also holds the T1, which is not the one drawn."""
    from pydicom.uid import generate_uid

    frame = (("FrameOfReferenceUID", generate_uid()),)
    spec = dict(rows=40, cols=36, n_slices=24, row_spacing=3.5, col_spacing=3.5, slice_step=3.0)
    t1 = write_series(tmp_path / "t1", mni_volume, SeriesSpec(**spec, description="AX T1", extra=frame))
    flair = SeriesSpec(orientation="oblique", **spec, series_number=4, description="OBL FLAIR",
                       value_scale=3.0, extra=frame, series_uid=generate_uid())
    alone = write_series(tmp_path / "flair", mni_volume, flair)
    both = write_series(tmp_path / "both", mni_volume, flair)
    write_series(tmp_path / "both", mni_volume, SeriesSpec(**spec, description="AX T1", extra=frame,
                                                           seed=8))   # other file names
    common = ["--view", "coronal", "--at", AT, "--size", "160x160", "--overlay-opacity", "100"]
    pictures = []
    for name, overlay in (("folder", alone.folder), ("file", both.files[5])):
        result = cli("snapshot", t1.folder, *common, "--overlay", overlay, "--out", tmp_path / f"{name}.png")
        assert result.returncode == 0, result.stderr
        pictures.append(read_png(tmp_path / f"{name}.png"))
    np.testing.assert_array_equal(pictures[1], pictures[0])


def test_a_4d_overlays_time_point_is_chosen_with_overlay_frame(cli, tmp_path, mni_volume):
    """``--overlay-frame N`` draws time point N of a 4D overlay (a run on the image's grid whose
    time point t is the image times t), as the window's *Overlay time point* row; without it, time
    point 1 and a note; one past the last is refused in one line. Only the first was drawn."""
    from neuroview.app.fusion import FusionLayer
    from neuroview.app.view_state import ViewerState
    from neuroview.io import load

    t1 = tmp_path / "t1.nii.gz"
    affine = mni_volume.ijk_to_ras @ np.diag([4.0, 4.0, 4.0, 1.0])
    small = mni_volume.array[::4, ::4, ::4].astype(np.float32)
    save_nifti(small, affine, t1)
    run = tmp_path / "run.nii.gz"
    save_nifti(np.stack([small * t for t in (1, 2, 3)], axis=-1), affine, run)
    common = ["--view", "axial", "--at", "0,-18,10", "--size", "200x200", "--overlay", run,
              "--overlay-anyway", "--overlay-opacity", "100"]
    second = cli("snapshot", t1, *common, "--overlay-frame", "2", "--out", tmp_path / "2.png")
    assert second.returncode == 0, second.stderr
    first = cli("snapshot", t1, *common, "--out", tmp_path / "1.png")
    assert first.returncode == 0, first.stderr
    assert (f"note: --overlay {run}: 4D image of 3 time points: used time point 1 (choose another "
            "with --overlay-frame N)") in first.stderr.splitlines(), first.stderr

    state = ViewerState.for_volume(load(t1))
    state.set_crosshair(np.array([0.0, -18.0, 10.0]))
    geom = state.geometry("axial", 200, 200)
    y, x = np.mgrid[0:200, 0:200]
    ras = geom.origin_ras + x[..., None] * geom.col_ras + y[..., None] * geom.row_ras
    inverse = np.linalg.inv(affine)
    ijk = np.moveaxis(ras @ inverse[:3, :3].T + inverse[:3, 3], -1, 0)
    inside = np.all((ijk > 0.1) & (ijk < np.array(small.shape)[:, None, None] - 1.1), axis=0)
    cx, cy = np.floor(geom.ras_to_pixel(state.crosshair_ras)).astype(int)
    inside[:, cx - 8: cx + 9] = inside[cy - 8: cy + 9, :] = False          # the crosshair's lines
    inside[:20], inside[-30:], inside[:, :20], inside[:, -20:] = False, False, False, False  # text
    values = ndimage.map_coordinates(small.astype(np.float64), ijk, order=1, mode="nearest")
    layer = FusionLayer.for_volume(load(run))   # its window: time point 1's, as in the window
    assert inside.sum() > 1500
    for png, t in (("1.png", 1), ("2.png", 2)):
        expected = (hot_colors(values * t, layer.window, layer.level)[inside] + 0.5).astype(int)
        assert np.abs(read_png(tmp_path / png)[inside].astype(int) - expected).max() <= 2, png

    alone = cli("snapshot", t1, "--overlay-frame", "2", "--out", tmp_path / "alone.png")
    assert alone.returncode != 0 and alone.stderr.strip().splitlines()[-1].endswith(
        "--overlay-frame goes with --overlay SERIES (the 4D series drawn over the image)")
    past = cli("snapshot", t1, *common, "--overlay-frame", "4", "--out", tmp_path / "4.png")
    assert past.returncode != 0 and not (tmp_path / "4.png").exists()
    assert past.stderr.strip().splitlines()[-1].endswith(
        "run.nii.gz: --overlay-frame 4 is out of range: it is a 4D image of 3 time points")


@pytest.mark.parametrize("overlay", ["notes.txt", "/dev/null"])
def test_an_overlay_that_is_not_an_image_is_refused_before_anything_is_read(cli, tmp_path,
                                                                            mni_volume, overlay):
    """``--overlay`` naming a note beside the study's series, or ``/dev/null``, is refused in the
    one line ``neuroview info`` says for that file, before INPUT is read (a folder of two series:
    its choice said) and with no picture: its folder was scanned instead (``/dev`` for
    ``/dev/null``, refused as ``/dev: no image found``)."""
    spec = dict(rows=24, cols=20, n_slices=6, row_spacing=6.0, col_spacing=6.0, slice_step=6.0)
    write_series(tmp_path / "study", mni_volume, SeriesSpec(**spec, description="AX T1"))
    write_series(tmp_path / "study", mni_volume, SeriesSpec(**spec, description="AX FLAIR",
                                                            series_number=4, seed=8))
    (tmp_path / "study" / "notes.txt").write_text("FLAIR: motion in the last slices\n")
    path = overlay if overlay.startswith("/") else str(tmp_path / "study" / overlay)
    out = tmp_path / "fused.png"
    result = cli("snapshot", tmp_path / "study", "--overlay", path, "--out", out)
    info = cli("info", path)
    assert result.returncode != 0 and info.returncode != 0 and not out.exists()
    assert result.stderr.strip().splitlines() == info.stderr.strip().splitlines() == [
        f"neuroview: error: {path}: " + ("is a device, not an image file" if overlay.startswith("/")
                                         else "not a DICOM, NIfTI, MGH, NRRD or MetaImage file")]
