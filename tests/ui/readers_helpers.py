"""A small DICOM study with readers' SEGs beside it, and *File > Compare readers...* opened and
run on it by clicks (the Readers dialog's window tests); an adjudication applied by a process that
was killed, restored in the window."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pydicom
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "io" / "dicom"))

from series_maker import SeriesSpec, write_series  # noqa: E402

from neuroview.core.labels import LabelMap  # noqa: E402
from neuroview.io import load  # noqa: E402
from neuroview.io.seg import read_series_headers, save_seg  # noqa: E402


def study(tmp_path, mni_volume, readers=("Smith^Ann",), huge: bool = True) -> Path:
    """study/series/ (the image) and one SEG per reader beside it (study/reader1.dcm, ...: boxes
    shifted by a voxel each); with ``huge``, study/huge.dcm, a SEG declaring more frames than
    memory holds (left out). Returns the series' folder."""
    series = write_series(tmp_path / "study" / "series", mni_volume,
                          SeriesSpec(rows=24, cols=20, n_slices=12, row_spacing=6.0, col_spacing=6.0,
                                     slice_step=8.0, description="FLAIR readers"))
    volume = load(series.folder)
    for n, reader in enumerate(readers, start=1):
        mask = np.zeros(volume.shape, np.uint8)
        mask[4 + n - 1:12 + n - 1, 4:12, 3:8] = 1
        save_seg(LabelMap(mask, volume.ijk_to_ras), read_series_headers([series.folder]),
                 tmp_path / "study" / f"reader{n}.dcm", series_description=f"Lesions - reader {n}",
                 content_creator=reader)
    if huge:
        ds = pydicom.dcmread(tmp_path / "study" / "reader1.dcm")
        ds.Rows, ds.Columns, ds.NumberOfFrames = 4096, 4096, 1_000_000
        ds.save_as(tmp_path / "study" / "huge.dcm")
    return series.folder


def open_readers(qtbot, window, folder):
    """``folder`` opened, then *File > Compare readers...*: the dialog."""
    window.open_paths([folder])
    qtbot.waitUntil(lambda: window.editor.case is not None and not window.runner.busy, timeout=30000)
    next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Compare readers...").trigger()
    dialog = window.pacs_actions.readers.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    return dialog


def find_and_compare(qtbot, window, dialog):
    """*SEGs from: (this computer only)*, *Find and compare* clicked, the search waited for."""
    dialog.server_box.setCurrentIndex(dialog.server_box.findText("(this computer only)"))
    qtbot.mouseClick(dialog.find_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.find_button.isEnabled() and not window.runner.busy, timeout=30000)
    return dialog


def adjudicate(qtbot, dialog, adjudicator: str) -> None:
    """In the Adjudicate tab: Jones^Bob's outline taken for every lesion, ``adjudicator`` typed as
    the adjudicator, *Apply*."""
    tab_bar = dialog.tabs.tabBar()
    qtbot.mouseClick(tab_bar, Qt.LeftButton, pos=tab_bar.tabRect(1).center())
    for row in range(dialog.lesions.rowCount()):
        dialog.lesions.selectRow(row)
        qtbot.mouseClick(dialog.take_buttons["Jones^Bob"], Qt.LeftButton)
    dialog.adjudicator_edit.clear()
    qtbot.keyClicks(dialog.adjudicator_edit, adjudicator)
    qtbot.mouseClick(dialog.apply_button, Qt.LeftButton)


def from_cell(window, name="lesion"):
    """The Segments list's *From* cell of segment ``name``: (text, tooltip)."""
    table, session = window.edit_actions.panel.table, window.editor.session
    row = [s.name for s in session.labels.segments].index(name)
    return table.item(row, 4).text(), table.item(row, 4).toolTip()


def _compare_and_apply(folder) -> None:
    """The killed window's work: the readers compared, Bob's outline taken for lesion 1 and
    applied by Sam Senior."""
    from neuroview.app.case import Case
    from neuroview.app.readers import AdjudicationPlan, apply_adjudication, compare_readers

    volume = load(folder)
    case = Case.open(volume)   # the workspace the window finds for the series
    plan = AdjudicationPlan(compare_readers(volume, None, "majority"))
    plan.choose(1, "Jones^Bob")
    apply_adjudication(case, plan, "Sam Senior")


def restored_adjudication(qtbot, window, folder):
    """``folder``'s readers adjudicated by a process SIGKILLed right after the Apply, then the
    series opened in ``window``, *Restore* clicked and *File > Adjudicate...* opened: the dialog."""
    from tests.durability import killed_after

    killed_after(_compare_and_apply, folder)
    window.open_paths([folder])
    qtbot.waitUntil(lambda: "Restore" in window.notice_bar.buttons, timeout=30000)
    window.notice_bar.buttons["Restore"].click()
    qtbot.waitUntil(lambda: window.editor.case is not None and not window.runner.busy
                    and window.editor.case.labels.array.any(), timeout=30000)
    next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Adjudicate...").trigger()
    dialog = window.pacs_actions.readers.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    return dialog
