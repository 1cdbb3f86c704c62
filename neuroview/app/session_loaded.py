"""The labels as the last label file loaded made them (``Session.loaded_labels``), kept in the
workspace, so that a restore after a crash counts the changed voxels of a loaded segment as the
session before it did (until session 28 they were lost: ``changed_voxels`` read unknown).

Two files per workspace:

- ``loaded-<token>.npz``: the voxels (compressed, fsync'ed), written in the worker that makes the
  load's undo step (``label_files.labels_step``), or on the thread of the session without one;
- ``loaded.json``: which voxel file is current and the segment table as loaded, rewritten
  atomically once the load's step is journaled; older voxel files are then removed.

The load's step names its voxel file in its journaled meta (``"loaded"``), so a kill after the
step is journaled and before ``loaded.json`` is rewritten still finds it (the step is then the
last one restored). A file that is missing, damaged or of another grid only loses the count.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import zipfile
import zlib
from pathlib import Path
from typing import Optional

import numpy as np

from ..core.atomic import fsync_dir, write_text_atomic
from ..core.journal_checks import npy_shape
from ..core.jsonfile import parse_json, read_json_text
from ..core.labels import LabelMap, SegmentTable
from .proposal import write_proposal

LOADED_FILE = "loaded.json"
VOXELS_PREFIX = "loaded-"
STEP_META = "loaded"
"""The key of a load step's meta naming its voxel file."""


def new_voxels_name() -> str:
    return f"{VOXELS_PREFIX}{secrets.token_hex(8)}.npz"


def write_loaded_voxels(folder, array: np.ndarray, name: Optional[str] = None) -> str:
    """Write ``array`` (the label map right after a load) as ``folder/name`` (a new name when
    none is given), fsync'ed; returns the name."""
    name = name or new_voxels_name()
    write_proposal(Path(folder) / name, array, {})
    fsync_dir(folder)
    return name


def discard_voxels(folder, name: Optional[str]) -> None:
    """A voxel file written for a load that was not applied as made."""
    if folder is not None and name:
        with contextlib.suppress(OSError):
            (Path(folder) / name).unlink()


def adopt_loaded(folder, name: str, segments: list) -> None:
    """Make ``name`` (a written voxel file) and ``segments`` (the table as loaded) the labels as
    loaded of the workspace; older voxel files go."""
    write_text_atomic(Path(folder) / LOADED_FILE, json.dumps({"voxels": name, "segments": segments}))
    _remove_voxels(folder, keep=name)


def forget_loaded(folder) -> None:
    """No labels as loaded any more (a map made in memory replaced them, or the restore was
    declined)."""
    with contextlib.suppress(OSError):
        (Path(folder) / LOADED_FILE).unlink()
    _remove_voxels(folder, keep=None)


def _remove_voxels(folder, keep: Optional[str]) -> None:
    for stray in Path(folder).glob(f"{VOXELS_PREFIX}*.npz"):
        if stray.name != keep:
            with contextlib.suppress(OSError):
                stray.unlink()


def loaded_after_restore(folder, labels: LabelMap, steps) -> Optional[LabelMap]:
    """The labels as loaded kept in ``folder`` for a restored ``labels`` (``steps``: the restored
    undo history, oldest first), or ``None`` (none kept, or unreadable). Voxel files no record
    names (a kill before a load's step was journaled) are removed."""
    last = steps[-1] if steps else None
    name, segments = None, None
    from_step = last is not None and last.name == "load_labels" and bool(last.meta.get(STEP_META))
    if from_step:   # a kill before loaded.json was rewritten; the table as loaded is the one restored
        name, segments = str(last.meta[STEP_META]), labels.segments.to_list()
    else:
        with contextlib.suppress(OSError, ValueError):
            record = parse_json(read_json_text(Path(folder) / LOADED_FILE))
            if isinstance(record, dict):
                name, segments = record.get("voxels"), record.get("segments")
    if not isinstance(name, str) or Path(name).name != name or not name.startswith(VOXELS_PREFIX):
        _remove_voxels(folder, keep=None)
        return None
    loaded = _read(Path(folder) / name, labels, segments)
    if loaded is not None and from_step:
        with contextlib.suppress(OSError):
            adopt_loaded(folder, name, segments)   # what a kill stopped
    else:
        _remove_voxels(folder, keep=name)
    return loaded


def _read(path: Path, labels: LabelMap, segments) -> Optional[LabelMap]:
    try:   # its header first: a file of another grid, or a zip of zeros, is not read
        shape, dtype = npy_shape(path, "labels")
        if shape != labels.shape or dtype.kind != "u" or dtype.itemsize > 2:
            return None
        with np.load(path, allow_pickle=False) as data:
            array = data["labels"]
        table = SegmentTable.from_list(segments if isinstance(segments, list) else [])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError,
            zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError):
        return None
    return LabelMap(array, labels.ijk_to_ras, table)


__all__ = ["LOADED_FILE", "STEP_META", "adopt_loaded", "discard_voxels", "forget_loaded",
           "loaded_after_restore", "new_voxels_name", "write_loaded_voxels"]
