"""A worklist of many cases stays responsive and follows the user's last request: a case removed
from disk while the worklist is open is left out without listing the folder again on the GUI
thread (each ``.dcm`` entry's header read: seconds for 2,000), and a second worklist opened while
the first is still being listed is the one that opens (the last listing to end won, until
session 44)."""

from __future__ import annotations

import time

from editor_helpers import write_image
from PySide6.QtWidgets import QMessageBox
from worklist_cases import worklist_folder


def _slow_headers(monkeypatch, seconds_each=0.0):
    """Each entry's header read (``is_dicom_seg``) takes ``seconds_each``, as a .dcm file's does:
    the list returned gathers the entries whose header was read on the GUI thread (the thread
    calling this), each of which froze the window that long (counted, not timed: a timed gap
    failed under a loaded machine's scheduling, the old code and the new alike)."""
    import threading

    from neuroview.dataset import worklist_sources

    real, gui, on_gui = worklist_sources.is_dicom_seg, threading.get_ident(), []

    def slow(entry):
        if threading.get_ident() == gui:
            on_gui.append(entry)
        time.sleep(seconds_each)
        return real(entry)

    monkeypatch.setattr(worklist_sources, "is_dicom_seg", slow)
    return on_gui


def _opened(qtbot, window, path):
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy
                    and window.controller.volume.source_path == str(path), timeout=30000)


def test_a_case_removed_from_disk_lists_no_header_again(qtbot, window, tmp_path, monkeypatch):
    """b_case deleted in a worklist of 203 cases: Next case leaves it out and opens c_case,
    no header read on the GUI thread (the folder's 203 entries were read again: 4 s frozen, until
    session 44; the new entry's, until session 45)."""
    cases = worklist_folder(tmp_path, ("a_case", "b_case", "c_case"))
    for k in range(200):
        (cases / f"z_{k:03d}").mkdir()
    training = window.training_actions
    training.open_worklist(cases)
    _opened(qtbot, window, cases / "a_case.nii.gz")
    on_gui = _slow_headers(monkeypatch)
    (cases / "b_case.nii.gz").unlink()
    (cases / "new_case").mkdir()   # found: a case of the worklist from now, its header read
    training.next_case()
    _opened(qtbot, window, cases / "c_case.nii.gz")
    qtbot.waitUntil(lambda: len(training.worklist.cases) == 203, timeout=30000)
    assert on_gui == [], f"{len(on_gui)} headers read on the GUI thread"
    # the new entry is read by a worker: its news under the case's, or with it while it opens
    assert window.notice_bar.text.replace("\n", " ") == (
        "b_case.nii.gz is no longer on disk: left out of the worklist, which counts 202 cases "
        "now. 1 new case found in the worklist's folder: it counts 203 cases now.")
    ids = [c.case_id for c in training.worklist.cases]
    assert ids[:3] == ["a_case.nii.gz", "c_case.nii.gz", "new_case"] and len(ids) == 203


def test_new_entries_of_the_folder_are_read_off_the_gui_thread(qtbot, window, tmp_path,
                                                               monkeypatch):
    """b_case deleted and 300 new entries in the folder: Next case leaves b_case out and
    opens c_case, a worker reading the new entries' headers, which join the worklist when read
    (read on the GUI thread, 1,000 .dcm entries froze the window 4 s until session 45)."""
    cases = worklist_folder(tmp_path, ("a_case", "b_case", "c_case"))
    training = window.training_actions
    training.open_worklist(cases)
    _opened(qtbot, window, cases / "a_case.nii.gz")
    on_gui = _slow_headers(monkeypatch)
    (cases / "b_case.nii.gz").unlink()
    for k in range(300):
        (cases / f"new_{k:04d}").mkdir()
    training.next_case()
    _opened(qtbot, window, cases / "c_case.nii.gz")
    qtbot.waitUntil(lambda: len(training.worklist.cases) == 302, timeout=60000)
    assert on_gui == [], f"{len(on_gui)} headers read on the GUI thread"
    assert [c.case_id for c in training.worklist.cases] == [
        "a_case.nii.gz", "c_case.nii.gz", *(f"new_{k:04d}" for k in range(300))]
    rows = training.panel.rows()   # the Worklist panel lists them
    assert len(rows) == 302 and rows[-1][:2] == ("302", "new_0299"), rows[-1]
    assert window.notice_bar.text.replace("\n", " ") == (
        "b_case.nii.gz is no longer on disk: left out of the worklist, which counts 2 cases "
        "now. 300 new cases found in the worklist's folder: it counts 302 cases now.")


def test_the_worklist_opened_last_wins_over_one_still_listed(qtbot, window, tmp_path, monkeypatch):
    """A folder of 501 cases is being listed (10 s) when the user opens another worklist: that one
    opens and stays; the first listing stops, and says nothing (it replaced the second)."""
    big = tmp_path / "studies"
    for k in range(501):
        (big / f"case_{k:03d}").mkdir(parents=True)
    write_image(big / "case_000", "t1")
    _slow_headers(monkeypatch, 0.02)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.Open)
    training = window.training_actions
    training.open_worklist(big)
    assert window.runner.busy
    second = worklist_folder(tmp_path, ("a_case", "b_case"))
    training.open_worklist(second)
    _opened(qtbot, window, second / "a_case.nii.gz")
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    qtbot.wait(50)
    assert training.worklist.source == second and window.controller.volume.source_path == str(
        second / "a_case.nii.gz")
    assert window.statusBar().currentMessage() == (
        "Worklist case 1 of 2 (a_case.nii.gz, new) opened: 0 of 2 done.")
    assert not (big / ".neuroview-worklist.json").exists()


def test_a_panel_refresh_resolves_no_case_path_again(qtbot, window, tmp_path, monkeypatch):
    """The Worklist panel's refresh (at another annotator's change, a mark, a first edit) finds
    the case on screen without resolving each case's path again: 2,000 of them took 90 ms each
    time, a dozen times per Next case (session 44)."""
    import os

    cases = worklist_folder(tmp_path, ("a_case",))
    for k in range(300):
        (cases / f"z_{k:03d}").mkdir()
    training = window.training_actions
    training.open_worklist(cases)
    _opened(qtbot, window, cases / "a_case.nii.gz")
    real, resolved = os.path.realpath, []
    monkeypatch.setattr(os.path, "realpath", lambda path, **k: resolved.append(path) or real(path, **k))
    training.show_worklist()
    training.show_worklist()
    assert training.panel.rows()[0][4] == "this window" and len(training.panel.rows()) == 301
    assert [p for p in resolved if os.fspath(p).startswith(os.fspath(cases / "z_"))] == []
