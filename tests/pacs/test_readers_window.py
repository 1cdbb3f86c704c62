"""File > Compare readers... and Adjudicate... in the window, against the real Orthanc: readers'
SEGs from the server and from this computer outlined together, agreement figures checked against
independent computations, lesion-by-lesion adjudication sent to the server, saved and added to a
training set with its provenance."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pydicom
import pytest
from orthanc_server import server_config
from pacs_window import shown_window
from PySide6.QtCore import QPoint, Qt

from neuroview.core.labels import LabelMap
from neuroview.io import load
from neuroview.io.pacs import SeriesCache, find, retrieve, save_server, store
from neuroview.io.pacs.save_mask import save_mask_to_pacs
from neuroview.io.seg import load_seg, read_series_headers, save_seg


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot, (1100, 800))


def _click_cell(qtbot, table, row, col, x=None):
    rect = table.visualItemRect(table.item(row, col))
    pos = rect.center() if x is None else QPoint(rect.left() + x, rect.center().y())
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=pos)


READABLE = {"Smith^Ann": "Ann Smith", "Jones^Bob": "Bob Jones", "Lee^Cat": "Cat Lee"}
"""The readers' names (ContentCreatorName) as the dialog shows them."""
RAW = {shown: raw for raw, shown in READABLE.items()}


def _row(table, *texts):
    return next(r for r in range(table.rowCount())
                if all(table.item(r, c).text() == t for c, t in enumerate(texts)))


def _pixels(window, colour) -> int:
    window.slice_views["axial"].repaint()
    rgb = window.slice_views["axial"].last.rgb
    return int(np.all(rgb == np.asarray(colour, np.uint8), axis=2).sum())


def test_compare_and_adjudicate_in_the_window(empty_orthanc, small_series, tmp_path, monkeypatch, qtbot,
                                              window):
    import SimpleITK as sitk

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    config = server_config(empty_orthanc, name="lab")
    save_server(config)
    store(config, [small_series.folder])
    local = tmp_path / "study" / "series"
    shutil.copytree(small_series.folder, local)
    volume = load(local)
    ann = np.zeros(volume.shape, bool)
    ann[4:12, 4:12, 3:8] = True
    bob = np.zeros_like(ann)
    bob[6:14, 4:12, 3:8] = True
    cat = ann.copy()
    cat[4:12, 4:12, 3] = False  # Cat left out one slice...
    cat[16:19, 2:5, 9:11] = True  # ...and saw a small lesion nobody else did
    for reader, mask in (("Smith^Ann", ann), ("Jones^Bob", bob)):  # on the server
        save_mask_to_pacs(config, LabelMap(mask.astype(np.uint8), volume.ijk_to_ras), small_series.folder,
                          reader=reader, model="wmh-unet@3")
    save_seg(LabelMap(cat.astype(np.uint8), volume.ijk_to_ras), read_series_headers([local]),  # local
             tmp_path / "study" / "cat-seg.dcm", series_description="Lesions - Lee^Cat's version",
             content_creator="Lee^Cat")
    masks = {"Smith^Ann": ann, "Jones^Bob": bob, "Lee^Cat": cat}

    window.open_paths([local])
    qtbot.waitUntil(lambda: window.editor.case is not None and not window.runner.busy, timeout=30000)
    case = window.editor.case
    next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Compare readers...").trigger()
    dialog = window.pacs_actions.readers.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert dialog.server_box.currentText() == "lab"
    qtbot.mouseClick(dialog.find_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.legend.rowCount() == 3 and not window.runner.busy, timeout=60000)
    found = {dialog.legend.item(r, 0).text(): dialog.legend.item(r, 1).text() for r in range(3)}
    assert found == {"Cat Lee": "this computer", "Ann Smith": "lab", "Bob Jones": "lab"}  # not Lee^Cat
    import re  # dates as people read them (the SEGs were all made today)
    dates = [dialog.legend.item(r, 3).text() for r in range(3)]
    assert all(re.fullmatch(r"20\d\d-\d\d-\d\d( \d\d:\d\d)?", d) for d in dates), dates

    # agreement per pair, against independent computations
    spacing = np.linalg.norm(volume.ijk_to_ras[:3, :3], axis=0)
    for a_name, b_name in (("Smith^Ann", "Jones^Bob"), ("Smith^Ann", "Lee^Cat"), ("Jones^Bob", "Lee^Cat")):
        a, b = masks[a_name], masks[b_name]
        try:
            row = _row(dialog.pairs, READABLE[a_name], READABLE[b_name])
        except StopIteration:
            row = _row(dialog.pairs, READABLE[b_name], READABLE[a_name])
            a, b = b, a
        dice = 2 * np.sum(a & b) / (a.sum() + b.sum())
        assert dialog.pairs.item(row, 2).text() == f"{dice:.3f}"
        assert dialog.pairs.item(row, 5).text() == f"{(b.sum() - a.sum()) * np.prod(spacing) / 1000:+.3f}"
    # lesion F1 of Ann vs Cat: Ann's one lesion found, one of Cat's two -> 2/3
    for r in range(dialog.pairs.rowCount()):
        pair = {dialog.pairs.item(r, 0).text(), dialog.pairs.item(r, 1).text()}
        expected = 1.0 if pair == {"Ann Smith", "Bob Jones"} else 2 / 3
        assert dialog.pairs.item(r, 4).text() == f"{expected:.3f}"
    # STAPLE sensitivities, against SimpleITK's STAPLE run here on the same three masks
    names = [RAW[dialog.legend.item(r, 0).text()] for r in range(3)]
    staple = sitk.STAPLEImageFilter()
    staple.SetForegroundValue(1)
    staple.Execute([sitk.GetImageFromArray(masks[n].astype(np.uint8)) for n in names])
    for r, value in enumerate(staple.GetSensitivity()):
        assert dialog.legend.item(r, 5).text() == f"{value:.3f}"

    # outlines on screen: one colour per reader; unticking a reader removes its colour
    colours = dialog.comparison.colours
    window.controller.set_crosshair(volume.ijk_to_ras[:3, :3] @ [8, 8, 5] + volume.ijk_to_ras[:3, 3])
    assert all(_pixels(window, colours[n]) > 0 for n in masks)
    ann_row = names.index("Smith^Ann")
    _click_cell(qtbot, dialog.legend, ann_row, 0, x=10)
    assert dialog.legend.item(ann_row, 0).checkState() == Qt.Unchecked
    assert _pixels(window, colours["Smith^Ann"]) == 0 and _pixels(window, colours["Jones^Bob"]) > 0

    # adjudicate: lesion 1 from Bob, lesion 2 (Cat's own) from Cat
    tab_bar = dialog.tabs.tabBar()
    qtbot.mouseClick(tab_bar, Qt.LeftButton, pos=tab_bar.tabRect(1).center())
    assert dialog.tabs.currentIndex() == 1
    assert dialog.lesions.rowCount() == 2
    assert dialog.progress.text() == "2 of 2 lesions to decide."
    assert not dialog.apply_button.isEnabled()
    _click_cell(qtbot, dialog.lesions, 0, 0)
    crosshair_ijk = np.round(np.linalg.inv(volume.ijk_to_ras) @ [*window.controller.state.crosshair_ras, 1])
    assert dialog.plan.groups[0].contains(crosshair_ijk[:3].astype(int))  # the views went there
    qtbot.mouseClick(dialog.take_buttons["Jones^Bob"], Qt.LeftButton)
    assert dialog.selected_lesion() == 2  # on to the next lesion
    qtbot.mouseClick(dialog.take_buttons["Lee^Cat"], Qt.LeftButton)
    assert dialog.lesions.item(1, dialog.lesions.columnCount() - 1).text() == "Cat Lee"
    assert dialog.progress.text() == "All 2 lesions decided: Apply to label map."
    dialog.adjudicator_edit.clear()
    qtbot.keyClicks(dialog.adjudicator_edit, "Senior^Sam")
    qtbot.mouseClick(dialog.apply_button, Qt.LeftButton)
    expected = bob | (cat & ~ann)
    assert np.array_equal(case.labels.array > 0, expected)

    assert case.modified
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Sent to lab"), timeout=30000)
    assert not case.modified  # on the server now: quitting does not ask to save it
    head = pydicom.dcmread(small_series.files[0], stop_before_pixels=True)
    study = str(head.StudyInstanceUID)
    sent = [s for s in find(config, "SERIES", StudyInstanceUID=study, Modality="SEG")
            if s["SeriesDescription"] == "Adjudicated lesions - Sam Senior's version"]
    assert len(sent) == 1
    folder = retrieve(config, study, sent[0]["SeriesInstanceUID"], SeriesCache(tmp_path / "cache"))
    (seg_file,) = folder.glob("*.dcm")
    assert np.array_equal(load_seg(seg_file, volume=volume).array > 0, expected)

    from neuroview.ui import save_question

    target = tmp_path / "out" / "adjudicated.dcm"
    target.mkdir(parents=True)   # a folder of that name: not saved, said by name and folder
    monkeypatch.setattr(save_question.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert dialog.status.text().startswith("adjudicated.dcm in …/out: "), dialog.status.text()
    assert str(tmp_path) not in dialog.status.text() and str(target) in dialog.status.toolTip()
    target.rmdir()
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert np.array_equal(load_seg(target, volume=volume).array > 0, expected)
    beside = json.loads((tmp_path / "out" / "adjudicated.dcm.provenance.json").read_text())
    assert {x["lesion"]: x["taken_from"] for x in beside["lesions"]} == {1: "Jones^Bob", 2: "Lee^Cat"}

    # to the training set as final, through the window's own Send to training set
    from PySide6.QtWidgets import QDialogButtonBox

    qtbot.mouseClick(dialog.training_button, Qt.LeftButton)
    send = window.training_actions.dialog
    qtbot.waitUntil(send.isVisible, timeout=5000)
    send.folder_edit.setText(str(tmp_path / "datasets"))
    send.create_check.setChecked(True)
    send.name_edit.setText("Lesions")
    qtbot.mouseClick(send.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok), Qt.LeftButton)
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    record = json.loads((tmp_path / "datasets" / "Dataset501_Lesions" / "provenance" / "nv_0001.json")
                        .read_text())
    assert record["status"] == "final" and record["annotator"] == "Sam Senior"
    adjudication = record["adjudication"]
    # the record keeps the DICOM names (ContentCreatorName)
    readers = {r["reader"]: r["found_on"] for r in adjudication["readers"]}
    assert readers == {RAW[name]: where for name, where in found.items()}
    assert {x["lesion"]: (x["taken_from"], x["edited_voxels"]) for x in adjudication["lesions"]} == {
        1: ("Jones^Bob", 0), 2: ("Lee^Cat", 0)}
