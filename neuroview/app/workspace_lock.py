"""One window edits an image's workspace at a time: the workspace (``case.workspace_for``: one
folder per image in the user's data folder) holds the edit journal a crash is restored from.

A second neuroview window of the same user opening the same image found the first window's live
journal and offered to restore it as "edits from an earlier session"; answering Discard moved the
first window's workspace aside (its later edits then had no journal to be restored from), and
Restore made two windows append to one journal. Each window now holds a lock beside the workspace
(``WORKSPACE.open``, an ``flock``) while it edits: another process's window is told and does not
touch it. The lock goes with the process: a killed window's workspace is offered for restore.
Cases of one process share the lock, unless they name different holders (``holder``: a window):
two windows of one process are two editors as two processes are (until session 40 the second
window of a process offered the first one's live journal back, as two processes did before).

The lock files are removed when their holder lets go, and a killed holder's (or one only looked at
by :func:`in_use_elsewhere`) when it is next looked at, or when this process first holds a
workspace of that folder: they piled up, empty, one per image ever opened. A file is removed only by
a process holding its lock, and a lock taken on a file removed meanwhile is let go and the new file
locked (``core.file_lock``): two windows racing for one image never both edit it.
"""

from __future__ import annotations

import threading
from pathlib import Path

from ..core.atomic import make_parent
from ..core.errors import NeuroviewError
from ..core.file_lock import is_held, release_and_remove, try_exclusive_lock


class WorkspaceInUse(NeuroviewError):
    """Another neuroview window (another process) edits this image."""


_HELD: dict[Path, list] = {}
"""Workspaces this process holds: workspace -> [lock file, number of holds, holder or None]."""

_GUARD = threading.RLock()
"""Held while :data:`_HELD` is read and changed: a restore opens its case in a worker thread."""

_SWEPT: set[Path] = set()
"""Folders of workspaces whose lock files of gone holders this process removed."""

LOCK_SUFFIX = ".open"


def _lock_path(workspace: Path) -> Path:
    # beside the folder, not in it: a workspace set aside (moved) keeps no lock in its place
    return workspace.with_name(workspace.name + LOCK_SUFFIX)


def sweep(folder: Path) -> int:
    """Remove the lock files in ``folder`` that no process holds (their windows were killed); how
    many were removed. Once per folder and process."""
    if folder in _SWEPT:
        return 0
    _SWEPT.add(folder)
    removed = 0
    try:
        paths = [p for p in folder.iterdir() if p.name.endswith(LOCK_SUFFIX)]
    except OSError:
        return 0
    for path in paths:
        if path.with_name(path.name[: -len(LOCK_SUFFIX)]) in _HELD:
            continue
        if not is_held(path) and not path.exists():
            removed += 1
    return removed


def hold(workspace: str | Path, holder: object = None) -> None:
    """Claim ``workspace`` for a case of this process; :class:`WorkspaceInUse` when a window of
    another process edits it, or another ``holder`` of this one (a holder of ``None`` shares with
    any). A place that cannot be locked is used as before, unlocked."""
    with _GUARD:
        _hold(Path(workspace), holder)


def _other_holder(held: list, holder: object) -> bool:
    return holder is not None and held[2] is not None and held[2] is not holder


def _hold(workspace: Path, holder: object) -> None:
    held = _HELD.get(workspace)
    if held is not None:
        if _other_holder(held, holder):
            raise WorkspaceInUse("this image is open for editing in another neuroview window",
                                 hint="edit it there, or close it there and open it here again")
        held[1] += 1
        held[2] = held[2] if held[2] is not None else holder
        return
    try:
        make_parent(workspace.parent)
        sweep(workspace.parent)
        handle = try_exclusive_lock(_lock_path(workspace))
    except OSError:
        return
    if handle is None:
        raise WorkspaceInUse("this image is open for editing in another neuroview window",
                             hint="edit it there, or close it there and open it here again")
    _HELD[workspace] = [handle, 1, holder]


def release(workspace: str | Path) -> None:
    """A case of this process let ``workspace`` go (the last one closes the lock)."""
    with _GUARD:
        _release(Path(workspace))


def _release(workspace: Path) -> None:
    held = _HELD.get(workspace)
    if held is None:
        return
    held[1] -= 1
    if held[1] <= 0:
        del _HELD[Path(workspace)]
        release_and_remove(held[0], _lock_path(Path(workspace)))


def in_use_elsewhere(workspace: str | Path, holder: object = None) -> bool:
    """Whether a window of another process, or another ``holder`` of this one, edits
    ``workspace`` now (nothing is claimed, and no lock file made; a gone holder's is removed)."""
    workspace = Path(workspace)
    with _GUARD:
        held = _HELD.get(workspace)
        if held is not None:
            return _other_holder(held, holder)
    return is_held(_lock_path(workspace))
