"""*Compare series side by side* of two CT phases (one study, one frame of reference): the right
pane opens at the window the main window shows, as the left does, where both are in Hounsfield
units; it opened at its own (the venous phase at brain 80/40 beside the arterial at the lung
window chosen). Series written as scanners write them (ct_maker)."""

from __future__ import annotations

import sys
from pathlib import Path

import pydicom
from editor_helpers import open_image
from pydicom.uid import generate_uid
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from two_series import compare_beside

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from ct_maker import write_ct  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _phases(folder: Path) -> list[Path]:
    """Two series of one study and frame of reference (an arterial and a venous phase)."""
    study, frame, folders = generate_uid(), generate_uid(), []
    for number, name in ((2, "arterial"), (3, "venous")):
        written = write_ct(folder / name, size=32, n_slices=4)
        for path in sorted(written.folder.glob("*.dcm")):
            ds = pydicom.dcmread(path)
            ds.StudyInstanceUID, ds.FrameOfReferenceUID, ds.SeriesNumber = study, frame, number
            ds.save_as(path)
        folders.append(written.folder)
    return folders


def test_two_ct_phases_open_side_by_side_at_the_window_shown(qtbot, window, tmp_path):
    arterial, venous = _phases(tmp_path)
    open_image(qtbot, window, arterial)
    axial = window.slice_views["axial"]
    axial.setFocus()
    QTest.keyClick(axial, Qt.Key_5)   # View > Window preset > Lung
    assert (window.controller.state.window, window.controller.state.level) == (1500.0, -600.0)
    view = compare_beside(qtbot, window, next(venous.glob("*.dcm")))
    pair = view.pair
    assert (pair.right_state.window, pair.right_state.level) == (1500.0, -600.0)   # was 80/40
    assert view.right_wl.preset_box.currentText() == view.left_wl.preset_box.currentText() == "Lung"
    view.right_wl.preset_box.setCurrentText("Bone")   # each pane still its own window after
    assert (pair.state.window, pair.right_state.window) == (1500.0, 2000.0)
