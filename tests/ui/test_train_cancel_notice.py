"""The notice after *Cancel training* says whether a checkpoint was kept: cancelled before its
first epoch ended, a run said "the last finished epoch's checkpoint is kept (... Resume continues
it)" while the dialog beside it said "No checkpoint had been written yet" (walk, session 31)."""

from __future__ import annotations

import json

from train_data import sleeping_run

from neuroview.ai.registry import Registry


def cancelled_run(qtbot, window, monkeypatch):
    """A run from the Train dialog whose process sleeps until it is cancelled, then cancelled."""
    return sleeping_run(qtbot, window, monkeypatch)


def test_cancel_before_the_first_epoch_says_no_checkpoint_was_kept(qtbot, window, monkeypatch):
    dialog, process = cancelled_run(qtbot, window, monkeypatch)
    dialog.cancel()   # Cancel training's slot (the run was started without the form)
    qtbot.waitUntil(lambda: not process.running, timeout=10000)
    notice = window.notice_bar.text
    assert notice.startswith("Training of blobs@1.0.0 cancelled; no epoch had finished, so no "
                             "checkpoint was kept"), notice
    assert "Resume" not in notice
    # it said "Cancelled after epoch 0. No checkpoint had been written yet." (session 38's walk)
    assert dialog.status_label.text() == "Cancelled before the first epoch ended: nothing kept."


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


def test_cancel_while_no_epoch_beat_the_base_says_how_to_save_the_best_trained_one(qtbot, window,
                                                                                  monkeypatch):
    dialog, process = cancelled_run(qtbot, window, monkeypatch)
    checkpoint = Registry().models_dir / "blobs@1.0.0.checkpoint"
    checkpoint.mkdir(parents=True)
    # as train writes it after epoch 3 of a fine-tune whose base is still the best, epoch 2 the
    # best trained one (tests/ai/test_train_early_stop_kept.py reads a real one so)
    (checkpoint / "state.json").write_text(json.dumps({"epoch": 3, "history": {
        "best_epoch": 0, "trained_best": {"epoch": 2, "dice": 0.1, "score": [0.1, 0.1]}}}))
    dialog.name_edit.setText("other")   # the form may name another model: the run's own counts
    dialog.cancel()
    qtbot.waitUntil(lambda: not process.running, timeout=10000)
    assert dialog.status_label.text() == (
        f"Cancelled before the first epoch ended. The checkpoint of epoch 3 stays in {checkpoint}; "
        "Start with 'Resume' checked continues from it. No epoch has beaten the base so far: with 'Keep the "
        "fine-tune...' checked too and Epochs set to 3, Start saves its best trained epoch, 2, "
        "without training again.")
