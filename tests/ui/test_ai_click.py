"""The AI click tool in the window: real mouse clicks on a slice view -> preview -> Enter -> voxels.

The backend is the deterministic grow-from-seeds one behind the promptable contract, so the test
checks the window's part (events -> RAS prompts -> worker -> preview -> one undo step) exactly.
"""

from __future__ import annotations

import numpy as np
import pytest
from ai_click_cases import (
    CENTRE,
    _answer_switch,
    _answered_click,
    _blob_image,
    _click,
    _GatedModel,
    _lasso,
    _setup,
)
from editor_helpers import open_image, pixel_of, shortcut, wait_for_session
from PySide6.QtCore import Qt

from neuroview.ai.interactive.baseline import GrowPromptModel
from neuroview.ai.interactive.simulate import dice

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_click_preview_enter_accepts_and_ctrl_z_removes(qtbot, window, tmp_path):
    session, first, _ = _setup(qtbot, window, tmp_path)
    _click(qtbot, window, "axial", CENTRE)
    qtbot.waitUntil(window.editor.has_preview, timeout=30000)
    assert not session.labels.array.any()           # a preview, nothing written yet
    shown = window.controller.preview_labels.array == session.active_segment
    assert dice(shown, first) > 0.7
    table = window.edit_actions.panel.table          # the segment editor's list: From column
    assert table.item(0, 4).text() == ""             # empty until the segment holds voxels
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    value = session.active_segment
    assert dice(session.labels.array == value, first) > 0.7
    assert not window.editor.has_preview()
    assert table.item(0, 4).text() == "AI click"                              # not "drawn"
    assert table.item(0, 4).toolTip() == "AI click grow-from-seeds, 1 prompt"
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert not (session.labels.array == value).any()
    qtbot.waitUntil(lambda: table.item(0, 4).text() == "", timeout=5000)      # undone with it


def test_shift_click_and_right_click_exclude_and_esc_discards(qtbot, window, tmp_path):
    session, first, second = _setup(qtbot, window, tmp_path)
    _click(qtbot, window, "axial", CENTRE)
    _click(qtbot, window, "axial", CENTRE + [24, 0, 0], modifier=Qt.ShiftModifier)
    _click(qtbot, window, "axial", CENTRE + [-14, 0, 0], button=Qt.RightButton)
    qtbot.waitUntil(lambda: not window.editor.ai_click.running and session.pending_preview is not None
                    and sum(session.pending_preview.meta["prompts"].values()) == 3, timeout=30000)
    assert session.pending_preview.meta["prompts"] == {"point+": 1, "point-": 2}
    shown = window.controller.preview_labels.array == session.active_segment
    assert dice(shown, first) > 0.7 and not (shown & second).any()
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Escape)
    assert not window.editor.has_preview() and session.prompting is None
    assert not session.labels.array.any()


def test_ctrl_drag_draws_a_lasso_around_the_object(qtbot, window, tmp_path):
    session, first, second = _setup(qtbot, window, tmp_path)
    _lasso(window, "axial", [pixel_of(window, "axial", CENTRE + [11 * np.cos(t), 11 * np.sin(t), 0])
                             for t in np.linspace(0, 2 * np.pi, 16, endpoint=False)])
    qtbot.waitUntil(window.editor.has_preview, timeout=30000)
    assert session.pending_preview.meta["prompts"] == {"lasso+": 1}
    shown = window.controller.preview_labels.array == session.active_segment
    assert dice(shown, first) > 0.7 and not (shown & second).any()


def test_the_model_loads_in_the_background_when_the_tool_is_picked(qtbot, window, tmp_path, monkeypatch):
    """Loading the bundled network (torch) and the image's statistics takes seconds: it starts when
    the user picks the tool (K), on a worker thread, and never runs on the GUI thread."""
    import threading
    import weakref

    from neuroview.ai.interactive import engine, model
    from neuroview.app import prompt_models, prompting

    monkeypatch.setattr(prompt_models, "_MODELS", {})
    monkeypatch.setattr(prompting, "_ENGINES", weakref.WeakKeyDictionary(), raising=False)
    made = []
    for cls in (model.NetworkPromptModel, engine.InteractiveSegmenter):
        original = cls.__init__

        def init(self, *args, _original=original, _name=cls.__name__, **kwargs):
            made.append((_name, threading.current_thread() is threading.main_thread()))
            _original(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", init)
    path, first, _ = _blob_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(CENTRE)
    shortcut(qtbot, window, Qt.Key_K)
    assert window.controller.mode == "ai-click" and window.editor.ai_click.model is None
    qtbot.waitUntil(lambda: len(made) == 2 and not window.runner.busy, timeout=60000)
    assert made == [("NetworkPromptModel", False), ("InteractiveSegmenter", False)]
    _click(qtbot, window, "axial", CENTRE)
    qtbot.waitUntil(window.editor.has_preview, timeout=30000)
    assert len(made) == 2                       # the click used what was loaded
    shown = window.controller.preview_labels.array == session.active_segment
    assert shown.any()


def _pixel(window, plane, p_ras):
    view = window.slice_views[plane]
    x, y = pixel_of(window, plane, p_ras)
    image = view.grab().toImage()
    scale = image.width() / view.width()
    return image.pixelColor(int(round(x * scale)), int(round(y * scale)))


def test_clicks_show_as_green_and_red_dots_until_the_object_is_discarded(qtbot, window, tmp_path):
    session, _first, _second = _setup(qtbot, window, tmp_path)
    outside = CENTRE + [-14, 0, 0]                 # background, away from both blobs
    before = _pixel(window, "axial", outside)
    _click(qtbot, window, "axial", CENTRE)
    _click(qtbot, window, "axial", outside, modifier=Qt.ShiftModifier)
    qtbot.waitUntil(lambda: not window.editor.ai_click.running and session.pending_preview is not None
                    and sum(session.pending_preview.meta["prompts"].values()) == 2, timeout=30000)
    qtbot.waitUntil(lambda: _pixel(window, "axial", CENTRE).green() > 150
                    and _pixel(window, "axial", outside).red() > 150, timeout=10000)   # the dots are drawn
    include, exclude = _pixel(window, "axial", CENTRE), _pixel(window, "axial", outside)
    assert include.green() > 150 and include.red() < 120 and include.blue() < 120, include.name()
    assert exclude.red() > 150 and exclude.green() < 120 and exclude.blue() < 120, exclude.name()
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Escape)
    qtbot.waitUntil(lambda: _pixel(window, "axial", outside).name() == before.name(), timeout=10000)


def test_another_tool_keeps_the_waiting_object_until_enter_or_esc(qtbot, window, tmp_path):
    """P with an AI click object on screen, then a paint stroke: the stroke dropped the object (its
    preview and prompts) with no word, and Paint showed no Apply / Cancel for it."""
    from editor_helpers import stroke

    session, first, _ = _setup(qtbot, window, tmp_path)
    shown = _answered_click(qtbot, window, CENTRE)
    shortcut(qtbot, window, Qt.Key_P)
    panel = window.edit_actions.panel
    assert window.controller.mode == "paint"
    assert panel.apply_button.isVisible() and panel.apply_button.isEnabled()
    assert panel.cancel_button.isVisible() and panel.cancel_button.isEnabled()
    stroke(window, "axial", [CENTRE + [-20, 14, 0], CENTRE + [-12, 14, 0]])
    assert window.message_bar.text.startswith("the AI click object is still a preview")
    assert not session.labels.array.any() and window.editor.has_preview()
    assert np.array_equal(window.controller.preview_labels.array, shown)
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    value = session.active_segment
    assert np.array_equal(session.labels.array == value, shown == value)
    assert dice(session.labels.array == value, first) > 0.7
    stroke(window, "axial", [CENTRE + [-20, 14, 0], CENTRE + [-12, 14, 0]])   # now it paints
    assert (session.labels.array == value).sum() > (shown == value).sum()


def test_ctrl_z_takes_back_the_last_prompt_of_the_object_in_progress(qtbot, window, tmp_path):
    """Ctrl+Z with an object in progress undid the object accepted before it and dropped the one
    in progress with all its prompts; it takes back the last prompt, then the object, then steps."""
    session, first, second = _setup(qtbot, window, tmp_path)
    _click(qtbot, window, "axial", CENTRE)
    qtbot.waitUntil(lambda: window.editor.has_preview() and not window.editor.ai_click.running,
                    timeout=30000)
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    accepted = session.labels.array.copy()                  # object A, one undo step
    window.edit_actions.panel.add_segment()                 # object B goes into a new segment

    def answered(n):
        return lambda: (not window.editor.ai_click.running and session.pending_preview is not None
                        and sum(session.pending_preview.meta["prompts"].values()) == n)

    _click(qtbot, window, "axial", CENTRE + [24, 0, 0])
    qtbot.waitUntil(answered(1), timeout=30000)
    one = window.controller.preview_labels.array.copy()
    _click(qtbot, window, "axial", CENTRE + [26, 0, 0], modifier=Qt.ShiftModifier)
    qtbot.waitUntil(answered(2), timeout=30000)
    assert not np.array_equal(window.controller.preview_labels.array, one)
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)   # the exclude click is taken back
    assert session.pending_preview.meta["prompts"] == {"point+": 1}
    assert np.array_equal(window.controller.preview_labels.array, one)
    assert np.array_equal(session.labels.array, accepted)
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)   # then B itself
    assert not window.editor.has_preview() and session.prompting is None
    assert np.array_equal(session.labels.array, accepted)
    assert [s.name for s in session.segments] == ["Segment 1", "Segment 2"]
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)   # then the steps before: Add, A
    assert [s.name for s in session.segments] == ["Segment 1"]
    assert np.array_equal(session.labels.array, accepted)
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert not session.labels.array.any()


def test_save_send_and_segment_wait_for_the_object_on_screen(qtbot, window, tmp_path, monkeypatch):
    """With an object waiting for Enter, Save labels wrote a file without it, Send to training set
    sent a label without it, and AI > Segment's result dropped it: each now says to answer first."""
    from PySide6.QtWidgets import QFileDialog

    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(a) or ("", ""))
    session, first, _ = _setup(qtbot, window, tmp_path)
    _click(qtbot, window, "axial", CENTRE)
    qtbot.waitUntil(lambda: window.editor.has_preview() and not window.editor.ai_click.running,
                    timeout=30000)
    for keys in ((Qt.Key_S, Qt.ControlModifier), (Qt.Key_T, Qt.ControlModifier | Qt.ShiftModifier),
                 (Qt.Key_S, Qt.ControlModifier | Qt.ShiftModifier)):
        window.message_bar.hide()
        shortcut(qtbot, window, *keys)
        assert window.message_bar.text.startswith("the AI click object is still a preview: press Enter")
    assert not asked and window.training_actions.dialog is None and window.ai_actions.dialog is None
    assert window.editor.has_preview()
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    shortcut(qtbot, window, Qt.Key_S, Qt.ControlModifier)   # answered: Save labels asks for a file
    assert len(asked) == 1


def test_the_window_fits_a_laptop_screen_with_the_tool_options_reachable(qtbot, window, tmp_path):
    """With the AI click options in the Segment editor the main window could not be made less
    than 965 pixels tall: on a 1366x768 screen its status bar (progress, Cancel) and the tool's
    Apply / Cancel lay below the screen's edge. The editor's panel scrolls instead."""
    _setup(qtbot, window, tmp_path)
    window.resize(1366, 700)
    qtbot.waitUntil(lambda: window.height() == 700, timeout=5000)
    panel = window.edit_actions.panel
    scroll = window.edit_actions.dock.widget()
    scroll.ensureWidgetVisible(panel.apply_button)
    qtbot.waitUntil(lambda: not panel.apply_button.visibleRegion().isEmpty(), timeout=5000)
    assert window.statusBar().geometry().bottom() < window.height()


def test_switching_the_model_asks_about_the_object_in_progress(qtbot, window, tmp_path):
    """Picking another AI click model with an object on screen dropped the object and its prompts
    without a word; now Cancel keeps both (and the model), Apply accepts the object first."""
    from PySide6.QtWidgets import QMessageBox

    session, first, _ = _setup(qtbot, window, tmp_path)
    panel = window.edit_actions.panel
    shown = _answered_click(qtbot, window, CENTRE)
    asked = []
    _answer_switch(window, QMessageBox.Cancel, asked)
    panel.ai_backend.setCurrentIndex(panel.ai_backend.findData("network"))
    panel.ai_backend.activated.emit(panel.ai_backend.currentIndex())
    assert asked and asked[0].startswith("The AI click object on screen (1 prompt) is not accepted yet")
    assert window.editor.has_preview() and np.array_equal(window.controller.preview_labels.array, shown)
    assert session.prompting is not None and len(session.prompting.prompts) == 1
    assert panel.ai_backend.currentData() == "grow"
    assert isinstance(window.editor.ai_click.model, GrowPromptModel)
    _answer_switch(window, QMessageBox.Apply, asked)
    panel.ai_backend.setCurrentIndex(panel.ai_backend.findData("network"))
    panel.ai_backend.activated.emit(panel.ai_backend.currentIndex())
    assert len(asked) == 2 and not window.editor.has_preview()
    value = session.active_segment
    assert np.array_equal(session.labels.array == value, shown == value)
    assert dice(session.labels.array == value, first) > 0.7
    assert window.editor.ai_click.model is None   # the bundled network from the next click on


def test_an_exclude_that_changes_nothing_says_so_in_the_status_bar(qtbot, window, tmp_path, monkeypatch):
    """An exclude prompt that leaves the object as it was says so in the status bar, instead of
    nothing happening on screen (which answers are unchanged is checked on the bundled network in
    tests/app/test_prompting_refine.py; Grow from seeds moves a few voxels for any new seed, so here
    the check is made to say 'unchanged' for the exclude)."""
    from neuroview.app.prompting import PromptSession

    session, first, _ = _setup(qtbot, window, tmp_path)
    notes = []
    window.editor.status.connect(notes.append)
    _click(qtbot, window, "axial", CENTRE)
    qtbot.waitUntil(lambda: not window.editor.ai_click.running and window.editor.has_preview(), timeout=30000)
    assert not any("exclude" in note for note in notes)  # the real check: an include changed it
    monkeypatch.setattr(PromptSession, "last_changed_nothing",
                        lambda self: not self.prompts.prompts[-1].include)
    _click(qtbot, window, "axial", CENTRE + [-14, 0, 0], modifier=Qt.ShiftModifier)
    qtbot.waitUntil(lambda: not window.editor.ai_click.running
                    and sum(session.pending_preview.meta["prompts"].values()) == 2, timeout=30000)
    assert any("nothing of the object lies under that exclude prompt" in note for note in notes)


@pytest.mark.parametrize("between", ["esc", "other segment"])
def test_a_click_on_a_new_object_while_the_model_runs_is_answered(qtbot, window, tmp_path, between):
    """Click, then Esc (or pick another segment) and click again before the first answer came: the
    second click was never run (the answer to the first was dropped, and nothing started the new
    object's), so the window showed nothing and the click was lost without a word."""
    session, first, _ = _setup(qtbot, window, tmp_path)
    panel = window.edit_actions.panel
    if between == "other segment":   # the first object goes into a second segment
        panel.add_segment()
        panel.add_segment()
        panel.table.selectRow(1)
        assert session.active_segment == 2
    model = window.editor.ai_click.model = _GatedModel()
    _click(qtbot, window, "axial", CENTRE)
    qtbot.waitUntil(lambda: window.editor.ai_click.running, timeout=5000)
    if between == "esc":
        qtbot.keyClick(window.slice_views["axial"], Qt.Key_Escape)
    else:   # the pick asks about the object still being computed: Discard
        from PySide6.QtWidgets import QMessageBox

        _answer_switch(window, QMessageBox.Discard, [])
        panel.table.selectRow(0)
        assert session.active_segment == panel.selected_value() == 1
    _click(qtbot, window, "axial", CENTRE)
    model.gate.set()
    qtbot.waitUntil(lambda: not window.editor.ai_click.running and window.editor.has_preview(),
                    timeout=30000)
    assert session.prompting.value == session.active_segment and len(session.prompting.prompts) == 1
    shown = window.controller.preview_labels.array == session.active_segment
    assert dice(shown, first) > 0.7


def test_enter_while_the_model_answers_a_newer_prompt_waits_for_it(qtbot, window, tmp_path):
    """Enter while the model still answered a second prompt accepted the first answer on screen
    and dropped the second prompt without a word. Now Enter says to wait and changes nothing; once
    the answer shows, Enter accepts it, with both prompts."""
    session, first, second = _setup(qtbot, window, tmp_path)
    model = window.editor.ai_click.model = _GatedModel()
    model.gate.set()
    notes = []
    window.editor.status.connect(notes.append)
    _answered_click(qtbot, window, CENTRE)
    before = session.labels.array.copy()
    model.gate.clear()
    _click(qtbot, window, "axial", CENTRE + [24, 0, 0])   # the second blob, on the same slice
    qtbot.waitUntil(lambda: window.editor.ai_click.running, timeout=5000)
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    assert any("still being computed" in note for note in notes)
    assert np.array_equal(session.labels.array, before) and window.editor.has_preview()
    model.gate.set()
    qtbot.waitUntil(lambda: not window.editor.ai_click.running and window.editor.has_preview()
                    and len(session.prompting.prompts) == 2, timeout=30000)
    shown = window.controller.preview_labels.array.copy()
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    assert not window.editor.has_preview()
    assert np.array_equal(session.labels.array == 1, shown == 1)
    assert (session.labels.array == 1)[second].mean() > 0.5   # the second prompt's object is in


def test_enter_while_the_first_answer_is_computed_says_to_wait(qtbot, window, tmp_path):
    """Enter before the object's first answer shows (a walk under Xvfb: a box, Enter at once) did
    nothing and said nothing: the user took the object for accepted. Now the status bar says to
    press Enter again once the answer shows, and the answer still comes."""
    session, first, _second = _setup(qtbot, window, tmp_path)
    model = window.editor.ai_click.model = _GatedModel()
    notes = []
    window.editor.status.connect(notes.append)
    _click(qtbot, window, "axial", CENTRE)
    try:
        qtbot.waitUntil(lambda: window.editor.ai_click.running, timeout=5000)
        qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    finally:
        model.gate.set()
    assert any("still being computed" in note for note in notes)
    qtbot.waitUntil(lambda: not window.editor.ai_click.running and window.editor.has_preview(), timeout=30000)
    assert not session.labels.array.any()
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    assert (session.labels.array == 1)[first].mean() > 0.5




def test_an_exclude_on_another_lesions_leak_accepts_the_object_and_begins_a_new_one(qtbot, window, tmp_path):
    """The segment holds a proposal of the second blob with a leak; an AI click object on the
    first blob is in progress when Shift+click lands on the leak: the object is accepted (one
    undo step, as Enter) and the exclude begins a new object that takes the leak away. Before,
    the exclude joined the first object, changed nothing and the status bar said so."""
    session, first, second = _setup(qtbot, window, tmp_path)
    ras = np.indices(first.shape).reshape(3, -1).T @ session.volume.ijk_to_ras[:3, :3].T \
        + session.volume.ijk_to_ras[:3, 3]
    leak_at = CENTRE + [24, 10, 0]
    leak = (np.linalg.norm(ras - leak_at, axis=1) <= 4).reshape(first.shape) & ~first
    value = session.segments.add("lesion").value
    session.active_segment = value
    session.labels.array[second | leak] = value
    notes = []
    window.editor.status.connect(notes.append)
    _answered_click(qtbot, window, CENTRE)
    object_voxels = window.controller.preview_labels.array == value
    assert dice(object_voxels & first, first) > 0.7
    _click(qtbot, window, "axial", leak_at, modifier=Qt.ShiftModifier)
    qtbot.waitUntil(lambda: not window.editor.ai_click.running and window.editor.has_preview()
                    and session.prompting is not None and len(session.prompting.prompts) == 1, timeout=30000)
    assert dice((session.labels.array == value) & first, first) > 0.7    # the first object, accepted
    assert session.prompting.prompts.counts() == {"point-": 1}
    shown = window.controller.preview_labels.array == value
    at = np.rint(np.linalg.solve(session.volume.ijk_to_ras, np.r_[leak_at, 1])[:3]).astype(int)
    assert not shown[tuple(at)]                                             # the leak taken away
    assert (shown & second).sum() == second.sum()                          # the lesion stays
    assert any("the object before was accepted" in note for note in notes)
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Escape)
    assert dice((session.labels.array == value) & first, first) > 0.7    # Esc drops the new one only
