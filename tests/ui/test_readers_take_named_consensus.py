"""A reader named "consensus" (or "None") in *File > Adjudicate*: until session 35 their *Take*
button was the consensus' own (one button for both, keyed by the word) and taking them took the
STAPLE consensus; the reader "none" was taken as nothing. Now each such reader has a button of
their own, *Take reader consensus*, and it takes their outline into the label map."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from readers_helpers import find_and_compare, open_readers, study

from neuroview.dataset.adjudication import CONSENSUS, NOTHING

READERS = ("Smith^Ann", "Jones^Bob", "consensus", "none")


def test_readers_named_consensus_and_none_are_taken_as_readers(qtbot, window, tmp_path, mni_volume,
                                                                monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    dialog = find_and_compare(qtbot, window, open_readers(
        qtbot, window, study(tmp_path, mni_volume, READERS, huge=False)))
    assert dialog.status.text() == "4 readers; consensus by STAPLE."
    tab_bar = dialog.tabs.tabBar()
    qtbot.mouseClick(tab_bar, Qt.LeftButton, pos=tab_bar.tabRect(1).center())
    assert len(dialog.take_buttons) == 6   # one per reader, the consensus and nothing
    texts = {option: button.text() for option, button in dialog.take_buttons.items()}
    assert texts == {"Smith^Ann": "Take Ann Smith", "Jones^Bob": "Take Bob Jones",
                     "consensus": "Take reader consensus", "none": "Take reader none",
                     CONSENSUS: "Take consensus", NOTHING: "Not a lesion"}

    lesions, taken = dialog.lesions, dialog.lesions.columnCount() - 1
    headers = [lesions.horizontalHeaderItem(c).text() for c in range(lesions.columnCount())]
    assert headers == ["Lesion", "Ann Smith voxels", "Bob Jones voxels", "reader consensus voxels",
                       "reader none voxels", "Taken"]
    assert lesions.rowCount() == 1   # the readers' boxes, a voxel apart, are one lesion
    for option, shown in (("consensus", "reader consensus"), ("none", "reader none")):
        lesions.selectRow(0)
        qtbot.mouseClick(dialog.take_buttons[option], Qt.LeftButton)
        assert lesions.item(0, taken).text() == shown
        assert dialog.plan.choices == {1: option}
        dialog.adjudicator_edit.setText("Sam Senior")
        qtbot.mouseClick(dialog.apply_button, Qt.LeftButton)
        assert f"1: {shown}" in dialog.status.text(), dialog.status.text()
        case = window.editor.case
        lesion = next(s for s in case.labels.segments if s.name == "lesion")
        n = READERS.index(option)   # study(): reader n+1's box starts n voxels further along i
        expected = np.zeros(case.volume.shape, bool)
        expected[4 + n:12 + n, 4:12, 3:8] = True
        assert np.array_equal(case.labels.array == lesion.value, expected)   # their own outline
