"""Send to training set proposes a FLAIR series' channel as FLAIR (its BIDS sidecar's description
says so): it proposed "MR", the modality, as for a T1. The proposal stays the user's to edit: the
new dataset's dataset.json holds the name sent."""

from __future__ import annotations

import json

from editor_helpers import INSIDE_CASE_RAS, open_image, stroke_a_lesion, wait_for_session, write_image
from PySide6.QtWidgets import QDialogButtonBox

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_a_flair_is_proposed_as_flair_and_the_name_sent_is_kept(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path, "sub-01_run-2")
    (tmp_path / "sub-01_run-2.json").write_text(json.dumps(
        {"Modality": "MR", "SeriesDescription": "t2_tirm_tra_dark-fluid", "InversionTime": 2.5,
         "RepetitionTime": 9.0, "EchoTime": 0.081}))
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    stroke_a_lesion(window, session)
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    dialog.folder_edit.setText(str(tmp_path / "new"))
    dialog.create_check.setChecked(True)
    dialog.annotator_edit.setText("dr.a")
    assert dialog.channel_edit.text() == "FLAIR" and dialog.channel_edit.isEnabled()
    dialog.channel_edit.setText("FLAIR 3T")   # the user's own name is sent
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok).click()
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    made = next((tmp_path / "new").glob("Dataset*"))
    assert json.loads((made / "dataset.json").read_text())["channel_names"] == {"0": "FLAIR 3T"}
