"""AI > Train model... fine-tuning a base that no epoch beats on the held-out cases: the dialog
shows the base's held-out Dice first, as the figure to beat, and ends "Not saved: no epoch beat
the base ..." (the run had registered the worse model as the next version)."""

from __future__ import annotations

import os

from train_data import damage_training_labels, install, make_raw_dataset

from neuroview.ai.registry import Registry


def test_a_fine_tune_that_never_beats_its_base_is_not_saved(qtbot, window, tmp_path, rng):
    root = make_raw_dataset(tmp_path, rng)
    damage_training_labels(root)
    install(tmp_path, "blobs", "1.0.0", 0.2, head_bias=[0.0, 3.0])
    window.model_actions.train_action.trigger()
    dialog = window.model_actions.train_dialog
    qtbot.waitExposed(dialog)
    dialog.reload_models()
    dialog.dataset_edit.setText(str(root))
    dialog.base_box.setCurrentIndex(dialog.base_box.findData("blobs@1.0.0"))
    dialog.epochs_spin.setValue(2)
    dialog.iterations_spin.setValue(3)
    dialog.device_box.setCurrentIndex(dialog.device_box.findData("cpu"))
    dialog.extra_edit.setText("--batch-size 1 --threads 1 --learning-rate 1.0")
    seen = []
    dialog.process.epoch.connect(lambda done, *_: seen.append((done, dialog.dice_label.text())))
    dialog.start_button.click()
    qtbot.waitUntil(lambda: not dialog.process.running, timeout=180000)
    assert seen and seen[0][0] == 0 and "for the base, before training" in seen[0][1], seen
    status = dialog.status_label.text()
    assert status.startswith("Not saved: no epoch beat the base blobs@1.0.0"), status
    assert "no new version saved" in status
    assert [e.ref for e in Registry().entries() if e.card.name == "blobs"] == ["blobs@1.0.0"]
    if os.environ.get("NEUROVIEW_SHOT"):
        dialog.grab().save(os.environ["NEUROVIEW_SHOT"])
