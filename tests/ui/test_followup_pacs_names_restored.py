"""*Open follow-up*'s fields restored: a PACS series' name (as the browser listed it) comes back
under its field with them; a state kept before session 49 (no names) still opens; the names are
not written to the data folder (nor are the PACS series)."""

from __future__ import annotations

import json

from neuroview.app.followup_chosen import chosen_last, remember_chosen
from neuroview.paths import user_data_dir

SERIES = "pacs://lab/1.2.826.0.1.3680043.10.99.1/1.2.826.0.1.3680043.10.99.2"
FIELDS = {"baseline": SERIES, "baseline_labels": "", "followup": "/data/later.nii.gz",
          "followup_labels": ""}


def _dialog(qtbot):
    from neuroview.ui.followup_open import OpenFollowupDialog

    dialog = OpenFollowupDialog()
    qtbot.addWidget(dialog)
    return dialog


def test_a_name_restored_with_its_field_and_kept_off_disk(qtbot):
    dialog = _dialog(qtbot)
    dialog.restore({"fields": FIELDS, "pacs_names": {"baseline": "2023-01-05 MRI brain / 5 T1 (lab)",
                                                     "followup": "not a PACS series"}})
    note = dialog.pacs_notes["baseline"]
    assert not note.isHidden() and note.text() == "2023-01-05 MRI brain / 5 T1 (lab)"
    assert dialog.edits["baseline"].toolTip() == note.text()
    assert dialog.pacs_notes["followup"].isHidden()   # a file path: no name under it
    assert dialog.state()["pacs_names"] == {"baseline": "2023-01-05 MRI brain / 5 T1 (lab)"}
    remember_chosen(dialog.state())
    assert "MRI brain" not in (user_data_dir() / "followup-chosen.json").read_text()
    assert chosen_last()["pacs_names"] == {}
    dialog.edits["baseline"].setText("/data/other.nii.gz")
    assert note.isHidden() and dialog.state()["pacs_names"] == {}


def test_a_state_kept_before_the_names_still_opens(qtbot):
    dialog = _dialog(qtbot)
    dialog.restore(json.loads(json.dumps({"fields": FIELDS, "model": "", "pacs_names": ["odd"]})))
    assert dialog.edits["baseline"].text() == SERIES and dialog.pacs_notes["baseline"].isHidden()
    dialog.restore({"fields": FIELDS})
    assert dialog.edits["baseline"].text() == SERIES and dialog.pacs_notes["baseline"].isHidden()
