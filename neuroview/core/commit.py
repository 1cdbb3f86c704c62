"""Several files written as one (a label map and its sidecar): all of them or none.

Each file is written to a temporary beside its target, named as :func:`core.atomic.atomic_path`
names them (``.labels.nii.k2j4x8ab.nii.gz``), 0600 until complete, then given the umask's mode.
Once every temporary is complete and flushed, a small intent file (``.labels.nii.gz.commit``)
lists the renames and is itself written atomically; then the temporaries are renamed over their
targets and the intent file is deleted. A full disk fails before the intent exists and leaves the
old files untouched; a kill before the intent leaves only temporaries, which :func:`recover`
deletes; a kill after it is completed by :func:`recover`.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Iterator, Sequence

from . import crash
from .atomic import default_mode, fsync_dir, make_parent, write_text_atomic
from .jsonfile import parse_json, read_json_text


def describe(exc: OSError) -> str:
    """Why a write failed, in words ("the disk is full" for ENOSPC)."""
    if getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    return getattr(exc, "strerror", None) or str(exc)


def not_saved(what: str, exc: Exception, targets: Sequence[Path]) -> str:
    """One line for a save that wrote nothing: why, and which old files are kept as they were.
    ``exc``: an OSError, or a neuroview error raised from one ("... (No space left on device)")."""
    if isinstance(exc, OSError):
        reason = describe(exc)
    elif os.strerror(errno.ENOSPC) in str(exc):
        reason = "the disk is full"
    else:
        reason = getattr(exc, "message", str(exc))
    kept = " and ".join(Path(t).name for t in targets if Path(t).exists())
    return f"{what} not saved: {reason}" + (f"; {kept} unchanged" if kept else "")


def _split(target: Path) -> tuple[str, str]:
    suffix = "".join(target.suffixes) or ".tmp"
    return target.stem, suffix


def temporary_for(target: str | os.PathLike) -> Path:
    """A new empty temporary beside ``target``, named as ``atomic_path`` names them."""
    target = Path(target)
    stem, suffix = _split(target)
    fd, name = tempfile.mkstemp(prefix=f".{stem}.", suffix=suffix, dir=target.parent)
    os.close(fd)
    return Path(name)


def stale_temporaries(target: str | os.PathLike) -> list[Path]:
    """Temporaries of ``target`` (from :func:`temporary_for` or ``atomic_path``) left by a kill."""
    target = Path(target)
    stem, suffix = _split(target)
    pattern = re.compile(rf"^\.{re.escape(stem)}\.[A-Za-z0-9_]{{8}}{re.escape(suffix)}$")
    if not target.parent.is_dir():
        return []
    return sorted(p for p in target.parent.iterdir() if pattern.match(p.name))


def _intent(target: Path) -> Path:
    return target.with_name(f".{target.name}.commit")


@contextlib.contextmanager
def write_together(targets: Sequence[str | os.PathLike]) -> Iterator[list[Path]]:
    """Yield one temporary path per target; when the block ends, replace all targets at once."""
    targets = [Path(t) for t in targets]
    make_parent(targets[0].parent)
    temps: list[Path] = []
    try:
        temps = [temporary_for(t) for t in targets]
        yield temps
        for tmp in temps:
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            os.chmod(tmp, default_mode())  # mkstemp's 0600 while written; then the umask's
        crash.point("commit-written")
        write_text_atomic(_intent(targets[0]), json.dumps(
            [[tmp.name, target.name] for tmp, target in zip(temps, targets)]))
    except BaseException:
        for tmp in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise
    crash.point("commit-intent")
    # the writer's own renames, not read back from the intent: a reader finishing the save
    # before may delete this intent (its unlink comes after this one was written)
    _complete(targets[0], [[tmp.name, target.name] for tmp, target in zip(temps, targets)])


def _complete(first: Path, renames: list | None = None) -> None:
    """Do the renames the intent file lists (``renames``: the writer's own). Another process may
    be doing the same (a reader's :func:`finish` beside the writer): a rename or the intent it
    already did is not an error."""
    intent = _intent(first)
    read = None
    if renames is None:
        try:
            read = read_json_text(intent)
        except FileNotFoundError:
            return  # completed by another process meanwhile
        renames = _renames(read)
    for tmp_name, target_name in renames:
        tmp = first.parent / Path(tmp_name).name
        with contextlib.suppress(FileNotFoundError):
            os.replace(tmp, first.parent / Path(target_name).name)
            crash.point("commit-renaming")
    fsync_dir(first.parent)
    if read is not None and _text_or_none(intent) != read:
        return   # a newer save wrote its own intent meanwhile: it is that save's to remove
    intent.unlink(missing_ok=True)
    fsync_dir(first.parent)


def _renames(text: str) -> list:
    """The renames an intent lists: pairs of names, each a temporary of its target (as
    :func:`temporary_for` names them). Anything else is a ``ValueError``: an intent damaged, nested
    too deep, or made to rename one of the folder's files over another."""
    renames = parse_json(text)
    if not isinstance(renames, list) or not all(
            isinstance(r, list) and len(r) == 2 and all(isinstance(n, str) for n in r) for r in renames):
        raise ValueError("the commit intent is not a list of renames")
    for tmp_name, target_name in renames:
        stem, suffix = _split(Path(Path(target_name).name))
        if not re.match(rf"^\.{re.escape(stem)}\.[A-Za-z0-9_]{{8}}{re.escape(suffix)}$", Path(tmp_name).name):
            raise ValueError("the commit intent renames a file that is not a temporary of its target")
    return renames


def _text_or_none(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def finish(targets: Sequence[str | os.PathLike]) -> bool:
    """For a reader: finish a commit of ``targets`` a kill interrupted after its intent (so a
    label map is not read with its old sidecar, or none); True when there was one. Unlike
    :func:`recover` it deletes no temporaries: they may be another program's save in progress.
    An intent that cannot be completed (unreadable, or its files gone) is left for the next save."""
    targets = [Path(t) for t in targets]
    if not _intent(targets[0]).exists():
        return False
    with contextlib.suppress(OSError, ValueError):
        _complete(targets[0])
    return True


def recover(targets: Sequence[str | os.PathLike]) -> bool:
    """Finish a commit of ``targets`` a kill interrupted after its intent, and delete temporaries of
    one interrupted before (the targets' and the intent file's); True when anything was found."""
    targets = [Path(t) for t in targets]
    found = False
    intent = _intent(targets[0])
    if intent.exists():
        try:
            _complete(targets[0])
        except (OSError, ValueError):
            with contextlib.suppress(OSError):
                intent.unlink()  # an unreadable intent: its commit never began renaming
        found = True
    for target in (*targets, intent):   # the intent's own, from a kill while it was written
        for tmp in stale_temporaries(target):
            with contextlib.suppress(OSError):
                tmp.unlink()
            found = True
    return found
