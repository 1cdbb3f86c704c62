"""The questions asked before a running training is stopped (closing the window: Stop and quit;
closing the Train dialog: Stop training) say what stays: the checkpoint of the last finished epoch,
or, before the first epoch has finished, that none is kept. Both promised a checkpoint for Resume
also then, when the run had written none (walk, session 38)."""

from __future__ import annotations

import json

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
from train_data import sleeping_run


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

    dialog, process = sleeping_run(qtbot, window, monkeypatch)
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
