"""The readers' plan an adjudicator applied (``Case.adjudication``: who decided, the readers
compared, the outline taken per lesion, the adjudicated mask and the lesions' regions), kept in
the workspace beside the crash journal, so that a case restored after a crash sends the record the
killed one would have sent: *Add to training set* said "adjudicated by ..., from readers ..." only
until a crash (the plan was kept in memory only; a restored case went to the training set as
drawn), and the readers dialog's *Save SEG* of a restored case had no plan to write beside it.

:func:`keep_plan` writes the plan (``adjudication.npz``, atomically) before the *Apply* step is
journaled, under a fresh token that the step's meta names (``app.adjudicated_step``); a restore
takes the plan back (:func:`recall_plan`) only when the restored Apply names that token, so a plan
written by an Apply the kill cut off, or by an earlier Apply, is no record of the restored one.
"""

from __future__ import annotations

import copy
import json
import os
import secrets
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from ..core.atomic import atomic_path
from ..core.labels import LabelMap
from ..dataset.adjudication import Adjudication, LesionGroup, Other, region_centre
from .adjudicated_step import plan_of

PLAN_FILE = "adjudication.npz"


def count_edits(record: dict, groups, result_mask: np.ndarray, final_mask) -> dict:
    """``record`` (a plan's provenance) with the voxels changed in each lesion since the Apply
    and the voxels drawn outside every reader's lesions, ``final_mask`` the lesions now (``None``:
    ``record`` as it is)."""
    if final_mask is None:
        return record
    final = np.asarray(final_mask) > 0
    union = np.zeros(final.shape, dtype=bool)
    for item, group in zip(record["lesions"], sorted(groups, key=lambda g: g.number)):
        union[group.box] |= group.region
        inside_final, inside_result = final[group.box], result_mask[group.box]
        item["edited_voxels"] = int((inside_final[group.region] != inside_result[group.region]).sum())
    record["voxels_drawn_outside_readers_lesions"] = int((final & ~union).sum())
    return record


def made_map(result_mask: np.ndarray, value: int, labels: LabelMap) -> Optional[LabelMap]:
    """The label map as the Apply made it, in ``labels``' segment ``value`` (``None`` when that
    segment is gone): what the training set's record counts the adjudicator's edits against."""
    segment = labels.segments.segments.get(value)
    if segment is None:
        return None
    made = LabelMap((result_mask * value).astype(labels.array.dtype), labels.ijk_to_ras)
    made.segments.add(segment.name, value=value)
    return made


def keep_plan(workspace, record: dict, mask: np.ndarray, groups, value: int) -> str:
    """Write the plan to be applied (``record``: its provenance without edits; the adjudicated
    ``mask``; the lesion ``groups``; the segment ``value`` it fills) into ``workspace``; returns
    the token the Apply's step names, "" without a workspace or when the write failed (the
    restored case then has no record, as before session 37)."""
    if workspace is None:
        return ""
    token = secrets.token_hex(8)
    lesions = np.zeros(mask.shape, np.uint16)
    for group in groups:
        lesions[group.box][group.region] = group.number
    kept = {**record, "segment_value": int(value), "token": token}
    try:
        with atomic_path(Path(workspace) / PLAN_FILE) as tmp, open(tmp, "wb") as out:
            np.savez_compressed(out, record=np.array(json.dumps(kept)), mask=np.asarray(mask, bool),
                                lesions=lesions)
    except OSError:
        return ""
    return token


@dataclass
class RecordedPlan:
    """A plan read back after a restore: what ``Case.adjudication`` is asked for (the result's
    adjudicator and mask, the segment value, the provenance and the map as made), without the
    readers' masks."""

    result: Adjudication
    segment_value: int
    record: dict
    groups: list

    def provenance(self, final_mask: Optional[np.ndarray] = None) -> dict:
        return count_edits(copy.deepcopy(self.record), self.groups, self.result.mask, final_mask)

    def made(self, labels: LabelMap) -> Optional[LabelMap]:
        return made_map(self.result.mask, self.segment_value, labels)

    def jump_ijk(self, number: int) -> tuple[int, int, int]:
        """Lesion ``number``'s voxel nearest its centre (the readers dialog goes there)."""
        return next(g for g in self.groups if g.number == number).jump_ijk()


def plan_token(session) -> str:
    """The token the restored Apply (``session.adjudicated``) names: its step's, or the mark's
    kept with a compacted base; "" without one."""
    marked = session.adjudicated
    if marked is None:
        return ""
    steps = (*session.history.undo_steps, *session.history.redo_steps)
    return plan_of(marked, next((s for s in steps if marked[0] is not None and s.step_id == marked[0]), None))


def recall_plan(workspace, session) -> Optional[RecordedPlan]:
    """The plan of the Apply the restored ``session`` holds, ``None`` without one (no Apply, no
    workspace, a plan of another Apply, or a file that is no plan)."""
    token = plan_token(session) if workspace is not None else ""
    if not token:
        return None
    from scipy import ndimage  # only with a plan: every image opened went through here

    try:
        # (not blocking: a named pipe put there would hold the open, and the window, for good)
        fd = os.open(Path(workspace) / PLAN_FILE, os.O_RDONLY | os.O_NONBLOCK)
        with open(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):   # a pipe, a device
                return None
            with np.load(handle, allow_pickle=False) as data:
                record, mask, lesions = json.loads(str(data["record"])), data["mask"], data["lesions"]
        if record.pop("token", None) != token or mask.shape != session.labels.array.shape[:3] \
                or lesions.shape != mask.shape:
            return None
        value = int(record.pop("segment_value"))
        taken = {int(item["lesion"]): item["taken_from"] if item["from_reader"] else Other(item["taken_from"])
                 for item in record["lesions"]}
        voxels = {int(item["lesion"]): int(item["voxels"]) for item in record["lesions"]}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError, zipfile.BadZipFile):
        return None
    groups = [LesionGroup(number, box, lesions[box] == number, {}, region_centre(box, lesions[box] == number))
              for number, box in enumerate(ndimage.find_objects(lesions), start=1) if box is not None]
    return RecordedPlan(Adjudication(mask, str(record["adjudicator"]), taken, voxels), value, record, groups)
