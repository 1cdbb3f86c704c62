"""*View > Window preset*: keys 1-7 choose the CT presets (brain 80/40 ... mediastinum), 0 the
automatic window, as a CT reader switches windows in a PACS viewer without the mouse. There were
no keys: every preset took the *Preset* box, a click away in the side panel."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from key_presses import type_key
from PySide6.QtCore import Qt
from render_cases import AFFINES
from viewer_pixels import open_case, save_case

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from series_maker import SeriesSpec, write_series  # noqa: E402

from neuroview.app.view_presets import AUTO, preset_window_level  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

KEYS = {Qt.Key_1: ("Brain", 80, 40), Qt.Key_2: ("Subdural", 200, 75), Qt.Key_3: ("Stroke", 40, 40),
        Qt.Key_4: ("Bone", 2000, 500), Qt.Key_5: ("Lung", 1500, -600),
        Qt.Key_6: ("Soft tissue", 400, 40), Qt.Key_7: ("Mediastinum", 350, 50)}


@pytest.fixture
def ct(tmp_path, mni_volume):
    spec = SeriesSpec(modality="CT", n_slices=8, intercept=-1024, value_scale=0.75)
    return write_series(tmp_path / "ct", mni_volume, spec).folder


def test_number_keys_choose_the_ct_presets(qtbot, window, ct):
    open_case(qtbot, window, ct)
    state, box = window.controller.state, window.display_panel.preset_box
    for key, (name, width, level) in KEYS.items():
        type_key(window, key)
        assert (state.window, state.level, box.currentText()) == (width, level, name)
    type_key(window, Qt.Key_0)
    assert (state.window, state.level) == preset_window_level(AUTO, window.controller.volume)
    assert box.currentText() == AUTO


def test_a_ct_preset_key_on_an_mr_says_why_and_leaves_the_window(qtbot, window, tmp_path):
    image, _ = save_case(tmp_path, "mr", AFFINES["ras"])
    open_case(qtbot, window, image)
    state = window.controller.state
    before = (state.window, state.level)
    type_key(window, Qt.Key_4)
    assert (state.window, state.level) == before
    assert window.notice_bar.text == ("Bone 2000/500 is a CT window (Hounsfield units): this "
                                      "image is not a CT")
    type_key(window, Qt.Key_0)
    assert np.allclose((state.window, state.level),
                       preset_window_level(AUTO, window.controller.volume))


def test_digits_typed_into_the_window_box_stay_there(qtbot, window, ct):
    open_case(qtbot, window, ct)
    box = window.display_panel.window_box
    qtbot.mouseClick(box.lineEdit(), Qt.LeftButton)
    box.lineEdit().selectAll()
    for key in (Qt.Key_4, Qt.Key_5):   # typed as a user does: to the window, focus in the box
        type_key(window, key)
    type_key(window, Qt.Key_Return)
    assert window.controller.state.window == 45 and window.display_panel.preset_box.currentText() != "Bone"


def test_the_keys_are_listed_in_help(window):
    from neuroview.ui.help_menu import shortcut_rows

    rows = [row for row in shortcut_rows(window.menuBar()) if row[0] == "View > Window preset"]
    assert rows[:2] == [("View > Window preset", "Brain 80/40", "1"),
                        ("View > Window preset", "Subdural 200/75", "2")]
    assert rows[-1] == ("View > Window preset", "Auto (percentiles)", "0") and len(rows) == 8
