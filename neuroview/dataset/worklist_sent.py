"""The worklist cases a training set holds already, which *Next case* passes over.

The lead may add a case with ``neuroview dataset add`` (or a window of another worklist may send
it): the worklist's state does not know, and *Next case* offered the case again, whose *Send* then
asked to replace the label the set holds. A case is recognised as the training set recognises an
image (identity.py: every voxel and the grid), so a copy under another name is too, and marked
``in_training_set`` with its training case (:func:`sent_already`).

Knowing a case's identity means reading its image: :class:`IdentityCache` keeps each by path, size
and modification time, so a case is read once while its file stays as it is. The cases are looked
at in the order *Next case* takes them, up to the first the set does not hold: a click reads one
case more than it did, not the whole worklist.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from ..core.errors import Cancelled, NeuroviewError
from .identity import case_with_identity
from .store import identity_of, ready_to_look_up
from .worklist_sources import WorklistCase


@dataclass(frozen=True)
class CaseIdentity:
    """What the training set records of an image (identity.py): voxels hashed, and the grid."""

    image_id: str
    shape: tuple
    ijk_to_ras: np.ndarray


def file_stamp(path: str | os.PathLike) -> tuple:
    """``(size, mtime_ns)`` of a file; of a folder (a DICOM series), its files' count, total size
    and latest modification, so a file changed, added or removed in it changes the stamp."""
    status = os.stat(path)
    if not os.path.isdir(path):
        return status.st_size, status.st_mtime_ns
    count = size = latest = 0
    for folder, _, files in os.walk(path):
        for name in files:
            try:
                found = os.stat(os.path.join(folder, name))
            except OSError:
                continue
            count, size, latest = count + 1, size + found.st_size, max(latest, found.st_mtime_ns)
    return count, size, latest


class IdentityCache:
    """Image identities of worklist cases by path, kept while the file's stamp stays the same."""

    def __init__(self, load: Optional[Callable] = None) -> None:
        self._load = load
        self._known: dict[tuple, tuple] = {}
        self.reads = 0
        """Images read so far (a cached identity reads none)."""

    def identity(self, path: str | os.PathLike, channel_count: int) -> Optional[CaseIdentity]:
        """The identity of the image at ``path``, or ``None`` where it is no training image (not
        3D, unreadable: *Next case* opens it as before, and says so)."""
        key = (os.path.abspath(path), channel_count)
        try:
            stamp = file_stamp(path)
        except OSError:
            return None
        known = self._known.get(key)
        if known is not None and known[0] == stamp:
            return known[1]
        if self._load is None:
            from ..io import load as read_image

            self._load = read_image
        self.reads += 1
        try:
            identity: Optional[CaseIdentity] = CaseIdentity(
                *identity_of(self._load(Path(path)), channel_count))
        except (NeuroviewError, OSError, ValueError):
            identity = None
        self._known[key] = (stamp, identity)
        return identity


def upcoming(worklist) -> list[WorklistCase]:
    """The cases *Next case* may take, in its order (after the current one, wrapping round): not
    done nor unreadable, not open in another window, and not sent back to be done again (marked
    not done: the set holds an earlier label of it)."""
    cases = worklist.cases
    start = next((i + 1 for i, c in enumerate(cases) if c.case_id == worklist.current), 0)
    held = set(worklist.others.values())
    return [case for case in cases[start:] + cases[:start]
            if not case.done and not case.unreadable and case.mark != "not done"
            and case.case_id not in held and case.case_id != worklist.current]


def sent_already(dataset_dir: str | os.PathLike, cases: list[WorklistCase], cache: IdentityCache,
                 cancel=None) -> dict[str, str]:
    """Case id -> training case (``nv_0003``) of those of ``cases`` (in the order *Next case*
    takes them) that the training set at ``dataset_dir`` holds, up to the first it does not."""
    info = ready_to_look_up(dataset_dir)
    found: dict[str, str] = {}
    for case in cases:
        if cancel is not None and cancel.cancelled:
            raise Cancelled()
        identity = cache.identity(case.path, len(info.channel_names))
        record = None if identity is None else case_with_identity(
            info.folder, identity.image_id, identity.shape, identity.ijk_to_ras)
        if record is None:
            break
        found[case.case_id] = record.case
    return found
