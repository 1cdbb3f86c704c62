"""A 5D NIfTI displacement field opened in the window: the notice bar says it is a vector field of
3 components, the Display panel's box is called Component, Alt+Right shows component 2 (it said
"4D image: showing time point 1 of 3" and called the box Time point)."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from editor_helpers import activate, open_image
from key_presses import type_key
from PySide6.QtCore import Qt

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_a_vector_field_shows_its_components(qtbot, window, tmp_path):
    data = np.zeros((20, 22, 24, 1, 3), np.float32)
    for c in range(3):
        data[..., c] = 5.0 * (c + 1)
    nib.save(nib.Nifti1Image(data, np.eye(4)), tmp_path / "warp.nii.gz")
    open_image(qtbot, window, tmp_path / "warp.nii.gz")
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Vector field with 3 components" in bar.text, timeout=10000)
    assert "component 1 of 3" in bar.text and "time point" not in bar.text, bar.text
    panel = window.display_panel
    assert panel.form.labelForField(panel.frame_box).text() == "Component"
    assert float(window.controller.shown_volume().array.max()) == 5.0
    activate(qtbot, window)
    type_key(window, Qt.Key_Right, Qt.AltModifier)
    qtbot.waitUntil(lambda: "component 2 of 3" in bar.text, timeout=5000)
    assert float(window.controller.shown_volume().array.max()) == 10.0
