"""A set of outputs written in a hidden folder, then moved into place all of them or none.

``neuroview followup --out DIR`` and the follow-up window's *Report...* write a report with its
tables, transforms, key slices and masks: a set. They are written in a hidden folder inside the
output folder (``.neuroview-writing.XXXX``); a failed, cancelled or interrupted write removes it
and leaves the folder as it was. Then the files are renamed into place one by one, which no
filesystem does at once for several files: so, before the first rename, an intent file
(``.neuroview-moving.json``, written atomically) names the hidden folder and the files, and it
is deleted after the last. A kill, or an error, between the renames leaves the intent and the
hidden folder with the files not yet moved; the next write in that folder (or
:func:`finish_moves`) moves them and so completes the set, as ``core.commit`` completes a label
map and its sidecar. The report files are moved last: a folder whose report is there holds the
whole set.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, ContextManager, Iterator, Sequence

from . import crash
from .atomic import fsync_dir, write_text_atomic
from .folders import make_folder
from .jsonfile import read_json

STAGE_PREFIX = ".neuroview-writing."
INTENT = ".neuroview-moving.json"


def _files(stage: Path, last: Sequence[str]) -> list[str]:
    """The files under ``stage`` (paths relative to it, ``/``-separated), ``last`` named ones last."""
    found = sorted(Path(root, name).relative_to(stage).as_posix()
                   for root, _dirs, names in os.walk(stage) for name in names)
    return sorted(found, key=lambda rel: rel in last)


def _move(out: Path, stage: Path, files: Sequence[str]) -> None:
    for number, rel in enumerate(files):
        source = stage / rel
        if not source.exists():
            continue   # moved before a kill: the intent's earlier run
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):   # moved meanwhile by another finish_moves
            os.replace(source, target)
        if number == 0:
            crash.point("staged-moving")
    fsync_dir(out)


def finish_moves(out: str | os.PathLike) -> bool:
    """Complete the moves an interrupted write into ``out`` left (its intent file) and remove its
    hidden folder; True when there was one. (A hidden folder without an intent may be another
    write's in progress: it is left alone.)"""
    out = Path(out)
    found = False
    intent = out / INTENT
    with contextlib.suppress(FileNotFoundError):
        try:
            said = read_json(intent)   # bounded: JSON nested deep raised RecursionError
            stage, files = out / Path(said["stage"]).name, [str(f) for f in said["files"]]
        except (OSError, ValueError, KeyError, TypeError):
            stage, files = None, []   # unreadable: written before any rename began (atomically)
        if stage is not None and stage.is_dir():
            _move(out, stage, [f for f in files if ".." not in Path(f).parts])
        intent.unlink()
        fsync_dir(out)
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
        found = True
    return found


@contextlib.contextmanager
def staged_folder(out: str | os.PathLike, last: Sequence[str] = (),
                  hold: Callable[[], ContextManager] = contextlib.nullcontext) -> Iterator[Path]:
    """A hidden folder inside ``out`` (created if needed) to write a set of outputs in; when the
    block ends without an error its files are moved into ``out`` (replacing those of an earlier
    run), the files named in ``last`` (relative paths) last, within ``hold()`` (the CLI holds
    Ctrl+C and SIGTERM there); else it is removed and ``out`` is left as it was. An earlier
    write's moves a kill cut short are completed first (:func:`finish_moves`)."""
    out = make_folder(out)
    finish_moves(out)
    stage = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=out))
    moving = False
    try:
        yield stage
        with hold():
            files = _files(stage, last)
            write_text_atomic(out / INTENT, json.dumps({"stage": stage.name, "files": files}))
            moving = True
            _move(out, stage, files)
            (out / INTENT).unlink()
            moving = False
    finally:
        if not moving:   # a failed move leaves its intent: the next write completes it
            with hold():
                shutil.rmtree(stage, ignore_errors=True)
