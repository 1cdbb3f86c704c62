"""Two holders (windows) of one process are two editors of a workspace, as two processes are; a
holder of ``None`` (a script's case) shares with any, as every case of a process did until
session 40."""

from __future__ import annotations

import pytest

from neuroview.app.workspace_lock import WorkspaceInUse, hold, in_use_elsewhere, release


def test_a_second_holder_of_the_process_is_refused_until_the_first_lets_go(tmp_path):
    workspace = tmp_path / "ws" / "image-key"
    first, second = object(), object()
    hold(workspace, first)
    try:
        assert in_use_elsewhere(workspace, second) and not in_use_elsewhere(workspace, first)
        assert not in_use_elsewhere(workspace)   # no holder named: this process's
        with pytest.raises(WorkspaceInUse, match="open for editing in another neuroview window"):
            hold(workspace, second)
        hold(workspace)                          # shared, as before
        release(workspace)
    finally:
        release(workspace)
    assert not in_use_elsewhere(workspace, second)
    hold(workspace, second)                      # free now
    release(workspace)
