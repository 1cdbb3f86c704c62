"""The segment editor's *Threshold* on a CT, as a reader uses it: pick the tool, tick *Intensity
from*, type 300 (HU), Apply: the selected segment holds every voxel of bone, both sides of the
head, in one undo step."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from editor_helpers import open_image, wait_for_session
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from ct_maker import write_ct  # noqa: E402


def test_threshold_from_300_hu_takes_the_skull_with_one_apply(qtbot, window, tmp_path):
    written = write_ct(tmp_path / "ct", n_slices=6)
    open_image(qtbot, window, written.folder)
    session = wait_for_session(qtbot, window)
    panel = window.edit_actions.panel
    qtbot.mouseClick(panel.tool_buttons["threshold"], Qt.LeftButton)
    assert panel.apply_button.isVisible() and panel.apply_button.isEnabled()
    low = panel.option_widgets["threshold"]["intensity_low"]
    qtbot.mouseClick(low.check, Qt.LeftButton)
    low.spin.selectAll()
    QTest.keyClicks(low.spin, "300")
    QTest.keyClick(low.spin, Qt.Key_Tab)
    qtbot.mouseClick(panel.apply_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: session.labels.array.any() or bool(window.message_bar.text),
                    timeout=10000)
    assert window.message_bar.text == ""
    image = np.asarray(session.volume.array)
    bone = image >= 300
    assert bone.sum() > 100
    values = np.unique(session.labels.array[bone])
    assert values.size == 1 and values[0] > 0                 # one segment, every bone voxel
    assert not session.labels.array[~bone].any()
    session.undo()
    assert not session.labels.array.any()
