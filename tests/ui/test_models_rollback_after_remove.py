"""Removing the promoted default in AI > Models makes the bundled model the default again; the
line over the table then said "(Roll back restores lesionseg@2.5.1)" beside that very default,
and Roll back was offered, to restore the model already in use (a walk of session 39)."""

from __future__ import annotations

import pytest
from train_data import install

from neuroview.ai.registry import Registry

pytest.importorskip("torch")


def test_roll_back_is_not_offered_to_the_default_in_use(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt

    install(tmp_path, "blobs", "1.0.0", 0.70)
    bundled = Registry().default_ref()
    Registry().promote("blobs@1.0.0", force=True)
    dialog = window.model_actions.open_models_dialog("blobs@1.0.0")
    assert dialog.default_label.text() == f"Default for lesion: blobs@1.0.0   (Roll back restores {bundled})"
    monkeypatch.setattr(dialog, "ask", lambda *_args: True)   # Yes to "Delete blobs@1.0.0 ...?"
    qtbot.mouseClick(dialog.remove_button, Qt.LeftButton)
    assert dialog.status_label.text() == f"Removed blobs@1.0.0; the default for lesion is now {bundled}"
    assert dialog.default_label.text() == f"Default for lesion: {bundled}"
    assert not dialog.rollback_button.isEnabled()
    assert dialog.rollback_button.toolTip() == ("No earlier default for lesion to roll back to: "
                                                "Promote sets one")
    assert Registry().rollback() == bundled and Registry().history() == []
