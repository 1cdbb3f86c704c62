"""The models' proposal of a case: what the model results wrote (voxels and segments), merged
result by result, its file in the workspace, and a result made ready in a worker thread."""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from ..core.atomic import private_opener
from ..core.jobs import CancelToken
from ..core.labels import LabelMap, Segment, SegmentTable
from ..core.npz_file import write_npz

PROPOSAL_FILE = "proposal.npz"
PENDING_PROPOSAL = "proposal-pending-"
"""A proposal file a worker wrote, named so until its step is journaled and it is renamed; on
opening it becomes the proposal when the last step restored names it, else it is removed."""


@dataclass
class PreparedResult:
    """A model result made ready in a worker (:meth:`Case.prepare_model_result`)."""

    step: object
    """The ``session_files.ModelStep``."""
    previous: Optional[LabelMap]
    """The case's proposal it was merged into."""
    proposal: LabelMap
    proposal_file: Optional[Path]
    """The new proposal's file, under a temporary name until the step is applied."""
    proposed_at: str = ""
    journal: object = None

    def discard(self) -> None:
        """Not applied at all (the image was closed): its files go (its voxels, its proposal)."""
        if self.journal is not None:
            self.journal.discard_blob(self.step.blob)
        self.discard_proposal_file()

    def discard_proposal_file(self) -> None:
        if self.proposal_file is not None:
            with contextlib.suppress(OSError):
                self.proposal_file.unlink()


def write_proposal(path: Path, array: np.ndarray, meta: dict,
                   cancel: Optional[CancelToken] = None) -> None:
    """The proposal's file at ``path`` (compressed voxels and a JSON header, as
    ``np.savez_compressed`` writes it), fsync'ed. ``cancel`` is looked at between chunks of
    ``core.npz_file.CHUNK_BYTES``: a 512x512x300 map's file was one call of 1.9 s that Cancel
    waited for. Cancelled (or failed), the file is removed."""
    try:
        with open(path, "wb", opener=private_opener) as handle:
            write_npz(handle, {"labels": array, "meta": np.array(json.dumps(meta))}, cancel)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


def _holds(array: np.ndarray, values) -> np.ndarray:
    """``np.isin(array, values)`` for a label array, through a lookup table (5x less CPU on the
    demo's 8.7M voxels)."""
    if array.dtype.kind != "u" or array.dtype.itemsize > 2:
        return np.isin(array, values)
    table = np.zeros(int(np.iinfo(array.dtype).max) + 1, dtype=bool)
    table[[v for v in values if 0 <= v < table.size]] = True
    return table[array]


def merge_proposal(previous: Optional[LabelMap], labels: LabelMap, written) -> LabelMap:
    """The models' proposal after a model result: ``previous`` with the voxels and segments of
    ``written`` (segments of ``labels``, as the result left them) put in, replacing their values."""
    values = [s.value for s in written]
    if previous is None:
        array = np.zeros(labels.shape, dtype=labels.array.dtype)
        table = SegmentTable()
    else:
        array = previous.array.astype(np.result_type(previous.array, labels.array))
        table = SegmentTable.from_list([s for s in previous.segments.to_list() if s["value"] not in values])
        array[_holds(array, values)] = 0
    mask = _holds(labels.array, values)
    array[mask] = labels.array[mask]
    for segment in written:
        table.put(Segment.from_dict(segment.to_dict()))
    return LabelMap(array, labels.ijk_to_ras, table)
