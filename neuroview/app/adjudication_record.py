"""The readers' plan an adjudicator applied (``Case.adjudication``: who decided, the readers
compared, the outline taken per lesion, the adjudicated mask and the lesions' regions), kept in
the workspace beside the crash journal, so that a case restored after a crash sends the record the
killed one would have sent: *Add to training set* said "adjudicated by ..., from readers ..." only
until a crash (the plan was kept in memory only; a restored case went to the training set as
drawn), and the readers dialog's *Save SEG* of a restored case had no plan to write beside it.

:func:`keep_plan` writes the plan (``adjudication-TOKEN.npz``, atomically) before the *Apply*
step is journaled, under a fresh token that the step's meta names (``app.adjudicated_step``); a
restore takes back the plan of every Apply the restored history holds (:func:`recall_plans`), each
by the token its step names, so a plan written by an Apply the kill cut off is no record. Until
session 39 every Apply wrote ``adjudication.npz`` over the one before: Ctrl+Z of the latest
Apply after a restore left the earlier one's voxels without its record (still read, for a
workspace of session 38, whose next compaction gives it its token's name, or deletes it when no
Apply names it). A compaction deletes the plans no step or mark names any longer
(:func:`forget_plans`).
"""

from __future__ import annotations

import copy
import json
import os
import secrets
import stat
import tokenize
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from ..core.atomic import atomic_path
from ..core.jsonfile import parse_json
from ..core.labels import LabelMap
from ..dataset.adjudication import Adjudication, LesionGroup, Other, region_centre
from .adjudicated_step import META, plan_of

PLAN_FILE = "adjudication.npz"
"""The one plan session 38 kept (each Apply over the last): read when no plan of a token is."""


def plan_file(workspace, token: str) -> Path:
    """Where the plan of the Apply naming ``token`` is kept."""
    return Path(workspace) / f"adjudication-{token}.npz"


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


def keep_plan(workspace, record: dict, mask: np.ndarray, groups, value: int,
              landed: Optional[np.ndarray] = None) -> str:
    """Write the plan to be applied (``record``: its provenance without edits; the adjudicated
    ``mask``; the lesion ``groups``; the segment ``value`` it fills; the voxels of ``mask`` it
    writes, ``landed``, default all) into ``workspace``; returns
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
        with atomic_path(plan_file(workspace, token)) as tmp, open(tmp, "wb") as out:
            np.savez_compressed(out, record=np.array(json.dumps(kept)), mask=np.asarray(mask, bool),
                                lesions=lesions, landed=np.asarray(mask if landed is None else landed, bool))
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
    landed: np.ndarray
    """The voxels of the mask the Apply wrote (a locked segment kept the others)."""

    def provenance(self, final_mask: Optional[np.ndarray] = None) -> dict:
        return count_edits(copy.deepcopy(self.record), self.groups, self.landed, final_mask)

    def made(self, labels: LabelMap) -> Optional[LabelMap]:
        return made_map(self.landed, self.segment_value, labels)

    def jump_ijk(self, number: int) -> tuple[int, int, int]:
        """Lesion ``number``'s voxel nearest its centre (the readers dialog goes there)."""
        return next(g for g in self.groups if g.number == number).jump_ijk()


def applied_tokens(session) -> list[tuple[int, str, bool]]:
    """``(key, plan token, undone)`` of each Apply the ``session``'s history holds (its undo and
    redo steps: the key is the step's id), and of the marks kept with the compacted base it starts
    from (keys -N to -1, oldest first: ``app.applied_plans``), oldest first."""
    undo, redo = session.history.undo_steps, session.history.redo_steps
    base = session.adjudicated_base
    found = [(index - len(base), plan_of(mark, None), False) for index, mark in enumerate(base)]
    found += [(step.step_id, plan_of(None, step), undone)
              for steps, undone in ((undo, False), (redo, True)) for step in steps
              if isinstance(step.meta.get(META), dict)]
    return [item for item in found if item[1]]


def recall_plans(workspace, session) -> list[tuple[int, "RecordedPlan", bool]]:
    """``(key, plan, undone)`` (:func:`applied_tokens`' key) of every Apply the restored
    ``session`` holds whose plan is kept in ``workspace`` (none without a workspace; a missing or
    damaged plan is left out)."""
    if workspace is None:
        return []
    found = []
    for step_id, token, undone in applied_tokens(session):
        plan = read_plan(workspace, token, session.labels.array.shape[:3])
        if plan is not None:
            found.append((step_id, plan, undone))
    return found


def forget_plans(workspace, session) -> None:
    """After a compaction: delete the plans no Apply of the ``session``'s history, nor the mark
    kept with the base, names (their steps are in no journal now); a failure leaves them.
    Session 38's ``adjudication.npz`` is renamed to its token's name while an Apply names it,
    else deleted (it was read, never deleted)."""
    tokens = {token for _step, token, _undone in applied_tokens(session)}
    kept = {plan_file(workspace, token).name for token in tokens}
    _name_or_forget_old(workspace, tokens)
    try:
        for path in Path(workspace).glob("adjudication-*.npz"):
            if path.name not in kept:
                path.unlink(missing_ok=True)
    except OSError:
        pass


def _name_or_forget_old(workspace, tokens: set[str]) -> None:
    """Session 38's ``adjudication.npz``: given its token's name when one of ``tokens`` (the
    Applies of the history) is its own and has no file of that name, else deleted."""
    old = Path(workspace) / PLAN_FILE
    try:
        if not os.path.lexists(old):
            return
        token = _token_of(old)
        if token in tokens and not os.path.lexists(plan_file(workspace, token)):
            os.replace(old, plan_file(workspace, token))
        else:
            old.unlink()
    except OSError:   # (a folder of that name: left)
        pass


PLAN_ERRORS = (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError, OverflowError,
               zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, tokenize.TokenError)
"""How a damaged plan file fails (as a damaged base does, ``core.journal``): a record nested deep, a
lesion numbered 1e999 (OverflowError), a zip field or array header damaged; each was an internal
error as the image opened (every opening reads the plans the workspace keeps)."""


def _token_of(path: Path) -> str:
    """The token a kept plan names, "" when it is no plan."""
    try:
        return str(_plan_arrays(path)[0].get("token") or "")
    except PLAN_ERRORS:
        return ""


def _plan_arrays(path) -> tuple[dict, np.ndarray, np.ndarray, np.ndarray]:
    """The record, mask, lesions and voxels landed (the mask in a plan of session 39 or before)
    of the plan file ``path``; ValueError for what is no regular
    file (not blocking: a named pipe put there would hold the open, and the window, for good)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):   # a pipe, a device
            raise ValueError("not a regular file")
        with np.load(handle, allow_pickle=False) as data:
            record = parse_json(str(data["record"]))   # nested deep: ValueError
            if not isinstance(record, dict):
                raise ValueError("no record")
            mask = data["mask"]
            return record, mask, data["lesions"], data["landed"] if "landed" in data.files else mask


def read_plan(workspace, token: str, shape) -> Optional[RecordedPlan]:
    """The plan kept under ``token`` (session 38's ``adjudication.npz`` when it names the token),
    ``None`` when none is, or the file is no plan of an image of ``shape``."""
    from scipy import ndimage  # only with a plan: every image opened went through here

    from ..io.dicom.person_name import dicom_name

    path = plan_file(workspace, token)
    if not os.path.lexists(path):
        path = Path(workspace) / PLAN_FILE
    try:
        record, mask, lesions, landed = _plan_arrays(path)
        if record.pop("token", None) != token or mask.shape != tuple(shape) \
                or lesions.shape != mask.shape or landed.shape != mask.shape:
            return None
        value = int(record.pop("segment_value"))
        taken = {int(item["lesion"]): item["taken_from"] if item["from_reader"] else Other(item["taken_from"])
                 for item in record["lesions"]}
        voxels = {int(item["lesion"]): int(item["voxels"]) for item in record["lesions"]}
    except PLAN_ERRORS:
        return None
    groups = [LesionGroup(number, box, lesions[box] == number, {}, region_centre(box, lesions[box] == number))
              for number, box in enumerate(ndimage.find_objects(lesions), start=1) if box is not None]
    # the record names the adjudicator as people read it (Senior^Sam until session 41): the SEG's PN
    adjudicator = dicom_name(str(record["adjudicator"]))
    return RecordedPlan(Adjudication(mask, adjudicator, taken, voxels), value, record, groups,
                        np.asarray(landed, bool) & mask)
