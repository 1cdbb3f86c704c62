"""A worklist case that does not open: Cancel in the job bar while its folder is scanned or its
image loaded puts the worklist back where it was, as Cancel in the series chooser does (it stayed
on the case never opened, claimed from the other annotators, and the next Next case passed over
it, with no word); a case that cannot be read is marked unreadable and passed over, and the status
bar says which and why.

The scan or load of ``b_case`` waits until the test has clicked Cancel, so the click lands while
the job runs; it then goes on with the cancel token it was given."""

from __future__ import annotations

import json
import threading

import pytest
from editor_helpers import write_image
from PySide6.QtCore import Qt

import neuroview.io
from neuroview.io.candidates import SeriesCandidate

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def two_cases(tmp_path, folders: bool):
    """A worklist of ``a_case`` and ``b_case``: image files, or folders holding one image each
    (a folder's scan checks for Cancel between files, a single file's scan does not)."""
    cases = tmp_path / "cases"
    cases.mkdir()
    paths = []
    for name, affine in (("a_case", "ras"), ("b_case", "lps")):
        folder = cases / name if folders else cases
        folder.mkdir(exist_ok=True)
        paths.append(write_image(folder, "t1" if folders else name, affine)[0])
    return cases, paths


def hold_b_case(monkeypatch, stage: str) -> threading.Event:
    """The ``stage`` ("scan" or "load") of b_case waits for the returned event."""
    gate = threading.Event()
    if stage == "scan":
        scan = neuroview.io.scan

        def held_scan(paths, progress=None, cancel=None, **options):
            if "b_case" in str(paths[0]):
                assert gate.wait(30)
            return scan(paths, progress, cancel, **options)

        monkeypatch.setattr(neuroview.io, "scan", held_scan)
    else:
        load = SeriesCandidate.load

        def held_load(self, progress=None, cancel=None):
            if "b_case" in self.key:                 # a file path for NIfTI
                assert gate.wait(30)
            return load(self, progress, cancel)

        monkeypatch.setattr(SeriesCandidate, "load", held_load)
    return gate


def opened(qtbot, window, path):
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy
                    and window.editor.session is not None
                    and window.controller.volume.source_path == str(path), timeout=30000)


def claims(cases):
    state = json.loads((cases / ".neuroview-worklist.json").read_text())
    return [claim["case"] for claim in state["open_by"].values()]


@pytest.mark.parametrize("stage, folders", [("scan", True), ("scan", False), ("load", False)],
                         ids=["scan-of-a-folder", "scan-of-a-file", "load"])
def test_cancel_while_a_worklist_case_opens_keeps_the_worklist_on_the_case_on_screen(
        qtbot, window, tmp_path, monkeypatch, stage, folders):
    cases, (first, second) = two_cases(tmp_path, folders)
    a_id, b_id = ("a_case", "b_case") if folders else ("a_case.nii.gz", "b_case.nii.gz")
    gate = hold_b_case(monkeypatch, stage)
    training = window.training_actions
    training.open_worklist(cases)
    opened(qtbot, window, first)
    shown = window.controller.volume

    training.next_case()                                        # b_case: scanned, then loaded
    words = "Scanning b_case" if stage == "scan" else "Loading "
    qtbot.waitUntil(lambda: window.progress_text.text().startswith(words)
                    and window.cancel_button.isVisible(), timeout=20000)
    qtbot.mouseClick(window.cancel_button, Qt.LeftButton)       # the job bar's Cancel
    gate.set()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)   # its outcome handled
    assert window.controller.volume is shown
    assert training.worklist.current == training.worklist_id == a_id
    assert claims(cases) == [a_id]                              # b_case is free for the others
    what = "the scan was cancelled" if stage == "scan" else "the loading was cancelled"
    assert window.statusBar().currentMessage() == (
        f"Nothing opened: {what}; the image on screen stays as it was; the worklist stays where "
        "it was.")
    # the status line says it, not the Measurements list (until session 28: "worklist: that case
    # was not opened (...)" there, among the rulers, under each case's "worklist: case 1 of 2")
    assert window.measurements.count() == 0

    training.next_case()                                        # b_case again, not passed over
    opened(qtbot, window, second)
    # the line above is out of date: the case on screen and the worklist's progress instead
    assert window.statusBar().currentMessage() == (
        f"Worklist case 2 of 2 ({b_id}, new) opened: 0 of 2 done.")
    assert window.measurements.count() == 0
    assert training.worklist.current == training.worklist_id == b_id
    assert claims(cases) == [b_id]


def test_a_worklist_case_that_cannot_be_read_is_named_and_passed_over(qtbot, window, tmp_path):
    """b_case's folder holds no image: the message bar has the whole error, the status bar one
    line naming the case and why, with no path; the worklist marks it unreadable and gives it up
    (it stayed claimed from the other annotators while a_case was on screen); no other case is
    left, and a_case, on screen, stays claimed."""
    cases, (first, _) = two_cases(tmp_path, folders=True)
    for image in (cases / "b_case").iterdir():
        image.write_bytes(b"not an image")
    training = window.training_actions
    training.open_worklist(cases)
    opened(qtbot, window, first)

    training.next_case()
    qtbot.waitUntil(lambda: not window.runner.busy and window.message_bar.isVisible(), timeout=30000)
    assert "b_case" in window.message_bar.text
    message = window.statusBar().currentMessage()
    assert message == ("Nothing opened: b_case could not be read (no image found); the image on "
                       "screen stays as it was; worklist case 2 of 2, marked unreadable; no other "
                       "case is left to open.")
    assert str(tmp_path) not in message
    assert window.notice_bar.text == ("b_case could not be read (no image found): marked "
                                      "unreadable in the worklist, Next case passes over it.")
    # "worklist: b_case marked unreadable (...)" went into Measurements too, until session 28
    assert window.measurements.count() == 0
    assert window.controller.volume.source_path == str(first)
    assert training.worklist.current == training.worklist_id == "a_case"
    assert claims(cases) == ["a_case"]
    state = json.loads((cases / ".neuroview-worklist.json").read_text())
    assert state["cases"]["b_case"]["unreadable"] == "no image found"


def test_a_case_removed_from_disk_is_counted_no_more_and_said_once(qtbot, window, tmp_path):
    """b_case was deleted while a_case is on screen: Next case leaves it out of the worklist and
    counts 3 cases, as the worklist opened again counts them, and the notice says so once (it was
    marked unreadable and counted, "case 3 of 4 ... 1 unreadable", until the worklist was
    reopened); the Worklist panel lists the 3."""
    from worklist_cases import worklist_folder

    from neuroview.dataset.worklist import Worklist

    cases = worklist_folder(tmp_path, ("a_case", "b_case", "c_case", "d_case"))
    training = window.training_actions
    training.open_worklist(cases)
    opened(qtbot, window, cases / "a_case.nii.gz")
    (cases / "b_case.nii.gz").unlink()

    training.next_case()
    opened(qtbot, window, cases / "c_case.nii.gz")
    assert window.statusBar().currentMessage() == (
        "Worklist case 2 of 3 (c_case.nii.gz, new) opened: 0 of 3 done.")
    assert window.notice_bar.text == ("b_case.nii.gz is no longer on disk: left out of the "
                                      "worklist, which counts 3 cases now.")
    assert [row[1] for row in training.panel.rows()] == ["a_case.nii.gz", "c_case.nii.gz", "d_case.nii.gz"]
    assert training.panel.summary.text() == "0 of 3 done"
    assert claims(cases) == ["c_case.nii.gz"]

    training.next_case()                                   # said once: not again
    opened(qtbot, window, cases / "d_case.nii.gz")
    assert window.statusBar().currentMessage() == (
        "Worklist case 3 of 3 (d_case.nii.gz, new) opened: 0 of 3 done.")
    assert "b_case" not in window.notice_bar.text
    again = Worklist.open(cases, user="dr.b")              # as the worklist opened again counts
    assert [c.case_id for c in again.cases] == [c.case_id for c in training.worklist.cases]
    assert not again.unreadable()
