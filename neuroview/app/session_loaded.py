"""The labels as the last label file loaded made them (``Session.loaded_labels``) along the undo
history, kept in the workspace, so that the changed voxels of a loaded segment are counted
against the file that made it: after Ctrl+Z of a *Load labels* step (the file loaded before it,
or none: until session 28 the undone file stayed), after Ctrl+Y, and after a restore.

:class:`LoadedSteps` holds them in memory: each *Load labels* step swaps them (before -> after),
undo and redo swap them back. Two kinds of files per workspace:

- ``loaded-<token>.npz``: the voxels right after one load (compressed, fsync'ed), written in the
  worker that makes the load's undo step (``label_files.labels_step``), or on the thread of the
  session without one; kept while a step of the history (or the journal's base) needs them;
- ``loaded.json``: which voxel file is current and the segment table as loaded, and the same for
  the journal's base (``"base"``: the labels as loaded before the oldest load step journaled)
  and for the labels before each load step in the history (``"befores"``, by step id: a step's
  before never changes, so a ``loaded.json`` older than the journal still names it right),
  rewritten atomically after each load, undo or redo of a load, restore, and after a load step
  left the history (then its voxel files no state names go, after the rewrite).

A load step names its voxel file in its journaled meta (``"loaded"``), so a restore rebuilds the
swaps from the base along the restored steps; a kill before ``loaded.json`` is rewritten loses
nothing. A file that is missing, damaged or of another grid only loses the count.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import tokenize
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from ..core.atomic import fsync_dir, write_text_atomic
from ..core.jobs import CancelToken
from ..core.journal_checks import npy_shape
from ..core.jsonfile import parse_json, read_json_text
from ..core.labels import LabelMap, SegmentTable
from .proposal import write_proposal

LOADED_FILE = "loaded.json"
VOXELS_PREFIX = "loaded-"
STEP_META = "loaded"
"""The key of a load step's meta naming its voxel file."""
LOAD_STEP = "load_labels"


@dataclass(frozen=True)
class Loaded:
    """The labels as loaded at one point of the history: in memory (``labels``; ``None`` until
    read from the workspace), their voxel file there (``name``) and table as loaded (``segments``;
    ``None``: the one of ``labels``). All ``None``: no labels as loaded."""

    labels: Optional[LabelMap] = None
    name: Optional[str] = None
    segments: Optional[list] = None

    def record(self) -> dict:
        table = self.labels.segments.to_list() if self.labels is not None else self.segments
        return {"voxels": self.name, "segments": table}


NOTHING = Loaded()


class LoadedSteps:
    """The labels as loaded now (:attr:`current`) and the swap each load step in the history
    made (``step id -> (before, after)``)."""

    def __init__(self, current: Loaded = NOTHING) -> None:
        self.current = current
        self.swaps: dict[int, tuple[Loaded, Loaded]] = {}

    def loaded(self, step_id: int, after: Loaded, kept_ids) -> None:
        """A load step was committed: ``after`` is current; swaps of steps no longer in the
        history (``kept_ids``) are forgotten."""
        self.keep(kept_ids)
        self.swaps[step_id] = (self.current, after)
        self.current = after

    def keep(self, kept_ids) -> set:
        """Forget the swaps of the steps no longer in the history (``kept_ids``: the ids of
        those in it): no undo or redo reaches them, so their labels as loaded (arrays of the
        image's size) go from memory. Returns the voxel file names no state names any more."""
        before = self.names()
        self.swaps = {i: swap for i, swap in self.swaps.items() if i in kept_ids}
        return before - self.names()

    def moved(self, step_id: int, forward: bool) -> bool:
        """Undo (redo with ``forward``) of a step: whether it swapped the labels as loaded."""
        if step_id not in self.swaps:
            return False
        self.current = self.swaps[step_id][1 if forward else 0]
        return True

    def base(self, journaled) -> Loaded:
        """The labels as loaded before the oldest load step in ``journaled`` (the ids of the
        steps the journal holds), or now when it holds none."""
        ids = sorted(i for i in self.swaps if i in journaled)
        return self.swaps[ids[0]][0] if ids else self.current

    def names(self) -> set:
        states = [self.current, *(s for swap in self.swaps.values() for s in swap)]
        return {s.name for s in states if s.name}

    def read_current(self, folder, labels: LabelMap) -> None:
        """Read the current labels as loaded from the workspace if not in memory yet (after a
        restore); unreadable: none (only the count is lost)."""
        state = self.current
        if state.labels is None and state.name and folder is not None:
            table = state.segments if state.segments is not None else labels.segments.to_list()
            read = _read(Path(folder) / state.name, labels, table)
            self.current = Loaded(read, state.name if read is not None else None)
            for step_id, (before, after) in self.swaps.items():   # read once
                self.swaps[step_id] = tuple(self.current if s is state else s for s in (before, after))


def new_voxels_name() -> str:
    return f"{VOXELS_PREFIX}{secrets.token_hex(8)}.npz"


def write_loaded_voxels(folder, array: np.ndarray, name: Optional[str] = None,
                        cancel: Optional[CancelToken] = None) -> str:
    """Write ``array`` (the label map right after a load) as ``folder/name`` (a new name when
    none is given), fsync'ed; returns the name. Cancelled, nothing is left (``write_proposal``)."""
    name = name or new_voxels_name()
    write_proposal(Path(folder) / name, array, {}, cancel)
    fsync_dir(folder)
    return name


def discard_voxels(folder, name: Optional[str]) -> None:
    """A voxel file written for a load that was not applied as made."""
    if folder is not None and name:
        with contextlib.suppress(OSError):
            (Path(folder) / name).unlink()


def keep_loaded(folder, steps: LoadedSteps, journaled, gone=None) -> None:
    """Write ``loaded.json`` for ``steps`` (``journaled``: the ids of the steps the journal
    holds), then remove the voxel files no state names (``gone``: only those of these names;
    a voxel file a worker is writing for a load not yet applied stays)."""
    base = steps.base(journaled)
    if steps.current == NOTHING and base == NOTHING and not steps.swaps:
        forget_loaded(folder, gone)
        return
    befores = {str(i): before.record() for i, (before, _) in steps.swaps.items()}
    record = {**steps.current.record(), "base": base.record(), "befores": befores}
    write_text_atomic(Path(folder) / LOADED_FILE, json.dumps(record))
    if gone is None:
        _remove_voxels(folder, keep=steps.names())
    else:
        for name in gone:
            discard_voxels(folder, name)


def forget_loaded(folder, gone=None) -> None:
    """No labels as loaded any more (the restore was declined, or the last load left the
    history and none was current); ``gone`` as for :func:`keep_loaded`."""
    with contextlib.suppress(OSError):
        (Path(folder) / LOADED_FILE).unlink()
    if gone is None:
        _remove_voxels(folder, keep=())
    else:
        for name in gone:
            discard_voxels(folder, name)


def _remove_voxels(folder, keep) -> None:
    for stray in Path(folder).glob(f"{VOXELS_PREFIX}*.npz"):
        if stray.name not in keep:
            with contextlib.suppress(OSError):
                stray.unlink()


def _valid(name) -> bool:
    return isinstance(name, str) and Path(name).name == name and name.startswith(VOXELS_PREFIX)


def _state(entry) -> Loaded:
    if not isinstance(entry, dict) or not _valid(entry.get("voxels")):
        return NOTHING
    segments = entry.get("segments")
    return Loaded(None, entry["voxels"], segments if isinstance(segments, list) else [])


def _after(step) -> Loaded:
    """The labels as loaded after a load step (none: a map made in memory, or no workspace)."""
    name = step.meta.get(STEP_META)
    return Loaded(None, name, step.segments_after) if _valid(name) else NOTHING


def loaded_after_restore(folder, labels: LabelMap, undo_steps, redo_steps) -> LoadedSteps:
    """The labels as loaded kept in ``folder`` for a restored ``labels`` (``undo_steps``, oldest
    first, and ``redo_steps``, next first: the restored history), with the swaps of the restored
    load steps. Voxel files no state names (a kill before a load's step was journaled) go."""
    record = None
    with contextlib.suppress(OSError, ValueError):
        record = parse_json(read_json_text(Path(folder) / LOADED_FILE))
    record = record if isinstance(record, dict) else {}
    current = _state(record)
    done = [s for s in undo_steps if s.name == LOAD_STEP]
    undone = [s for s in redo_steps if s.name == LOAD_STEP]
    steps = LoadedSteps(current)
    befores = record.get("befores") if isinstance(record.get("befores"), dict) else {}
    if done or undone:   # from the base along the restored load steps (each one's before, if named)
        steps.current = _state(record["base"]) if "base" in record else current
        for step in done:
            before = _state(befores[str(step.step_id)]) if str(step.step_id) in befores else steps.current
            steps.swaps[step.step_id] = (before, _after(step))
            steps.current = steps.swaps[step.step_id][1]
        state = steps.current
        for step in undone:
            steps.swaps[step.step_id] = (state, _after(step))
            state = steps.swaps[step.step_id][1]
    steps.read_current(folder, labels)
    _remove_voxels(folder, keep=steps.names())
    return steps


def _read(path: Path, labels: LabelMap, segments) -> Optional[LabelMap]:
    try:   # its header first: a file of another grid, or a zip of zeros, is not read
        shape, dtype = npy_shape(path, "labels")
        if shape != labels.shape or dtype.kind != "u" or dtype.itemsize > 2:
            return None
        with np.load(path, allow_pickle=False) as data:
            array = data["labels"]
        table = SegmentTable.from_list(segments if isinstance(segments, list) else [])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError,
            zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, tokenize.TokenError):
        return None
    return LabelMap(array, labels.ijk_to_ras, table)


__all__ = ["LOADED_FILE", "NOTHING", "STEP_META", "Loaded", "LoadedSteps", "discard_voxels",
           "forget_loaded", "keep_loaded", "loaded_after_restore", "new_voxels_name",
           "write_loaded_voxels"]
