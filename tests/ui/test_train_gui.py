"""AI > Train model...: a real ``neuroview train`` process started from the dialog, cancelled,
resumed and finished; its progress, Dice and the registered package; a failing run's error."""

from __future__ import annotations

import json
import os
import re

import pytest
from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QPushButton
from train_data import make_raw_dataset

from neuroview.ai.registry import Registry
from neuroview.ui.train_dialog import too_few_note

TINY = "--patch 16 --spacing 2 --base-channels 4 --batch-size 2 --threads 1"


@pytest.fixture
def raw_dataset(tmp_path, rng):
    return make_raw_dataset(tmp_path, rng)


def fill(dialog, dataset, epochs):
    dialog.dataset_edit.setText(str(dataset))
    dialog.base_box.setCurrentIndex(dialog.base_box.findData(""))   # from scratch
    dialog.epochs_spin.setValue(epochs)
    dialog.iterations_spin.setValue(2)
    dialog.device_box.setCurrentIndex(dialog.device_box.findData("cpu"))
    dialog.extra_edit.setText(TINY)


def test_train_cancel_resume_and_finish(qtbot, window, raw_dataset):
    window.model_actions.train_action.trigger()
    dialog = window.model_actions.train_dialog
    qtbot.waitExposed(dialog)
    fill(dialog, raw_dataset, epochs=40)
    assert dialog.name_edit.text() == "blobs" and dialog.version_edit.text() == "1.0.0"
    dialog.start_button.click()
    process = dialog.process
    assert process.running and not dialog.start_button.isEnabled()
    browse = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Browse...")
    assert not browse.isEnabled()   # the dataset (and so the name of the model written) stays
    checkpoint = Registry().models_dir / "blobs@1.0.0.checkpoint"
    # The train command writes the checkpoint, then prints the epoch line.
    qtbot.waitUntil(lambda: process.epochs_done >= 1 and dialog.checkpoint_epoch() >= 1, timeout=120000)
    assert dialog.progress_bar.maximum() == 40 and dialog.progress_bar.value() == process.epochs_done
    pid = process.process.processId()
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: not process.running, timeout=10000)
    assert process.process.state() == QProcess.NotRunning
    with pytest.raises(OSError):
        os.kill(pid, 0)   # the process is gone
    done = json.loads((checkpoint / "state.json").read_text())["epoch"]
    assert 1 <= done <= process.epochs_done
    assert f"checkpoint of epoch {done} stays" in dialog.status_label.text()
    assert "cancelled" in window.notice_bar.text
    assert "blobs@1.0.0" not in {e.ref for e in Registry().entries()}
    # The window still answers: its dialogs open, and the form is usable again.
    window.model_actions.models_action.trigger()
    assert window.model_actions.models_dialog.isVisible()
    assert dialog.start_button.isEnabled() and dialog.resume_check.isChecked()
    assert browse.isEnabled()

    # Start again with Resume: continues after the checkpoint's epoch and finishes.
    dialog.epochs_spin.setValue(done + 1)
    dialog.start_button.click()
    qtbot.waitUntil(lambda: not process.running, timeout=180000)
    log = "\n".join(process.log)
    assert f"at epoch {done}" in log, log[-2000:]
    assert dialog.progress_bar.value() == dialog.progress_bar.maximum() == done + 1
    assert process.epochs_done == done + 1
    entry = Registry().get("blobs@1.0.0")
    card = entry.card
    assert [h["epoch"] for h in card.training["history"]] == list(range(1, done + 2))
    final = card.metrics["held_out_dice"]["lesion"]
    # the model kept, as its card and the notice give it: once (the last epoch's figure, the same
    # measure since session 34, was followed by the card's: "0.472 ... the new model run as
    # Segment runs it: lesion 0.4724"), from the epoch kept
    kept = card.training["best_epoch"]
    # 1 of 6 cases held out: why promotion will ask, said before it asks (since session 37)
    too_few = ("1 held-out case of 6: too few to tell a better model from luck, so promotion needs --force "
               "(Promote anyway? in the window); 2 are held out from 8 cases at the default 20 %, or from "
               "these 6 with --validation-fraction 0.25")
    assert card.metrics["held_out_too_few"] == too_few
    assert dialog.dice_label.text() == (f"Held-out Dice on this dataset's held-out cases: lesion {final:.4f} "
                                        f"for blobs@1.0.0 (epoch {kept} of {done + 1}, the best).\n"
                                        "Only 1 of the 6 cases was held out: too few to tell a better "
                                        "model from luck, so Promote (AI > Models...) asks first. To "
                                        "hold out 2, put --validation-fraction 0.25 under Options, or "
                                        "train on 8 cases or more.")
    held_out = int(re.search(r"(\d+) held-out cases? \(split", log).group(1))   # as the run printed
    cases = f"{held_out} case" + ("" if held_out == 1 else "s")
    assert f"Model blobs@1.0.0 trained: held-out Dice {final:.4f} on {cases} (from scratch)" \
        in window.notice_bar.text
    assert card.parent is None and Registry().default_ref() != "blobs@1.0.0"   # never promoted by itself
    assert dialog.version_edit.text() == "1.1.0"   # the next run would not overwrite it
    assert dialog.base_box.findData("blobs@1.0.0") > 0   # and it can be fine-tuned next
    window.notice_bar.buttons["Open Models..."].click()
    models = window.model_actions.models_dialog
    assert models.selected_refs() == ["blobs@1.0.0"]
    row = [r for r in range(models.table.rowCount()) if models.table.item(r, 1).text() == "blobs@1.0.0"]
    assert models.table.item(row[0], 3).text() == f"lesion {final:.4f}"


def test_held_out_cases_without_lesions_are_named_in_the_notice(qtbot, window, raw_dataset):
    """Cases without lesions sent to the training set, and a held-out split that drew only those:
    the notice read 'held-out Dice 1.0000 on 1 case' for a model that may find nothing."""
    import nibabel as nib
    import numpy as np

    for label in (raw_dataset / "labelsTr").iterdir():
        if label.name != "c1.nii.gz":                    # one case keeps its lesion, to learn from
            image = nib.load(label)
            nib.save(nib.Nifti1Image(np.zeros(image.shape, np.uint8), image.affine), label)
    window.model_actions.open_train_dialog()
    dialog = window.model_actions.train_dialog
    fill(dialog, raw_dataset, epochs=1)
    dialog.start_button.click()
    qtbot.waitUntil(lambda: not dialog.process.running, timeout=120000)
    text = window.notice_bar.text
    assert "trained: held-out Dice" in text and "holding no lesion" in text, text
    assert "Lesions found" not in text   # 0/0: nothing to find


def test_a_fine_tune_notice_gives_the_base_on_the_same_held_out_cases(qtbot, window, raw_dataset, tmp_path):
    """The notice gave the new model's held-out Dice beside the base card's own figure, of
    another split ("0.6979 on 1 case (base 0.4798 on another held-out split)") while the base
    scored 0.7817 on the very case: the run measures the base on its held-out cases, and the
    notice gives both, Dice and lesions found."""
    pytest.importorskip("torch")
    from train_data import install

    install(tmp_path, "blobs", "1.0.0", 0.1234, split="another")
    window.model_actions.open_train_dialog()
    dialog = window.model_actions.train_dialog
    fill(dialog, raw_dataset, epochs=1)
    dialog.base_box.setCurrentIndex(dialog.base_box.findData("blobs@1.0.0"))
    dialog.start_button.click()
    qtbot.waitUntil(lambda: not dialog.process.running, timeout=120000)
    card = Registry().get("blobs@1.1.0").card
    measured = card.metrics["base_held_out"]
    new, base = card.metrics["held_out_lesionwise"], measured["lesionwise"]
    text = window.notice_bar.text
    assert (f"trained: held-out Dice {card.metrics['held_out_dice']['lesion']:.4f} on "
            f"{card.metrics['held_out_cases']} case") in text, text
    assert f"(base blobs@1.0.0 {measured['dice']['lesion']:.4f} on the same cases)" in text, text
    assert (f"Lesions found {new['found']}/{new['lesions']}, F1 {new['f1']:.2f} "
            f"(base {base['found']}/{base['lesions']}, F1 {base['f1']:.2f})") in text, text
    assert "0.1234" not in text and "another held-out split" not in text
    new_dice = card.metrics['held_out_dice']['lesion']
    assert dialog.dice_label.text() == (
        f"Held-out Dice on this dataset's held-out cases: lesion {new_dice:.4f}"
        f" for blobs@1.1.0 (epoch 1 of 1, the best); its base blobs@1.0.0 on the same case: "
        f"lesion {measured['dice']['lesion']:.4f}.\n{too_few_note(card.metrics['held_out_too_few'])}")


def test_failing_training_shows_its_error(qtbot, window, tmp_path):
    window.model_actions.open_train_dialog()
    dialog = window.model_actions.train_dialog
    missing = tmp_path / "no_dataset_here"
    missing.mkdir()
    fill(dialog, missing, epochs=2)
    dialog.start_button.click()
    qtbot.waitUntil(lambda: not dialog.process.running, timeout=60000)
    error = window.message_bar.text
    assert re.search(rf"Training \S+ failed: neuroview: error: {re.escape(str(missing))}: no dataset.json",
                     error), error
    assert "Failed" in dialog.status_label.text() and dialog.start_button.isEnabled()
    assert window.isVisible()


def answer_stop_question(window, button, asked):
    """Click ``button`` of the 'Training running' question as soon as it shows."""
    from editor_helpers import answer_when_shown

    answer_when_shown(lambda: window.model_actions.stop_question.box, button, asked)


def sleeping_training(qtbot, window, monkeypatch):
    """A training run started from the dialog whose process runs until it is stopped."""
    from neuroview.ui import training_runner
    from neuroview.ui.training_runner import TrainRequest

    monkeypatch.setattr(training_runner, "neuroview_command", lambda arguments: ("sleep", ["60"]))
    window.model_actions.train_action.trigger()
    process = window.model_actions.train_dialog.process
    process.start(TrainRequest(dataset="d", name="blobs", version="1.0.0"))
    qtbot.waitUntil(lambda: process.running, timeout=5000)
    return process


def test_cancel_at_the_quit_question_keeps_the_training_running(qtbot, window, monkeypatch):
    """Closing the window with unsaved edits asks Save / Discard / Cancel; Cancel keeps the
    window, and now the training too (it was stopped before the question was asked). Closing for
    real stops it."""
    from PySide6.QtWidgets import QMessageBox

    from neuroview.ui.actions_edit import EditActions

    process = sleeping_training(qtbot, window, monkeypatch)
    monkeypatch.setattr(EditActions, "confirm_close", lambda self: False)   # the user: Cancel
    answer_stop_question(window, QMessageBox.Yes, [])
    window.close()
    assert window.isVisible() and process.running
    monkeypatch.setattr(EditActions, "confirm_close", lambda self: True)
    answer_stop_question(window, QMessageBox.Yes, [])
    window.close()
    qtbot.waitUntil(lambda: not process.running, timeout=10000)
    assert process.cancelled


def test_closing_the_window_asks_before_stopping_a_training(qtbot, window, monkeypatch):
    """A running training is not killed without a word when the window closes: the question
    names the run; Cancel keeps the window and the run, Stop and quit stops it."""
    from PySide6.QtWidgets import QMessageBox

    process = sleeping_training(qtbot, window, monkeypatch)
    asked = []
    answer_stop_question(window, QMessageBox.Cancel, asked)
    window.close()
    assert asked and "blobs@1.0.0" in asked[0]
    assert window.isVisible() and process.running and not process.cancelled
    answer_stop_question(window, QMessageBox.Yes, asked)
    window.close()
    assert len(asked) == 2 and not window.isVisible()
    qtbot.waitUntil(lambda: not process.running, timeout=10000)
    assert process.cancelled


def test_closing_the_dialog_while_training_asks_and_says_where_the_run_goes_on(qtbot, window, monkeypatch):
    """Close hid the dialog with no word that training went on: now closing it (Close, Esc, the
    title bar) asks Stop training / Keep training; kept, the notice bar says the run goes on and
    where its progress is seen; stopped, it stops. Without a run Close just closes."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QMessageBox

    process = sleeping_training(qtbot, window, monkeypatch)
    dialog = window.model_actions.train_dialog
    qtbot.waitExposed(dialog)
    asked = []
    answer_dialog_question(dialog, QMessageBox.Cancel, asked)   # Keep training
    dialog.close_button.click()
    assert asked == ["Training blobs@1.0.0 is still running (epoch 0 of 40 done)."]
    assert not dialog.isVisible() and process.running
    notice = window.notice_bar.text
    assert "Training blobs@1.0.0 goes on in its own process" in notice and "AI > Train model..." in notice
    window.notice_bar.buttons["Show progress"].click()
    assert dialog.isVisible() and process.running
    answer_dialog_question(dialog, QMessageBox.Cancel, asked)
    QTest.keyClick(dialog, Qt.Key_Escape)
    assert len(asked) == 2 and not dialog.isVisible() and process.running
    window.model_actions.train_action.trigger()
    answer_dialog_question(dialog, QMessageBox.Yes, asked)  # Stop training
    dialog.close()   # the title bar's close
    assert len(asked) == 3 and not dialog.isVisible()
    qtbot.waitUntil(lambda: not process.running, timeout=10000)
    assert process.cancelled and "Training of blobs@1.0.0 cancelled" in window.notice_bar.text
    window.model_actions.train_action.trigger()
    dialog.close_button.click()
    assert len(asked) == 3 and not dialog.isVisible()   # no run: no question


def answer_dialog_question(dialog, button, asked):
    from editor_helpers import answer_when_shown

    answer_when_shown(lambda: dialog.stop_question.box, button, asked)


def test_a_new_run_clears_the_news_of_the_run_before(qtbot, window, monkeypatch):
    """After a cancel and then a killed run, the notice bar still said "cancelled" while the
    failure went to the error bar: a run's start clears what the run before left, and so does
    its end; news of other kinds stays."""
    import signal

    process = sleeping_training(qtbot, window, monkeypatch)
    request = process.request
    process.cancel()
    qtbot.waitUntil(lambda: not process.running, timeout=10000)
    assert "Training of blobs@1.0.0 cancelled" in window.notice_bar.text
    process.start(request)
    qtbot.waitUntil(lambda: process.running, timeout=5000)
    assert window.notice_bar.text == ""   # the start cleared it
    window.notice_bar.show_message("Training of blobs@1.0.0 cancelled; an older notice")   # not this run's
    os.kill(process.process.processId(), signal.SIGKILL)
    qtbot.waitUntil(lambda: not process.running, timeout=10000)
    failure = window.message_bar.text
    assert "failed: the training process was killed or crashed" in failure
    assert window.notice_bar.text == "Training of blobs@1.0.0 cancelled; an older notice"
    window.notice_bar.hide()
    process.start(request)
    qtbot.waitUntil(lambda: process.running, timeout=5000)
    assert window.message_bar.text == ""   # the failure of the run before went
    process.cancel()
    qtbot.waitUntil(lambda: not process.running, timeout=10000)
    window.show_error("a problem of something else")
    process.start(request)
    qtbot.waitUntil(lambda: process.running, timeout=5000)
    assert "cancelled" not in window.notice_bar.text
    assert window.message_bar.text == "a problem of something else"   # not the run's: it stays
    process.cancel()


def test_a_killed_training_says_so_and_that_its_checkpoint_resumes(qtbot, window, raw_dataset):
    """The train process killed from outside (out of memory, a task manager): the dialog said
    "Failed: the training process ended with exit code 9" (the signal's number) and nothing of the
    checkpoint that Resume continues."""
    import signal

    window.model_actions.train_action.trigger()
    dialog = window.model_actions.train_dialog
    fill(dialog, raw_dataset, epochs=40)
    dialog.start_button.click()
    process = dialog.process
    qtbot.waitUntil(lambda: process.epochs_done >= 1 and dialog.checkpoint_epoch() >= 1, timeout=120000)
    os.kill(process.process.processId(), signal.SIGKILL)
    qtbot.waitUntil(lambda: not process.running, timeout=10000)
    kept = dialog.checkpoint_epoch()
    status = dialog.status_label.text()
    assert status.startswith("Failed: the training process was killed or crashed"), status
    assert "exit code" not in status
    assert f"The checkpoint of epoch {kept} stays in" in status
    assert "Resume" in window.message_bar.text and "killed or crashed" in window.message_bar.text
    assert dialog.resume_check.isChecked() and dialog.start_button.isEnabled()


def test_a_dataset_folder_that_is_gone_is_said_so_before_starting(qtbot, window, tmp_path):
    """The training set removed or moved since (the dialog proposes the last one used): the run
    started and failed with "no dataset.json: not an nnU-Net v2 raw dataset folder"."""
    window.model_actions.open_train_dialog()
    dialog = window.model_actions.train_dialog
    gone = tmp_path / "sets" / "Dataset501_Lesions"
    fill(dialog, gone, epochs=2)
    dialog.start_button.click()
    assert not dialog.process.running and dialog.start_button.isEnabled()
    assert dialog.status_label.text() == (f"the dataset folder {gone.name} in …/sets does not exist "
                                          "(removed or moved?)")
