"""One window edits an image's workspace at a time: the workspace (``case.workspace_for``: one
folder per image in the user's data folder) holds the edit journal a crash is restored from.

A second neuroview window of the same user opening the same image found the first window's live
journal and offered to restore it as "edits from an earlier session"; answering Discard moved the
first window's workspace aside (its later edits then had no journal to be restored from), and
Restore made two windows append to one journal. Each window now holds a lock beside the workspace
(``WORKSPACE.open``, an ``flock``) while it edits: another process's window is told and does not
touch it. The lock goes with the process: a killed window's workspace is offered for restore.
Cases of one process (two views of one image in one window) share the lock.
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import NeuroviewError
from ..core.file_lock import try_exclusive_lock


class WorkspaceInUse(NeuroviewError):
    """Another neuroview window (another process) edits this image."""


_HELD: dict[Path, list] = {}
"""Workspaces this process holds: workspace -> [lock file, number of holders]."""


def _lock_path(workspace: Path) -> Path:
    # beside the folder, not in it: a workspace set aside (moved) keeps no lock in its place
    return workspace.with_name(workspace.name + ".open")


def hold(workspace: str | Path) -> None:
    """Claim ``workspace`` for a case of this process; :class:`WorkspaceInUse` when a window of
    another process edits it. A place that cannot be locked is used as before, unlocked."""
    workspace = Path(workspace)
    if workspace in _HELD:
        _HELD[workspace][1] += 1
        return
    try:
        workspace.parent.mkdir(parents=True, exist_ok=True)
        handle = try_exclusive_lock(_lock_path(workspace))
    except OSError:
        return
    if handle is None:
        raise WorkspaceInUse("this image is open for editing in another neuroview window",
                             hint="edit it there, or close it there and open it here again")
    _HELD[workspace] = [handle, 1]


def release(workspace: str | Path) -> None:
    """A case of this process let ``workspace`` go (the last one closes the lock)."""
    held = _HELD.get(Path(workspace))
    if held is None:
        return
    held[1] -= 1
    if held[1] <= 0:
        del _HELD[Path(workspace)]
        held[0].close()


def in_use_elsewhere(workspace: str | Path) -> bool:
    """Whether a window of another process edits ``workspace`` now (nothing is claimed)."""
    workspace = Path(workspace)
    if workspace in _HELD:
        return False
    try:
        handle = try_exclusive_lock(_lock_path(workspace)) if workspace.parent.is_dir() else True
    except OSError:
        return False
    if handle is None:
        return True
    if handle is not True:
        handle.close()
    return False
