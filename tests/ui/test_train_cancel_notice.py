"""The notice after *Cancel training* says whether a checkpoint was kept: cancelled before its
first epoch ended, a run said "the last finished epoch's checkpoint is kept (... Resume continues
it)" while the dialog beside it said "No checkpoint had been written yet" (walk, session 31); so do
the questions asked before a run is stopped (walk, session 38)."""

from __future__ import annotations

import json

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from neuroview.ai.registry import Registry


def cancelled_run(qtbot, window, monkeypatch):
    """A run from the Train dialog whose process sleeps until it is cancelled: (dialog, process)."""
    from neuroview.ui import training_runner
    from neuroview.ui.training_runner import TrainRequest

    monkeypatch.setattr(training_runner, "neuroview_command", lambda arguments: ("sleep", ["60"]))
    window.model_actions.train_action.trigger()
    dialog = window.model_actions.train_dialog
    process = dialog.process
    process.start(TrainRequest(dataset="d", name="blobs", version="1.0.0"))
    qtbot.waitUntil(lambda: process.running, timeout=5000)
    return dialog, process


def test_cancel_before_the_first_epoch_says_no_checkpoint_was_kept(qtbot, window, monkeypatch):
    dialog, process = cancelled_run(qtbot, window, monkeypatch)
    dialog.cancel()   # Cancel training's slot (the run was started without the form)
    qtbot.waitUntil(lambda: not process.running, timeout=10000)
    notice = window.notice_bar.text
    assert notice.startswith("Training of blobs@1.0.0 cancelled; no epoch had finished, so no "
                             "checkpoint was kept"), notice
    assert "Resume" not in notice
    assert dialog.status_label.text().endswith("No checkpoint had been written yet.")


def test_cancel_after_an_epoch_names_the_checkpoint_kept(qtbot, window, monkeypatch):
    dialog, process = cancelled_run(qtbot, window, monkeypatch)
    checkpoint = Registry().models_dir / "blobs@1.0.0.checkpoint"
    checkpoint.mkdir(parents=True)
    (checkpoint / "state.json").write_text(json.dumps({"epoch": 3}))   # as train writes after epoch 3
    dialog.name_edit.setText("other")   # the form may name another model: the run's own counts
    dialog.cancel()   # Cancel training's slot (the run was started without the form)
    qtbot.waitUntil(lambda: not process.running, timeout=10000)
    assert window.notice_bar.text == ("Training of blobs@1.0.0 cancelled; the checkpoint of epoch 3 "
                                      "is kept (AI > Train model..., Resume continues it).")


def answer(get_box, button, said):
    """Click ``button`` of ``get_box()``'s question as soon as it shows; its words in ``said``."""
    def click():
        box = get_box()
        if box is None or not box.isVisible():
            QTimer.singleShot(20, click)
            return
        said.append(f"{box.text()} {box.informativeText()}")
        box.button(button).click()
    QTimer.singleShot(0, click)


def test_the_stop_questions_say_whether_a_checkpoint_stays(qtbot, window, monkeypatch):
    """The questions before a run is stopped (closing the window, closing the dialog) said a
    checkpoint stays for Resume also before the first epoch had finished, when none is written."""
    from neuroview.app.train_marker import checkpoint_dir

    dialog, process = cancelled_run(qtbot, window, monkeypatch)
    said = []
    answer(lambda: window.model_actions.stop_question.box, QMessageBox.Cancel, said)
    window.close()
    answer(lambda: dialog.stop_question.box, QMessageBox.Cancel, said)   # Keep training
    dialog.close_button.click()
    assert window.isVisible() and process.running and len(said) == 2
    for words in said:
        assert "no epoch has finished yet, so no checkpoint is kept" in words, words
        assert "checkpoint stays" not in words and "offers" not in words, words
    # epoch 2 finished (its checkpoint written): both name it
    folder = checkpoint_dir(dialog.registry.models_dir, "blobs@1.0.0")
    folder.mkdir(parents=True)
    (folder / "state.json").write_text(json.dumps({"epoch": 2}))
    said.clear()
    answer(lambda: window.model_actions.stop_question.box, QMessageBox.Cancel, said)
    window.close()
    window.model_actions.train_action.trigger()
    answer(lambda: dialog.stop_question.box, QMessageBox.Cancel, said)
    dialog.close_button.click()
    assert len(said) == 2 and process.running
    for words in said:
        assert "the checkpoint of epoch 2 stays for Resume" in words, words
    assert "AI > Train model... with the same name and version offers it" in said[0]
