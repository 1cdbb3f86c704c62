"""A CT padded outside its field of view (PixelPaddingValue) is drawn as air in the window: the
corners of the axial view were white in the brain window on an unsigned series padded with 63536
(62512 HU), a bright frame around the head."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from viewer_pixels import expected_pixel, grab, open_case

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from ct_maker import write_ct  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_padding_outside_the_field_of_view_is_drawn_black_in_the_brain_window(qtbot, window,
                                                                             tmp_path):
    written = write_ct(tmp_path / "ct", unsigned=True, padding=63536, n_slices=6)
    open_case(qtbot, window, written.folder)
    state = window.controller.state
    assert (state.window, state.level) == (80, 40)   # a CT opens at brain 80/40
    volume = window.controller.volume
    axial = window.slice_views["axial"]
    k = int(round((np.linalg.inv(volume.ijk_to_ras) @ np.append(state.center_ras, 1))[2]))
    pixels = grab(axial)
    for ijk, what in (((1, 1, k), "padding"), ((24, 24, k), "brain")):
        p_ras = (volume.ijk_to_ras @ np.append(ijk, 1))[:3]
        x, y = expected_pixel(window, "axial", p_ras)
        grey = pixels[int(round(y)), int(round(x))].max()
        assert (grey < 20) if what == "padding" else (grey > 20), (what, grey)


@pytest.mark.parametrize("name", ["ct.nii.gz", "ct.nrrd"])
def test_a_ct_files_padding_is_drawn_as_air_in_the_lung_window(qtbot, window, tmp_path, name):
    # dcm2niix's NIfTI keeps -3024 outside the field of view: a black ring around the dark-grey
    # air at 1500/-600 (key 5), where the window now draws the same grey inside and out (a
    # NRRD's padding too, since session 34)
    import nibabel as nib
    import nrrd
    from key_presses import type_key
    from PySide6.QtCore import Qt

    x = np.arange(96) - 47.5
    r = np.hypot(*np.meshgrid(x, x, indexing="ij"))
    slab = np.where(r < 32, 35, np.where(r < 36, 1000, -1024)).astype(np.int16)
    slab[r > 46] = -3024
    image = np.repeat(slab[:, :, None], 6, axis=2)
    if name.endswith(".nrrd"):
        nrrd.write(str(tmp_path / name), image, {"space": "left-posterior-superior",
                                                 "space directions": np.diag([2.0, 2.0, 3.0])},
                   index_order="F")
    else:
        nib.save(nib.Nifti1Image(image, np.diag([2.0, 2.0, 3.0, 1.0])), tmp_path / name)
    open_case(qtbot, window, tmp_path / name)
    type_key(window, Qt.Key_5)
    state, volume = window.controller.state, window.controller.volume
    assert (state.window, state.level) == (1500, -600)
    pixels = grab(window.slice_views["axial"])
    k = int(round((np.linalg.inv(volume.ijk_to_ras) @ np.append(state.center_ras, 1))[2]))
    greys = {}
    # off the crosshair, and the corner (2, 93) off the scale bar and slice number (lower right)
    for ijk, what in (((2, 93, k), "padding"), ((94, 30, k), "padding at the side"),
                      ((60, 87, k), "air"), ((40, 40, k), "brain")):
        p_ras = (volume.ijk_to_ras @ np.append(ijk, 1))[:3]
        px, py = expected_pixel(window, "axial", p_ras)
        greys[what] = int(pixels[int(round(py)), int(round(px))].max())
    assert 40 < greys["air"] < 80 and greys["brain"] > greys["air"], greys
    assert greys["padding"] == greys["padding at the side"] == greys["air"], greys   # was 0
