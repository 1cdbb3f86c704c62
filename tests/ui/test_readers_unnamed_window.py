"""Three SEGs that name no reader in *File > Compare readers...*: until session 35 the dialog said
"One reader's SEG found" and outlined only the latest (all were "(unknown reader)"). Now each is a
reader of its own, named apart in the legend and on its *Take* button, and taking it takes its
outline."""

from __future__ import annotations

import numpy as np
import pydicom
from PySide6.QtCore import Qt
from readers_helpers import find_and_compare, open_readers, study

UNNAMED = ["unnamed: 2026-12-01 10:15",
           "unnamed: 2026-12-01 14:30",
           "unnamed: 2026-12-02 09:00"]


def test_three_unnamed_segs_are_three_readers_in_the_window(qtbot, window, tmp_path, mni_volume,
                                                            monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    folder = study(tmp_path, mni_volume, (None, None, None), huge=False)
    for n, when in enumerate((("20261201", "101500"), ("20261201", "143000"), ("20261202", "090000")),
                             start=1):   # one description, as neuroview writes an unnamed SEG
        path = tmp_path / "study" / f"reader{n}.dcm"
        ds = pydicom.dcmread(path)
        ds.SeriesDescription = "neuroview segmentation"
        ds.ContentDate, ds.ContentTime = when
        ds.save_as(path)
    dialog = find_and_compare(qtbot, window, open_readers(qtbot, window, folder))
    assert dialog.status.text() == "3 readers; consensus by STAPLE."
    legend = [dialog.legend.item(row, 0).text() for row in range(dialog.legend.rowCount())]
    assert legend == UNNAMED
    assert window.controller.state.reader_outlines.names == UNNAMED

    tab_bar = dialog.tabs.tabBar()
    qtbot.mouseClick(tab_bar, Qt.LeftButton, pos=tab_bar.tabRect(1).center())
    assert [dialog.take_buttons[name].text() for name in UNNAMED] == [f"Take {name}" for name in UNNAMED]
    dialog.lesions.selectRow(0)   # the boxes, a voxel apart, are one lesion
    qtbot.mouseClick(dialog.take_buttons[UNNAMED[1]], Qt.LeftButton)
    dialog.adjudicator_edit.setText("Sam Senior")
    qtbot.mouseClick(dialog.apply_button, Qt.LeftButton)
    case = window.editor.case
    lesion = next(s for s in case.labels.segments if s.name == "lesion")
    expected = np.zeros(case.volume.shape, bool)
    expected[5:13, 4:12, 3:8] = True   # study(): the second reader's box
    assert np.array_equal(case.labels.array == lesion.value, expected)
