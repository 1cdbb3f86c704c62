"""Where each training case came from: who or what drew it, how much a person changed, and when.

One JSON file per case in ``DatasetNNN_Name/provenance/CASE.json`` (beside nnU-Net's folders,
which nnU-Net ignores), readable with plain ``json``. Following MONAI Label's ORIGINAL/FINAL tags,
``status`` is ``"proposed"`` (a model's mask nobody corrected) or ``"final"`` (corrected or drawn
and accepted by a person). Per segment it records its ``source``: ``"model"`` when the model
proposed that label (with the Dice and the number of changed voxels between the proposal and the
final mask, so one can see how much each model needed fixing), or ``"drawn"`` when a person drew
it without a proposal (no Dice; every voxel counts as changed), or ``"loaded"`` when it came
from a label file (changed voxels counted against the file's, hand edited only
when a person changed it after loading).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

import numpy as np

from ..core.errors import DatasetError, private_reason
from ..core.jsonfile import read_json

STATUSES = ("proposed", "final")


def now_iso(exact: bool = False) -> str:
    """The current time, UTC, ISO 8601 with seconds (``2025-01-31T14:03:07Z``); ``exact``: with
    milliseconds (``2025-01-31T14:03:07.250Z``), to tell which of two moments of one second came
    first."""
    now = datetime.now(timezone.utc)
    if exact:
        return now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return now.replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class Provenance:
    """What the caller knows about a case when it is sent to the training set."""

    annotator: str = ""
    """Who corrected or drew the mask (empty for an uncorrected model proposal)."""
    model: str = ""
    """``name@version`` of the model that proposed the mask; empty when drawn by hand."""
    status: str = "final"
    editing_seconds: Optional[float] = None
    """Time the annotator spent editing this case."""
    proposed_at: Optional[str] = None
    """When the model proposed the mask (ISO 8601)."""
    corrected_at: Optional[str] = None
    """When the person last changed the labels (ISO 8601; the window's last edit); None when not
    known (sent as loaded, or added without it): it defaulted to the time of adding, which
    ``added_at`` records, and so read as a correction time that no one had given."""
    interaction: Optional[dict] = None
    """Interactive AI segmentation on this case: ``{"objects", "prompts": {"point+": n, ...},
    "prompt_count", "seconds"}``, and ``"segments": {name: {"model", "prompts"}}`` for the
    segments made with it (see ``app.prompting.interaction_summary``)."""
    adjudication: Optional[dict] = None
    """The mask was adjudicated from several readers' versions: who decided, the readers (with
    their models and SEGs) and which reader's outline was taken per lesion
    (``app.readers.AdjudicationPlan.provenance``). The store keeps each SEG as an opaque id, not
    its series UID (``links.private_adjudication``)."""
    time_point: Optional[int] = None
    """The time point (1-based) of a 4D source image that the image and labels are; ``None``: 3D."""
    hand_edits: Optional[int] = None
    """The edits by hand kept (strokes and applied tools: a load, a model's result, an AI click
    object or an edit taken back with Ctrl+Z is none; ``app.edit_clock.hand_edit_count``, and
    those behind a restored workspace's base); ``None``: not known (added by ``dataset add``)."""
    annotators: Optional[list] = None
    """Each annotator who saved or sent these labels from a window, with their editing time and
    edits by hand (``core.segment_work.by_annotator``; ``editing_seconds`` and ``hand_edits`` are
    then their sums); ``None``: not known (``dataset add``)."""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise DatasetError(f"unknown status {self.status!r}; use one of {', '.join(STATUSES)}")
        if self.editing_seconds is not None and self.editing_seconds < 0:
            raise DatasetError("editing time cannot be negative")


@dataclass
class SegmentComparison:
    label: int
    name: str
    final_voxels: int
    final_ml: float
    proposed_voxels: Optional[int] = None
    dice: Optional[float] = None
    """Dice between proposal and final mask; ``None`` without a proposal or when both are empty."""
    changed_voxels: Optional[int] = None
    """Voxels a person changed: that entered or left the segment during correction (a drawn
    segment: all of its voxels)."""
    source: str = "drawn"
    """``"model"``: the model proposed this label (``proposed_voxels``/``dice`` compare with its
    proposal); ``"interactive"``: a person made it with AI click (prompts, no proposal);
    ``"drawn+interactive"``: a person drew it and added AI click objects to it;
    ``"drawn"``: a person drew it, no proposal was made for it; ``"loaded"``: read from a label
    file that does not say who made it (``hand_edited`` when a person changed it after,
    ``changed_voxels`` against the file's voxels; the file's name is not kept: a source file name
    may name the patient). Until session 27 a loaded file's segments were recorded as ``"drawn"``,
    hand edited, every voxel changed. ``"adjudicated"``: the mask the adjudicator built of the
    readers' outlines (``app.readers``; the record's ``adjudication`` says whose), ``hand_edited``
    when they changed its voxels after, ``changed_voxels`` against it (until session 36 it kept
    the marks of the edits it replaced: "drawn", or "corrected by hand, dice 1.000, changed 0")."""
    hand_edited: Optional[bool] = False
    """A person drew or changed its voxels with the editor's hand tools (brush, eraser, fill...):
    every ``"drawn"`` and ``"drawn+interactive"`` segment, and a ``"model"`` one corrected by hand
    (until session 26 a model's or an AI click segment painted into by hand did not say so).
    ``None``: not known: a model's mask and its correction given to ``dataset add`` with no
    ``.segments.json`` saying how it was corrected (until session 51 it read ``false``)."""
    ai_click: Optional[bool] = False
    """A ``"model"`` or ``"loaded"`` segment refined with AI click (an object accepted on the
    model's mask or the file's labels; ``changed_voxels`` counts what it changed too). Until
    session 27 nothing said so; until session 28 a loaded one became ``"drawn+interactive"``.
    ``None``: not known, as ``hand_edited`` (a model's mask and its correction given to ``dataset
    add`` with no ``.segments.json``; until session 52 it read ``false``, "no AI click")."""


@dataclass
class CaseRecord:
    """The provenance file of one case, as written to and read from disk."""

    case: str
    subject: str
    status: str
    model: Optional[dict]
    annotator: str
    editing_seconds: Optional[float]
    proposed_at: Optional[str]
    corrected_at: Optional[str]
    added_at: str
    channels: list[str]
    modality: str
    shape: list[int]
    spacing_mm: list[float]
    partial: bool
    reviewed_fraction: float
    segments: list[SegmentComparison] = field(default_factory=list)
    neuroview_version: str = ""
    interaction: Optional[dict] = None
    """Prompts given and seconds spent with the AI click tool (``None``: not used)."""
    adjudication: Optional[dict] = None
    """Adjudicated from several readers: readers and the outline taken per lesion (``None``: not)."""
    image_id: str = ""
    """Content identity of the image's voxels (``identity.image_identity``): the same image sent
    again replaces this case's label instead of becoming a second case."""
    image_geometry: Optional[list] = None
    """The image's voxel-to-RAS matrix (4x4), the other half of its identity."""
    replaced: list[dict] = field(default_factory=list)
    """Earlier labels of this image that this one replaced, oldest first: their ``added_at``,
    ``annotator``, ``status`` and ``model``."""
    time_point: Optional[int] = None
    """The time point (1-based) of the 4D source the image was taken from (``None``: a 3D one)."""
    hand_edits: Optional[int] = None
    """How many edits by hand the annotator kept (``Provenance.hand_edits``)."""
    annotators: Optional[list] = None
    """Each annotator's editing time and edits by hand (``Provenance.annotators``); ``None``: not
    recorded (``dataset add``, or a case sent before session 47: ``annotator`` alone)."""
    body_part: str = ""
    """The source's BodyPartExamined (``KNEE``; "" when it said none, or a case added before
    session 52): the held-out scoring refuses a case its model's card does by it
    (``ai.held_out_scoring.refusal``), as ``segment`` refuses the series."""

    @property
    def version(self) -> str:
        """Which label of the case this is (its time and how many it replaced: two sent within
        one second differ), for ``store.add_case(replacing=...)``."""
        return f"{self.added_at}/{len(self.replaced)}"

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=False) + "\n"

    @classmethod
    def from_dict(cls, data: dict) -> "CaseRecord":
        data = dict(data)
        segments = []
        for item in data.get("segments", []):
            item = dict(item)
            if "source" not in item:  # records written before the field existed
                item["source"] = "model" if item.get("proposed_voxels") is not None else "drawn"
            item.setdefault("hand_edited", item["source"] in ("drawn", "drawn+interactive"))
            segments.append(SegmentComparison(**item))
        data["segments"] = segments
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


def split_model(model: str) -> Optional[dict]:
    """``"name@version"`` -> ``{"name": ..., "version": ...}`` (``None`` for an empty string)."""
    if not model:
        return None
    name, _, version = model.partition("@")
    return {"name": name, "version": version or "unknown"}


def compare_segments(final: np.ndarray, labels: dict[str, int], voxel_ml: float,
                     proposal: Optional[np.ndarray] = None,
                     reviewed: Optional[np.ndarray] = None,
                     proposed_labels: Optional[set[int]] = None,
                     interactive_labels: Optional[set[int]] = None,
                     drawn_labels: Optional[set[int]] = None,
                     clicked_labels: Optional[set[int]] = None,
                     loaded_labels: Optional[set[int]] = None,
                     loaded: Optional[np.ndarray] = None,
                     adjudicated_labels: Optional[set[int]] = None,
                     adjudicated: Optional[np.ndarray] = None,
                     drawn_before: Optional[set[int]] = None,
                     unrecorded_labels: Optional[set[int]] = None) -> list[SegmentComparison]:
    """Per foreground label: voxels, and Dice/changed voxels against ``proposal`` when given.

    ``final`` and ``proposal`` use the dataset's label values. ``proposed_labels``: the label
    values the model proposed (default: every label, when a ``proposal`` is given); the others
    are ``"drawn"``, or ``"interactive"`` where in ``interactive_labels`` (made with AI click;
    ``"drawn+interactive"`` where also in ``drawn_labels``: drawn by hand too): no
    Dice, and every voxel counts as changed by a person. A proposed label in ``drawn_labels`` was
    corrected by hand (``hand_edited``), one in ``clicked_labels`` refined with AI click
    (``ai_click``). A label in ``loaded_labels`` came from a label file:
    ``"loaded"``, hand edited only where in ``drawn_labels``, refined with AI click where in
    ``clicked_labels``, its changed voxels (by hand or by AI click) counted against
    ``loaded`` (the map as loaded; without it, unknown once edited). A proposed label with no
    ``proposal`` but a ``loaded`` map is a model's mask loaded from its file (``neuroview
    segment``'s output): measured against the map as loaded (it had no figures). A label in
    ``adjudicated_labels`` is ``"adjudicated"``, whatever made it before: its changed voxels
    counted against ``adjudicated`` (the map as the adjudication made it), hand edited when any
    changed or when in ``drawn_before`` (edited by hand before ``adjudicated`` was read back: a
    label file saved ``adjudicated + drawn``). A proposed label in ``unrecorded_labels`` (no
    segment table says how it was corrected) has ``hand_edited`` and ``ai_click`` ``None``:
    unknown, where ``False`` would claim no one corrected it by hand, or with AI click. With ``reviewed``
    (bool mask) only reviewed voxels are compared: the rest was never looked at, so nothing there
    was "kept".
    """
    if proposed_labels is None:
        proposed_labels = set(labels.values()) if proposal is not None else set()
    if proposal is not None and proposal.shape != final.shape:
        raise DatasetError(f"proposal shape {proposal.shape} differs from the mask {final.shape}")
    comparisons = []
    for name, value in labels.items():
        if value == 0 or name == "ignore":
            continue
        in_final = final == value
        if reviewed is not None:
            in_final &= reviewed
        count = int(np.count_nonzero(in_final))
        item = SegmentComparison(label=int(value), name=name, final_voxels=count,
                                 final_ml=round(count * voxel_ml, 4),
                                 hand_edited=int(value) in (drawn_labels or ()),
                                 ai_click=int(value) in (clicked_labels or ()))
        if int(value) in (adjudicated_labels or ()) and adjudicated is not None:
            item.source = "adjudicated"
            in_adjudicated = adjudicated == value
            if reviewed is not None:
                in_adjudicated &= reviewed
            item.changed_voxels = int(np.count_nonzero(in_final ^ in_adjudicated))
            item.hand_edited = item.changed_voxels > 0 or int(value) in (drawn_before or ())
        elif int(value) not in proposed_labels and int(value) in (loaded_labels or {}):
            item.source = "loaded"
            if not (item.hand_edited or item.ai_click):
                item.changed_voxels = 0
            elif loaded is not None:
                in_loaded = loaded == value
                if reviewed is not None:
                    in_loaded &= reviewed
                item.changed_voxels = int(np.count_nonzero(in_final ^ in_loaded))
        elif int(value) not in proposed_labels:
            item.changed_voxels = count
            if int(value) in (interactive_labels or ()):
                item.source = "drawn+interactive" if item.hand_edited else "interactive"
            else:
                item.hand_edited = True
        elif proposal is not None or loaded is not None:
            item.source = "model"   # without a proposal: a model's mask loaded from its file
            in_proposal = (proposal if proposal is not None else loaded) == value
            if reviewed is not None:
                in_proposal &= reviewed
            proposed = int(np.count_nonzero(in_proposal))
            overlap = int(np.count_nonzero(in_final & in_proposal))
            item.proposed_voxels = proposed
            item.changed_voxels = proposed + count - 2 * overlap  # |A xor B|
            item.dice = round(2.0 * overlap / (proposed + count), 6) if proposed + count else None
            if proposal is not None and int(value) in (unrecorded_labels or ()):
                item.hand_edited = item.ai_click = None   # no table says how it was corrected
        else:
            item.source = "model"  # the model's mask accepted as is: nothing to compare with
            if int(value) in (unrecorded_labels or ()):   # or corrected: no segment table says
                item.hand_edited = item.ai_click = None
        comparisons.append(item)
    return comparisons


def read_record(path: str | os.PathLike) -> CaseRecord:
    path = Path(path)
    try:
        return CaseRecord.from_dict(read_json(path))
    except (OSError, ValueError, TypeError) as exc:
        raise DatasetError(f"unreadable provenance file ({private_reason(exc)})", path=path) from None
