"""The Paint and Erase options read the brush the view draws while the image has no edit session
yet (its restore question not answered): the radius box read 0.25 mm, its minimum, and the brush
box 3D, while the view's brush circle was 5 mm and a case opens with the 2D brush (s45 walk)."""

from __future__ import annotations

from editor_helpers import (
    INSIDE_CASE_RAS,
    leave_a_crashed_workspace,
    open_image,
    wait_for_session,
    write_image,
)
from PySide6.QtCore import Qt


def test_the_brush_options_read_5_mm_and_2d_while_the_restore_question_waits(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    leave_a_crashed_workspace(volume, INSIDE_CASE_RAS, radius_mm=4)
    open_image(qtbot, window, path)
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=10000)
    assert window.editor.session is None
    panel = window.edit_actions.panel
    qtbot.mouseClick(panel.tool_buttons["paint"], Qt.LeftButton)
    for tool in ("paint", "erase"):
        boxes = panel.option_widgets[tool]
        assert boxes["radius_mm"].value() == window.editor.brush_radius_mm() == 5.0, tool
        assert boxes["mode"].currentText() == "2D (this slice)", tool
    qtbot.mouseClick(bar.buttons["Discard"], Qt.LeftButton)
    wait_for_session(qtbot, window)
    assert panel.option_widgets["paint"]["radius_mm"].value() == 5.0
    assert panel.option_widgets["paint"]["mode"].currentText() == "2D (this slice)"
