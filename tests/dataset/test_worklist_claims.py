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


def _folder(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    for name in ("c01.nii.gz", "c02.nii.gz", "c03.nii.gz"):
        (cases / name).write_bytes(b"x")
    return cases


def _state(folder):
    return json.loads((folder / ".neuroview-worklist.json").read_text())


def test_a_killed_window_does_not_keep_its_case(tmp_path):
    folder = _folder(tmp_path)
    ben = ("import os, signal, sys; from neuroview.dataset.worklist import Worklist; "
           "print(Worklist.open(sys.argv[1], user='ben').resume().case_id, flush=True); "
           "os.kill(os.getpid(), signal.SIGKILL)")
    done = subprocess.run([sys.executable, "-c", ben, str(folder)], capture_output=True, text=True,
                          cwd=REPO, timeout=60)
    assert done.returncode == -signal.SIGKILL and done.stdout.strip() == "c01.nii.gz"
    assert _state(folder)["open_by"]["ben"]["case"] == "c01.nii.gz"     # left behind by the kill
    assert Worklist.open(folder, user="anna").resume().case_id == "c01.nii.gz"
    assert "ben" not in _state(folder)["open_by"]                        # and cleaned up
    assert Worklist.open(folder, user="ben").resume().case_id == "c01.nii.gz"   # Ben's place kept


def test_closing_gives_the_claim_up_and_resumes_there(tmp_path):
    folder = _folder(tmp_path)
    ben = Worklist.open(folder, user="ben")
    assert ben.resume().case_id == "c01.nii.gz"
    assert Worklist.open(folder, user="carol").resume().case_id == "c02.nii.gz"   # c01 is Ben's
    ben.leave()                                                          # Ben closes his window
    assert set(_state(folder)["open_by"]) == {"carol"}
    assert Worklist.open(folder, user="anna").resume().case_id == "c01.nii.gz"
    assert Worklist.open(folder, user="ben").resume().case_id == "c01.nii.gz"


def test_a_claim_from_another_machine_lapses_after_claim_hours(tmp_path):
    folder = _folder(tmp_path)
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
    folder = _folder(tmp_path)
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
    folder = _folder(tmp_path)
    Worklist.open(folder, user="ben").resume()
    claim = _state(folder)["open_by"]["ben"]
    assert claim["pid"] == os.getpid()
    assert abs(claim["started"] - psutil.Process().create_time()) < 1e-3
