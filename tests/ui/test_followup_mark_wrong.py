"""A lesion of the follow-up window's table marked wrong (a false positive, not a lesion): Delete
on its row, or the row's right-click menu. The row stays, struck through, in both tables, with
``marked wrong`` in a ``reader`` column, its outline grey-blue in the panes; Ctrl+Z and
Ctrl+Shift+Z undo and redo it; the report leaves it out of the counts, the load and the key
slices and says so; the study's mask without it is written beside the report (the reader's
correction); and the mark is kept with the studies: the same follow-up opened again (the next
day) shows it. The follow-up window had no such mark:
a model's false positive stayed a `new` lesion in every count."""

from __future__ import annotations

import csv
import json

import nibabel as nib
import numpy as np
import pytest
from followup_free_open import _open
from followup_studies import write_case
from followup_views import followup_view, near_crosshair, outline_pixels  # noqa: F401
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu

from neuroview.app.followup_chosen import paths_key
from neuroview.paths import user_data_path
from neuroview.ui.followup_pair import MARKED_COLOR

# the claim is the marks, not the registration: each pair registered once (tests/ui/conftest.py)
pytestmark = pytest.mark.usefixtures("registrations_reused")


def _row_of(view, lesion_id):
    return next(r for r in range(view.table.rowCount()) if view.table.item(r, 0).text() == str(lesion_id))


def _struck(view, lesion_id):
    return view.table.item(_row_of(view, lesion_id), 1).font().strikeOut()


def _grey(rgb):
    return int(np.all(rgb == MARKED_COLOR, axis=2).sum())


def _click_row(qtbot, view, lesion_id):
    table = view.table
    qtbot.mouseClick(table.viewport(), Qt.LeftButton,
                     pos=table.visualItemRect(table.item(_row_of(view, lesion_id), 1)).center())


def test_delete_marks_a_new_lesion_wrong_undo_and_the_report(followup_view, qtbot, tmp_path):  # noqa: F811
    view = followup_view
    table = view.comparison.table
    new = next(r for r in table.rows if r.status == "new")
    news = table.count("new")
    _click_row(qtbot, view, new.id)
    qtbot.keyClick(view.table, Qt.Key_Delete)
    assert _struck(view, new.id) and view.table_text()[_row_of(view, new.id)][-1] == "marked wrong"
    assert not any(_struck(view, r.id) for r in table.rows if r is not new)
    assert table.count("new") == news - 1
    assert "lesion" in view.status.text() and "marked wrong" in view.status.text()
    # in the panes its outline is grey-blue, not red (the pane centred on it by the click on its row)
    marked_right = near_crosshair(view.pair, view.pair.pane_images()[1])[0]
    assert outline_pixels(marked_right) == 0 and _grey(marked_right) > 10
    # the same lesion across all time points: struck through there too
    view.table_choice.setCurrentIndex(1)
    tracked = [r for r in view.tracking.rows if r.marked]
    assert len(tracked) == 1 and _struck(view, tracked[0].id)
    assert np.isclose(tracked[0].volumes_ml[1], new.volume_followup_ml)
    view.table_choice.setCurrentIndex(0)

    qtbot.keyClick(view.pair, Qt.Key_Z, Qt.ControlModifier)              # undo
    assert not _struck(view, new.id) and table.count("new") == news
    right = near_crosshair(view.pair, view.pair.pane_images()[1])[0]
    assert outline_pixels(right) > 10 and _grey(right) == 0
    assert "reader" not in view.shown_table()[0]
    qtbot.keyClick(view.pair, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)   # redo
    assert _struck(view, new.id) and table.count("new") == news - 1

    job = view.write_report(tmp_path / "report")
    qtbot.waitUntil(lambda: job.outcome[0] != "running", timeout=120000)
    folder = tmp_path / "report"
    html = (folder / "report.html").read_text()
    said = f"1 lesion marked wrong by the reader (not a lesion; across all time points: {tracked[0].id})"
    assert said in html
    assert "line-through" in html
    with open(folder / "lesions_tp2.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["reader"] for row in rows] == ["marked wrong" if r is new else "" for r in table.rows]
    assert not list((folder / "keyslices").glob(f"tp2_lesion{new.id}_*.png"))   # no key slice of it
    # the reader's correction: follow-up 1's mask without that lesion, nothing else changed
    later = view.laters[0]
    corrected = np.asarray(nib.load(folder / "masks" / "tp2_lesions_corrected.nii.gz").dataobj)
    removed = (later.lesions > 0) & (corrected == 0)
    voxel_ml = abs(np.linalg.det(later.ijk_to_ras[:3, :3])) / 1000
    assert np.isclose(removed.sum() * voxel_ml, new.volume_followup_ml)
    assert not np.any((corrected > 0) & (later.lesions == 0))
    assert not (folder / "masks" / "tp1_lesions_corrected.nii.gz").exists()   # nothing marked there
    qtbot.keyClick(view.pair, Qt.Key_Z, Qt.ControlModifier)   # the shared studies as they were


def test_the_right_click_menu_marks_and_unmarks(followup_view, qtbot):  # noqa: F811
    view = followup_view
    lesion = view.comparison.table.rows[0]
    row = _row_of(view, lesion.id)
    point = view.table.visualItemRect(view.table.item(row, 1)).center()
    chosen = []

    def choose_first():
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        chosen.append(menu.actions()[0].text().replace("&", ""))
        menu.actions()[0].trigger()
        menu.close()

    for expected in (f"Mark lesion {lesion.id} wrong (not a lesion)",
                     f"Not wrong: count lesion {lesion.id} again"):
        QTimer.singleShot(200, choose_first)
        view.table.customContextMenuRequested.emit(point)
        assert chosen[-1].startswith(expected)
    assert chosen and not _struck(view, lesion.id) and not lesion.marked


def test_the_mark_is_there_when_the_followup_is_opened_again(window, qtbot, mni_volume, tmp_path):
    write_case(mni_volume, tmp_path, scale=2)   # 6 mm: what is kept does not depend on the size
    view = _open(window, qtbot, tmp_path)
    new = next(r for r in view.comparison.table.rows if r.status == "new")
    _click_row(qtbot, view, new.id)
    qtbot.keyClick(view.table, Qt.Key_Delete)
    view.close()
    again = _open(window, qtbot, tmp_path)           # closed, opened again: as the next day
    marked = [r.id for r in again.comparison.table.rows if r.marked]
    assert marked == [new.id] and _struck(again, new.id)
    # the studies moved to another folder (or opened from a copy): the marks are kept by the
    # studies' voxels, not their paths (they were lost until session 41)
    again.close()
    moved = tmp_path / "moved"
    moved.mkdir()
    for study in tmp_path.glob("*.nii.gz"):
        study.rename(moved / study.name)
    there = _open(window, qtbot, moved)
    assert [r.id for r in there.comparison.table.rows if r.marked] == [new.id]
    assert str(tmp_path) not in (user_data_path() / "followup-marks.json").read_text()


def test_marks_kept_by_paths_before_are_carried_over(window, qtbot, mni_volume, tmp_path):
    """followup-marks.json as session 41 wrote it (keyed by a digest of the files' paths): the
    follow-up opened again shows the marks, now kept by the studies' voxels."""
    write_case(mni_volume, tmp_path, scale=2)
    view = _open(window, qtbot, tmp_path)
    new = next(r for r in view.comparison.table.rows if r.status == "new")
    _click_row(qtbot, view, new.id)
    qtbot.keyClick(view.table, Qt.Key_Delete)
    view.close()
    store = user_data_path() / "followup-marks.json"
    (key, marks), = json.loads(store.read_text()).items()
    paths = [str(tmp_path / f"{name}.nii.gz") for name in ("t1", "t1_lesions", "t2", "t2_lesions")]
    store.write_text(json.dumps({paths_key(paths): marks}))   # as session 41 kept them
    again = _open(window, qtbot, tmp_path)
    assert [r.id for r in again.comparison.table.rows if r.marked] == [new.id]
    assert json.loads(store.read_text()) == {key: marks}


def test_a_mark_undone_while_the_report_is_written(followup_view, qtbot, tmp_path, monkeypatch):  # noqa: F811
    """The report is written with the marks of the moment Report... was chosen, in the
    background; a mark undone meanwhile stays undone in the window (the report's worker set the
    window's own rows back to the marks it wrote)."""
    import threading

    from neuroview.app import followup_outputs

    view = followup_view
    new = next(r for r in view.comparison.table.rows if r.status == "new")
    _click_row(qtbot, view, new.id)
    qtbot.keyClick(view.table, Qt.Key_Delete)
    held, real = threading.Event(), followup_outputs.key_slices

    def key_slices(*args, **kwargs):
        held.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(followup_outputs, "key_slices", key_slices)
    job = view.write_report(tmp_path / "report")
    qtbot.keyClick(view.pair, Qt.Key_Z, Qt.ControlModifier)              # undone while it writes
    held.set()
    qtbot.waitUntil(lambda: job.outcome[0] != "running", timeout=120000)
    assert "1 lesion marked wrong" in (tmp_path / "report" / "report.html").read_text()
    assert not new.marked and not any(r.marked for r in view.tracking.rows)
    assert not _struck(view, new.id) and view.comparison.table.count("new") >= 1
