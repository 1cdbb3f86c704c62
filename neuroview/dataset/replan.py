"""A staged case whose plan of moves (``.staging/CASE/ready.json``) is damaged, settled by ``dataset
repair`` or the next ``add``: its plan is made again from what ``add`` writes when every file of the
case is whole, else the staged folder is set aside in ``incomplete/`` and nothing of it is counted.

``add`` writes that plan only once the case's files are durable, so a damaged plan (a bad sector, a
hand edit) says nothing of the files: each is read through (a NIfTI to its last voxel, the
provenance record as ``dataset list`` reads it) before the case is completed. The new plan is
written atomically before the first move, so a kill while settling leaves either the damaged plan
(settled again next time) or a whole one (completed as any interrupted add)."""

from __future__ import annotations

import gzip
import json
import os
import re
import uuid
import zlib
from pathlib import Path

import numpy as np

from ..core import crash
from ..core.atomic import write_text_atomic
from ..core.errors import NeuroviewError
from ..io.nifti import load_nifti
from .layout import CASE_NAME, FILE_ENDING, IGNORE
from .provenance import read_record

_TEMPORARY = re.compile(r"^\.ready\.[0-9a-f]{8}\.json$")   # core.atomic's, of a plan being written


def planned_moves(case: str, channels: int) -> list[tuple[str, str]]:
    """The moves ``add`` plans for ``case``: its images, its label, its provenance record."""
    names = [f"{case}_{i:04d}{FILE_ENDING}" for i in range(channels)]
    moves = [(name, f"imagesTr/{name}") for name in names]
    return moves + [(f"{case}{FILE_ENDING}", f"labelsTr/{case}{FILE_ENDING}"),
                    (f"{case}.json", f"provenance/{case}.json")]


def _where(folder: Path, staged: Path, source: str, target: str) -> Path | None:
    """A planned file: still staged, or moved already by the interrupted add."""
    if (staged / source).is_file():
        return staged / source
    return folder / target if (folder / target).is_file() else None


def _gzip_whole(path: Path, limit: int) -> bool:
    """Whether ``path`` inflates to its end-of-stream marker and trailer (``gzip -t``), within
    ``limit`` bytes: the voxels read whole from a stream cut after them."""
    total = 0
    try:
        with gzip.open(path, "rb") as stream:
            while chunk := stream.read(1 << 20):
                total += len(chunk)
                if total > limit:
                    return False
    except (OSError, EOFError, zlib.error):
        return False
    return True


def _whole_case(folder: Path, staged: Path, labels: dict[str, int], channels: int) -> tuple[dict, str]:
    """(the labels the case's plan declares, "") when every file of the case is whole, else
    ({}, why not)."""
    case = staged.name
    if not CASE_NAME.fullmatch(case):
        return {}, f"{case} is not a case name of neuroview's"
    moves = planned_moves(case, channels)
    expected = {source for source, _ in moves} | {"ready.json"}
    others = sorted(p.name for p in staged.iterdir()
                    if p.name not in expected and not _TEMPORARY.match(p.name))
    if others:
        return {}, f"it holds {others[0]}, which no add writes"
    paths = [_where(folder, staged, source, target) for source, target in moves]
    if None in paths:
        return {}, f"{moves[paths.index(None)][0]} is missing"
    try:
        record = read_record(paths[-1])
        if record.case != case:
            return {}, f"its provenance names the case {record.case!r}"
        shapes = []
        for path in paths[:-1]:   # the images, then the label: one at a time (a CT's channels)
            array = load_nifti(path).array
            shapes.append(array.shape)
            # every voxel read, yet the stream's end lost: damaged since add wrote it whole
            if not _gzip_whole(path, 8 * array.size + (16 << 20)):
                return {}, f"{path.name} is cut short (its compressed stream ends early)"
    except (NeuroviewError, RecursionError, MemoryError) as exc:
        why = getattr(exc, "message", "") or type(exc).__name__
        return {}, f"{Path(getattr(exc, 'path', '') or paths[-1]).name} cannot be read ({why})"
    if len(set(shapes)) > 1:
        return {}, "its images and label are not on one grid"
    planned = dict(labels)
    if record.partial and IGNORE not in planned:
        planned[IGNORE] = max(planned.values(), default=0) + 1
    if not np.isin(np.unique(array), list(planned.values())).all():   # the label's values
        return {}, f"{case}{FILE_ENDING} holds values that are not labels of the dataset"
    return planned, ""


def settle(folder: Path, staged: Path, labels: dict[str, int], channels: int, damage: str,
           move_in) -> str:
    """Complete the case ``staged`` holds when its files are whole (its plan written again where
    ``damage`` says it is damaged, then ``move_in``), else move the staged folder to
    ``incomplete/``; one line saying which. ``labels``: the plan's, or the dataset's when the plan
    is damaged."""
    planned, why = _whole_case(folder, staged, labels, channels)
    if planned and not damage:
        move_in(folder, staged)
        return f"completed case {staged.name}, whose adding was interrupted"
    if planned:
        moves = planned_moves(staged.name, channels)
        write_text_atomic(staged / "ready.json", json.dumps({"moves": moves, "labels": planned}))
        crash.point("dataset-replanned")
        move_in(folder, staged)
        return (f"completed case {staged.name}, whose adding was interrupted and whose plan of moves "
                f"was damaged ({damage}): each of its files was read whole first")
    aside = folder / "incomplete" / f"{staged.name}-{uuid.uuid4().hex[:8]}"
    aside.parent.mkdir(exist_ok=True)
    os.replace(staged, aside)   # one rename: the case is staged, or aside, never half of each
    damaged = f"its plan of moves was damaged ({damage}) and " if damage else ""
    return (f"set aside the interrupted add of {staged.name} in {aside.relative_to(folder)}, not "
            f"counted: {damaged}{why}")
