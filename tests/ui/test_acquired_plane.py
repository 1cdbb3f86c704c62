"""A sagittal T2 lumbar spine (0.6 x 0.6 mm pixels, 4 mm slices, 240 mm tall) as a radiologist
opens it: its sagittal view is the main one (it takes the keys; the large one in *One large,
three small*; until session 51 the axial reformat of the 4 mm slices was), drawn unsquashed (a
vertebral body 25 mm tall and 35 mm deep is 25:35 on screen), and a ruler along a body's height
gives the millimetres nibabel gives on dcm2niix's file (session 51's walk)."""

from __future__ import annotations

import sys
from pathlib import Path

import nibabel as nib
import numpy as np
from editor_helpers import grab
from measure_drawing import drag
from scipy import ndimage

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from series_maker import run_dcm2niix  # noqa: E402
from spine_maker import BODY_MM, DEPTH_MM, FRONT_MM, PIXEL_MM, body_rows, write_spine  # noqa: E402

WITHOUT_3D = "the slice views are read, not the 3D view"


def test_a_sagittal_spine_opens_in_its_plane_unsquashed_and_measures_in_mm(qtbot, window, tmp_path):
    written = write_spine(tmp_path / "spine")
    window.layout_actions["one-plus-three"].trigger()
    window.open_paths([tmp_path / "spine"])
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                    timeout=30000)
    c = window.controller
    sagittal, axial = window.slice_views["sagittal"], window.slice_views["axial"]
    assert c.active_view == "sagittal" and c.state.large == "sagittal"
    qtbot.waitUntil(lambda: sagittal.width() > 2 * axial.width(), timeout=5000)   # drawn large

    geom = c.state.geometry("sagittal", sagittal.width(), sagittal.height())
    k = int(np.rint(c.volume.ras_to_ijk_points(c.state.crosshair_ras[None])[0][2]))
    top, bottom = body_rows(1)
    centre = c.volume.ijk_to_ras @ np.array([(FRONT_MM + DEPTH_MM / 2) / PIXEL_MM - 0.5,
                                             (top + bottom) / 2 / PIXEL_MM - 0.5, k, 1.0])
    x, y = map(round, geom.ras_to_pixel(centre[:3]))
    qtbot.waitUntil(lambda: grab(sagittal)[y, x].sum() > 0, timeout=5000)   # the image drawn
    rgb = grab(sagittal).astype(int)
    same = np.all(np.abs(rgb - rgb[y, x]) <= 2, axis=2)
    regions, _ = ndimage.label(same)
    ys, xs = np.nonzero(regions == regions[y, x])
    height_px, width_px = np.ptp(ys) + 1, np.ptp(xs) + 1
    assert abs(height_px * geom.mm_per_pixel - BODY_MM) < 2 * geom.mm_per_pixel
    assert abs((height_px / width_px) / (BODY_MM / DEPTH_MM) - 1) < 0.05   # not squashed

    rows = (int(np.ceil(top / PIXEL_MM - 0.5)), int(np.ceil(bottom / PIXEL_MM - 0.5)) - 1)
    ends = [c.volume.ijk_to_ras @ np.array([(FRONT_MM + 10) / PIXEL_MM - 0.5, row, k, 1.0])
            for row in rows]   # the centres of the body's first and last rows of voxels
    window.mode_actions["ruler"].trigger()
    drag(qtbot, sagittal, *[tuple(map(round, geom.ras_to_pixel(p[:3]))) for p in ends])
    ruler = c.rulers[-1]
    reference = nib.load(run_dcm2niix(tmp_path / "spine", tmp_path / "dcm2niix")[0])
    ijk = [np.linalg.inv(reference.affine) @ np.append(p, 1.0) for p in ruler.points]
    by_nibabel = float(np.linalg.norm(reference.affine[:3, :3] @ (ijk[1] - ijk[0])[:3]))
    assert abs(ruler.length_mm - by_nibabel) < 1e-3
    assert abs(ruler.length_mm - (rows[1] - rows[0]) * PIXEL_MM) <= geom.mm_per_pixel   # a click's pixel
    data = np.asarray(reference.dataobj)   # the ruler's ends on the body's first and last voxels
    inside = [data[tuple(np.rint(p[:3]).astype(int))] for p in ijk]
    assert inside == [350, 350], inside
    assert written.values.shape == c.volume.shape
