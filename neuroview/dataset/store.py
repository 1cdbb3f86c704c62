"""Training sets in nnU-Net v2's raw layout, built one corrected case at a time.

::

    Dataset501_Lesions/
      dataset.json            channel_names, labels, numTraining, file_ending (nnU-Net's keys)
      imagesTr/nv_0001_0000.nii.gz   one file per channel (_0000 T1, _0001 FLAIR, ...)
      labelsTr/nv_0001.nii.gz        dataset label values; "ignore" where nobody reviewed
      provenance/nv_0001.json        model, Dice, changed voxels, annotator, times, status
      neuroview.json                 this store's own bookkeeping (no patient data)

Case names are pseudonyms (``nv_0001``); images carry pixels and geometry only (see deid.py). The
link from a pseudonym back to its source (path, patient ID, study/series UIDs) is kept in a
private file *outside* the dataset folder, by default ``user_data_dir()/private-links/`` (see
:func:`default_links_path`): a dataset folder, or the folder holding it, is what people copy to a
training server or share, and the private folder of the user who made it never travels with it.

The Qt-free entry point for "Send to training set" is :func:`add_case`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from .. import __version__
from ..core import crash
from ..core.atomic import fsync_dir, write_text_atomic
from ..core.errors import DatasetError
from ..core.file_lock import exclusive_lock
from ..core.labels import LabelMap, as_label_array
from ..core.safepath import check_name, safe_join
from ..core.volume import Volume
from ..io.nifti import save_nifti
from ..paths import user_data_dir
from . import deid
from .channels import check_channel_modalities
from .identity import case_with_image, geometry_of, image_identity, record_missing_identities
from .provenance import CaseRecord, Provenance, compare_segments, now_iso, read_record, split_model

FILE_ENDING = ".nii.gz"
CASE_PREFIX = "nv_"
IGNORE = "ignore"
_DATASET_NAME = re.compile(r"^Dataset(\d{3})_([A-Za-z0-9_-]+)$")
_CASE_NAME = re.compile(r"^nv_(\d{4,})$")
_READY = "ready.json"
_TEMP_NAME = re.compile(r"^\.nv_\d{4,}.*")  # core.atomic's temporaries of case files
log = logging.getLogger(__name__)


@dataclass
class DatasetInfo:
    folder: Path
    name: str
    labels: dict[str, int]
    channel_names: dict[str, str]
    num_training: int
    uid: str

    @property
    def ignore_value(self) -> Optional[int]:
        return self.labels.get(IGNORE)

    @property
    def foreground(self) -> dict[str, int]:
        return {n: v for n, v in self.labels.items() if v != 0 and n != IGNORE}


# -- creating and finding datasets ------------------------------------------------------------
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


def init_dataset(directory: str | os.PathLike, name: str, labels: Sequence[str],
                 channels: Sequence[str] = ("MRI",), dataset_id: Optional[int] = None,
                 description: str = "") -> Path:
    """Create an empty dataset; returns its folder.

    ``directory`` named ``DatasetNNN_Name`` becomes the dataset itself; any other folder receives
    ``DatasetNNN_NAME`` inside it, NNN being ``dataset_id`` or the first free number from 501.
    Channel names choose nnU-Net's normalisation (``CT`` -> CT windowing, others -> z-score).
    """
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name or ""):
        raise DatasetError(f"dataset name {name!r} may only hold letters, digits, '_' and '-'")
    directory = Path(directory)
    if _DATASET_NAME.match(directory.name):
        folder = directory
    else:
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
    try:
        for sub in ("imagesTr", "labelsTr", "provenance"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatasetError(f"cannot create the dataset folder ({exc.strerror or exc})",
                           path=folder) from None
    dataset_json = {
        "name": name,
        "description": description or "training cases corrected in neuroview",
        "channel_names": {str(i): c for i, c in enumerate(channels)},
        "labels": _parse_labels(labels),
        "numTraining": 0,
        "file_ending": FILE_ENDING,
    }
    write_text_atomic(folder / "neuroview.json", json.dumps(
        {"dataset_uid": uuid.uuid4().hex, "created": now_iso(), "neuroview_version": __version__},
        indent=2) + "\n")
    write_text_atomic(folder / "dataset.json", json.dumps(dataset_json, indent=2) + "\n")
    return folder


def find_dataset(directory: str | os.PathLike) -> Path:
    """The dataset folder: ``directory`` itself, or its only ``DatasetNNN_*`` subfolder."""
    directory = Path(directory)
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
    raise DatasetError("no dataset here", path=directory,
                       hint="create one with 'neuroview dataset init DIR --name NAME --labels ...'")


def read_dataset(directory: str | os.PathLike) -> DatasetInfo:
    folder = find_dataset(directory)
    try:
        data = json.loads((folder / "dataset.json").read_text(encoding="utf-8"))
        own = json.loads((folder / "neuroview.json").read_text(encoding="utf-8"))
        labels = {str(k): int(v) for k, v in data["labels"].items()}
        info = DatasetInfo(folder, str(data["name"]), labels, dict(data["channel_names"]),
                           int(data["numTraining"]), str(own["dataset_uid"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DatasetError(f"dataset.json or neuroview.json is unreadable ({exc})", path=folder) from None
    # the uid names the private link file in the user's folder: a file must not steer it elsewhere
    check_name(info.uid, "dataset_uid", folder / "neuroview.json", DatasetError)
    return info


def default_links_path(info: DatasetInfo) -> Path:
    """The private pseudonym -> source file of a dataset, in the user's own data folder."""
    return safe_join(user_data_dir() / "private-links", f"{info.folder.name}-{info.uid}.json",
                     error=DatasetError, what="private link file")


def _locked(folder: Path):
    """One writer at a time (two windows sending cases at once would pick the same name)."""
    return exclusive_lock(folder / ".neuroview.lock")


def check_contents(folder: Path) -> None:
    """A training set holds its own files: ``imagesTr``, ``labelsTr``, ``provenance`` and the
    staging folder are real folders, and everything in them is a regular file, never a symbolic
    link (one could lead training, or a repair's rename, to a file anywhere on the disk)."""
    for sub in ("imagesTr", "labelsTr", "provenance", _staging(folder).name):
        where = folder / sub
        if where.is_symlink() or (where.exists() and not where.is_dir()):
            raise DatasetError(f"{sub} is {'a symbolic link' if where.is_symlink() else 'not a folder'}"
                               "; a training set keeps its cases in its own folders", path=folder)
        for path in where.iterdir() if where.is_dir() else []:
            if where.name == _staging(folder).name:
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
    return sorted(n for n in names if _CASE_NAME.match(n))


def _next_case_name(folder: Path) -> str:
    numbers = [int(_CASE_NAME.match(n).group(1)) for n in case_names(folder)]
    return f"{CASE_PREFIX}{max(numbers, default=0) + 1:04d}"


# -- adding a case ----------------------------------------------------------------------------
def _channels_of(volumes: Volume | Sequence[Volume], expected: int) -> list[Volume]:
    volumes = [volumes] if isinstance(volumes, Volume) else list(volumes)
    if len(volumes) == 1 and volumes[0].array.ndim == 4 and volumes[0].axis4 == "channel":
        whole = volumes[0]
        volumes = [Volume(whole.frame(c), whole.ijk_to_ras, modality=whole.modality,
                          source_metadata=whole.source_metadata) for c in range(whole.n_frames)]
    for volume in volumes:
        if volume.array.ndim != 3:
            raise DatasetError(f"a training image must be 3D, got shape {volume.array.shape}",
                               hint="choose one time point or series")
    if len(volumes) != expected:
        raise DatasetError(f"this dataset expects {expected} channel(s) per case, got {len(volumes)}")
    return volumes


def _to_dataset_values(label_map: LabelMap, info: DatasetInfo) -> np.ndarray:
    """The label map with the dataset's values: segments matched by name, else by value."""
    by_name = {n.lower(): v for n, v in info.foreground.items()}
    valid = set(info.foreground.values())
    present = [int(v) for v in np.unique(label_map.array) if v != 0]
    lut = np.zeros(max(present, default=0) + 1, dtype=np.uint8)
    for value in present:
        segment = label_map.segments.segments.get(value)
        if segment is not None and segment.name.lower() in by_name:
            lut[value] = by_name[segment.name.lower()]
        elif segment is not None and segment.origin == "model" and segment.name.lower() == "brain":
            lut[value] = 0  # the brain mask a model's brain extraction added: context, not a label
        elif value in valid and (segment is None or segment.name.startswith("Segment ")):
            lut[value] = value
        else:
            what = repr(segment.name) if segment is not None else f"value {value}"
            raise DatasetError(f"segment {what} is not a label of this dataset "
                               f"({', '.join(info.foreground)})",
                               hint="rename the segment or add the label to dataset.json")
    return lut[label_map.array]


def _dataset_labels_of(label_map: LabelMap, info: DatasetInfo, segments) -> set[int]:
    """The dataset label values that ``segments`` of ``label_map`` become (as
    :func:`_to_dataset_values` matches them: by name, else ``Segment N`` by value)."""
    by_name = {n.lower(): v for n, v in info.foreground.items()}
    valid = set(info.foreground.values())
    values = set()
    for segment in segments:
        if segment.name.lower() in by_name:
            values.add(by_name[segment.name.lower()])
        elif segment.value in valid and segment.name.startswith("Segment "):
            values.add(segment.value)
    return values


def _proposed_labels(label_map: LabelMap, proposal: Optional[LabelMap], info: DatasetInfo,
                     status: str = "final") -> set[int]:
    """Dataset labels the model proposed: every segment of the proposal (and any unnamed value in
    it); without a proposal, the final mask's segments whose origin is a model, or, when none says
    so and the status is ``proposed`` (a model's mask as is), every label (it recorded them as
    drawn by a person, which the status denies)."""
    if proposal is None:
        made = [s for s in label_map.segments if s.origin == "model"]
        if status == "proposed" and not made:
            return set(info.foreground.values())
        return _dataset_labels_of(label_map, info, made)
    values = _dataset_labels_of(proposal, info, list(proposal.segments))
    valid = set(info.foreground.values())
    for value in np.unique(proposal.array):
        if value and int(value) not in proposal.segments and int(value) in valid:
            values.add(int(value))
    return values


def _source_link(volume: Volume) -> dict:
    meta = volume.source_metadata
    keep = ("PatientID", "IssuerOfPatientID", "StudyInstanceUID", "SeriesInstanceUID",
            "AccessionNumber", "StudyDate")
    return {"source_path": os.path.abspath(volume.source_path) if volume.source_path else "",
            **{k: str(meta[k]) for k in keep if meta.get(k)}}


def _read_links(path: Path) -> dict:
    if not path.exists():
        return {"cases": {}, "subjects": {}}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DatasetError(f"private link file is unreadable ({exc})", path=path) from None


_SUBJECT = re.compile(r"^sub_(\d{4,})$")


def _subjects_in(folder: Path) -> set[str]:
    """The subject pseudonyms the dataset's cases carry (whoever added them)."""
    subjects = set()
    for path in (folder / "provenance").glob("*.json"):
        try:
            subjects.add(str(json.loads(path.read_text(encoding="utf-8")).get("subject", "")))
        except (OSError, ValueError, AttributeError):
            continue   # an unreadable record is reported by list and repair, not here
    return subjects


def _patient_key(source: dict) -> str:
    """PatientID, qualified by its IssuerOfPatientID when the header names one (HL7's
    ``ID^^^issuer``): one ID issued by two hospitals is two people, who were one subject."""
    patient, issuer = source.get("PatientID", ""), source.get("IssuerOfPatientID", "")
    return f"{patient}^^^{issuer}" if patient and issuer else patient


def _subject_for(links: dict, patient_key: str, folder: Path) -> str:
    """Same patient -> same subject pseudonym (keeps a patient's cases in one fold). A new one
    is numbered after every subject of the dataset, not only those of this user's private link
    file: a second annotator (or a lost link file) started again at sub_0001, and unrelated
    patients then shared a subject, and so a fold. A key of a link file written before issuers
    were recorded (the PatientID alone) is taken by the first issuer of that ID seen since; a
    second issuer of it gets a subject of its own."""
    subjects = links.setdefault("subjects", {})
    if patient_key and patient_key in subjects:
        return subjects[patient_key]
    bare = patient_key.partition("^^^")[0]
    if bare != patient_key and bare in subjects and not any(
            k.startswith(f"{bare}^^^") for k in subjects):
        subjects[patient_key] = subjects[bare]
        return subjects[bare]
    taken = [int(m.group(1)) for m in map(_SUBJECT.match, {*subjects.values(), *_subjects_in(folder)}) if m]
    subject = f"sub_{max(taken, default=0) + 1:04d}"
    subjects[patient_key or f"unknown-{uuid.uuid4().hex}"] = subject
    return subject


def add_case(dataset_dir: str | os.PathLike, volume: Volume | Sequence[Volume], label_map: LabelMap,
             provenance: Optional[Provenance] = None, *, proposal: Optional[LabelMap] = None,
             reviewed: Optional[np.ndarray] = None,
             links_path: Optional[str | os.PathLike] = None,
             same_image: str = "replace", allow_modality_mismatch: bool = False) -> CaseRecord:
    """Add one case ("Send to training set"); returns its provenance record.

    ``volume``: the image, or one Volume per channel in dataset order, all on the label map's
    grid. ``label_map``: the final mask (segments matched to dataset labels by name, or by value
    when unnamed). ``proposal``: the model's mask before correction, for Dice/changed voxels.
    ``reviewed``: bool array, True where the annotator reviewed; elsewhere the label is "ignore"
    (added to dataset.json the first time). Nothing is left behind when it fails.

    An image the dataset already holds (same voxels and geometry, whatever its file name: see
    identity.py) is not added twice. ``same_image="replace"`` (the default, as MONAI Label does
    when an image is labelled again) gives that case the new label and provenance, keeping its
    case id and subject (so its fold); the record's ``replaced`` lists the earlier versions.
    ``same_image="refuse"`` raises :class:`DatasetError` naming the case instead.

    A CT image for a channel named as MR (``MRI``, ``T1``...) or the reverse is refused, naming
    the file and the channel (channels.py), unless ``allow_modality_mismatch``.
    """
    if same_image not in ("replace", "refuse"):
        raise ValueError(f"same_image must be 'replace' or 'refuse', not {same_image!r}")
    for what, mask in (("label_map", label_map), ("proposal", proposal)):
        if mask is not None and not isinstance(mask, LabelMap):  # an array was an AttributeError
            raise TypeError(f"{what} must be a LabelMap, not {type(mask).__name__}: "
                            "LabelMap.from_array(array, volume.ijk_to_ras) makes one of an array on "
                            "the image grid (neuroview.core.labels)")
    provenance = provenance or Provenance()
    info = read_dataset(dataset_dir)
    folder = info.folder
    channels = _channels_of(volume, len(info.channel_names))
    if not allow_modality_mismatch:
        check_channel_modalities(channels, list(info.channel_names.values()))
    for channel in channels:
        label_map.require_grid_of(channel)
    final = _to_dataset_values(label_map, info)
    proposed = None
    if proposal is not None:
        if not np.array_equal(proposal.array.shape, label_map.array.shape):
            raise DatasetError("the proposal is not on the grid of the final mask")
        proposed = _to_dataset_values(proposal, info)
    if reviewed is not None:
        reviewed = np.asarray(reviewed, dtype=bool)
        if reviewed.shape != final.shape:
            raise DatasetError(f"reviewed mask shape {reviewed.shape} differs from {final.shape}")
    model = provenance.model or next(
        (s.model for s in label_map.segments if s.origin == "model" and s.model), "")
    links_path = Path(links_path) if links_path else default_links_path(info)
    if links_path.resolve().is_relative_to(folder.resolve()):
        raise DatasetError("the private link file must live outside the dataset folder",
                           path=links_path)
    image_id = image_identity([c.array for c in channels])

    with _locked(folder):
        check_contents(folder)
        for message in _repair_locked(folder):
            log.warning("%s: %s", folder.name, message)
        record_missing_identities(folder, len(channels), FILE_ENDING)
        earlier = case_with_image(folder, channels, image_id)
        if earlier is not None and same_image == "refuse":
            raise DatasetError(f"this image is already case {earlier.case} (added {earlier.added_at})",
                               path=folder, hint="to give that case this label instead, add it with "
                                                 "--if-present replace (same_image='replace')")
        case = earlier.case if earlier is not None else _next_case_name(folder)
        links = _read_links(links_path)
        source = _source_link(channels[0])
        record = CaseRecord(
            case=case, subject=earlier.subject if earlier is not None
            else _subject_for(links, _patient_key(source), folder),
            status=provenance.status, model=split_model(model), annotator=provenance.annotator,
            editing_seconds=provenance.editing_seconds, proposed_at=provenance.proposed_at,
            corrected_at=provenance.corrected_at or (now_iso() if provenance.status == "final" else None),
            added_at=now_iso(), channels=list(info.channel_names.values()),
            modality=channels[0].modality, shape=list(label_map.shape),
            spacing_mm=[round(s, 6) for s in label_map.spacing],
            partial=reviewed is not None and not bool(reviewed.all()),
            reviewed_fraction=1.0 if reviewed is None else round(float(reviewed.mean()), 6),
            segments=compare_segments(final, info.labels, label_map.voxel_volume_ml, proposed, reviewed,
                                      _proposed_labels(label_map, proposal, info, provenance.status)),
            neuroview_version=__version__, interaction=provenance.interaction,
            adjudication=provenance.adjudication, image_id=image_id,
            image_geometry=geometry_of(channels[0]),
            replaced=[] if earlier is None else [*earlier.replaced, {
                "added_at": earlier.added_at, "annotator": earlier.annotator,
                "status": earlier.status, "model": earlier.model}],
        )
        labels = dict(info.labels)
        if record.partial:
            if IGNORE not in labels:
                labels[IGNORE] = max(labels.values()) + 1
            final = final.copy()
            final[~reviewed] = labels[IGNORE]
        staged = _staging(folder) / case
        shutil.rmtree(staged, ignore_errors=True)
        staged.mkdir(parents=True)
        try:
            moves = []
            for index, channel in enumerate(channels):
                name = f"{case}_{index:04d}{FILE_ENDING}"
                moves.append((name, f"imagesTr/{name}"))
                save_nifti(np.asarray(deid.scrub_volume(channel).array), channel.ijk_to_ras,
                           staged / name)
                crash.point("dataset-image")
            moves.append((f"{case}{FILE_ENDING}", f"labelsTr/{case}{FILE_ENDING}"))
            save_nifti(as_label_array(final), label_map.ijk_to_ras, staged / moves[-1][0])
            moves.append((f"{case}.json", f"provenance/{case}.json"))
            write_text_atomic(staged / moves[-1][0], record.to_json())
            # The annotator's own name may equal a physician named in the header: it is recorded
            # on purpose (it identifies who corrected, not the patient), so it is not searched.
            values = [v for v in {v for c in channels for v in deid.identifying_values(c.source_metadata)}
                      if not provenance.annotator or v not in provenance.annotator]
            leaks = deid.find_identifiers([staged / m[0] for m in moves], values, limit=1 << 16)
            if leaks:
                raise DatasetError(f"refused: an identifying value of the source would be written "
                                   f"to {Path(leaks[0][0]).name}")
            crash.point("dataset-staged")
            links.setdefault("dataset", folder.name)
            links.setdefault("cases", {})[case] = {**source, "subject": record.subject,
                                                   "added_at": record.added_at}
            _write_private(links_path, links)
            crash.point("dataset-linked")
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        # The point of no return: from here a crash is completed by the next add or list (a
        # replacement's renames overwrite the old files one by one; the repair finishes them).
        write_text_atomic(staged / _READY, json.dumps({"moves": moves, "labels": labels}))
        crash.point("dataset-ready")
        _move_in(folder, staged)
    return record


def _write_private(path: Path, links: dict) -> None:
    """The link file is 0600 from its first byte; an existing folder keeps its mode (it may be
    one the user chose, shared with other files); a folder made here for it is 0700."""
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, mode=0o700)
    write_text_atomic(path, json.dumps(links, indent=2) + "\n", mode=0o600)


def _write_dataset_json(folder: Path, labels: dict[str, int]) -> None:
    data = json.loads((folder / "dataset.json").read_text(encoding="utf-8"))
    data["labels"] = labels
    data["numTraining"] = len(list((folder / "labelsTr").glob(f"*{FILE_ENDING}")))
    write_text_atomic(folder / "dataset.json", json.dumps(data, indent=2) + "\n")


# -- surviving a kill -------------------------------------------------------------------------
# A case is written into ``.staging/CASE/`` (outside nnU-Net's folders), then its link row is
# made durable, then ``ready.json`` (the list of moves) is written atomically: before that file
# exists a crash is rolled back (the staging folder is deleted); after it, it is completed (the
# remaining files are renamed into place). Renames within one file system are atomic, so
# imagesTr/labelsTr never hold a half-written or temporary file.
def _staging(folder: Path) -> Path:
    return folder / ".staging"


def _move_in(folder: Path, staged: Path) -> None:
    plan = json.loads((staged / _READY).read_text(encoding="utf-8"))
    labels = {str(k): int(v) for k, v in plan["labels"].items()}
    if labels != json.loads((folder / "dataset.json").read_text(encoding="utf-8"))["labels"]:
        _write_dataset_json(folder, labels)  # a new "ignore" label is declared before it is used
    for source, target in plan["moves"]:
        if (staged / source).exists():
            os.replace(staged / source, folder / target)
            crash.point("dataset-moving")
    for sub in ("imagesTr", "labelsTr", "provenance"):
        fsync_dir(folder / sub)
    _write_dataset_json(folder, labels)
    shutil.rmtree(staged, ignore_errors=True)


def _problems(folder: Path, num_training: int) -> bool:
    staging = _staging(folder)
    if staging.is_dir() and any(staging.iterdir()):
        return True
    for sub in ("imagesTr", "labelsTr", "provenance"):
        if any(_TEMP_NAME.match(p.name) for p in (folder / sub).iterdir()):
            return True
    if _incomplete_cases(folder):
        return True
    return num_training != len(list((folder / "labelsTr").glob(f"*{FILE_ENDING}")))


def _incomplete_cases(folder: Path) -> dict[str, list[Path]]:
    """Cases missing one of their files (left by a kill of an older neuroview), with the files they
    have."""
    channels = len(json.loads((folder / "dataset.json").read_text(encoding="utf-8"))["channel_names"])
    found = {}
    for case in case_names(folder):
        files = [folder / "labelsTr" / f"{case}{FILE_ENDING}", folder / "provenance" / f"{case}.json",
                 *(folder / "imagesTr" / f"{case}_{i:04d}{FILE_ENDING}" for i in range(channels))]
        if not all(p.exists() for p in files):
            found[case] = [p for p in files if p.exists()]
    return found


def _repair_locked(folder: Path) -> list[str]:
    messages = []
    staging = _staging(folder)
    for staged in sorted(staging.iterdir()) if staging.is_dir() else []:
        if (staged / _READY).exists():
            _move_in(folder, staged)
            messages.append(f"completed case {staged.name}, whose adding was interrupted")
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
        aside = folder / "incomplete" / f"{case}-{uuid.uuid4().hex[:8]}"
        aside.mkdir(parents=True)
        for path in files:
            os.replace(path, aside / path.name)
        messages.append(f"case {case} was incomplete; its files were moved to {aside.relative_to(folder)}")
    data = json.loads((folder / "dataset.json").read_text(encoding="utf-8"))
    if data["numTraining"] != len(list((folder / "labelsTr").glob(f"*{FILE_ENDING}"))):
        _write_dataset_json(folder, {str(k): int(v) for k, v in data["labels"].items()})
        messages.append("numTraining in dataset.json was corrected")
    return messages


def repair_dataset(dataset_dir: str | os.PathLike) -> list[str]:
    """Complete or roll back what a killed ``add`` left; returns one line per repair (none when the
    dataset is sound, in which case nothing is written: a read-only copy can be listed)."""
    info = read_dataset(dataset_dir)
    check_contents(info.folder)
    if not _problems(info.folder, info.num_training):
        return []
    try:
        with _locked(info.folder):
            return _repair_locked(info.folder)
    except OSError as exc:  # a read-only copy: report, change nothing
        return [f"left as it is: cannot repair here ({exc.strerror or exc})"]


def list_cases(dataset_dir: str | os.PathLike) -> list[CaseRecord]:
    """Provenance of every case, in case order, after :func:`repair_dataset`."""
    for message in repair_dataset(dataset_dir):
        log.warning("%s", message)
    info = read_dataset(dataset_dir)
    records = []
    for case in case_names(info.folder):
        label = info.folder / "labelsTr" / f"{case}{FILE_ENDING}"
        prov = info.folder / "provenance" / f"{case}.json"
        images = [info.folder / "imagesTr" / f"{case}_{i:04d}{FILE_ENDING}"
                  for i in range(len(info.channel_names))]
        missing = [p.name for p in [label, prov, *images] if not p.exists()]
        if missing:
            raise DatasetError(f"case {case} is incomplete: missing {', '.join(missing)}", path=info.folder)
        record = read_record(prov)
        if record.case != case:  # the file's own name is the case id; a record may not steer it
            raise DatasetError(f"provenance/{case}.json names the case {record.case!r}, not {case!r}",
                               path=info.folder)
        records.append(record)
    return records


def find_image(dataset_dir: str | os.PathLike, volume: Volume | Sequence[Volume]) -> Optional[CaseRecord]:
    """The record of the case holding this image (see identity.py), or ``None``: what
    :func:`add_case` would replace."""
    info = read_dataset(dataset_dir)
    channels = _channels_of(volume, len(info.channel_names))
    image_id = image_identity([c.array for c in channels])
    try:
        with _locked(info.folder):
            record_missing_identities(info.folder, len(channels), FILE_ENDING)
    except OSError:  # a read-only copy: cases of older versions are not recognised
        pass
    return case_with_image(info.folder, channels, image_id)


__all__ = ["DatasetInfo", "add_case", "check_contents", "default_links_path", "find_dataset",
           "find_image", "init_dataset", "list_cases", "read_dataset", "repair_dataset"]
