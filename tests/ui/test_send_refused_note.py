"""*Send to training set* of a knee MR (BodyPartExamined KNEE) to a head set: added, as
``neuroview dataset add`` adds it, and the notice says in the same line that the default model
(the bundled head model) refuses it and leaves it out of its held-out figures; the window said
only "Added ... as nv_0001"."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from editor_helpers import paint_a_ball, paint_a_lesion
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from ct_maker import write_ct  # noqa: E402

SAID = ("Note: nv_0001: lesionseg@2.5.1 is made for head MR; this series is a knee MR "
        "(BodyPartExamined KNEE): added; training uses it, and a model that refuses it leaves it "
        "out of its held-out figures (train, models compare).")


def _send(qtbot, window, folder):
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    dialog.folder_edit.setText(str(folder))
    dialog.create_check.setChecked(True)
    dialog.name_edit.setText("Heads")
    dialog.annotator_edit.setText("dr.a")
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok), Qt.LeftButton)
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text or dialog.error_label.isVisible(),
                    timeout=30000)
    assert not dialog.error_label.isVisible(), dialog.error_label.toolTip() or dialog.error_label.text()
    return window.notice_bar.text


def test_a_knee_sent_to_a_head_set_is_added_with_the_models_refusal(qtbot, window, tmp_path):
    paint_a_ball(qtbot, window, write_ct(tmp_path / "knee", modality="MR", body_part="KNEE",
                                         n_slices=12, spacing=2.0).folder)
    text = _send(qtbot, window, tmp_path / "sets")
    assert text.startswith("Added to the training set Dataset501_Heads as nv_0001"), text
    assert text.endswith(SAID), text
    record = json.loads((tmp_path / "sets" / "Dataset501_Heads" / "provenance" / "nv_0001.json")
                        .read_text())
    assert record["body_part"] == "KNEE"


def test_a_head_sent_says_no_refusal(qtbot, window, tmp_path):
    paint_a_lesion(qtbot, window, tmp_path)   # a head MR (NIfTI: no body part named)
    assert "refuses" not in _send(qtbot, window, tmp_path / "sets")
