"""AI > Segment with a model says what the chosen model does to the image before its network:
the dialog named the model and its labels only, so a model that extracts the brain first was told
from one that reads the whole image only in AI > Models (a walk of session 39)."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image, wait_for_session, write_image
from key_presses import type_key
from PySide6.QtCore import Qt
from train_data import install

from neuroview.io.nifti import save_nifti
from neuroview.ui import model_choice

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_the_chosen_models_steps_before_the_network_are_shown(qtbot, window, tmp_path, monkeypatch):
    install(tmp_path, "blobs", "1.0.0", 0.70)
    install(tmp_path, "blobs", "1.1.0", 0.80, preprocessing=[{"step": "brain_extraction", "margin_mm": 3}])
    _, volume = write_image(tmp_path)
    path = tmp_path / "head_sized.nii.gz"   # 168 mm a side: brain extraction runs on it (on a
    save_nifti(volume.array, np.diag([3.5, 3.5, 3.5, 1.0]), path)   # 96 mm crop it is skipped)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    monkeypatch.setattr(model_choice, "_resolved", {"auto": "cpu", "cpu": "cpu", "cuda": "no",
                                                    "mps": "no"})
    window.slice_views["axial"].setFocus()
    type_key(window, Qt.Key_S, Qt.ControlModifier | Qt.ShiftModifier)
    qtbot.waitUntil(lambda: window.ai_actions.dialog is not None and window.ai_actions.dialog.isVisible(),
                    timeout=10000)
    dialog = window.ai_actions.dialog
    box, label = dialog.model_box, dialog.steps_label

    def choose(ref):
        box.setFocus()
        while box.currentData() != ref:   # the arrow keys, as a user picks
            type_key(box, Qt.Key_Down if box.currentIndex() < box.findData(ref) else Qt.Key_Up)
        qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()), timeout=10000)

    choose("blobs@1.1.0")
    assert label.isVisible() and label.text() == (
        "before: brain extraction first: the network sees the head within 3 mm of the brain mask, "
        "and nothing further than 3 mm from it is reported")
    choose("blobs@1.0.0")
    assert label.text() == "before: nothing, the network reads the whole image"
    choose(dialog.model_box.itemData(0))   # the default, the bundled model: its own margins
    assert label.text().startswith("before: brain extraction first")
    assert label.height() >= label.heightForWidth(label.width())   # whole, not cut
