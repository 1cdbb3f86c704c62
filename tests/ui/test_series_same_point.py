"""Another series of the same study (one DICOM frame of reference) opens on the point the reader
was looking at, on its own grid (an oblique series after an axial one), as PACS viewers keep the
cursor; a series of another frame of reference opens at its middle voxel, as before."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from editor_helpers import open_image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from series_maker import SeriesSpec, write_series  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

POINT_RAS = np.array([-20.3, -30.8, 25.4])   # inside both series, off their centres and
# off voxel boundaries (no tie to break)


def _study(folder: Path, mni_volume, other_frame: bool = False):
    """An axial series and an oblique one of another grid; one frame of reference unless
    ``other_frame``. Returns both written series."""
    from pydicom.uid import generate_uid

    frame = generate_uid()
    axial = write_series(folder / "axial", mni_volume, SeriesSpec(
        rows=48, cols=44, n_slices=30, row_spacing=3.0, col_spacing=3.0, slice_step=4.0,
        series_number=3, description="AX FLAIR", extra=(("FrameOfReferenceUID", frame),)))
    oblique = write_series(folder / "oblique", mni_volume, SeriesSpec(
        orientation="oblique", rows=40, cols=36, n_slices=34, row_spacing=3.5, col_spacing=3.5,
        slice_step=3.0, series_number=4, description="OBL T2",
        extra=(("FrameOfReferenceUID", generate_uid() if other_frame else frame),)))
    return axial, oblique


def _voxel_centre(written, p_ras):
    ijk = np.rint(np.linalg.inv(written.ijk_to_ras) @ np.append(p_ras, 1.0))[:3]
    return (written.ijk_to_ras @ np.append(ijk, 1.0))[:3]


def test_the_next_series_of_the_study_opens_on_the_same_point(qtbot, window, tmp_path, mni_volume):
    axial, oblique = _study(tmp_path, mni_volume)
    open_image(qtbot, window, axial.folder)
    window.controller.set_crosshair(window.controller.voxel_centre(POINT_RAS))
    open_image(qtbot, window, oblique.folder)
    qtbot.waitUntil(lambda: window.controller.volume.description == "OBL T2", timeout=30000)
    looked_at = _voxel_centre(axial, POINT_RAS)
    # the oblique series' voxel holding the point (nibabel-style arithmetic on the written grid)
    np.testing.assert_allclose(window.controller.state.crosshair_ras,
                               _voxel_centre(oblique, looked_at), atol=1e-3)
    assert np.linalg.norm(window.controller.state.crosshair_ras - looked_at) < 3.5


def test_a_series_of_another_frame_of_reference_opens_at_its_middle(qtbot, window, tmp_path,
                                                                     mni_volume):
    axial, oblique = _study(tmp_path, mni_volume, other_frame=True)
    open_image(qtbot, window, axial.folder)
    window.controller.set_crosshair(window.controller.voxel_centre(POINT_RAS))
    open_image(qtbot, window, oblique.folder)
    qtbot.waitUntil(lambda: window.controller.volume.description == "OBL T2", timeout=30000)
    middle = oblique.ijk_to_ras @ np.append(np.array(oblique.values.shape) // 2, 1.0)
    np.testing.assert_allclose(window.controller.state.crosshair_ras, middle[:3], atol=1e-3)
