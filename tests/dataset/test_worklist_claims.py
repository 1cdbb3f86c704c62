"""A case stays claimed in the worklist's ``open_by`` only while its window is there: closing gives
the claim up, and a claim whose process is gone (on this machine) or that was not renewed for
CLAIM_HOURS is not honoured. Such a claim used to keep its case from every other annotator's
*Next case* for ever."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import psutil

from neuroview.dataset.worklist import Worklist
from neuroview.dataset.worklist_claims import CLAIM_HOURS
from tests.checkout import REPO
from tests.dataset.case_folder import case_folder


def _state(folder):
    return json.loads((folder / ".neuroview-worklist.json").read_text())


def _users(folder) -> dict[str, dict]:
    """The claims in ``open_by`` (keyed by window) by their user."""
    return {claim["user"]: claim for claim in _state(folder)["open_by"].values()}


def test_a_killed_window_does_not_keep_its_case(tmp_path):
    folder = case_folder(tmp_path, count=3)
    ben = ("import os, signal, sys; from neuroview.dataset.worklist import Worklist; "
           "print(Worklist.open(sys.argv[1], user='ben').resume().case_id, flush=True); "
           "os.kill(os.getpid(), signal.SIGKILL)")
    done = subprocess.run([sys.executable, "-c", ben, str(folder)], capture_output=True, text=True,
                          cwd=REPO, timeout=60)
    assert done.returncode == -signal.SIGKILL and done.stdout.strip() == "c01.nii.gz"
    assert _users(folder)["ben"]["case"] == "c01.nii.gz"               # left behind by the kill
    assert Worklist.open(folder, user="anna").resume().case_id == "c01.nii.gz"
    assert "ben" not in _users(folder)                                   # and cleaned up
    assert Worklist.open(folder, user="ben").resume().case_id == "c01.nii.gz"   # Ben's place kept


def test_closing_gives_the_claim_up_and_resumes_there(tmp_path):
    folder = case_folder(tmp_path, count=3)
    ben = Worklist.open(folder, user="ben")
    assert ben.resume().case_id == "c01.nii.gz"
    assert Worklist.open(folder, user="carol").resume().case_id == "c02.nii.gz"   # c01 is Ben's
    ben.leave()                                                          # Ben closes his window
    assert set(_users(folder)) == {"carol"}
    assert Worklist.open(folder, user="anna").resume().case_id == "c01.nii.gz"
    assert Worklist.open(folder, user="ben").resume().case_id == "c01.nii.gz"


def test_a_claim_from_another_machine_lapses_after_claim_hours(tmp_path):
    folder = case_folder(tmp_path, count=3)
    Worklist.open(folder, user="anna").resume()
    now = datetime.now(timezone.utc)
    for hours, anna_gets in ((CLAIM_HOURS - 1, "c02.nii.gz"), (CLAIM_HOURS + 1, "c01.nii.gz")):
        state = _state(folder)
        state["open_by"] = {"ben": {"case": "c01.nii.gz", "host": "another-machine", "pid": 1,
                                    "seen": (now - timedelta(hours=hours)).isoformat()}}
        state["stopped_at"] = {}
        (folder / ".neuroview-worklist.json").write_text(json.dumps(state))
        assert Worklist.open(folder, user="anna").next_case().case_id == anna_gets, hours


def test_a_process_that_was_given_a_dead_windows_id_does_not_keep_its_claim(tmp_path):
    """Process ids are reused: a claim whose id now belongs to another process (started later than
    the claim's window) is not honoured; it used to hold the case until CLAIM_HOURS lapsed."""
    folder = case_folder(tmp_path, count=3)
    Worklist.open(folder, user="anna").resume()
    me = psutil.Process(os.getpid())
    for started, anna_gets in ((me.create_time(), "c02.nii.gz"),            # the claim's own process
                               (me.create_time() - 3600, "c01.nii.gz")):    # its id, another process
        state = _state(folder)
        state["open_by"] = {"ben": {"case": "c01.nii.gz", "host": socket.gethostname(),
                                    "pid": os.getpid(), "started": started,
                                    "seen": datetime.now(timezone.utc).isoformat()}}
        state["stopped_at"] = {}
        (folder / ".neuroview-worklist.json").write_text(json.dumps(state))
        assert Worklist.open(folder, user="anna").next_case().case_id == anna_gets, started


def test_a_new_claim_records_its_process_start(tmp_path):
    folder = case_folder(tmp_path, count=3)
    Worklist.open(folder, user="ben").resume()
    claim = _users(folder)["ben"]
    assert claim["pid"] == os.getpid()
    assert abs(claim["started"] - psutil.Process().create_time()) < 1e-3


_WINDOW = ("import sys; from neuroview.dataset.worklist import Worklist; "
           "Worklist.open(sys.argv[1], user=sys.argv[2]).open_case(sys.argv[3]); "
           "print('holding', flush=True); sys.stdin.read()")


def _window(folder, user, case_id):
    """A window of ``user`` (another process) holding ``case_id`` until killed or its stdin closes."""
    window = subprocess.Popen([sys.executable, "-c", _WINDOW, str(folder), user, case_id],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert window.stdout.readline().strip() == "holding"
    return window


def test_two_windows_of_one_login_each_hold_their_case(tmp_path):
    """Claims were keyed by the login name: a second window of one login (two annotators sharing
    a workstation's login) took the first's claim over, and was not told the first had the case."""
    folder = case_folder(tmp_path, count=3)
    first = _window(folder, "anna", "c01.nii.gz")
    try:
        second = Worklist.open(folder, user="anna")          # this process: anna's second window
        assert list(second.holders("c01.nii.gz").values()) == [
            f"another window of anna (on {socket.gethostname()}, process {first.pid})"]
        assert second.next_case().case_id == "c02.nii.gz"    # the first window's case passed over
        claims = _state(folder)["open_by"]
        assert sorted((c["case"], c["user"], c["pid"]) for c in claims.values()) == [
            ("c01.nii.gz", "anna", first.pid), ("c02.nii.gz", "anna", os.getpid())]
        second.leave()
        assert [c["pid"] for c in _state(folder)["open_by"].values()] == [first.pid]
    finally:
        first.kill()
        first.wait()


def test_a_killed_window_frees_its_case_and_not_its_twins(tmp_path):
    """Two windows of one login; one is killed (SIGKILL): its case is free at once, the other
    window's case stays held. One claim per login: the killed window's claim had replaced its
    twin's, and the twin's case was offered to everyone."""
    folder = case_folder(tmp_path, count=3)
    first = _window(folder, "anna", "c01.nii.gz")
    second = _window(folder, "anna", "c02.nii.gz")
    try:
        second.kill()
        assert second.wait() == -signal.SIGKILL
        ben = Worklist.open(folder, user="ben")
        assert [c for c in ben.others.values()] == ["c01.nii.gz"]
        assert ben.next_case().case_id == "c02.nii.gz"        # the killed window's case, free
        assert {c["pid"] for c in _state(folder)["open_by"].values()} == {first.pid, os.getpid()}
    finally:
        first.kill()
        first.wait()


def test_a_second_window_of_a_login_resumes_on_a_case_nobody_has_open(tmp_path):
    """Each login resumes where it stopped, but not on the case another window of that login has
    open: the second window was put on the first's case (and was given it without editing)."""
    folder = case_folder(tmp_path, count=3)
    first = _window(folder, "anna", "c02.nii.gz")           # anna stopped at c02, still open
    try:
        assert Worklist.open(folder, user="anna").resume().case_id == "c03.nii.gz"
        assert Worklist.open(folder, user="ben").resume().case_id == "c01.nii.gz"
    finally:
        first.kill()
        first.wait()
    assert Worklist.open(folder, user="anna").resume().case_id == "c03.nii.gz"   # where anna stopped
