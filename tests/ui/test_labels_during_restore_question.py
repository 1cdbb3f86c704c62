"""*Load labels* while the image's restore question waits says to answer it: it said "open an
image before its labels" with the image on screen (seen walking the 3D view, session 38)."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, leave_a_crashed_workspace, write_image

from neuroview.io.nifti import save_nifti


def test_labels_loaded_while_the_restore_question_waits_say_to_answer_it(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    mask = tmp_path / "mask.nii.gz"
    save_nifti(np.ones(volume.shape, np.uint8), volume.ijk_to_ras, mask)
    leave_a_crashed_workspace(volume, INSIDE_CASE_RAS, radius_mm=6)
    window.open_paths([path])
    qtbot.waitUntil(lambda: "Restore" in window.notice_bar.buttons and not window.runner.busy,
                    timeout=30000)
    window.open_labels(mask)
    text = window.message_bar.label.text()
    assert "answer the restore question above the views before loading labels" in text, text
    assert "open an image" not in text
    assert window.controller.labels is None or not window.controller.labels.array.any()
