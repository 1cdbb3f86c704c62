"""Home and End over a slice view go to its first and last slice (the I, P or L end and the S, A
or R end, where PgDn and PgUp lead; Slicer's slider ends, ITK-SNAP's first and last slice). They
did nothing until session 39. The slice reached is a whole voxel slice at the volume's edge,
checked against the file's own affine read by nibabel, in a flipped (LPS) volume too."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest
from editor_helpers import open_image, wait_for_session, write_image
from key_presses import type_key
from PySide6.QtCore import QPoint, Qt

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _voxel(path, window) -> np.ndarray:
    """The crosshair's voxel index in the file, by nibabel."""
    affine = nib.load(path).affine
    return nib.affines.apply_affine(np.linalg.inv(affine), window.controller.state.crosshair_ras)


@pytest.mark.parametrize("affine, plane, axis, home, end", [
    ("ras", "axial", 2, 0, 47),       # k = 0 is the inferior end
    ("lps", "sagittal", 0, 47, 0),    # i runs right to left: the left end is i = 47
])
def test_home_and_end_go_to_the_views_first_and_last_slice(qtbot, window, tmp_path, affine,
                                                           plane, axis, home, end):
    path, _ = write_image(tmp_path, affine_name=affine)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    view = window.slice_views[plane]
    qtbot.mouseClick(view, Qt.LeftButton, pos=QPoint(view.width() // 2, view.height() // 2))
    start = _voxel(path, window)
    type_key(window, Qt.Key_Home)
    at = _voxel(path, window)
    assert at[axis] == pytest.approx(home, abs=1e-6)
    others = [a for a in range(3) if a != axis]
    assert at[others] == pytest.approx(start[others])          # the other views stay put
    type_key(window, Qt.Key_End)
    assert _voxel(path, window)[axis] == pytest.approx(end, abs=1e-6)
    type_key(window, Qt.Key_Home, Qt.ControlModifier)          # with a modifier: not ours
    assert _voxel(path, window)[axis] == pytest.approx(end, abs=1e-6)
    type_key(window, Qt.Key_PageUp)                            # the last slice: no further
    assert _voxel(path, window)[axis] == pytest.approx(end, abs=1e-6)
