"""A second window and painting in it, for the quit and restore tests: helpers that test_quit.py and
the tests building on it share (test modules import helpers from a helper module, never from another
test module)."""

from __future__ import annotations

import pytest
from editor_helpers import (
    INSIDE_CASE_RAS,
    close_without_asking,
    open_image,
    stroke,
    wait_for_session,
    write_image,
)


def paint(qtbot, window, tmp_path, strokes=1):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    for n in range(strokes):
        stroke(window, "axial", [INSIDE_CASE_RAS + [0, 4.0 * n, 0], INSIDE_CASE_RAS + [6.0, 4.0 * n, 0]])
    assert session.labels.array.any()
    return path, session.labels.array.copy()


@pytest.fixture
def new_window(qtbot):
    """Another window: the next start of neuroview."""
    from neuroview.ui.main_window import MainWindow

    def make():
        win = MainWindow()
        qtbot.addWidget(win, before_close_func=close_without_asking)
        win.resize(1000, 760)
        win.show()
        qtbot.waitExposed(win)
        return win
    return make
