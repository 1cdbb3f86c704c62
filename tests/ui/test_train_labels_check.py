"""AI > Train model... says before it starts that the model chosen under Fine-tune segments other
labels than the dataset holds. The walk (session 31) sent a case whose labels file had no names
('Segment 1') to a new dataset; the dialog proposed fine-tuning the default, and Start ran a
process that failed once torch had loaded (15 s at load 9): 'dataset labels ['Segment 1'] differ
from the base model's ['lesion']'."""

from __future__ import annotations

import json

from train_data import make_raw_dataset


def labelled(root, name):
    data = json.loads((root / "dataset.json").read_text())
    data["labels"] = {"background": 0, name: 1}
    (root / "dataset.json").write_text(json.dumps(data))
    return root


def test_start_refuses_a_base_labelled_otherwise(qtbot, window, tmp_path, rng):
    root = labelled(make_raw_dataset(tmp_path, rng), "Segment 1")
    window.model_actions.train_action.trigger()
    dialog = window.model_actions.train_dialog
    qtbot.waitExposed(dialog)
    dialog.dataset_edit.setText(str(root.parent))   # the folder holding it, as Send made it
    base = dialog.base_box.currentData()
    assert base.startswith("lesionseg@")   # the default, preselected
    dialog.start_button.click()
    assert not dialog.process.running
    assert dialog.status_label.text() == (
        f"the dataset's labels (Segment 1) differ from those of {base} (lesion): choose '(none: "
        "train from scratch)' under Fine-tune, or a dataset labelled like the model")
    assert dialog.start_button.isEnabled()


def test_a_dataset_labelled_like_the_base_starts(qtbot, window, tmp_path, rng, monkeypatch):
    from neuroview.ui import training_runner

    started = []
    monkeypatch.setattr(training_runner, "neuroview_command",
                        lambda arguments: started.append(arguments) or ("sleep", ["30"]))
    root = make_raw_dataset(tmp_path, rng)   # labelled lesion, as the bundled model
    window.model_actions.train_action.trigger()
    dialog = window.model_actions.train_dialog
    dialog.dataset_edit.setText(str(root))
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.process.running, timeout=5000)
    assert "--base" in started[0]
    dialog.process.cancel()
    qtbot.waitUntil(lambda: not dialog.process.running, timeout=10000)
