"""AI > Segment in the window: a tiny model package runs in the background; its result arrives as
model segments (name@version) in ONE undo step, editable like any other."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import (
    click_check_box,
    grab,
    open_image,
    pixel_of,
    raise_tab,
    stroke,
    wait_for_session,
    write_image,
)
from PySide6.QtCore import Qt
from scipy import ndimage
from tiny_models import segmented_with_tiny, tiny_model

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

pytest.importorskip("neuroview.ai.segment")
torch = pytest.importorskip("torch")


def test_segment_adds_model_segments_in_one_undo_step(qtbot, window, tmp_path):
    import sys

    package = tiny_model(tmp_path)
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    assert "torch" in sys.modules  # (imported by this test itself; the window must not need it)
    session.segments.add("mine")
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [np.zeros(3)])
    mine = session.labels.array == 1
    session.segments.lock("mine")
    steps_before = len(session.history.undo_steps)
    window.ai_actions.segment(str(package), "cpu")
    qtbot.waitUntil(lambda: "tiny@1.2.0" in window.notice_bar.text, timeout=60000)
    assert len(session.history.undo_steps) == steps_before + 1
    segment = session.segments["lesion"]
    assert segment.origin == "model" and segment.model == "tiny@1.2.0" and segment.color == (250, 120, 0)
    assert np.array_equal(session.labels.array == 1, mine)               # the locked segment stays
    assert np.array_equal(session.labels.array == segment.value, ~mine)  # the model said: all lesion
    assert window.editor.case.model == "tiny@1.2.0" and window.editor.case.proposal is not None
    session.segments.unlock("mine")
    session.apply("erase", at_ras=(10.0, 10.0, 10.0), radius_mm=4, segment=segment)   # editable
    assert not (session.labels.array == segment.value).all()
    session.undo()
    session.undo()          # unlock
    session.undo()          # the model result, in one step
    assert "lesion" not in session.segments and np.array_equal(session.labels.array == 1, mine)
    assert not (session.labels.array > 1).any()


def test_result_notice_follows_ctrl_z_and_ctrl_y(qtbot, window, tmp_path):
    """After Ctrl+Z the notice no longer says 'Ctrl+Z removes it' about a result already removed;
    Ctrl+Y brings back the result and its notice."""
    from PySide6.QtWidgets import QApplication

    _, session = segmented_with_tiny(qtbot, window, tmp_path)
    notice = window.notice_bar.text
    assert "Ctrl+Z removes it" in notice
    # 48^3 voxels of 2 mm = 884.736 mL, read as a radiologist does and as the Segments list gives it
    assert "lesion 885 mL" in notice and "884.7" not in notice
    table = window.segment_panel.table
    assert [table.item(r, 4).text() for r in range(table.rowCount())
            if table.item(r, 2).text() == "lesion"] == ["885"]
    view = window.slice_views["axial"]
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)
    assert "lesion" not in session.segments and not session.labels.array.any()
    assert "Ctrl+Z removes it" not in window.notice_bar.text
    assert window.notice_bar.text.startswith("tiny@1.2.0's segmentation removed")
    qtbot.keyClick(view, Qt.Key_Y, Qt.ControlModifier)
    assert session.labels.array.all() and window.notice_bar.text == notice
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert session.labels.array.all() and window.notice_bar.text == notice


def test_a_run_that_changes_nothing_keeps_its_notice_honest_about_ctrl_z(qtbot, window, tmp_path):
    """Segment twice with the same model: the second result is the labels already there (nothing
    changed, no step). Its notice said 'Ctrl+Z removes it' and, after Ctrl+Z removed the first
    run's result, still said so; now it follows the first run's step as that run's notice does."""
    from PySide6.QtWidgets import QApplication

    package, session = segmented_with_tiny(qtbot, window, tmp_path)
    steps = len(session.history.undo_steps)
    window.notice_bar.show_message("")
    window.ai_actions.segment(str(package), "cpu")
    qtbot.waitUntil(lambda: "tiny@1.2.0 on cpu" in window.notice_bar.text, timeout=60000)
    again = window.notice_bar.text
    assert len(session.history.undo_steps) == steps and "nothing changed" in again
    view = window.slice_views["axial"]
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)
    assert "lesion" not in session.segments and not session.labels.array.any()
    assert window.notice_bar.text.startswith("tiny@1.2.0's segmentation removed")
    qtbot.keyClick(view, Qt.Key_Y, Qt.ControlModifier)
    assert session.labels.array.all() and window.notice_bar.text == again


def test_a_run_that_changes_nothing_with_no_step_to_undo_does_not_offer_ctrl_z(qtbot, window, tmp_path):
    """A result equal to the labels when the history no longer holds the step that put them
    there (trimmed to its limits): Ctrl+Z would undo another edit, not the model's result, so the
    notice does not offer it."""
    package, session = segmented_with_tiny(qtbot, window, tmp_path)
    session.history.clear()
    window.ai_actions.segment(str(package), "cpu")
    qtbot.waitUntil(lambda: "nothing changed" in window.notice_bar.text, timeout=60000)
    assert "Ctrl+Z" not in window.notice_bar.text


def test_segment_again_asks_before_replacing_a_corrected_segment(qtbot, window, tmp_path):
    """Running the same model again after correcting its segment by hand replaced the correction
    without a word. Now the notice bar asks: Keep mine leaves the labels as they are, Replace
    applies the new result as one step; a segment the person did not touch is replaced at once."""
    package, session = segmented_with_tiny(qtbot, window, tmp_path)
    segment = session.segments["lesion"]
    assert window.editor.case.corrected_model_segments("tiny@1.2.0") == []
    window.ai_actions.segment(str(package), "cpu")        # untouched: replaced without a question
    qtbot.waitUntil(lambda: window.ai_actions.job.finished, timeout=60000)
    qtbot.waitUntil(lambda: "tiny@1.2.0 on cpu" in window.notice_bar.text, timeout=10000)

    session.apply("erase", at_ras=(10.0, 10.0, 10.0), radius_mm=6, segment=segment)   # the correction
    corrected = session.labels.array.copy()
    assert not (corrected == segment.value).all()
    assert window.editor.case.corrected_model_segments("tiny@1.2.0") == ["lesion"]
    steps = len(session.history.undo_steps)
    window.ai_actions.segment(str(package), "cpu")
    qtbot.waitUntil(lambda: "Keep mine" in window.notice_bar.buttons, timeout=60000)
    assert "would replace 'lesion', which you corrected" in window.notice_bar.text
    assert np.array_equal(session.labels.array, corrected)              # nothing applied yet
    window.notice_bar.buttons["Keep mine"].click()
    assert np.array_equal(session.labels.array, corrected) and len(session.history.undo_steps) == steps
    assert "not applied" in window.notice_bar.text

    window.ai_actions.segment(str(package), "cpu")
    qtbot.waitUntil(lambda: "Replace" in window.notice_bar.buttons and window.notice_bar.isVisible(),
                    timeout=60000)
    window.notice_bar.buttons["Replace"].click()   # applied by a worker, then the GUI thread
    qtbot.waitUntil(lambda: len(session.history.undo_steps) == steps + 1, timeout=10000)
    assert (session.labels.array == segment.value).all()
    session.undo()
    assert np.array_equal(session.labels.array, corrected)              # Ctrl+Z brings the correction back


def test_the_notice_says_when_brain_extraction_was_skipped(qtbot, window, tmp_path):
    """A card asking for brain extraction on an image smaller than a head (a 96 mm crop): the
    step is skipped, and the window says so as `neuroview segment` does on stderr (the notice gave
    the volumes only: the user could not tell that nothing limited the result to the brain)."""
    package = tiny_model(tmp_path, preprocessing=[{"step": "brain_extraction"}])
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    window.ai_actions.segment(str(package), "cpu")
    qtbot.waitUntil(lambda: "tiny@1.2.0 on cpu" in window.notice_bar.text, timeout=60000)
    assert ("lesion 885 mL (no brain extraction: not a whole head; tiny@1.2.0 was made for whole "
            "heads, and this image is not one (smaller than a head): its result means little). "
            "Correct it") in window.notice_bar.text   # the field of view's figures on hover:
    assert window.notice_bar.label.toolTip() == ("brain extraction skipped: the field of view "
                                                 "(96 x 96 x 96 mm) is smaller than a head")
    assert "brain" not in window.editor.session.segments


def test_opening_another_image_stops_the_running_segmentation(qtbot, window, tmp_path, monkeypatch):
    """AI > Segment on one case, then the next one opened: the model went on for the image no
    longer on screen (30-40 s for the demo case here), its result was dropped, and AI > Segment on
    the new image was refused meanwhile as 'already running'."""
    import threading
    import time

    from neuroview.ai import segment as ai_segment
    from neuroview.core.jobs import check

    started = threading.Event()

    def slow_model(volume, model="", device="auto", progress=None, cancel=None, **options):
        started.set()
        for _ in range(600):   # 30 s, unless cancelled
            check(cancel)
            time.sleep(0.05)
        raise AssertionError("the model was not stopped")

    monkeypatch.setattr(ai_segment, "segment", slow_model)
    # and the load of the model it stands in for (torch's import: 31 s at load 25, past the wait
    # for the start below, 7 Dec 2026)
    monkeypatch.setattr(ai_segment, "preload", lambda *a, **k: None)
    first, _ = write_image(tmp_path, "first")
    second, _ = write_image(tmp_path, "second", affine_name="lps")
    open_image(qtbot, window, first)
    wait_for_session(qtbot, window)
    window.ai_actions.segment("", "cpu")
    qtbot.waitUntil(started.is_set, timeout=10000)
    window.open_paths([second])
    qtbot.waitUntil(lambda: window.editor.case is not None
                    and window.editor.case.source_paths == [str(second)], timeout=30000)
    qtbot.waitUntil(lambda: window.ai_actions.job.finished, timeout=5000)
    assert not window.ai_actions.running()      # Segment on the new image is not refused
    assert window.notice_bar.text == ("AI > Segment of the image opened before was stopped: run it "
                                      "again on this one.")


def test_stages_before_the_first_patch_show_a_busy_bar_with_their_name(qtbot, window, tmp_path):
    """Before the sliding window starts (brain extraction, resampling: a minute on a loaded CPU)
    the status bar names the stage over a busy bar, not a 0 % bar under the job's title; the
    first is the model's loading (importing torch and reading the weights took 5 s at load 8 in
    session 31's walk, the bar at 0 % with no word of what it was doing)."""
    package = tiny_model(tmp_path)
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    seen = []   # (text, bar maximum) after each progress report reached the window
    window.runner.progress.connect(
        lambda _d, _t, _x: seen.append((window.progress_text.text(), window.progress.maximum())))
    window.ai_actions.segment(str(package), "cpu")
    qtbot.waitUntil(lambda: "tiny@1.2.0 on cpu" in window.notice_bar.text, timeout=60000)
    assert seen[0] == ("loading the model", 0), seen[:3]   # 0: a busy bar
    first_patch = next(i for i, (text, _m) in enumerate(seen) if text.endswith("patches"))
    assert ("preparing the image for the model", 0) in seen[:first_patch]
    assert all(maximum == 1000 for text, maximum in seen[first_patch:])


def test_segment_with_brain_extraction_adds_a_brain_segment(qtbot, window, tmp_path):
    """The bundled model (its card declares brain extraction) on a head with skull: the brain
    mask arrives as a 'brain' segment in the same undo step as the lesions, nothing lies in the
    scalp, and the notice gives the brain's volume. The brain segment starts hidden, is listed
    with its mL, and its Show box draws it."""
    pytest.importorskip("deepbet")
    from neuroview.ai.brain import dilate_mm
    from neuroview.ai.heads import lesion_head
    from neuroview.io.nifti import save_nifti

    head = lesion_head(5, "t1", spacing=2, lesions=(3, 3))
    path = tmp_path / "head.nii.gz"
    save_nifti(head.image, head.ijk_to_ras, path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    steps_before = len(session.history.undo_steps)
    window.ai_actions.segment("lesionseg", "cpu")
    qtbot.waitUntil(lambda: "lesionseg@" in window.notice_bar.text, timeout=900000)
    assert len(session.history.undo_steps) == steps_before + 1
    brain_segment = session.segments["brain"]
    assert brain_segment.origin == "model" and brain_segment.model.startswith("lesionseg@")
    labelled = session.labels.array > 0
    dice = 2 * (labelled & head.brain).sum() / (labelled.sum() + head.brain.sum())
    assert dice > 0.95
    # no scalp: beyond 6 mm from the true brain only deepbet's few voxels under the brain's base
    assert (labelled & ~dilate_mm(head.brain, head.ijk_to_ras, 6.0)).sum() < 0.005 * labelled.sum()

    # The brain is context: listed in the Segments list with its volume, but hidden (its Show box
    # off) so that it does not cover the image; a click on the box shows it on screen.
    assert not brain_segment.visible and session.segments["lesion"].visible
    table = window.segment_panel.table
    brain_voxels = session.labels.array == brain_segment.value
    brain_ml = f"{brain_voxels.sum() * 8 / 1000:.0f}"   # a whole number of mL, as read
    qtbot.waitUntil(lambda: [table.item(r, 4).text() for r in range(table.rowCount())
                             if table.item(r, 2).text() == "brain"] == [brain_ml], timeout=10000)
    row = next(r for r in range(table.rowCount()) if table.item(r, 2).text() == "brain")
    # the notice's brain volume is the brain row's (the lesions inside are their own rows)
    assert session.segments["lesion"].value != brain_segment.value and (labelled & ~brain_voxels).any()
    assert f"brain {table.item(row, 4).text()} mL" in window.notice_bar.text
    assert table.item(row, 0).checkState() == Qt.Unchecked
    inner = np.argwhere(ndimage.binary_erosion(brain_voxels, iterations=4))
    p_ijk = inner[np.argmin(np.linalg.norm(inner - inner.mean(axis=0), axis=1))]
    q_ijk = next(q for q in inner if q[2] == p_ijk[2] and min(abs(q[:2] - p_ijk[:2])) >= 6)
    ras = [head.ijk_to_ras[:3, :3] @ v + head.ijk_to_ras[:3, 3] for v in (p_ijk, q_ijk)]
    window.controller.set_crosshair(ras[0])
    view = window.slice_views["axial"]

    def blue_minus_red() -> int:
        view.repaint()
        x, y = pixel_of(window, "axial", ras[1])
        rgb = grab(view)[int(y), int(x)].astype(int)
        return rgb[2] - rgb[0]

    assert abs(blue_minus_red()) <= 3                      # grey image: the brain is not drawn
    raise_tab(qtbot, window, "Segments")
    qtbot.waitUntil(table.isVisible, timeout=10000)
    click_check_box(qtbot, table, row, 0)
    assert session.segments["brain"].visible
    qtbot.waitUntil(lambda: blue_minus_red() > 20, timeout=5000)   # steel blue over the brain
    session.undo()                                         # showing it was one step
    session.undo()
    assert "brain" not in session.segments and not session.labels.array.any()


def test_segment_again_while_it_runs_says_so_and_runs_once(qtbot, window, tmp_path):
    """Ctrl+Shift+S (or the toolbar button) while the model runs: it ran the same model a second
    time beside the first, on the same cores, and applied both results."""
    package = tiny_model(tmp_path)
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.ai_actions.segment(str(package), "cpu")
    window.ai_actions.segment(str(package), "cpu")
    window.ai_actions.segment_dialog()
    assert [job.label for job in window.runner.jobs].count(f"Segmenting with {package}") == 1
    assert window.message_bar.text.startswith("AI > Segment is already running")
    assert window.ai_actions.dialog is None
    qtbot.waitUntil(lambda: "tiny@1.2.0 on cpu" in window.notice_bar.text and not window.runner.busy,
                    timeout=60000)
    assert len(session.history.undo_steps) == 1
    window.ai_actions.segment(str(package), "cpu")   # once it has finished, it runs again
    assert window.runner.busy


def test_a_result_waits_for_the_ai_click_object_made_while_the_model_ran(qtbot, window, tmp_path,
                                                                          monkeypatch):
    """AI > Segment runs (a minute on a real head); meanwhile the user fixes a lesion with AI click.
    The model's result landed under the object and dropped it and its prompts without a word.
    Now the result waits, the notice says so, and lands once Enter (or Esc) answers the object."""
    import threading

    from editor_helpers import shortcut
    from PySide6.QtCore import QPoint

    from neuroview.ai import segment as ai_segment

    gate, started, real = threading.Event(), threading.Event(), ai_segment.segment

    def gated(*args, **kwargs):
        started.set()
        assert gate.wait(300)   # the AI click below, however slow the machine
        return real(*args, **kwargs)

    monkeypatch.setattr(ai_segment, "segment", gated)
    package = tiny_model(tmp_path)
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.ai_actions.segment(str(package), "cpu")
    # after torch's import and the model's load (31 s at load 25, 7 Dec 2026: the wait was 10 s)
    qtbot.waitUntil(started.is_set, timeout=120000)
    window.edit_actions.panel.ai_backend.setCurrentIndex(1)         # grow from seeds
    window.edit_actions.panel.ai_backend.activated.emit(1)
    shortcut(qtbot, window, Qt.Key_K)
    x, y = pixel_of(window, "axial", np.zeros(3))
    qtbot.mouseClick(window.slice_views["axial"], Qt.LeftButton, pos=QPoint(int(round(x)), int(round(y))))
    qtbot.waitUntil(lambda: window.editor.has_preview() and not window.editor.ai_click.running, timeout=30000)
    shown = window.controller.preview_labels.array.copy()
    gate.set()
    qtbot.waitUntil(lambda: "waits for the AI click object" in window.notice_bar.text, timeout=60000)
    qtbot.wait(300)
    assert window.editor.has_preview() and len(session.prompting.prompts) == 1
    assert "lesion" not in session.segments                          # not applied yet
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    qtbot.waitUntil(lambda: "tiny@1.2.0 on cpu" in window.notice_bar.text, timeout=60000)
    assert session.segments["lesion"].origin == "model"
    assert [step.name for step in session.history.undo_steps[-2:]] == ["ai_prompt", "model"]
    assert session.segments["Segment 1"].origin == "interactive" and (shown == 1).sum() > 0


def test_result_notice_follows_a_rejected_lesion(qtbot, window, tmp_path):
    """Rejecting a lesion (Delete in the Lesions list) after Segment left the notice saying the
    model's total while the list said less: the notice gives the volume now, and the model's."""
    from lesion_lists import _click_row
    from PySide6.QtWidgets import QDockWidget

    from neuroview.core.volume import Volume

    package = tiny_model(tmp_path)
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    session.segments.add("wall")   # a locked slab splits the model's all-lesion output in two
    wall = np.zeros(session.volume.shape, np.uint8)
    wall[20:22] = 1
    session.load_label_volume(Volume(wall, session.volume.ijk_to_ras))
    session.segments.lock("wall")
    window.ai_actions.segment(str(package), "cpu")
    qtbot.waitUntil(lambda: "tiny@1.2.0 on cpu" in window.notice_bar.text, timeout=60000)
    assert "lesion 848 mL" in window.notice_bar.text   # 46 x 48 x 48 voxels of 8 uL
    panel = window.lesions
    window.findChild(QDockWidget, "Lesions").raise_()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=20000)
    smaller = min(panel.components, key=lambda c: c.voxels).index
    rows = [panel.table.item(r, 0).data(Qt.UserRole) for r in range(2)]
    _click_row(qtbot, panel.table, rows.index(smaller))
    qtbot.keyClick(panel.table, Qt.Key_Delete)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=5000)

    assert window.notice_bar.text.startswith("tiny@1.2.0 on cpu: lesion 479 mL as edited (found "
                                             "lesion 848 mL)")   # 26 x 48 x 48 voxels left
    assert window.notice_bar.text.endswith("Ctrl+Z removes it after undoing the 1 edit made since.")
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Z, Qt.ControlModifier)
    assert "lesion 848 mL. Correct it" in window.notice_bar.text and "as edited" not in window.notice_bar.text
