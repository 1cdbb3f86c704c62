"""*Next case* with no case left but the one on screen: the notice bar says so and the image stays
as it is (the same image, slice and zoom); it opened that case again, resetting the view, as if
it were another one. With unsaved edits: ``test_open_unsaved.py``."""

from __future__ import annotations

import numpy as np
from editor_helpers import write_image

from neuroview.dataset.worklist import Worklist

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def last_case_on_screen(qtbot, window, tmp_path, c_case=False):
    """A worklist of a_case and b_case (and ``c_case``), b_case already in the training set:
    a_case, on screen, is the last one not done (but c_case). Returns the worklist folder."""
    cases = tmp_path / "cases"
    cases.mkdir()
    a_path = write_image(cases, "a_case", "ras")[0]
    write_image(cases, "b_case", "lps")
    if c_case:
        write_image(cases, "c_case", "oblique")
    training = window.training_actions
    training.open_worklist(cases)
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy
                    and window.editor.session is not None
                    and window.controller.volume.source_path == str(a_path), timeout=30000)
    training.worklist.set_status("b_case.nii.gz", "in_training_set", training_case="nv_0001")
    return cases


def next_case_leaves_it(qtbot, window):
    """Ctrl+N's action; nothing is opened (no scan or load starts, the volume stays)."""
    shown, session = window.controller.volume, window.editor.session
    window.training_actions.next_action.trigger()
    qtbot.wait(200)
    assert not window.runner.busy
    assert window.controller.volume is shown and window.editor.session is session
    assert window.training_actions.worklist_id == "a_case.nii.gz"


def test_next_case_on_the_last_case_says_so_and_keeps_the_view(qtbot, window, tmp_path):
    cases = last_case_on_screen(qtbot, window, tmp_path)
    state = window.controller.state
    window.controller.scroll("axial", 3)
    state.zoom_by("axial", 2.0)
    slice_before, zoom = state.crosshair_ras.copy(), state.views["axial"].zoom
    assert zoom == 2.0
    next_case_leaves_it(qtbot, window)
    assert window.notice_bar.text == (
        "No other case of the worklist is left to open: case 1 of 2 (a_case.nii.gz), on screen, "
        "stays as it is; it is the last one not done.")
    assert np.array_equal(window.controller.state.crosshair_ras, slice_before)
    assert window.controller.state is state and state.views["axial"].zoom == zoom
    assert Worklist.open(cases, user="ben").case("a_case.nii.gz").status == "new"


def test_next_case_names_the_cases_other_windows_have_open(qtbot, window, tmp_path):
    cases = last_case_on_screen(qtbot, window, tmp_path, c_case=True)
    ben = Worklist.open(cases, user="ben")
    assert ben.open_case("c_case.nii.gz").case_id == "c_case.nii.gz"
    next_case_leaves_it(qtbot, window)
    assert window.notice_bar.text.startswith(
        "No other case of the worklist is left to open: case 1 of 3 (a_case.nii.gz)")
    assert window.notice_bar.text.endswith(
        "stays as it is; the others not done are open in other windows (ben has c_case.nii.gz).")
