"""Quitting while a follow-up window's Report... is written (the window closed first, as a user
does: it does not wait for its report). The main window's close waits for every runner and
cancels its jobs, but the report ignored the cancel and went on writing into the folder, file by
file, with the window gone (or was cut off by the interpreter's exit: part of a new set beside
the earlier report). Now the close returns with the job cancelled and the folder as it was. The
comparison itself (its registration) runs on the main window's runner: closing the follow-up
window, then the application, while it runs cancels it too."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from neuroview.app import followup_outputs
from neuroview.app.followup_report import ReportInfo


def _files(folder) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_quitting_cancels_a_closed_windows_report_and_leaves_the_folder_as_it_was(
        window, qtbot, three_studies, tmp_path, monkeypatch):
    from neuroview.ui.followup_window import FollowupWindow

    folder = tmp_path / "report"
    folder.mkdir()
    (folder / "report.html").write_text("the earlier report")
    (folder / "lesions.csv").write_text("the earlier table")
    before = _files(folder)
    real, jobs, reached = followup_outputs.tracking_of, [], []

    def slow_tracking(*args):   # the report's work under way when the application quits
        reached.append(True)
        deadline = time.monotonic() + 30
        while not jobs[0].cancel_token.cancelled and time.monotonic() < deadline:
            time.sleep(0.01)
        return real(*args)

    monkeypatch.setattr(followup_outputs, "tracking_of", slow_tracking)
    view = FollowupWindow(*three_studies, info=ReportInfo(masks_by="drawn by the test"), parent=window)
    view.setWindowFlag(Qt.Window)
    view.show()
    qtbot.waitExposed(view)
    jobs.append(view.write_report(folder))
    qtbot.waitUntil(lambda: bool(reached), timeout=10000_000)
    view.close()                                   # the report goes on (it does not wait)
    assert jobs[0].outcome[0] == "running"
    del view
    window.close()                                 # quit: the main window waits for its runners
    assert jobs[0].outcome[0] == "cancelled"       # stopped before close returned: no thread on
    assert _files(folder) == before                # no table of the new set beside the old report
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


def test_closing_the_followup_window_then_quitting_while_a_comparison_registers(
        window, qtbot, mni_volume, tmp_path, monkeypatch):
    """A follow-up window open, another comparison started (its registration runs on the main
    window's runner), the follow-up window closed, then the application: no crash, the
    registration cancelled before the close returned, no follow-up window made after it."""
    from followup_free_open import _open
    from followup_studies import write_case

    from neuroview.app import followup
    from neuroview.ui.followup_open import start_followup
    from neuroview.ui.followup_window import FollowupWindow

    write_case(mni_volume, tmp_path, scale=2)
    first = _open(window, qtbot, tmp_path)
    real, registering = followup.register, []

    def held(*args, cancel=None, **kwargs):   # registering until the quit cancels it
        registering.append(True)
        deadline = time.monotonic() + 30
        while not cancel.cancelled and time.monotonic() < deadline:
            time.sleep(0.01)
        return real(*args, cancel=cancel, **kwargs)

    monkeypatch.setattr(followup, "register", held)
    paths = {key: str(tmp_path / f"{name}.nii.gz") for key, name in (
        ("baseline", "t1"), ("baseline_labels", "t1_lesions"), ("followup", "t2"),
        ("followup_labels", "t2_lesions"))}
    job = start_followup(window, paths, extract_brain=False)
    qtbot.waitUntil(lambda: bool(registering), timeout=10000_000)
    first.close()                                  # no crash: the comparison goes on
    assert job.outcome[0] == "running"
    window.close()
    assert job.outcome[0] == "cancelled"           # stopped before the close returned
    qtbot.wait(200)                                # its callbacks, queued: no window made of it
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, FollowupWindow)]
    assert window.followup_window in (None, first) and not any(w.isVisible() for w in shown)
