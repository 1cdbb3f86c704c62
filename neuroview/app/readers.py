"""Compare readers and adjudicate, without Qt: the logic behind the window's *Readers* dialog and
``neuroview pacs readers`` / ``neuroview pacs adjudicate``.

For the open DICOM series, every reader's SEG is gathered (SEG files beside the series on this
computer, and the SEGs on a configured server), the latest version of each reader is kept, and
their agreement is measured with :mod:`neuroview.dataset.agreement` (Dice, HD95, lesion-wise F1,
volume difference per pair; STAPLE or majority consensus with each reader's sensitivity and
specificity). :class:`AdjudicationPlan` holds the lesion-by-lesion decisions
(:mod:`neuroview.dataset.adjudication`); applied to a case, the adjudicated mask becomes its label
map (one undo step, editable like any mask) and the case remembers the plan, so that *Send to
training set*, *Save as SEG* and *Send to server* record the readers and which outline was taken
per lesion, and which lesions the adjudicator then edited.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np

from ..core.errors import DatasetError, SaveError
from ..core.extent import without_context
from ..core.geometry import voxel_volume_ml
from ..core.jobs import check
from ..core.labels import LabelMap
from ..core.segment_work import merge_work
from ..dataset.adjudication import (
    CONSENSUS,
    NOTHING,
    Adjudication,
    LesionGroup,
    adjudicate,
    empty_choice,
    lesion_groups,
)
from ..dataset.agreement import Consensus, PairAgreement, majority_vote, pairwise, staple
from .adjudicated_step import adjudication_meta, as_persons
from .adjudication_record import count_edits, keep_plan, made_map
from .pending_choices import forget_choices
from .unnamed_readers import name_unnamed, patient_words

ADJUDICATED = "Adjudicated lesions"
"""Start of the series description of an adjudicated SEG (left out of the readers compared)."""
READER_COLOURS = [(255, 60, 60), (60, 150, 255), (0, 220, 110), (230, 80, 255), (255, 140, 0),
                  (0, 230, 230), (255, 255, 255), (255, 150, 190)]
"""One outline colour per reader, in the order of the legend (red, blue, green, magenta...); no
yellow, the crosshair's colour."""
MAX_READERS = 16
LESION_SEGMENT = "lesion"


def series_uids(volume) -> tuple[str, str]:
    """(StudyInstanceUID, SeriesInstanceUID) of a DICOM image; a clear error for anything else."""
    meta = volume.source_metadata or {}
    series = str(meta.get("SeriesInstanceUID", "") or "")
    if not series:
        raise DatasetError("comparing readers needs a DICOM image: the readers' SEGs refer to its series")
    return str(meta.get("StudyInstanceUID", "") or ""), series


def default_local_folders(volume) -> list[Path]:
    """Where SEG files of a series are looked for on this computer: the series' folder and the
    folder above it (where *Save labels as DICOM SEG* suggests writing)."""
    if not volume.source_path:
        return []
    source = Path(volume.source_path)
    try:
        folder = source if source.is_dir() else source.parent
    except OSError:   # its folder made unreadable since: searching it says so
        folder = source
    return [folder, folder.parent] if folder.parent != folder else [folder]


def latest_per_reader(versions, private=()) -> list:
    """One version per reader (the latest), adjudicated versions and duplicates (the same SEG found
    locally and on the server) left out; in the order readers first appear by date. A SEG that
    names no reader is a reader of its own, named apart (:mod:`.unnamed_readers`; ``private``: the
    patient's name, kept out of those names)."""
    seen, latest = set(), {}
    for version in sorted(versions, key=lambda v: v.created):
        if version.description.startswith(ADJUDICATED) or version.seg_series_uid in seen:
            continue
        seen.add(version.seg_series_uid)
        # until session 35 every unnamed SEG was one reader "(unknown reader)": the latest alone counted
        key = version.reader if version.reader.strip() else ("", version.seg_series_uid)
        latest.pop(key, None)
        latest[key] = version
    return name_unnamed(sorted(latest.values(), key=lambda v: v.created), private)


def is_dicom(volume) -> bool:
    """Whether ``volume`` is a DICOM series (its readers are SEGs), not a file such as NIfTI (its
    readers are label files: ``app.label_readers``)."""
    return bool((volume.source_metadata or {}).get("SeriesInstanceUID"))


def gather_versions(volume, config=None, *, local_folders: Optional[Sequence] = None, cache=None,
                    protocol: str = "auto", problems: Optional[list] = None, cancel=None,
                    label_files: Sequence = ()) -> list:
    """Every reader's SEG of the open series: local files, then the server's (``config``). A SEG,
    file or folder that cannot be read is left out, its one-line error added to ``problems``;
    without a server, none of the local folders readable is one error. ``label_files``: the files a
    worklist recorded for the case (each annotator's last), whose folders are searched too. An
    image that is not DICOM: its label files (``app.label_readers``), no server."""
    from ..io.pacs.readers import local_reader_versions, reader_versions

    folders = default_local_folders(volume) if local_folders is None else local_folders
    problems = [] if problems is None else problems
    if not is_dicom(volume):
        from .label_readers import label_file_versions

        return label_file_versions(volume, folders, label_files, problems, cancel)
    # the folders of the SEGs a worklist recorded for the case: an annotator's own (until session
    # 49 a SEG saved away from the series was no reader)
    folders = list(dict.fromkeys([*map(Path, folders), *(Path(f).parent for f in label_files if f)]))
    study_uid, series_uid = series_uids(volume)
    # a folder or file that cannot be read is a line in problems; none readable, one error
    versions = local_reader_versions(folders, series_uid, volume, problems=problems,
                                     one_readable=config is None, cancel=cancel)
    if config is not None:
        from ..io.pacs import SeriesCache

        if not study_uid:
            raise DatasetError("the image has no StudyInstanceUID: "
                               "the server cannot be searched for its SEGs")
        versions += reader_versions(config, study_uid, series_uid, volume, cache or SeriesCache(), protocol,
                                    problems=problems, cancel=cancel)
    return versions


@dataclass
class ReaderOutlines:
    """What the slice views draw: bit ``n`` of ``bits`` is reader ``n``'s mask, outlined in
    ``colours[n]`` where ``shown[n]`` (``render.outlines``)."""

    bits: np.ndarray = field(repr=False)
    ijk_to_ras: np.ndarray
    names: list[str]
    colours: list[tuple[int, int, int]]
    shown: list[bool]
    visible: bool = True


@dataclass
class ReaderComparison:
    versions: list
    """The latest :class:`~neuroview.io.pacs.readers.ReaderVersion` of each reader compared."""
    masks: dict[str, np.ndarray] = field(repr=False)
    colours: dict[str, tuple[int, int, int]]
    pairs: list[PairAgreement]
    consensus: Optional[Consensus]
    ijk_to_ras: np.ndarray = field(repr=False, default=None)
    problems: list[str] = field(default_factory=list)
    """One line per SEG left out because it could not be read."""

    @property
    def readers(self) -> list[str]:
        return list(self.masks)

    def volume_ml(self, reader: str) -> float:
        return int(self.masks[reader].sum()) * voxel_volume_ml(self.ijk_to_ras)

    def outlines(self) -> ReaderOutlines:
        names = self.readers
        dtype = np.uint8 if len(names) <= 8 else np.uint16
        bits = np.zeros(next(iter(self.masks.values())).shape, dtype=dtype)
        for n, name in enumerate(names):
            bits |= self.masks[name].astype(dtype) << dtype(n)
        return ReaderOutlines(bits, self.ijk_to_ras, names, [self.colours[n] for n in names],
                              [True] * len(names))


def compare(versions, ijk_to_ras, method: str = "staple", private=(), cancel=None) -> ReaderComparison:
    """Agreement of the latest version of each reader (``method``: ``staple`` or ``majority``;
    ``private``: :func:`latest_per_reader`'s; ``cancel``: a ``core.jobs.CancelToken`` looked at
    between the measures and within STAPLE)."""
    if method not in ("staple", "majority"):
        raise DatasetError(f"consensus {method!r}: use staple or majority")
    versions = latest_per_reader(versions, private)
    if len(versions) > MAX_READERS:
        raise DatasetError(f"{len(versions)} readers: at most {MAX_READERS} are compared at once")
    # a model's brain sent with the lesions (``io.seg_context``) is context, not a reader's finding
    masks = {v.reader: without_context(v.labels) > 0 for v in versions}
    colours = {name: READER_COLOURS[n % len(READER_COLOURS)] for n, name in enumerate(masks)}
    pairs = pairwise(masks, ijk_to_ras, cancel) if len(masks) > 1 else []
    consensus = None
    if len(masks) > 1:
        consensus = staple(masks, cancel=cancel) if method == "staple" else majority_vote(masks)
    return ReaderComparison(versions, masks, colours, pairs, consensus,
                            np.asarray(ijk_to_ras, dtype=float))


def compare_readers(volume, config=None, method: str = "staple", *, local_folders=None, cache=None,
                    protocol: str = "auto", progress: Callable = lambda *a: None,
                    cancel=None, label_files: Sequence = ()) -> ReaderComparison:
    """Gather and compare (a background job of the window: no Qt, no shared state). ``cancel``
    (a ``core.jobs.CancelToken``) is looked at between the local SEG files read and the
    measures: 54 s in all for 3 readers on a 512x512x300 CT at load 6-11, 63 s of it STAPLE."""
    progress(0, 2, "finding the readers' SEGs")
    problems: list[str] = []
    versions = gather_versions(volume, config, local_folders=local_folders, cache=cache, protocol=protocol,
                               problems=problems, cancel=cancel, label_files=label_files)
    check(cancel)
    progress(1, 2, "measuring agreement")
    comparison = compare(versions, volume.ijk_to_ras, method, patient_words(volume), cancel)
    comparison.problems = problems
    return comparison


class AdjudicationPlan:
    """Lesion-by-lesion decisions on a comparison: for each lesion (matched across readers) one
    reader's outline, the consensus or nothing."""

    def __init__(self, comparison: ReaderComparison) -> None:
        self.comparison = comparison
        self.groups: list[LesionGroup] = lesion_groups(comparison.masks)
        self.choices: dict[int, str] = {}
        self.result: Optional[Adjudication] = None
        """The adjudicated mask as applied to the case (before any edit)."""
        self.segment_value: Optional[int] = None
        self.landed: Optional[np.ndarray] = None
        """The adjudicated voxels the Apply wrote into the segment (a locked segment keeps its
        own): what the adjudicator's edits are counted against (``None``: the whole mask)."""

    @property
    def options(self) -> list[str]:
        return self.comparison.readers + ([CONSENSUS] if self.comparison.consensus is not None else []) \
            + [NOTHING]

    def choose(self, number: int, choice: str) -> None:
        if choice not in self.options:
            known = ", ".join(o if isinstance(o, str) else o.value for o in self.options)
            raise DatasetError(f"{choice!r} is not one of {known}")
        if number not in {g.number for g in self.groups}:
            raise DatasetError(f"no lesion numbered {number} (there are {len(self.groups)})")
        consensus = self.comparison.consensus
        empty = empty_choice(self.group(number), choice, consensus.mask if consensus is not None else None)
        if empty:   # an outline of nothing: nothing taken
            raise DatasetError(empty)
        self.choices[number] = choice

    def undecided(self) -> list[int]:
        return [g.number for g in self.groups if g.number not in self.choices]

    def group(self, number: int) -> LesionGroup:
        return next(g for g in self.groups if g.number == number)

    def jump_ijk(self, number: int) -> tuple[int, int, int]:
        """The lesion's voxel nearest its centre (always inside it)."""
        return self.group(number).jump_ijk()

    def adjudicate(self, adjudicator: str) -> Adjudication:
        """The adjudicated mask; ``adjudicator`` as typed (``Sam Senior``, ``Senior, Sam``) is
        recorded in DICOM's PN form (``Senior^Sam``), as the readers' names are."""
        from ..io.dicom.person_name import dicom_name

        if not adjudicator.strip():
            raise DatasetError("say who adjudicates (a name, such as Sam Senior)")
        consensus = self.comparison.consensus.mask if self.comparison.consensus is not None else None
        return adjudicate(self.comparison.masks, self.groups, self.choices, consensus,
                          dicom_name(adjudicator))

    def provenance(self, final_mask: Optional[np.ndarray] = None) -> dict:
        """Who decided, the readers compared and which outline was taken per lesion; with the
        ``final_mask`` (after the adjudicator's edits) the voxels changed in each lesion and the
        voxels drawn outside every reader's lesions."""
        if self.result is None:
            raise DatasetError("nothing adjudicated yet")
        return count_edits(self.record(self.result), self.groups, self._landed(), final_mask)

    def _landed(self) -> np.ndarray:
        return self.result.mask if self.landed is None else self.landed

    def record(self, result: Adjudication) -> dict:
        """:meth:`provenance` of ``result``, without the edits."""
        record = result.provenance()
        record["consensus"] = self.comparison.consensus.method if self.comparison.consensus else None
        record["readers"] = [{"reader": v.reader, "model": v.model, "created": v.created,
                              "found_on": v.found_on, "seg_series_uid": v.seg_series_uid}
                             for v in self.comparison.versions]
        return record

    def made(self, labels: LabelMap) -> Optional[LabelMap]:
        """The label map as :func:`apply_adjudication` made it, in ``labels``' segment of the
        adjudicated lesions (``None`` when that segment is gone): what the training set's record
        counts the adjudicator's edits against."""
        return made_map(self._landed(), self.segment_value, labels) if self.result is not None else None


def apply_adjudication(case, plan: AdjudicationPlan, adjudicator: str) -> Adjudication:
    """Put the adjudicated mask into the case's ``lesion`` segment as one undo step (other
    segments' voxels are cleared: the label map becomes the adjudicated version) and remember the
    plan on the case for its provenance."""
    from ..core.labels import Segment, default_color
    from ..io.dicom.person_name import readable_name
    from .label_files import PreparedLabels, written_map

    result = plan.adjudicate(adjudicator)
    table = case.labels.segments
    lesion = next((s for s in table if s.name.lower() == LESION_SEGMENT), None)
    # a new lesion segment is made by the Apply's own step: added to the table before it, the
    # segment was in no journaled step, and a restore after a kill gave its voxels no segment
    new = {}
    if lesion is None:
        value = table.next_value()
        lesion = Segment(value, LESION_SEGMENT, default_color(value))
        new = {value: lesion}
    readers_work = work_of(plan.comparison.versions)
    if readers_work:   # the readers' time behind their SEGs stays on the case's record
        lesion = as_persons(dataclasses.replace(lesion, work=tuple(merge_work(lesion.work, readers_work))))
        new = {lesion.value: lesion}
    array = result.mask.astype(np.uint16 if lesion.value > 255 else np.uint8) * lesion.value
    named = readable_name(result.adjudicator)
    # what lands: a locked segment keeps its voxels (the record counted them as the adjudicator's
    # edits until session 40: 554 "edited" where 8 landed and nobody drew)
    wide = np.promote_types(case.labels.array.dtype, array.dtype)   # the mask's voxels only
    held = case.labels.array[result.mask].astype(wide)
    _changed, after = written_map(array[result.mask].astype(wide), held, table.locked_values())
    landed = np.zeros_like(result.mask)
    landed[result.mask] = after == lesion.value
    # the plan beside the journal first, under a token the step names: a restore after a crash
    # gives the case its record back (Add to training set sent a restored case as drawn)
    token = keep_plan(case.workspace, plan.record(result), result.mask, plan.groups, lesion.value, landed)
    # the step says so in the crash journal (a restore marks it again) and makes the lesion a
    # person's: a SEG said AUTOMATIC and the model's name for an untouched model lesion
    corrected = case.clock.last_edit_at
    made = case.session.apply_labels(PreparedLabels(array, new, [lesion.value], False), from_file=False,
                                     meta=adjudication_meta(lesion.value, named, token))
    # the readers' outlines chosen are no correction by hand (its time counts as editing): a case
    # sent with nothing changed after read "corrected HH:MM" in dataset list until session 48
    case.clock.last_edit_at = corrected
    case.applied.freeze(plan)   # an earlier Apply of this plan keeps its own record
    plan.result, plan.segment_value, plan.landed = result, lesion.value, landed
    # the segment list's From reads "adjudicated" until Ctrl+Z takes this step back (it kept the
    # lesion's origin before, "tiny@1.0 + drawn", while the training set recorded "adjudicated")
    steps = case.session.history.undo_steps   # (no step: the map was the adjudicated one already)
    step = made if made is not None else (steps[-1] if steps else None)
    case.session.adjudicated = (step.step_id if step is not None else None, lesion.value, named)
    case.adjudication = plan
    forget_choices(case.workspace)   # applied: in the plan kept, none pending
    return result


def work_of(versions) -> list[dict]:
    """The annotators' editing sessions behind the readers' SEGs ``versions`` (``io.seg_work``):
    the adjudicated lesion carries them, so its saves, sends and training case count the readers'
    time with the adjudicator's (the case went to the training set as the adjudicator's alone,
    session 48's walk)."""
    return merge_work(*(segment.work for version in versions for segment in version.labels.segments))


def kept_by_locked(labels: LabelMap, result: Adjudication, value: int) -> list[tuple[str, int]]:
    """The adjudicated voxels that a locked segment kept after the Apply into segment ``value`` (it
    writes no locked voxel): ``(segment name, voxels)``, the most first. The dialog said the whole
    mask was applied."""
    held = np.asarray(labels.array)[result.mask]
    values, counts = np.unique(held[(held != value) & (held != 0)], return_counts=True)
    table = labels.segments.segments
    return [(table[int(v)].name if int(v) in table else str(int(v)), int(n))
            for n, v in sorted(zip(counts, values), reverse=True)]


def not_adjudicated() -> SaveError:
    """The label map is no adjudicated version (Ctrl+Z took the Apply back)."""
    return SaveError("the label map is not the adjudicated one: Ctrl+Z took the Apply to label map "
                     "back (Ctrl+Y applies it again)")


def adjudicated_mask(case) -> np.ndarray:
    """The case's adjudicated lesions as they are now (after any edits)."""
    plan = case.adjudication
    return np.asarray(case.labels.array) == plan.segment_value


def snapshot(labels: LabelMap) -> LabelMap:
    return labels.copy()


def save_adjudicated_seg(case, path) -> Path:
    """The case's label map as a local SEG named the adjudicator's adjudicated version, with the
    provenance beside it (``PATH.provenance.json``)."""
    import json

    from ..core.atomic import write_text_atomic
    from ..io.dicom.person_name import readable_name

    plan = case.adjudication
    if plan is None or plan.result is None:
        raise not_adjudicated()
    adjudicator = plan.result.adjudicator
    path = case.save_seg(path, series_description=adjudicated_description(adjudicator),
                         content_creator=adjudicator, work=case.work_done(readable_name(adjudicator)))
    write_text_atomic(provenance_path(path), json.dumps(plan.provenance(adjudicated_mask(case)), indent=2))
    return path


def adjudicated_description(adjudicator: str) -> str:
    """The adjudicated SEG's series description, the adjudicator (PN ``Senior^Sam``) named as
    people read a name: ``Adjudicated lesions - Sam Senior's version``."""
    from ..io.dicom.person_name import readable_name
    from ..io.pacs.save_mask import version_description

    return version_description(readable_name(adjudicator), label=ADJUDICATED)


def provenance_path(seg_path) -> Path:
    return Path(os.fspath(seg_path) + ".provenance.json")


def send_adjudicated(config, labels: LabelMap, source_headers, adjudicator: str,
                     protocol: str = "auto", work=(), cancel=None) -> str:
    """Send an adjudicated label map (a snapshot) to the server as a SEG; returns its series UID
    (``cancel``: as ``save_mask_to_pacs`` takes it; ``work``: the case's ``work_done``, kept in the
    SEG)."""
    from ..io.pacs.save_mask import save_mask_to_pacs

    return save_mask_to_pacs(config, labels, source_headers, reader=adjudicator, protocol=protocol,
                             description=adjudicated_description(adjudicator), work=work, cancel=cancel)
