"""Training sets in nnU-Net v2's raw layout (:mod:`.layout`), built one corrected case at a time.

Case names are pseudonyms (``nv_0001``); images carry pixels and geometry only (see deid.py). The
link from a pseudonym back to its source is kept in a private file outside the dataset folder
(:mod:`.links`).

The Qt-free entry point for "Send to training set" is :func:`add_case`; what a killed ``add``
left is completed or rolled back by :mod:`.repair`.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path
from typing import Mapping, Optional, Sequence

import numpy as np

from .. import __version__
from ..core import crash
from ..core.atomic import write_text_atomic
from ..core.body_part import body_part
from ..core.errors import Cancelled, DatasetError
from ..core.labels import LabelMap, as_label_array
from ..core.named_paths import paths_named
from ..core.plural import plural
from ..core.volume import Volume
from ..io.nifti import save_nifti
from . import deid
from .channels import check_channel_modalities
from .identity import case_with_image, geometry_of, image_identity, record_missing_identities
from .layout import (
    FILE_ENDING,
    IGNORE,
    DatasetInfo,
    case_names,
    check_contents,
    locked,
    next_case_name,
    read_dataset,
    staging_folder,
)
from .links import (
    default_links_path,
    patient_key,
    private_adjudication,
    pseudonymise_old_records,
    read_links,
    seg_uids,
    source_link,
    subject_for,
    write_private,
)
from .provenance import CaseRecord, Provenance, compare_segments, now_iso, read_record, split_model
from .repair import READY, damaged_plans, move_in, repair_dataset, repair_locked
from .segment_labels import dataset_labels_of, to_dataset_values

log = logging.getLogger(__name__)


# -- adding a case ----------------------------------------------------------------------------
def _channels_of(volumes: Volume | Sequence[Volume], expected: int) -> list[Volume]:
    volumes = [volumes] if isinstance(volumes, Volume) else list(volumes)
    if len(volumes) == 1 and volumes[0].array.ndim == 4 and volumes[0].axis4 == "channel":
        whole = volumes[0]
        volumes = [whole.derived(whole.frame(c), source_metadata=whole.source_metadata)
                   for c in range(whole.n_frames)]
    # a MONOCHROME1 MR stored as a model reads it (turned over: Volume.as_shown), so the set
    # trains on what inference sees; the NIfTI written cannot say "shown inverted"
    volumes = [v.as_shown() if v.array.ndim == 3 else v for v in volumes]
    for volume in volumes:
        if volume.array.ndim != 3:
            raise DatasetError(f"a training image must be 3D, got shape {volume.array.shape}",
                               hint="choose one time point or series")
    if len(volumes) != expected:
        raise DatasetError(f"this dataset expects {plural(expected, 'channel')} per case, got {len(volumes)}")
    return volumes


def _proposed_labels(label_map: LabelMap, proposal: Optional[LabelMap], info: DatasetInfo,
                     status: str = "final", label_for=None, model: str = "") -> set[int]:
    """Dataset labels the model proposed: every segment of the proposal (and any unnamed value in
    it); without a proposal, the final mask's segments whose origin is a model, or, when none says
    so and the status is ``proposed`` (a model's mask as is), every label (it recorded them as
    drawn by a person, which the status denies), as with a ``model`` named for a mask with no
    segment table (a bare file: until session 52 recorded drawn by a person, every voxel changed,
    beside the model said to have proposed it)."""
    if proposal is None:
        made = [s for s in label_map.segments if s.origin == "model"]
        if (status == "proposed" and not made) or (model and not list(label_map.segments)):
            return set(info.foreground.values())
        return dataset_labels_of(label_map, info, made, label_for)
    values = dataset_labels_of(proposal, info, list(proposal.segments), label_for)
    valid = set(info.foreground.values())
    for value in np.unique(proposal.array):
        if value and int(value) not in proposal.segments and int(value) in valid:
            values.add(int(value))
    return values


def _interactive_labels(label_map: LabelMap, info: DatasetInfo, label_for=None) -> set[int]:
    """Dataset labels of the final mask's segments made with AI click (origin ``interactive``)."""
    return dataset_labels_of(label_map, info,
                             [s for s in label_map.segments if s.origin == "interactive"], label_for)


def _drawn_labels(label_map: LabelMap, info: DatasetInfo, label_for=None) -> set[int]:
    """Dataset labels of the final mask's segments made by a model or with AI click that a
    person drew in by hand too (``Segment.drawn``)."""
    return dataset_labels_of(label_map, info, [s for s in label_map.segments if s.drawn], label_for)


def _unrecorded_labels(label_map: LabelMap, info: DatasetInfo, label_for=None,
                       as_is: bool = False) -> set[int]:
    """Dataset labels no segment of the final mask names (a mask file with no ``.segments.json``):
    nothing says whether a person corrected them by hand or with AI click. None when ``as_is``: a
    model's mask with status ``proposed`` and no proposal, which the status says no one changed."""
    if as_is:
        return set()
    return set(info.foreground.values()) - dataset_labels_of(label_map, info, list(label_map.segments),
                                                             label_for)


def _loaded_labels(label_map: LabelMap, info: DatasetInfo, label_for=None) -> set[int]:
    """Dataset labels of the final mask's segments loaded from a label file (origin ``loaded``)."""
    return dataset_labels_of(label_map, info, [s for s in label_map.segments if s.origin == "loaded"],
                             label_for)


def _clicked_labels(label_map: LabelMap, info: DatasetInfo, label_for=None) -> set[int]:
    """Dataset labels of the final mask's model or loaded segments refined with AI click
    (``Segment.ai_clicked``)."""
    return dataset_labels_of(label_map, info, [s for s in label_map.segments if s.ai_clicked], label_for)


def add_case(dataset_dir: str | os.PathLike, volume: Volume | Sequence[Volume], label_map: LabelMap,
             provenance: Optional[Provenance] = None, *, proposal: Optional[LabelMap] = None,
             reviewed: Optional[np.ndarray] = None,
             links_path: Optional[str | os.PathLike] = None,
             same_image: str = "replace", allow_modality_mismatch: bool = False,
             replacing: Optional[str] = None, loaded: Optional[LabelMap] = None,
             label_for: Optional[Mapping[str, str]] = None,
             image_id: Optional[str] = None, cancel=None,
             adjudicated: Optional[LabelMap] = None) -> CaseRecord:
    """Add one case ("Send to training set"); returns its provenance record.

    ``volume``: the image, or one Volume per channel in dataset order, all on the label map's
    grid. ``label_map``: the final mask (segments matched to dataset labels by name, a value with
    no segment by value; any other segment, ``Segment 1`` included, only through ``label_for``:
    segment name -> dataset label name, else :class:`.segment_labels.SegmentNotALabelError`
    naming them). ``proposal``: the model's mask before correction, for Dice/changed voxels.
    ``reviewed``: bool array, True where the annotator reviewed; elsewhere the label is "ignore"
    (added to dataset.json the first time). Nothing is left behind when it fails, nor when
    ``cancel`` (a token) is cancelled before the case is complete (``Cancelled``).

    An image the dataset already holds (same voxels and geometry, whatever its file name: see
    identity.py) is not added twice. ``same_image="replace"`` (the default, as MONAI Label does
    when an image is labelled again) gives that case the new label and provenance, keeping its
    case id and subject (so its fold); the record's ``replaced`` lists the earlier versions.
    ``same_image="refuse"`` raises :class:`DatasetError` naming the case instead.
    ``replacing``: the :attr:`~.provenance.CaseRecord.version` of the label the user agreed to
    replace; another (a version added since:
    another annotator sent the image meanwhile) is refused as with ``"refuse"``, not replaced
    unseen. ``loaded``: the label map as a label file made it (``Session.loaded_labels``): the
    changed voxels of its segments (``"loaded"``) are counted against it. ``adjudicated``: the
    label map as the adjudication made it (``app.readers.apply_adjudication``): its segments are
    ``"adjudicated"``, their changed voxels counted against it (one ``drawn`` there: edited by hand
    before, ``hand_edited`` whatever changed since: ``app.adjudicated_file.marked_record``).

    A CT image for a channel named as MR (``MRI``, ``T1``...) or the reverse is refused, naming
    the file and the channel (channels.py), unless ``allow_modality_mismatch``. ``image_id``: the
    channels' :func:`.identity.image_identity` when the caller computed it already (hashing a
    256^3 image takes 0.2 s); computed here without it.
    """
    if same_image not in ("replace", "refuse"):
        raise ValueError(f"same_image must be 'replace' or 'refuse', not {same_image!r}")
    for what, mask in (("label_map", label_map), ("proposal", proposal)):
        if mask is not None and not isinstance(mask, LabelMap):  # an array was an AttributeError
            raise TypeError(f"{what} must be a LabelMap, not {type(mask).__name__}: "
                            "LabelMap(array, volume.ijk_to_ras) makes one of an array on the image "
                            "grid holding the dataset's label values (neuroview.core.labels)")
    provenance = provenance or Provenance()
    info = read_dataset(dataset_dir)
    folder = info.folder
    channels = _channels_of(volume, len(info.channel_names))
    if not allow_modality_mismatch:
        check_channel_modalities(channels, list(info.channel_names.values()))
    for channel in channels:
        deid.check_no_burned_in_text(channel)
        label_map.require_grid_of(channel)
    final = to_dataset_values(label_map, info, label_for)
    proposed = None
    if proposal is not None:
        if not np.array_equal(proposal.array.shape, label_map.array.shape):
            raise DatasetError("the proposal is not on the grid of the final mask")
        proposed = to_dataset_values(proposal, info, label_for)
    as_loaded = None
    if loaded is not None and np.array_equal(loaded.array.shape, label_map.array.shape):
        as_loaded = to_dataset_values(loaded, info, label_for, strict=False)
    as_adjudicated, adjudicated_labels, drawn_before = None, set(), set()
    if adjudicated is not None and np.array_equal(adjudicated.array.shape, label_map.array.shape):
        as_adjudicated = to_dataset_values(adjudicated, info, label_for, strict=False)
        adjudicated_labels = dataset_labels_of(adjudicated, info, list(adjudicated.segments), label_for)
        drawn_before = _drawn_labels(adjudicated, info, label_for)
    if reviewed is not None:
        reviewed = np.asarray(reviewed, dtype=bool)
        if reviewed.shape != final.shape:
            raise DatasetError(f"reviewed mask shape {reviewed.shape} differs from {final.shape}")
    judged = set(adjudicated.segments.segments) if adjudicated is not None else set()   # no model's now
    model = provenance.model or next((s.model for s in label_map.segments
                                      if s.origin == "model" and s.model and s.value not in judged), "")
    if not model and proposal is not None:   # the proposal's own table (`neuroview segment`'s sidecar)
        model = next((s.model for s in proposal.segments if s.origin == "model" and s.model), "")
    links_path = Path(links_path) if links_path else default_links_path(info)
    if links_path.resolve().is_relative_to(folder.resolve()):
        raise DatasetError("the private link file must live outside the dataset folder",
                           path=links_path)
    image_id = image_id or image_identity([c.array for c in channels])

    with locked(folder):
        check_contents(folder)
        for message in repair_locked(folder):
            log.warning("%s: %s", folder.name, message)
        record_missing_identities(folder, len(channels), FILE_ENDING)
        earlier = case_with_image(folder, channels, image_id)
        if earlier is not None and (same_image == "refuse" or
                                    (replacing is not None and earlier.version != replacing)):
            raise DatasetError(f"this image is already case {earlier.case} (added {earlier.added_at}"
                               f"{' by ' + earlier.annotator if earlier.annotator else ''})",
                               path=folder, hint="to give that case this label instead, add it with "
                                                 "--if-present replace")
        case = earlier.case if earlier is not None else next_case_name(folder)
        links = read_links(links_path)
        if pseudonymise_old_records(folder, links):  # cases adjudicated before session 35
            write_private(links_path, links)
        source = source_link(channels[0])
        record = CaseRecord(
            case=case, subject=earlier.subject if earlier is not None
            else subject_for(links, patient_key(source), folder),
            status=provenance.status, model=split_model(model), annotator=provenance.annotator,
            editing_seconds=provenance.editing_seconds, proposed_at=provenance.proposed_at,
            corrected_at=provenance.corrected_at,   # not the time of adding: that is added_at
            added_at=now_iso(), channels=list(info.channel_names.values()),
            modality=channels[0].modality, shape=list(label_map.shape),
            spacing_mm=[round(s, 6) for s in label_map.spacing],
            partial=reviewed is not None and not bool(reviewed.all()),
            reviewed_fraction=1.0 if reviewed is None else round(float(reviewed.mean()), 6),
            segments=compare_segments(final, info.labels, label_map.voxel_volume_ml, proposed, reviewed,
                                      _proposed_labels(label_map, proposal, info, provenance.status,
                                                       label_for, model),
                                      _interactive_labels(label_map, info, label_for),
                                      _drawn_labels(label_map, info, label_for),
                                      _clicked_labels(label_map, info, label_for),
                                      _loaded_labels(label_map, info, label_for), as_loaded,
                                      adjudicated_labels, as_adjudicated, drawn_before,
                                      _unrecorded_labels(label_map, info, label_for, as_is=proposal is None
                                                         and provenance.status == "proposed")),
            neuroview_version=__version__, interaction=provenance.interaction,
            adjudication=private_adjudication(provenance.adjudication, links), image_id=image_id,
            time_point=provenance.time_point, hand_edits=provenance.hand_edits,
            annotators=provenance.annotators, body_part=body_part(channels[0]),
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
        staged = staging_folder(folder) / case
        shutil.rmtree(staged, ignore_errors=True)
        staged.mkdir(parents=True)
        try:
            moves = []
            for index, channel in enumerate(channels):
                name = f"{case}_{index:04d}{FILE_ENDING}"
                moves.append((name, f"imagesTr/{name}"))
                # the voxels as read from the file (a CT NIfTI's padding keeps its number)
                save_nifti(np.asarray(channel.file_array()), channel.ijk_to_ras, staged / name)
                crash.point("dataset-image")
            moves.append((f"{case}{FILE_ENDING}", f"labelsTr/{case}{FILE_ENDING}"))
            save_nifti(as_label_array(final), label_map.ijk_to_ras, staged / moves[-1][0])
            moves.append((f"{case}.json", f"provenance/{case}.json"))
            write_text_atomic(staged / moves[-1][0], record.to_json())
            # The annotators' own names may equal a physician named in the header: they are
            # recorded on purpose (who corrected, not the patient), so they are not searched. So is
            # the body part (BodyPartExamined, kept by the Basic Profile): a series described
            # "HEAD" or "BRAIN" as its body part is said refused otherwise (until session 52).
            names = [provenance.annotator, *(a["annotator"] for a in provenance.annotators or ())]
            values = [v for v in {v for c in channels for v in deid.identifying_values(c.source_metadata)}
                      if not any(name and v in name for name in names)
                      and not (record.body_part and v.strip().upper() == record.body_part)]
            values += seg_uids(provenance.adjudication)  # the readers' SEGs: pseudonyms only
            leaks = deid.find_identifiers([staged / m[0] for m in moves], values, limit=1 << 16)
            if leaks:
                raise DatasetError(f"refused: an identifying value of the source would be written "
                                   f"to {Path(leaks[0][0]).name}")
            crash.point("dataset-staged")
            if cancel is not None and cancel.cancelled:   # the last moment nothing is kept
                raise Cancelled(f"{case}: not added (cancelled)")
            links.setdefault("dataset", folder.name)
            links.setdefault("cases", {})[case] = {**source, "subject": record.subject,
                                                   "added_at": record.added_at}
            write_private(links_path, links)
            crash.point("dataset-linked")
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        # The point of no return: from here a crash is completed by the next add or list (a
        # replacement's renames overwrite the old files one by one; the repair finishes them).
        write_text_atomic(staged / READY, json.dumps({"moves": moves, "labels": labels}))
        crash.point("dataset-ready")
        move_in(folder, staged)
    return record


def list_cases(dataset_dir: str | os.PathLike) -> list[CaseRecord]:
    """Provenance of every case, in case order, after :func:`repair_dataset`."""
    for message in repair_dataset(dataset_dir):
        log.warning("%s", paths_named(message))
    info = read_dataset(dataset_dir)
    records, unsettled = [], damaged_plans(info.folder)   # not counted until `dataset repair`
    for case in (c for c in case_names(info.folder) if c not in unsettled):
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


def find_image(dataset_dir: str | os.PathLike, volume: Volume | Sequence[Volume],
               image_id: Optional[str] = None) -> Optional[CaseRecord]:
    """The record of the case holding this image (see identity.py), or ``None``: what
    :func:`add_case` would replace. ``image_id``: as :func:`add_case` takes it."""
    info = ready_to_look_up(dataset_dir)
    channels = _channels_of(volume, len(info.channel_names))
    return case_with_image(info.folder, channels, image_id)


def ready_to_look_up(dataset_dir: str | os.PathLike) -> DatasetInfo:
    """The dataset, each of its cases with its image identity recorded (cases added by an older
    neuroview get theirs: see identity.py), so that an image is looked up among all of them."""
    info = read_dataset(dataset_dir)
    try:
        with locked(info.folder):
            record_missing_identities(info.folder, len(info.channel_names), FILE_ENDING)
    except OSError:  # a read-only copy: cases of older versions are not recognised
        pass
    return info


def identity_of(volume: Volume | Sequence[Volume], channel_count: int) -> tuple[str, tuple, np.ndarray]:
    """(image_id, shape, ijk_to_ras) of ``volume`` as :func:`add_case` records it in a dataset of
    ``channel_count`` channels (:class:`DatasetError` where it cannot be a training image)."""
    channels = _channels_of(volume, channel_count)
    return (image_identity([c.array for c in channels]), tuple(channels[0].shape),
            np.asarray(channels[0].ijk_to_ras, dtype=float))


__all__ = ["add_case", "find_image", "identity_of", "list_cases", "ready_to_look_up"]
