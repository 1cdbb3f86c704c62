"""*Open follow-up*'s fields restored: a PACS series comes back shown by its name (as the browser
listed it), its ``pacs://`` address inside; a state kept before session 49 (no names) still opens,
showing the address; the names are not written to the data folder (nor are the PACS series)."""

from __future__ import annotations

import json

from neuroview.app.followup_chosen import chosen_last, remember_chosen
from neuroview.paths import user_data_dir

SERIES = "pacs://lab/1.2.826.0.1.3680043.10.99.1/1.2.826.0.1.3680043.10.99.2"
FIELDS = {"baseline": SERIES, "baseline_labels": "", "followup": "/data/later.nii.gz",
          "followup_labels": ""}
NAME = "2023-01-05 MRI brain / 5 T1 (lab)"


def _dialog(qtbot):
    from neuroview.ui.followup_open import OpenFollowupDialog

    dialog = OpenFollowupDialog()
    qtbot.addWidget(dialog)
    return dialog


def test_a_name_restored_with_its_field_and_kept_off_disk(qtbot):
    dialog = _dialog(qtbot)
    dialog.restore({"fields": FIELDS, "pacs_names": {"baseline": NAME, "followup": "not a PACS series"}})
    assert dialog.edits["baseline"].text() == NAME and dialog.paths()["baseline"] == SERIES
    assert dialog.edits["followup"].text() == "/data/later.nii.gz"   # a file path: as it is
    assert "1.2.826" not in dialog.edits["baseline"].toolTip()
    assert dialog.state()["pacs_names"] == {"baseline": NAME}
    assert dialog.state()["fields"] == FIELDS
    remember_chosen(dialog.state())
    assert "MRI brain" not in (user_data_dir() / "followup-chosen.json").read_text()
    assert chosen_last()["pacs_names"] == {}
    dialog.edits["baseline"].setText("/data/other.nii.gz")
    assert dialog.state()["pacs_names"] == {} and dialog.edits["baseline"].toolTip() == ""


def test_a_state_kept_before_the_names_still_opens(qtbot):
    dialog = _dialog(qtbot)
    dialog.restore(json.loads(json.dumps({"fields": FIELDS, "model": "", "pacs_names": ["odd"]})))
    assert dialog.edits["baseline"].text() == SERIES and dialog.paths()["baseline"] == SERIES
    dialog.restore({"fields": FIELDS})
    assert dialog.edits["baseline"].text() == SERIES
