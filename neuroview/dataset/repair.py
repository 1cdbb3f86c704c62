"""A training set left by a killed ``add`` (``store.add_case``) made whole again: a case whose
moves were planned (``ready.json``) is completed, one that was not is rolled back, temporaries
and incomplete cases are set aside and ``numTraining`` corrected."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import uuid
from pathlib import Path

from ..core import crash
from ..core.atomic import fsync_dir, write_text_atomic
from ..core.errors import DatasetError
from ..core.jsonfile import read_json_object
from .layout import FILE_ENDING, IGNORE, case_names, check_contents, locked, read_dataset, staging_folder
from .replan import planned_moves, settle

READY = "ready.json"
_TEMP_NAME = re.compile(r"^\.nv_\d{4,}.*")  # core.atomic's temporaries of case files


def _dataset_json(folder: Path) -> dict:
    """dataset.json read within bounds (:func:`.layout.read_dataset` checked its fields before)."""
    return read_json_object(folder / "dataset.json", DatasetError)


def _dataset_labels(folder: Path) -> dict[str, int]:
    return {str(k): int(v) for k, v in _dataset_json(folder)["labels"].items()}


def _channels(folder: Path) -> int:
    return len(_dataset_json(folder)["channel_names"])


def _read_plan(staged: Path) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """The labels and moves ``ready.json`` lists; a damaged one is a :class:`DatasetError` saying
    what is wrong with it."""
    plan = read_json_object(staged / READY, DatasetError)
    try:
        labels = {str(k): int(v) for k, v in plan["labels"].items()}
        moves = [(str(s), str(t)) for s, t in plan["moves"]]
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
        raise DatasetError("its labels or moves are not what neuroview wrote") from None
    if not all(_inside(source, target) for source, target in moves):
        raise DatasetError("a move leads outside the dataset's folders")
    return labels, moves


def _damage(exc: BaseException) -> str:
    return exc.message if isinstance(exc, DatasetError) else "it is nested too deep to read"


def damaged_plans(folder: Path) -> dict[str, str]:
    """Staged cases whose plan of moves is damaged (case -> what is wrong), read only: what
    ``dataset list`` reports, leaves alone and does not count until ``dataset repair`` settles it."""
    staging = staging_folder(folder)
    damaged = {}
    for staged in sorted(staging.iterdir()) if staging.is_dir() else []:
        if (staged / READY).exists():
            try:
                _check_plan(folder, staged, *_read_plan(staged))
            except (DatasetError, RecursionError) as exc:
                damaged[staged.name] = _damage(exc)
    return damaged


def _check_plan(folder: Path, staged: Path, labels: dict[str, int], moves: list) -> None:
    """A plan that reads is still damaged when its moves are not the case's files (one left out
    was deleted with the staging folder) or its labels not the dataset's (written into
    dataset.json)."""
    if sorted(moves) != sorted(planned_moves(staged.name, _channels(folder))):
        raise DatasetError(f"its moves are not those of {staged.name}'s files")
    known = _dataset_labels(folder)
    if labels != known and labels != {**known, IGNORE: max(known.values(), default=0) + 1}:
        raise DatasetError("its labels are not the dataset's")


def _inside(source: str, target: str) -> bool:
    """A move as ``dataset add`` plans it: a staged file's name to ``imagesTr/``, ``labelsTr/``
    or ``provenance/`` under the same name."""
    folder, _, name = target.partition("/")
    return source == name == Path(name).name and name not in ("", ".", "..") \
        and folder in ("imagesTr", "labelsTr", "provenance")


def _labelled(folder: Path) -> int:
    """The cases ``numTraining`` counts: labels in place, less those of an add whose damaged plan
    is not settled yet (a label moved in before the kill: its case may be incomplete)."""
    unsettled = damaged_plans(folder)
    return sum(p.name[: -len(FILE_ENDING)] not in unsettled
               for p in (folder / "labelsTr").glob(f"*{FILE_ENDING}"))


def _write_dataset_json(folder: Path, labels: dict[str, int]) -> None:
    data = _dataset_json(folder)
    data["labels"] = labels
    data["numTraining"] = _labelled(folder)
    write_text_atomic(folder / "dataset.json", json.dumps(data, indent=2) + "\n")


# -- surviving a kill -------------------------------------------------------------------------
# A case is written into ``.staging/CASE/`` (outside nnU-Net's folders), then its link row is
# made durable, then ``ready.json`` (the list of moves) is written atomically: before that file
# exists a crash is rolled back (the staging folder is deleted); after it, it is completed (the
# remaining files are renamed into place). Renames within one file system are atomic, so
# imagesTr/labelsTr never hold a half-written or temporary file.
def move_in(folder: Path, staged: Path) -> None:
    labels, moves = _read_plan(staged)
    if labels != _dataset_json(folder).get("labels"):
        _write_dataset_json(folder, labels)  # a new "ignore" label is declared before it is used
    for source, target in moves:
        if (staged / source).exists():
            os.replace(staged / source, folder / target)
            crash.point("dataset-moving")
    for sub in ("imagesTr", "labelsTr", "provenance"):
        fsync_dir(folder / sub)
    _write_dataset_json(folder, labels)
    shutil.rmtree(staged, ignore_errors=True)


def _moved_in(folder: Path, case: str) -> bool:
    """Whether ``case``'s label is in ``labelsTr`` already (an add killed amid its moves, or a
    replacement): left unsettled, training's reader counted it against ``numTraining``."""
    return (folder / "labelsTr" / f"{case}{FILE_ENDING}").exists()


def _left_unsettled(folder: Path, settle_damaged: bool) -> dict[str, str]:
    """The damaged plans a repair leaves as they are: none with ``settle_damaged``, else those
    whose label is not in place yet (``dataset list`` and training read past them)."""
    if settle_damaged:
        return {}
    return {case: why for case, why in damaged_plans(folder).items() if not _moved_in(folder, case)}


def _problems(folder: Path, num_training: int, settle_damaged: bool) -> bool:
    staging = staging_folder(folder)
    left = set(_left_unsettled(folder, settle_damaged))
    if staging.is_dir() and any(p.name not in left for p in staging.iterdir()):
        return True
    for sub in ("imagesTr", "labelsTr", "provenance"):
        if any(_TEMP_NAME.match(p.name) for p in (folder / sub).iterdir()):
            return True
    if _incomplete_cases(folder):
        return True
    return num_training != _labelled(folder)


def _incomplete_cases(folder: Path) -> dict[str, list[Path]]:
    """Cases missing one of their files (left by a kill of an older neuroview), with the files they
    have."""
    channels = _channels(folder)
    found, unsettled = {}, damaged_plans(folder)
    for case in (c for c in case_names(folder) if c not in unsettled):
        files = [folder / "labelsTr" / f"{case}{FILE_ENDING}", folder / "provenance" / f"{case}.json",
                 *(folder / "imagesTr" / f"{case}_{i:04d}{FILE_ENDING}" for i in range(channels))]
        if not all(p.exists() for p in files):
            found[case] = [p for p in files if p.exists()]
    return found


def repair_locked(folder: Path, settle_damaged: bool = True) -> list[str]:
    """What a killed add left made whole (the dataset locked). A case whose plan of moves is
    damaged is settled (:mod:`.replan`) with ``settle_damaged``, else left as it is, uncounted
    (``dataset list``, training: they read; ``dataset repair`` and ``add`` settle it)."""
    messages = []
    staging = staging_folder(folder)
    unsettled, left = damaged_plans(folder), _left_unsettled(folder, settle_damaged)
    aside_before = set((folder / "incomplete").glob("*"))
    for staged in sorted(staging.iterdir()) if staging.is_dir() else []:
        if staged.name in unsettled:
            if staged.name not in left:   # its label in place already: settled now, as repair does
                messages.append(settle(folder, staged, _dataset_labels(folder), _channels(folder),
                                       unsettled[staged.name], move_in))
        elif (staged / READY).exists():   # each file read whole before it is counted
            messages.append(settle(folder, staged, _read_plan(staged)[0], _channels(folder), "",
                                   move_in))
        else:
            shutil.rmtree(staged, ignore_errors=True)
            messages.append(f"removed the unfinished case {staged.name} (its adding was interrupted)")
    for sub in ("imagesTr", "labelsTr", "provenance"):
        for path in (folder / sub).iterdir():
            if _TEMP_NAME.match(path.name):
                with contextlib.suppress(OSError):
                    path.unlink()
                messages.append(f"removed the temporary file {sub}/{path.name}")
    for case, files in _incomplete_cases(folder).items():
        # the files an interrupted add moved in go with the staged ones just set aside
        aside = next((p for p in sorted((folder / "incomplete").glob(f"{case}-*"))
                      if p not in aside_before and p.is_dir()
                      and not any((p / f.name).exists() for f in files)), None) \
            or folder / "incomplete" / f"{case}-{uuid.uuid4().hex[:8]}"
        aside.mkdir(parents=True, exist_ok=True)
        for path in files:
            os.replace(path, aside / path.name)
        messages.append(f"case {case} was incomplete; its files were moved to {aside.relative_to(folder)}")
    data = _dataset_json(folder)
    if data["numTraining"] != _labelled(folder):
        _write_dataset_json(folder, _dataset_labels(folder))
        messages.append("numTraining in dataset.json was corrected")
    return messages


def repair_dataset(dataset_dir: str | os.PathLike, settle_damaged: bool = False) -> list[str]:
    """Complete or roll back what a killed ``add`` left; returns one line per repair (none when the
    dataset is sound, in which case nothing is written: a read-only copy can be listed). A case
    whose plan of moves is damaged is settled only with ``settle_damaged`` (``dataset repair``)."""
    info = read_dataset(dataset_dir)
    check_contents(info.folder)
    if not _problems(info.folder, info.num_training, settle_damaged):
        return []
    try:
        with locked(info.folder):
            return repair_locked(info.folder, settle_damaged)
    except OSError as exc:  # a read-only copy: report, change nothing
        return [f"left as it is: cannot repair here ({exc.strerror or exc})"]
