"""Send to training set's dialog, adding to an existing dataset: the greyed Name, Labels and
Channel are that dataset's own (its dataset.json), not the proposals for a new one; ticking
*Create a new dataset* brings the proposals (and what was typed for it) back."""

from __future__ import annotations

import json

from training_dialog_steps import paint_segment_1, tick, type_into

from neuroview.dataset.layout import init_dataset


def fields(dialog):
    return [dialog.name_edit.text(), dialog.labels_edit.text(), dialog.channel_edit.text()]


def test_an_existing_dataset_shows_its_own_name_labels_and_channels(qtbot, window, tmp_path):
    paint_segment_1(qtbot, window, tmp_path)
    dataset = init_dataset(tmp_path / "sets", "Tumours", ["background", "tumour", "oedema"],
                           channels=["T1", "FLAIR"])
    written = json.loads((dataset / "dataset.json").read_text())
    assert written["channel_names"] == {"0": "T1", "1": "FLAIR"}

    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    type_into(qtbot, dialog.folder_edit, str(tmp_path / "nothing_here"))
    assert fields(dialog) == ["", "", ""]                # no dataset: nothing proposed as if it were
    assert dialog.name_edit.placeholderText() == "no such folder"
    type_into(qtbot, dialog.folder_edit, str(dataset))
    assert fields(dialog) == ["Tumours", "background,tumour,oedema", "T1,FLAIR"]
    assert not dialog.name_edit.isEnabled()
    type_into(qtbot, dialog.folder_edit, str(tmp_path / "sets"))   # its parent: the one dataset in it
    assert fields(dialog) == ["Tumours", "background,tumour,oedema", "T1,FLAIR"]

    tick(qtbot, dialog.create_check)                     # a new dataset: the proposals again
    assert fields(dialog) == ["Lesions", "background,lesion", "MRI"]
    assert dialog.name_edit.isEnabled()
    type_into(qtbot, dialog.name_edit, "Heads")
    tick(qtbot, dialog.create_check)                     # back to the existing one...
    assert fields(dialog) == ["Tumours", "background,tumour,oedema", "T1,FLAIR"]
    tick(qtbot, dialog.create_check)                     # ...and the name typed for the new one kept
    assert fields(dialog) == ["Heads", "background,lesion", "MRI"]

    tick(qtbot, dialog.create_check)                     # a folder of two datasets: which one?
    init_dataset(tmp_path / "sets", "Vessels", ["background", "vessel"])
    type_into(qtbot, dialog.folder_edit, str(tmp_path / "sets"))
    assert fields(dialog) == ["", "", ""]
    assert dialog.name_edit.placeholderText().startswith("holds 2 datasets; name one: Dataset501_Tumours")
