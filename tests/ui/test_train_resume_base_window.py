"""AI > Train model... with Resume checked says before it starts that the model under Fine-tune is
not the one the checkpoint started from (its process refused it once torch had loaded, in the
command's words: '--base'); the base it started from resumes it. With Resume ticked the
name and version stay the checkpoint's when the base changes (they followed the base)."""

from __future__ import annotations

from train_data import install, make_raw_dataset, resume_dialog, stopped_fine_tune


def test_resume_with_another_base_is_refused_before_it_starts(qtbot, window, tmp_path, rng,
                                                              monkeypatch):
    root = make_raw_dataset(tmp_path, rng)
    install(tmp_path, "blobs", "1.0.0", 0.2)
    install(tmp_path, "other", "1.0.0", 0.2)
    stopped_fine_tune(root, "blobs", monkeypatch)
    dialog, started = resume_dialog(qtbot, window, root, monkeypatch)
    # the checkpoint's name and version kept whatever the base (it rewrote them: other@1.1.0)
    dialog.base_box.setCurrentIndex(dialog.base_box.findData("other@1.0.0"))
    assert (dialog.name_edit.text(), dialog.version_edit.text()) == ("mine", "1.1.0")
    assert dialog.resume_check.isChecked()
    dialog.start_button.click()
    assert not dialog.process.running and not started
    assert dialog.status_label.text() == (
        "the checkpoint of mine@1.1.0 started from blobs@1.0.0, not other@1.0.0: its epoch 0, the "
        "figures to beat, are its start's; choose blobs@1.0.0 under Fine-tune to resume it, or "
        "untick Resume to start afresh")
    dialog.base_box.setCurrentIndex(dialog.base_box.findData("blobs@1.0.0"))
    dialog.reload_models()   # as a model promoted or removed in the Models dialog
    assert (dialog.name_edit.text(), dialog.version_edit.text()) == ("mine", "1.1.0")
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.process.running, timeout=5000)
    assert "--resume" in started[0] and started[0][started[0].index("--base") + 1] == "blobs@1.0.0"
    dialog.process.cancel()
    qtbot.waitUntil(lambda: not dialog.process.running, timeout=10000)


def test_a_base_from_a_folder_not_among_the_models_is_added_first(qtbot, window, tmp_path, rng,
                                                                 monkeypatch):
    """A checkpoint started from a package folder given to the command (not registered) cannot be
    chosen under Fine-tune: the dialog says to add it (the command with that folder) first; it
    told the user to choose a base its list did not show."""
    from neuroview.ai.registry import Registry
    root = make_raw_dataset(tmp_path, rng)
    install(tmp_path, "blobs", "1.0.0", 0.2)
    install(tmp_path, "other", "1.0.0", 0.2)
    Registry().remove("blobs@1.0.0")   # its package folder stays, given to the command by path
    folder = tmp_path / "blobs-1.0.0"
    stopped_fine_tune(root, str(folder), monkeypatch)
    dialog, started = resume_dialog(qtbot, window, root, monkeypatch)
    assert dialog.base_box.findData("blobs@1.0.0") < 0
    dialog.base_box.setCurrentIndex(dialog.base_box.findData("other@1.0.0"))
    dialog.start_button.click()
    assert not dialog.process.running and not started
    assert dialog.status_label.text() == (
        "the checkpoint of mine@1.1.0 started from blobs@1.0.0, not other@1.0.0: its epoch 0, the "
        "figures to beat, are its start's; blobs@1.0.0 is not among the models (it came from the "
        f"folder {folder.resolve()}): add it with 'neuroview models add {folder.resolve()}', then "
        "close and reopen Train model... and choose it under Fine-tune to resume it, or untick "
        "Resume to start afresh")

    from neuroview.cli.main import main
    assert main(["models", "add", str(folder.resolve())]) == 0   # as the line says
    dialog.close()
    window.model_actions.train_action.trigger()
    qtbot.waitExposed(dialog)
    dialog.base_box.setCurrentIndex(dialog.base_box.findData("blobs@1.0.0"))
    assert dialog.base_box.currentData() == "blobs@1.0.0"
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.process.running, timeout=5000)
    assert "--resume" in started[0] and started[0][started[0].index("--base") + 1] == "blobs@1.0.0"
    dialog.process.cancel()
    qtbot.waitUntil(lambda: not dialog.process.running, timeout=10000)
