"""The first annotator is told when a second window opens the worklist case on screen later (the
notice bar, no modal box): only the second one used to be told, and both labelled the case. The
state file is only looked at (a stat) on the timer, and read when it changed."""

from __future__ import annotations

import subprocess
import sys
import time

from PySide6.QtWidgets import QApplication
from worklist_cases import open_worklist, worklist_folder

from neuroview.dataset.worklist import Worklist
from tests.checkout import REPO

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _spin(seconds: float) -> None:
    """Let the window run for ``seconds`` (the timer ticks; no qWait, which starves workers)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)


def _open_worklist(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path)
    open_worklist(qtbot, window, cases)
    assert window.training_actions.worklist_id == "a_case.nii.gz"
    return cases


def test_the_first_window_is_told_when_another_opens_its_case(qtbot, window, tmp_path):
    cases = _open_worklist(qtbot, window, tmp_path)
    assert window.notice_bar.text == ""
    other = Worklist.open(cases, user="dr.b")   # this (live) process stands for dr.b's window
    other.open_case("b_case.nii.gz")            # another case: nothing to tell
    other.open_case("a_case.nii.gz")            # dr.b opens the case on screen here
    qtbot.waitUntil(lambda: "dr.b" in window.notice_bar.text, timeout=10000)
    assert "opened this case too" in window.notice_bar.text
    assert "labelling it twice" in window.notice_bar.text

    window.notice_bar.hide()                    # dismissed: not told again for the same window
    watch = window.training_actions.watch
    watch.timer.setInterval(50)                 # ticks often: told again would show at once
    seen = watch.seen
    other.set_status("b_case.nii.gz", "corrected")
    qtbot.waitUntil(lambda: watch.seen != seen, timeout=10000)   # the watch read the change
    _spin(0.3)                                  # and a few more ticks
    assert window.notice_bar.text == ""


def test_the_state_file_is_read_only_when_it_changed(qtbot, window, tmp_path, monkeypatch):
    cases = _open_worklist(qtbot, window, tmp_path)
    watch, worklist = window.training_actions.watch, window.training_actions.worklist
    reads = []
    monkeypatch.setattr(worklist, "refresh", lambda: reads.append(1))
    watch.timer.setInterval(50)
    _spin(1.0)                                  # about 20 ticks, nothing changed
    assert reads == []
    Worklist.open(cases, user="dr.b").open_case("b_case.nii.gz")
    qtbot.waitUntil(lambda: len(reads) == 1, timeout=5000)
    assert watch.timer.interval() == 50 and window.training_actions.watch.seen is not None


TWIN = ("import sys; from neuroview.dataset.worklist import Worklist; "
        "Worklist.open(sys.argv[1], user=sys.argv[2]).open_case(sys.argv[3]); "
        "print('holding', flush=True); sys.stdin.read()")


def test_a_second_window_of_this_login_is_told_as_one_shown_without_editing(qtbot, window, tmp_path):
    """A window of this login (another process, one data folder) cannot edit the case this window
    edits: it is not "labelling it twice"."""
    cases = _open_worklist(qtbot, window, tmp_path)
    user = window.training_actions.worklist.user
    twin = subprocess.Popen([sys.executable, "-c", TWIN, str(cases), user, "a_case.nii.gz"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert twin.stdout.readline().strip() == "holding"
        qtbot.waitUntil(lambda: "opened this case too" in window.notice_bar.text, timeout=10000)
        text = window.notice_bar.text
        assert f"another window of {user}" in text and f"process {twin.pid}" in text
        assert "shown there without editing" in text and "twice" not in text
    finally:
        twin.kill()
        twin.wait(timeout=30)


def test_a_killed_windows_case_is_shown_free_without_another_change(qtbot, window, tmp_path):
    """dr.b's window is killed (SIGKILL: its claim stays in the state file, which nobody writes
    again): the Worklist panel showed the case as open in dr.b's window for as long as no other
    change came, although Next case already offered it."""
    cases = _open_worklist(qtbot, window, tmp_path)
    other = subprocess.Popen([sys.executable, "-c", TWIN, str(cases), "dr.b", "b_case.nii.gz"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO)
    panel = window.training_actions.panel
    try:
        assert other.stdout.readline().strip() == "holding"
        qtbot.waitUntil(lambda: "dr.b" in panel.rows()[1][4], timeout=10000)
    finally:
        other.kill()
        other.wait(timeout=30)
    window.training_actions.watch.timer.setInterval(50)
    qtbot.waitUntil(lambda: panel.rows()[1][4] == "", timeout=5000)
    assert panel.rows()[1][:3] == ("2", "b_case.nii.gz", "new")


def test_the_notice_follows_the_other_window_leaving_the_case(qtbot, window, tmp_path):
    """Once the other annotator has left the case (moved on, or their window was killed), the
    notice no longer says "labelling it twice": it stayed, and the annotator left alone on the
    case was told someone else was labelling it (found in session 42's walk: a SIGKILLed window)."""
    cases = _open_worklist(qtbot, window, tmp_path)
    window.training_actions.watch.timer.setInterval(100)   # ticks often (3 s in use): 11.8 s of waits
    other = Worklist.open(cases, user="dr.b")
    other.open_case("a_case.nii.gz")
    qtbot.waitUntil(lambda: "labelling it twice" in window.notice_bar.text, timeout=10000)
    other.open_case("b_case.nii.gz")            # dr.b moves on
    qtbot.waitUntil(lambda: "labelling it twice" not in window.notice_bar.text, timeout=10000)
    assert "dr.b" in window.notice_bar.text and "no longer has this case open" in window.notice_bar.text

    window.notice_bar.hide()
    killed = subprocess.Popen([sys.executable, "-c", TWIN, str(cases), "dr.c", "a_case.nii.gz"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert killed.stdout.readline().strip() == "holding"
        qtbot.waitUntil(lambda: "dr.c" in window.notice_bar.text
                        and "labelling it twice" in window.notice_bar.text, timeout=10000)
    finally:
        killed.kill()
        killed.wait()
    qtbot.waitUntil(lambda: "labelling it twice" not in window.notice_bar.text, timeout=10000)
    assert "dr.c" in window.notice_bar.text and "no longer has this case open" in window.notice_bar.text


def test_a_lead_watching_is_told_whose_work_comes_not_that_they_label_twice(qtbot, window, tmp_path):
    """A lead watching the worklist labels nothing: an annotator opening the case on the lead's
    screen is said as whose saved labels will show there. It read ``ben opened this case too:
    you are labelling it twice`` (session 49's walk), and one who had the case open before the lead
    came to it was told as newly there at the next change."""
    from neuroview.ui.worklist_watch import WATCHED

    cases = worklist_folder(tmp_path)
    anna, ben = Worklist.open(cases, user="anna"), Worklist.open(cases, user="ben")
    anna.open_case("b_case.nii.gz")
    actions = window.training_actions
    actions.watch.timer.setInterval(50)
    actions.open_worklist(cases, watch=True)
    qtbot.waitUntil(lambda: actions.worklist_id == "a_case.nii.gz" and not window.runner.busy,
                    timeout=30000)
    ben.open_case("a_case.nii.gz")
    qtbot.waitUntil(lambda: "ben" in window.notice_bar.text, timeout=10000)
    told = window.notice_bar.text.splitlines()[-1]
    assert told.startswith("ben (a window on ") and " opened this case (" in told
    assert told.endswith(WATCHED) and "twice" not in window.notice_bar.text

    actions.next_case()                          # b_case, which anna had open already
    qtbot.waitUntil(lambda: actions.worklist_id == "b_case.nii.gz" and not window.runner.busy,
                    timeout=30000)
    seen = actions.watch.seen
    ben.set_status("a_case.nii.gz", "corrected")
    qtbot.waitUntil(lambda: actions.watch.seen != seen, timeout=10000)
    _spin(0.3)
    assert "anna" not in window.notice_bar.text   # said in the status line as the case opened
