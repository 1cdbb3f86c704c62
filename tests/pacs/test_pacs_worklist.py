"""A worklist from a query: the FLAIR series a reader has not segmented yet, ready to open."""

from __future__ import annotations

import numpy as np
import pydicom
from orthanc_server import server_config
from series_maker import SeriesSpec, write_series

from neuroview.cli.main import main
from neuroview.core.labels import LabelMap
from neuroview.dataset.worklist import Worklist
from neuroview.io import load
from neuroview.io.pacs import SeriesCache, retrieve, save_server, store
from neuroview.io.pacs.save_mask import save_mask_to_pacs
from tests.jobs_stopped import stop_jobs


def _lab(orthanc, tmp_path, monkeypatch):
    """Server 'lab' saved in a fresh NEUROVIEW_HOME: its config."""
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    config = server_config(orthanc, name="lab")
    save_server(config)
    return config


def _flair_and_t1(tmp_path, mni_volume):
    """Three small series: FLAIR axial (a), flair 3D (b), T1 MPRAGE (c)."""
    small = dict(rows=16, cols=16, n_slices=6)
    return [write_series(tmp_path / folder, mni_volume, SeriesSpec(description=description, **small))
            for folder, description in (("a", "FLAIR axial"), ("b", "flair 3D"), ("c", "T1 MPRAGE"))]


def _ann_segments(config, head, tmp_path) -> None:
    """Smith^Ann's SEG of the series ``head`` is from, saved to the server."""
    source = retrieve(config, str(head.StudyInstanceUID), str(head.SeriesInstanceUID),
                      SeriesCache(tmp_path / "cache"))
    volume = load(source)
    mask = np.zeros(volume.shape[:3], np.uint8)
    mask[4:8, 4:8, 1:3] = 1
    save_mask_to_pacs(config, LabelMap(mask, volume.ijk_to_ras), source, reader="Smith^Ann")


def test_worklist_leaves_out_what_the_reader_did(empty_orthanc, mni_volume, tmp_path, monkeypatch, capsys):
    config = _lab(empty_orthanc, tmp_path, monkeypatch)
    done, todo, other = _flair_and_t1(tmp_path, mni_volume)
    for series in (done, todo, other):
        store(config, [series.folder])
    _ann_segments(config, pydicom.dcmread(done.files[0], stop_before_pixels=True), tmp_path)

    out = tmp_path / "worklist"
    assert main(["pacs", "worklist", "--server", "lab", "--reader", "Smith^Ann", "--modality", "MR",
                 "--date", "20240101-20240131", "--series-description", "*FLAIR*", "-o", str(out)]) == 0
    worklist = Worklist.open(out / "worklist-Smith_Ann.csv")
    todo_uid = str(pydicom.dcmread(todo.files[0], stop_before_pixels=True).SeriesInstanceUID)
    assert [case.case_id for case in worklist.cases] == [f"2024-01-02 flair 3D (..{todo_uid[-6:]})"]
    assert [case.path.name for case in worklist.cases] == [todo_uid]
    assert [case.status for case in worklist.cases] == ["new"]
    assert len(list(worklist.cases[0].path.glob("*.dcm"))) == 6
    # another reader still has both FLAIR series to do
    assert main(["pacs", "worklist", "--server", "lab", "--reader", "Jones^Bob",
                 "--series-description", "*flair*", "-o", str(tmp_path / "bob")]) == 0
    assert len(Worklist.open(tmp_path / "bob" / "worklist-Jones_Bob.csv").cases) == 2


def test_save_to_pacs_marks_the_worklist_case_done(empty_orthanc, mni_volume, tmp_path, monkeypatch, qtbot):
    """A reader's worklist from the server: Save to PACS in the window sets the case's status to
    sent_to_pacs (kept beside the worklist file), and Next case then has nothing left."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    from neuroview.ui.main_window import MainWindow

    config = _lab(empty_orthanc, tmp_path, monkeypatch)
    series = write_series(tmp_path / "a", mni_volume, SeriesSpec(description="FLAIR axial", rows=16, cols=16,
                                                                  n_slices=6))
    store(config, [series.folder])
    out = tmp_path / "worklist"
    assert main(["pacs", "worklist", "--server", "lab", "--reader", "Smith^Ann", "--series-description",
                 "*FLAIR*", "-o", str(out)]) == 0
    csv_path = out / "worklist-Smith_Ann.csv"
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.training_actions.open_worklist(str(csv_path))
    qtbot.waitUntil(lambda: window.editor.case is not None and not window.runner.busy, timeout=30000)
    case = window.editor.case
    mask = np.zeros(case.volume.shape[:3], np.uint8)
    mask[4:8, 4:8, 1:3] = 1
    case.apply_model_result(mask, {1: "lesion"}, model="wmh-unet@3")
    next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Save to PACS...").trigger()
    dialog = window.pacs_actions.save_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    dialog.reader_edit.clear()
    qtbot.keyClicks(dialog.reader_edit, "Smith^Ann")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    qtbot.waitUntil(lambda: "Saved to lab" in window.notice_bar.text, timeout=30000)
    assert [c.status for c in Worklist.open(csv_path).cases] == ["sent_to_pacs"]  # read back from disk
    window.training_actions.next_case()
    assert "Every case of the worklist is done" in window.notice_bar.text
    stop_jobs(window.runner)


def test_make_worklist_in_the_window(empty_orthanc, mni_volume, tmp_path, monkeypatch, qtbot):
    """Open from PACS... > Make worklist...: the search's modality and date range, the reader and
    a series description; the worklist has the FLAIR series of that range the reader has not
    segmented (her SEG leaves out the series it refers to, not its study's other FLAIR), and
    opens on its first case."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from neuroview.ui.main_window import MainWindow

    config = _lab(empty_orthanc, tmp_path, monkeypatch)
    small = dict(rows=16, cols=16, n_slices=6)
    done, todo, other = _flair_and_t1(tmp_path, mni_volume)
    later = write_series(tmp_path / "d", mni_volume, SeriesSpec(  # out of the date range
        description="FLAIR axial", extra=(("StudyDate", "20240615"),), **small))
    head = pydicom.dcmread(done.files[0], stop_before_pixels=True)
    sibling = write_series(tmp_path / "e", mni_volume, SeriesSpec(  # in done's study, not segmented
        description="FLAIR coronal", series_number=5,
        extra=(("StudyInstanceUID", str(head.StudyInstanceUID)),), **small))
    for series in (done, todo, other, later, sibling):
        store(config, [series.folder])
    _ann_segments(config, head, tmp_path)

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    _clicked_into(qtbot, window)
    next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Open from PACS...").trigger()
    dialog = window.pacs_actions.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    _clicked_into(qtbot, dialog)
    qtbot.keyClicks(dialog.fields["ModalitiesInStudy"], "MR")
    qtbot.keyClicks(dialog.fields["StudyDate"], "2024-01-01 - 2024-01-31")
    qtbot.mouseClick(dialog.worklist_button, Qt.LeftButton)
    maker = dialog.worklist_dialog
    qtbot.waitUntil(maker.isVisible, timeout=5000)
    _clicked_into(qtbot, maker)
    qtbot.keyClicks(maker.reader_edit, "Smith^Ann")
    qtbot.keyClicks(maker.series_edit, "*FLAIR*")
    assert "Smith_Ann-" in maker.folder_edit.text()
    qtbot.mouseClick(maker.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    qtbot.waitUntil(lambda: window.training_actions.worklist is not None and window.editor.case is not None
                    and not window.runner.busy, timeout=60000)
    worklist = window.training_actions.worklist
    todo_uid = str(pydicom.dcmread(todo.files[0], stop_before_pixels=True).SeriesInstanceUID)
    sibling_uid = str(pydicom.dcmread(sibling.files[0], stop_before_pixels=True).SeriesInstanceUID)
    # her SEG covers the series it refers to, not the other FLAIR of the same study
    assert sorted(case.path.name for case in worklist.cases) == sorted([todo_uid, sibling_uid])
    (csv_path,) = (tmp_path / "home" / "worklists").glob("Smith_Ann-*/worklist-Smith_Ann.csv")
    assert [c.status for c in Worklist.open(csv_path).cases] == ["new", "new"]
    shown = window.editor.case.volume  # the first case: the oldest study's series
    first = worklist.cases[0].path.name
    assert np.array_equal(np.asarray(shown.array),
                          np.asarray(load((todo if first == todo_uid else sibling).folder).array))
    assert not dialog.isVisible()
    # the keys are the window's again with both dialogs closed (tests/ui/test_focus_after_dialog.py)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=10000)
    # a search with nothing left for her: the dialog says so and the worklist on screen stays
    next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Open from PACS...").trigger()
    _clicked_into(qtbot, dialog)
    qtbot.mouseClick(dialog.worklist_button, Qt.LeftButton)
    maker = dialog.worklist_dialog
    _clicked_into(qtbot, maker)
    assert maker.reader_edit.text() == "Ann Smith"  # remembered (as Smith^Ann), shown as people read it
    qtbot.keyClicks(maker.series_edit, "*T2*")
    qtbot.mouseClick(maker.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Nothing left"), timeout=30000)
    assert window.training_actions.worklist is worklist and dialog.isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=10000)   # it came from there
    stop_jobs(window.runner)


def _clicked_into(qtbot, widget) -> None:
    """``widget``'s window active, as the user's click on it makes it (with no window manager, as
    on xcb under Xvfb, a window that shows is not)."""
    from PySide6.QtWidgets import QApplication

    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=5000)
