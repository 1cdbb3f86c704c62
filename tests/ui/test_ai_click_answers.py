"""The AI click tool's answers in the window: what the status bar says when one shows, what a
failed model run drops, and a prompt on another time point (grow-from-seeds backend, as in
test_ai_click.py, whose set-up this reuses)."""

from __future__ import annotations

import re

import nibabel as nib
import numpy as np
from ai_click_cases import CENTRE, _answer_switch, _answered_click, _blob_image, _click, _GatedModel, _setup
from editor_helpers import click_check_box, open_image, shortcut, wait_for_session
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from neuroview.ai.interactive.baseline import GrowPromptModel
from neuroview.ai.interactive.simulate import dice
from neuroview.core.errors import ModelError
from neuroview.core.jobs import wait_abandoned

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_the_status_bar_gives_the_volume_when_an_answer_shows(qtbot, window, tmp_path):
    """An answer changed the preview and the status bar said nothing: how big the object is, after
    how many prompts and how long the model took were not shown anywhere until Enter."""
    session, first, _ = _setup(qtbot, window, tmp_path)
    notes = []
    window.editor.status.connect(notes.append)
    shown = _answered_click(qtbot, window, CENTRE)
    voxels = int((shown == 1).sum())
    ml = voxels * abs(np.linalg.det(session.labels.ijk_to_ras[:3, :3])) / 1000
    assert voxels > 100 and round(ml, 1) > 0
    answer = [note for note in notes if note.startswith("AI click: Segment 1 ")]
    assert len(answer) == 1, notes
    head, tail = answer[0].split(" s; ")
    assert head.startswith(f"AI click: Segment 1 {ml:.1f} mL ({voxels:,} voxels) after 1 prompt, ")
    assert float(head.rsplit(", ", 1)[1]) >= 0 and tail == "Enter accepts, Esc discards"
    assert window.statusBar().currentMessage() == answer[0]
    _click(qtbot, window, "axial", CENTRE + [24, 0, 0])
    qtbot.waitUntil(lambda: len(notes) > 1 and "after 2 prompts" in notes[-1], timeout=30000)
    both = int((window.controller.preview_labels.array == 1).sum())
    assert both > voxels and f"({both:,} voxels) after 2 prompts" in notes[-1]
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)      # the first answer shows again
    assert notes[-1] == f"AI click: Segment 1 {ml:.1f} mL ({voxels:,} voxels) after 1 prompt; " \
                        "Enter accepts, Esc discards"
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)  # the line goes with the preview
    assert notes[-1] == "" and window.statusBar().currentMessage() == ""


class _FailingModel(_GatedModel):
    """Grow from seeds that waits for the gate and fails once while ``failing`` is set."""

    failing = False

    def predict(self, inputs):
        self.entered.set()
        self.gate.wait(30)
        if self.failing:
            self.failing = False
            raise ModelError("out of memory on the GPU")
        return super().predict(inputs)


def test_a_failed_run_drops_its_own_prompt_and_runs_the_queued_ones(qtbot, window, tmp_path):
    """Click 2 runs, click 3 is queued meanwhile, the run of click 2 fails: the window dropped
    click 3 (which the model never saw) instead of click 2, did not run what was left, and did
    not say which prompt went. Now click 2 goes, the message says so, and 1 + 3 are answered."""
    session, first, second = _setup(qtbot, window, tmp_path)
    model = window.editor.ai_click.model = _FailingModel()
    model.gate.set()
    errors = []
    window.editor.error.connect(errors.append)
    _answered_click(qtbot, window, CENTRE)
    model.gate.clear()
    model.failing = True
    _click(qtbot, window, "axial", CENTRE + [24, 0, 0])                    # click 2: fails
    qtbot.waitUntil(lambda: window.editor.ai_click.running, timeout=5000)
    _click(qtbot, window, "axial", CENTRE + [-14, 0, 0], modifier=Qt.ShiftModifier)   # click 3: queued
    assert len(session.prompting.prompts) == 3
    model.gate.set()
    qtbot.waitUntil(lambda: bool(errors) and not window.editor.ai_click.running, timeout=30000)
    assert errors == ["AI click: out of memory on the GPU; prompt 2 (an include click) was dropped"]
    qtbot.waitUntil(lambda: session.pending_preview.meta["prompts"] == {"point+": 1, "point-": 1},
                    timeout=10000)
    kept = session.prompting.prompts.prompts
    assert [p.include for p in kept] == [True, False]
    assert np.allclose(kept[1].p_ras, CENTRE + [-14, 0, 0], atol=1.5)
    shown = window.controller.preview_labels.array == 1
    assert dice(shown, first) > 0.7 and not (shown & second).any()


def test_a_failed_first_prompt_leaves_no_object(qtbot, window, tmp_path):
    session, _first, _second = _setup(qtbot, window, tmp_path)
    model = window.editor.ai_click.model = _FailingModel()
    model.failing = True
    model.gate.set()
    errors = []
    window.editor.error.connect(errors.append)
    _click(qtbot, window, "axial", CENTRE)
    qtbot.waitUntil(lambda: bool(errors) and not window.editor.ai_click.running, timeout=30000)
    assert errors == ["AI click: out of memory on the GPU; prompt 1 (an include click) was dropped"]
    assert session.prompting is None and not window.editor.has_preview()


def test_a_run_failing_after_esc_says_nothing_and_the_next_click_works(qtbot, window, tmp_path):
    """Esc ends the answer's job at once (``test_ai_click_cancel.py``): the run's failure after
    it is the discarded object's, and is not said (it was, naming no prompt, when the run ended
    before the job looked at its token)."""
    session, first, _ = _setup(qtbot, window, tmp_path)
    model = window.editor.ai_click.model = _FailingModel()
    model.failing = True
    errors = []
    window.editor.error.connect(errors.append)
    _click(qtbot, window, "axial", CENTRE)
    assert model.entered.wait(10)
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Escape)    # the object goes while it runs
    qtbot.waitUntil(lambda: not window.editor.ai_click.running, timeout=10000)
    model.gate.set()
    assert wait_abandoned(10) and not model.failing                # it failed, unwatched
    qtbot.wait(200)
    assert errors == [] and session.prompting is None
    shown = _answered_click(qtbot, window, CENTRE)
    assert dice(shown == 1, first) > 0.7 and len(session.prompting.prompts) == 1


def test_a_click_on_another_time_point_asks_about_the_object_in_progress(qtbot, window, tmp_path):
    """A click on time point 2 with an object of time point 1 on screen started a new object and
    dropped the first one; now it asks as picking another segment does (the Python API refuses)."""
    path, first, _ = _blob_image(tmp_path)
    image = nib.load(path)
    frames = np.stack([np.asarray(image.dataobj)] * 2, axis=-1)
    nib.save(nib.Nifti1Image(frames, image.affine), tmp_path / "frames.nii.gz")
    open_image(qtbot, window, tmp_path / "frames.nii.gz")
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(CENTRE)
    panel = window.edit_actions.panel
    panel.ai_backend.setCurrentIndex(1)
    panel.ai_backend.activated.emit(1)

    shortcut(qtbot, window, Qt.Key_K)
    shown = _answered_click(qtbot, window, CENTRE)
    window.controller.set_frame(1)
    assert session.frame == 1
    asked, errors = [], []
    window.editor.error.connect(errors.append)
    _answer_switch(window, QMessageBox.Cancel, asked)
    _click(qtbot, window, "axial", CENTRE + [24, 0, 0])
    assert asked and "a prompt on time point 2 would start a new object" in asked[0]
    assert not errors and len(session.prompting.prompts) == 1 and session.prompting.frame == 0
    assert np.array_equal(window.controller.preview_labels.array, shown)
    _answer_switch(window, QMessageBox.Apply, asked)
    _click(qtbot, window, "axial", CENTRE + [24, 0, 0])
    assert len(asked) == 2 and not errors
    assert np.array_equal(session.labels.array == 1, shown == 1)       # the first object, accepted
    qtbot.waitUntil(lambda: not window.editor.ai_click.running and window.editor.has_preview(),
                    timeout=30000)
    assert session.prompting.frame == 1 and len(session.prompting.prompts) == 1


def test_ctrl_y_with_an_object_in_progress_keeps_it_and_says_why(qtbot, window, tmp_path):
    """Accept an object, Ctrl+Z it, click a new one, Ctrl+Y: the redo of the first object came
    under the new one's preview and dropped it and its prompts without a word (the label map
    changed under it). Now Ctrl+Y is refused in one line until Enter or Esc answers the object."""
    session, first, second = _setup(qtbot, window, tmp_path)
    _answered_click(qtbot, window, CENTRE)
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    assert dice(session.labels.array == 1, first) > 0.7
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert not session.labels.array.any() and session.history.can_redo
    shown = _answered_click(qtbot, window, CENTRE + [24, 0, 0])
    errors = []
    window.editor.error.connect(errors.append)
    shortcut(qtbot, window, Qt.Key_Y, Qt.ControlModifier)
    assert not session.labels.array.any() and session.history.can_redo      # nothing redone
    assert window.editor.has_preview() and len(session.prompting.prompts) == 1  # the object stays
    assert np.array_equal(window.controller.preview_labels.array, shown)
    assert errors and "AI click object" in errors[-1] and "Ctrl+Y" in errors[-1]
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    assert dice(session.labels.array == 1, second) > 0.7


def test_showing_or_locking_another_segment_keeps_the_object(qtbot, window, tmp_path):
    """With an object in progress, ticking Show or Lock of another segment in the list (say the
    brain a model added, to see it while fixing a lesion) dropped the object and its prompts with
    no word: any step, even one that changes no voxel, dropped the preview. Now the object stays,
    its answer is shown again on the segment table as it is, and Enter writes it."""
    session, first, second = _setup(qtbot, window, tmp_path)
    session.segments.add("lesion")
    context = session.segments.add("context")
    session.apply("paint", at_ras=CENTRE + [24, 0, 0], radius_mm=4.0, segment=context)
    session.segments.hide("context")
    session.segments.select("lesion")
    shown = _answered_click(qtbot, window, CENTRE)
    table = window.edit_actions.panel.table
    row = [r for r in range(table.rowCount()) if table.item(r, 3).text() == "context"][0]
    click_check_box(qtbot, table, row, 0)                                   # Show
    assert session.segments["context"].visible
    click_check_box(qtbot, table, row, 1)                                   # Lock
    assert session.segments["context"].locked
    assert window.editor.has_preview() and len(session.prompting.prompts) == 1
    assert np.array_equal(window.controller.preview_labels.array == 1, shown == 1)
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    assert np.array_equal(session.labels.array == 1, shown == 1) and dice(shown == 1, first) > 0.7
    assert (session.labels.array == context.value).sum() > 0       # locked, kept


def test_enter_on_an_object_of_a_locked_segment_says_so_and_keeps_it(qtbot, window, tmp_path):
    """Locking the object's own segment (its Lock box) while the object waits: Enter wrote
    nothing and said nothing. Now Enter is refused in one line; unlocked, Enter writes it."""
    session, first, _ = _setup(qtbot, window, tmp_path)
    session.segments.add("lesion")
    shown = _answered_click(qtbot, window, CENTRE)
    table = window.edit_actions.panel.table
    click_check_box(qtbot, table, 0, 1)                                      # Lock of 'lesion'
    assert session.segments["lesion"].locked and window.editor.has_preview()
    errors = []
    window.editor.error.connect(errors.append)
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    assert not session.labels.array.any() and window.editor.has_preview()
    assert errors and "'lesion' is locked" in errors[-1]
    click_check_box(qtbot, table, 0, 1)                                      # unlocked
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    assert np.array_equal(session.labels.array == 1, shown == 1) and dice(shown == 1, first) > 0.7


def test_loading_labels_with_an_object_in_progress_is_refused_and_keeps_it(qtbot, window, tmp_path):
    """File > Load labels while an AI click object waited for Enter dropped the object and its
    prompts with no word once the file's labels landed. Now it is refused in one line, as saving is."""
    session, first, _ = _setup(qtbot, window, tmp_path)
    image = nib.load(tmp_path / "blobs.nii.gz")
    mask = np.zeros(image.shape, np.uint8)
    mask[2:6, 2:6, 2:6] = 1
    path = tmp_path / "mask.nii.gz"
    nib.save(nib.Nifti1Image(mask, image.affine), path)
    shown = _answered_click(qtbot, window, CENTRE)
    errors = []
    window.editor.error.connect(errors.append)
    window.edit_actions.load_labels(path)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    assert not session.labels.array.any()
    assert window.editor.has_preview() and len(session.prompting.prompts) == 1
    assert errors and "AI click object" in errors[-1] and "loading labels" in errors[-1]
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    assert np.array_equal(session.labels.array == 1, shown == 1)
    window.edit_actions.load_labels(path)                 # over the accepted object: asked first
    qtbot.waitUntil(lambda: "Replace" in window.notice_bar.buttons, timeout=10000)
    window.notice_bar.buttons["Replace"].click()
    qtbot.waitUntil(lambda: not window.runner.busy and session.labels.array[3, 3, 3] != 0, timeout=10000)


class _SlowLoadingModel(GrowPromptModel):
    """Grow from seeds whose engine takes 0.8 s to make, as a model loading on the first click."""

    def segmenter_for(self, image, affine):
        import time

        from neuroview.ai.interactive.engine import InteractiveSegmenter

        time.sleep(0.8)
        return InteractiveSegmenter(image, affine, self)


def test_the_first_answer_says_how_long_the_model_took_to_load(qtbot, window, tmp_path):
    """A first click before the model had loaded waited 18 s and the line said 2.7 s (the model's
    own run): the load is given separately, once, with the answer that waited for it."""
    _setup(qtbot, window, tmp_path)
    window.editor.ai_click.model = _SlowLoadingModel()
    notes = []
    window.editor.status.connect(notes.append)
    _answered_click(qtbot, window, CENTRE)
    first = re.fullmatch(r"AI click: Segment 1 .* after 1 prompt, ([\d.]+) s "
                         r"\(model loaded in ([\d.]+) s first\); Enter accepts, Esc discards", notes[-1])
    assert first is not None, notes
    assert float(first[2]) >= 0.8 and float(first[1]) < float(first[2])
    _click(qtbot, window, "axial", CENTRE + [24, 0, 0])
    qtbot.waitUntil(lambda: "after 2 prompts" in notes[-1], timeout=30000)
    assert re.fullmatch(r"AI click: Segment 1 .* after 2 prompts, [\d.]+ s; Enter accepts, Esc discards",
                        notes[-1]), notes[-1]
