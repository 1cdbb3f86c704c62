"""AI > Train model... in a new window, Resume ticked for a run's checkpoint: the form takes that
run's epochs and batches per epoch from the checkpoint. It kept its own 40 and 60 (session 43's
walk: a fine-tune of 3 epochs of 15 batches, window killed after epoch 1, resumed as a 40-epoch
run of 60 batches; after *Not saved*, *Keep the fine-tune...* with Resume, which the dialog says
saves the best trained epoch without training again, trained 37 epochs more)."""

from __future__ import annotations

import json

from train_data import install, make_raw_dataset, resume_dialog, stopped_fine_tune


def test_resume_takes_the_checkpoints_epochs_and_batches(qtbot, window, tmp_path, rng, monkeypatch):
    from neuroview.ai.registry import Registry
    from neuroview.cli.main import main

    root = make_raw_dataset(tmp_path, rng)
    install(tmp_path, "blobs", "1.0.0", 0.2)
    common = stopped_fine_tune(root, "blobs", monkeypatch)   # 1 epoch of 1 batch, kept
    dialog, started = resume_dialog(qtbot, window, root, monkeypatch)   # mine@1.1.0, Resume ticked
    assert (dialog.epochs_spin.value(), dialog.iterations_spin.value()) == (1, 1)
    dialog.base_box.setCurrentIndex(dialog.base_box.findData("blobs@1.0.0"))   # its base
    dialog.keep_worse_check.setChecked(True)
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.process.running, timeout=5000)
    arguments = started[0]
    assert arguments[arguments.index("--epochs") + 1] == "1"
    assert arguments[arguments.index("--iterations") + 1] == "1"
    dialog.process.cancel()
    qtbot.waitUntil(lambda: not dialog.process.running, timeout=10000)

    # the command the dialog ran (with the stopped run's batch size, from its Options) saves the
    # checkpoint's epoch without training another
    checkpoint = Registry().models_dir / "mine@1.1.0.checkpoint"
    assert json.loads((checkpoint / "state.json").read_text())["epoch"] == 1
    assert main([*arguments, "--batch-size", "1"]) == 0
    assert not checkpoint.exists()
    training = Registry().get("mine@1.1.0").card.training
    assert (training["epochs_run"], training["iterations"]) == (1, 1)
    assert common[common.index("--iterations") + 1] == "1"
