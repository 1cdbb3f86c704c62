"""``WORKSPACE.open`` lock files went with nobody: one per image ever opened (or only looked at)
stayed, empty, in the workspaces folder for ever. They are removed when their holder lets go, and
a killed holder's when it is next looked at or the folder is first used by another process; a
live holder's never."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from neuroview.app import workspace_lock
from tests.checkout import REPO

HOLDER = """
import sys
from neuroview.app import workspace_lock
workspace_lock.hold(sys.argv[1])
print("holding", flush=True)
sys.stdin.read()
"""


def _holder(workspace):
    """A window (another process) holding ``workspace`` until killed."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(workspace)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert holder.stdout.readline().strip() == "holding"
    return holder


def _killed_holder(workspace):
    holder = _holder(workspace)
    holder.kill()
    assert holder.wait(timeout=30) == -signal.SIGKILL
    assert workspace.with_name(workspace.name + ".open").exists()   # left behind by the kill


def test_letting_go_and_looking_leave_no_lock_file(tmp_path):
    folder = tmp_path / "workspaces"
    workspace_lock.hold(folder / "a")
    assert (folder / "a.open").exists()
    workspace_lock.release(folder / "a")
    assert not workspace_lock.in_use_elsewhere(folder / "b")   # only looked at
    assert sorted(p.name for p in folder.iterdir()) == []


def test_a_killed_holders_lock_file_goes_and_a_live_ones_stays(tmp_path):
    folder = tmp_path / "workspaces"
    folder.mkdir()
    live = _holder(folder / "live")
    try:
        for name in ("looked_at", "swept_1", "swept_2"):
            _killed_holder(folder / name)
        assert not workspace_lock.in_use_elsewhere(folder / "looked_at")   # free: its file goes
        assert not (folder / "looked_at.open").exists()
        workspace_lock.hold(folder / "mine")       # the first hold in the folder: the rest go
        assert sorted(p.name for p in folder.iterdir()) == ["live.open", "mine.open"]
        assert workspace_lock.in_use_elsewhere(folder / "live")
        with pytest.raises(workspace_lock.WorkspaceInUse):
            workspace_lock.hold(folder / "live")
        assert (folder / "live.open").exists()
    finally:
        workspace_lock.release(folder / "mine")
        live.kill()
        live.wait(timeout=30)
