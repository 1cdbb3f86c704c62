"""A training set's folder: nnU-Net v2's raw layout, and creating, finding and reading one.

::

    Dataset501_Lesions/
      dataset.json            channel_names, labels, numTraining, file_ending (nnU-Net's keys)
      imagesTr/nv_0001_0000.nii.gz   one file per channel (_0000 T1, _0001 FLAIR, ...)
      labelsTr/nv_0001.nii.gz        dataset label values; "ignore" where nobody reviewed
      provenance/nv_0001.json        model, Dice, changed voxels, annotator, times, status
      neuroview.json                 this store's own bookkeeping (no patient data)

Cases are added by :mod:`.store`; the link from a case's pseudonym back to its source lives
outside this folder (:mod:`.links`).
"""

from __future__ import annotations

import json
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from .. import __version__
from ..core.atomic import write_text_atomic
from ..core.errors import DatasetError
from ..core.file_lock import DATASET_LOCK, exclusive_lock
from ..core.jsonfile import read_json_object, said_json
from ..core.safepath import check_name, name_fault
from .provenance import now_iso

FILE_ENDING = ".nii.gz"
CASE_PREFIX = "nv_"
IGNORE = "ignore"
_DATASET_NAME = re.compile(r"^Dataset(\d{3})_([A-Za-z0-9_-]+)$")
CASE_NAME = re.compile(r"^nv_(\d{4,})$")
"""A case id of neuroview's (``nv_0001``), its number the group: ``CASE_NAME.fullmatch(name)``."""


@dataclass
class DatasetInfo:
    folder: Path
    name: str
    labels: dict[str, int]
    channel_names: dict[str, str]
    num_training: int
    uid: str

    @property
    def foreground(self) -> dict[str, int]:
        return {n: v for n, v in self.labels.items() if v != 0 and n != IGNORE}


def _parse_labels(labels: Sequence[str]) -> dict[str, int]:
    names = [n.strip() for n in labels if n.strip()]
    if not names or names[0].lower() != "background":
        names = ["background"] + names
    if len(set(n.lower() for n in names)) != len(names):
        raise DatasetError(f"label names repeat: {', '.join(names)}")
    if IGNORE in names[:-1]:
        raise DatasetError("'ignore' must be the last label (nnU-Net needs it highest)")
    if len(names) < 2:
        raise DatasetError("give at least one foreground label, e.g. --labels background,lesion")
    return {name: value for value, name in enumerate(names)}


def _refuse_a_second(directory: Path, name: str, dataset_id, present: dict) -> None:
    """A dataset of ``name`` already in ``directory`` (init run twice, by a script or a second
    annotator: a second one of that name split the cases, and the folder named neither), or an id
    another dataset there has (nnU-Net finds datasets by id and stops at two of one id)."""
    same = sorted(folder for folder, match in present.items() if match.group(2) == name)
    if same:
        raise DatasetError(f"already holds the dataset {name} ({same[0]}); add cases to it, or "
                           "choose another name", path=directory)
    taken = sorted(folder for folder, match in present.items()
                   if dataset_id is not None and int(match.group(1)) == int(dataset_id))
    if taken:
        raise DatasetError(f"dataset id {int(dataset_id)} is taken by {taken[0]} (nnU-Net finds a "
                           "dataset by its id); choose another --id", path=directory)


def init_dataset(directory: str | os.PathLike, name: str, labels: Sequence[str],
                 channels: Sequence[str] = ("MRI",), dataset_id: Optional[int] = None,
                 description: str = "") -> Path:
    """Create an empty dataset; returns its folder.

    ``directory`` named ``DatasetNNN_Name`` becomes the dataset itself; any other folder receives
    ``DatasetNNN_NAME`` inside it, NNN being ``dataset_id`` or the first free number from 501.
    Channel names choose nnU-Net's normalisation (``CT`` -> CT windowing, others -> z-score).
    """
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name or ""):
        raise DatasetError("dataset name may only hold letters, digits, '_' and '-': "
                           f"{name_fault(name, '_-', None)} (name not shown)")
    directory = Path(directory)
    if _DATASET_NAME.match(directory.name):
        folder = directory
    else:
        present = {p.name: m for p in (directory.iterdir() if directory.is_dir() else [])
                   if (m := _DATASET_NAME.match(p.name)) and (p / "dataset.json").is_file()}
        _refuse_a_second(directory, name, dataset_id, present)
        if dataset_id is None:
            used = {int(m.group(1)) for p in (directory.iterdir() if directory.is_dir() else [])
                    if (m := _DATASET_NAME.match(p.name))}
            dataset_id = next(n for n in range(501, 1000) if n not in used)
        if not 1 <= int(dataset_id) <= 999:
            raise DatasetError(f"dataset id must be 1..999, got {dataset_id}")
        folder = directory / f"Dataset{int(dataset_id):03d}_{name}"
    if (folder / "dataset.json").exists():
        raise DatasetError("already holds a dataset", path=folder)
    channels = [c.strip() for c in channels if c.strip()]
    if not channels:
        raise DatasetError("give at least one channel name, e.g. --channels T1")
    parsed = _parse_labels(labels)   # refused before any folder is made (it left an empty
    try:                             # DatasetNNN_Name, and the next init took the number after)
        for sub in ("imagesTr", "labelsTr", "provenance"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatasetError(f"cannot create the dataset folder ({exc.strerror or exc})",
                           path=folder) from None
    dataset_json = {
        "name": name,
        "description": description or "training cases corrected in neuroview",
        "channel_names": {str(i): c for i, c in enumerate(channels)},
        "labels": parsed,
        "numTraining": 0,
        "file_ending": FILE_ENDING,
    }
    write_text_atomic(folder / "neuroview.json", json.dumps(
        {"dataset_uid": uuid.uuid4().hex, "created": now_iso(), "neuroview_version": __version__},
        indent=2) + "\n")
    write_text_atomic(folder / "dataset.json", json.dumps(dataset_json, indent=2) + "\n")
    return folder


_INIT_HINT = "create one with 'neuroview dataset init DIR --name NAME --labels ...'"


def find_dataset(directory: str | os.PathLike) -> Path:
    """The dataset folder: ``directory`` itself, or its only ``DatasetNNN_*`` subfolder."""
    directory = Path(directory)
    if not directory.exists():   # a typo or a moved folder: "no dataset here" read as an empty one
        raise DatasetError("no such folder", path=directory, hint=_INIT_HINT)
    if (directory / "dataset.json").is_file():
        return directory
    if directory.is_dir():
        found = sorted(p for p in directory.iterdir()
                       if _DATASET_NAME.match(p.name) and (p / "dataset.json").is_file())
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise DatasetError(f"holds {len(found)} datasets; name one: "
                               + ", ".join(p.name for p in found), path=directory)
    raise DatasetError("no dataset here", path=directory, hint=_INIT_HINT)


def read_dataset(directory: str | os.PathLike) -> DatasetInfo:
    folder = find_dataset(directory)
    data = read_json_object(folder / "dataset.json", DatasetError)
    own = read_json_object(folder / "neuroview.json", DatasetError)
    where = folder / "dataset.json"
    labels = _field(data, "labels", lambda v: {str(k): int(n) for k, n in v.items()}, where,
                    'label names with whole numbers (e.g. {"background": 0, "lesion": 1})')
    channels = _field(data, "channel_names", lambda v: dict(v) if isinstance(v, dict) else {}, where,
                      "")   # anything else is said below, with what belongs there
    info = DatasetInfo(folder, _field(data, "name", _text, where, "text"), labels, channels,
                       _field(data, "numTraining", int, where, "a whole number"),
                       _field(own, "dataset_uid", _text, folder / "neuroview.json", "text"))
    values = list(info.labels.values())
    if info.labels.get("background") != 0 or min(values) < 0 or max(values) > 65535 \
            or len(set(values)) != len(values):
        raise DatasetError("dataset.json's labels must give background 0 and each label its own "
                           'value from 1 to 65535 (e.g. {"background": 0, "lesion": 1})',
                           path=folder / "dataset.json")
    if len(values) < 2:   # dataset add blamed each mask: "values 1 that are not labels of the dataset ()"
        raise DatasetError("dataset.json's labels name no label but background (e.g. "
                           '{"background": 0, "lesion": 1})', path=folder / "dataset.json")
    names = info.channel_names
    if not names or not all(isinstance(v, str) and v for v in names.values()) \
            or set(names) != {str(i) for i in range(len(names))}:
        raise DatasetError("dataset.json's channel_names must name each channel "
                           '(e.g. {"0": "T1", "1": "FLAIR"})', path=folder / "dataset.json")
    # the uid names the private link file in the user's folder: a file must not steer it elsewhere
    check_name(info.uid, "dataset_uid", folder / "neuroview.json", DatasetError)
    return info


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _field(data: dict, key: str, convert, path: Path, what: str):
    """``convert(data[key])``; a missing or unusable value is one line naming the file and the
    field (Python's words were the reason, naming neither: "'int' object is not iterable")."""
    if key not in data:
        raise DatasetError(f"{path.name} has no {key!r}", path=path)
    try:
        return convert(data[key])
    except (ValueError, TypeError, AttributeError, OverflowError):
        raise DatasetError(f"{path.name}'s {key} must be {what}, not {said_json(data[key])}",
                           path=path) from None


def locked(folder: Path):
    """One writer at a time (two windows sending cases at once would pick the same name)."""
    return exclusive_lock(folder / DATASET_LOCK)


def check_contents(folder: Path) -> None:
    """A training set holds its own files: ``imagesTr``, ``labelsTr``, ``provenance`` and the
    staging folder are real folders, and everything in them is a regular file, never a symbolic
    link (one could lead training, or a repair's rename, to a file anywhere on the disk)."""
    for sub in ("imagesTr", "labelsTr", "provenance", staging_folder(folder).name):
        where = folder / sub
        if where.is_symlink() or (where.exists() and not where.is_dir()):
            raise DatasetError(f"{sub} is {'a symbolic link' if where.is_symlink() else 'not a folder'}"
                               "; a training set keeps its cases in its own folders", path=folder)
        for path in where.iterdir() if where.is_dir() else []:
            if where.name == staging_folder(folder).name:
                if path.is_symlink() or not path.is_dir():
                    raise DatasetError(f"{sub}/{path.name} is not a folder of the dataset's own",
                                       path=folder)
                continue
            if path.is_symlink() or not path.is_file():
                kind = "a symbolic link" if path.is_symlink() else "not a regular file"
                raise DatasetError(f"{sub}/{path.name} is {kind}; a training set holds its own "
                                   "files: put the file itself there or remove it", path=folder)


def case_names(folder: Path) -> list[str]:
    names = {p.name[: -len(FILE_ENDING)] for p in (folder / "labelsTr").glob(f"*{FILE_ENDING}")}
    names |= {p.stem for p in (folder / "provenance").glob("*.json")}
    return sorted(n for n in names if CASE_NAME.fullmatch(n))


def next_case_name(folder: Path) -> str:
    numbers = [int(CASE_NAME.fullmatch(n).group(1)) for n in case_names(folder)]
    return f"{CASE_PREFIX}{max(numbers, default=0) + 1:04d}"


def staging_folder(folder: Path) -> Path:
    """Where a case is written before it moves into place (:mod:`.store`: surviving a kill)."""
    return folder / ".staging"
