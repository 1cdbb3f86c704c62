"""The case open in the window, without Qt: its Session and workspace, the editing time, the
model's proposal, and the commands Save labels, Save as DICOM SEG and Send to training set.

The GUI keeps one :class:`Case` per open image. Its workspace lives in
``user_data_dir()/workspaces/<image key>`` (``app.workspace_folder``: the key is the journal's
fingerprint of the image), so opening the same image again finds the journal of the earlier
session and can offer to restore it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tokenize
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import numpy as np

from ..core.atomic import atomic_path, fsync_dir
from ..core.errors import SaveError
from ..core.jobs import check, report
from ..core.journal_checks import npy_shape
from ..core.jsonfile import parse_json
from ..core.labels import LabelMap, SegmentTable
from ..core.volume import Volume
from . import workspace_lock
from .adjudication_record import recall_plans
from .applied_plans import AppliedPlans
from .edit_clock import EditClock
from .label_files import save_label_files
from .labels_image import frame_key
from .model_segments import model_segments
from .proposal import PENDING_PROPOSAL, PROPOSAL_FILE, PreparedResult, merge_proposal, write_proposal
from .session import EditEvent, Session
from .work_session import session_token, work_behind, work_totals
from .workspace_folder import set_aside, workspace_for

__all__ = ["Case", "set_aside", "workspace_for"]


@dataclass
class Case:
    """One open image: the editing session and what "Send to training set" needs to know."""

    session: Session
    workspace: Optional[Path] = None
    source_paths: list[str] = field(default_factory=list)
    clock: EditClock = field(default_factory=EditClock)
    proposal: Optional[LabelMap] = None
    """What the models proposed: the voxels and segments each model result wrote, as written
    (for Dice / changed voxels). Segments a person drew are never part of it."""
    model: str = ""
    proposed_at: Optional[str] = None
    applied: AppliedPlans = field(default_factory=AppliedPlans, init=False, repr=False)
    """The readers' plans applied to this case (``app.applied_plans``): see :attr:`adjudication`."""
    holds_workspace: bool = False
    """This case holds its workspace's lock (:mod:`.workspace_lock`) until :meth:`close`."""
    holder: object = field(default=None, repr=False, compare=False)
    """The window the case's workspace lock was taken for (``workspace_lock.hold``)."""
    labels_file: Optional[tuple[str, int]] = None
    """The mask file (NIfTI, NRRD) the label map was last loaded from or saved to, and where the
    edit history stood then (``session.history.position``, :meth:`file_of_labels`)."""
    work_session: str = field(default="", init=False, repr=False)
    """This window's editing session on the case (``app.work_session``): the same after a restore."""

    def __post_init__(self) -> None:
        self.clock.seconds += self.session.restored_editing_seconds  # time before a crash/close
        self.work_session = session_token(self.workspace, self.session.restored_steps > 0
                                          or self.session.restored_editing_seconds > 0)
        self.session.editing_time = self._tick  # journaled with every committed edit
        self.session.not_editing = self.clock.skip  # a label file loaded: not the person's edit
        self._unsubscribe = self.session.subscribe(self._event)
        self._load_proposal()
        # each restored Apply's plan, as the killed case had it (undone: Ctrl+Y's)
        for step_id, plan, undone in recall_plans(self.workspace, self.session):
            self.applied.add(step_id, plan, undone=undone)
        self.applied.live = self._applied_live

    def _applied_live(self, key) -> bool:
        """Whether the Apply ``key`` (``AppliedPlans``' key) still marks the segment it filled:
        a step since that removed the segment ends it (Ctrl+Z of that step gives it back); an
        Apply's step forgotten at the bottom of a long history stays in force."""
        if key is None:
            return True
        session = self.session
        marks = session.segments.applied_marks().values()
        if key < 0:   # kept with the compacted base
            base = session.adjudicated_base
            return key >= -len(base) and any(mark is base[key] for mark in marks)
        if any(mark[0] == key for mark in marks):
            return True
        history = session.history
        return key not in {step.step_id for step in (*history.undo_steps, *history.redo_steps)}

    @property
    def adjudication(self):
        """The :class:`app.readers.AdjudicationPlan` (or a restored ``RecordedPlan``) of the
        readers' Apply in force on this case's label map, ``None`` when none is (never applied,
        or taken back with Ctrl+Z): its provenance (readers, outline taken per lesion, edits
        since) goes with the case."""
        return self.applied.in_force()

    @adjudication.setter
    def adjudication(self, plan) -> None:
        """``plan`` applied by the session's Apply (``Session.adjudicated``); ``None`` forgets
        every plan."""
        if plan is None:
            self.applied.clear()
        else:
            marked = self.session.adjudicated
            self.applied.add(marked[0] if marked is not None else None, plan)

    @classmethod
    def open(cls, volume: Volume, workspace: Optional[Path] = None, restore: bool = True,
             source_paths=(), replayed=None, cancel=None, holder=None) -> "Case":
        """A case with its workspace (default :func:`workspace_for`); ``restore=False`` moves an
        earlier journal aside and starts with an empty label map. Raises
        ``workspace_lock.WorkspaceInUse`` when a window of another process (or another
        ``holder``, a window, of this one) edits this image.
        ``replayed``, ``cancel``: the restore's progress and stop (``Session``); a cancelled
        one raises ``Cancelled`` with the workspace as it was and its lock released."""
        workspace = workspace_for(volume) if workspace is None else Path(workspace)
        workspace_lock.hold(workspace, holder)
        try:
            if not restore:
                set_aside(workspace)
            session = Session(volume, workspace, replayed=replayed, cancel=cancel)
            case = cls(session, workspace, [os.fspath(p) for p in source_paths])
        except BaseException:
            workspace_lock.release(workspace)
            raise
        case.holds_workspace, case.holder = True, holder
        return case

    @property
    def volume(self) -> Volume:
        return self.session.volume

    @property
    def labels(self) -> LabelMap:
        return self.session.labels

    def close(self) -> None:
        self._unsubscribe()
        self.session.close()
        if self.holds_workspace:
            self.holds_workspace = False
            workspace_lock.release(self.workspace)

    @property
    def modified(self) -> bool:
        """Edits (or restored edits) not yet saved with Save labels (or sent as a SEG)."""
        return self.session.modified

    @property
    def version(self) -> int:
        return self.session.version

    def file_of_labels(self) -> str:
        """The file that holds the label map as it is now (loaded from it or saved to it, nothing
        changed since, or undone and redone back to them: the history's position, not the
        version, which every undo and redo moves on), else "": *Open follow-up* fills it in as the
        study's lesion mask."""
        if self.labels_file is None or self.labels_file[1] != self.session.history.position:
            return ""
        return self.labels_file[0] if os.path.isfile(self.labels_file[0]) else ""

    def mark_saved(self, version: int, compact: bool = True) -> bool:
        """The labels of ``version`` were kept elsewhere (a DICOM SEG by Save to PACS, a training
        case by Send to training set): see ``Session.mark_saved``."""
        return self.session.mark_saved(version, compact)

    def set_workspace_aside(self) -> Optional[Path]:
        """After the user saved or discarded the edits (quitting): move the workspace aside (never
        deleted), so the next opening of this image does not offer to restore them. Call after
        :meth:`close`; does nothing when the workspace holds nothing to restore."""
        if self.workspace is None or not self.workspace.exists():
            return None
        if workspace_lock.in_use_elsewhere(self.workspace, self.holder):   # another window took it up since
            return None
        if not Session.recoverable_steps(self.volume, self.workspace) and \
                not (self.workspace / PROPOSAL_FILE).exists():
            return None
        return set_aside(self.workspace)

    def _tick(self, edit: bool = True) -> float:
        """The editing time now (``Session.editing_time``); ``edit``: the labels changed now (a
        step journaled), not a compaction's snapshot of the time (after a save)."""
        self.clock.tick(edit)
        return self.clock.seconds

    def _event(self, event: EditEvent) -> None:
        # With a journal, commits, undos and redos tick in _tick, just before being journaled.
        self.applied.follow(event)   # Ctrl+Z of an Apply takes its plan back
        journaled = self.session.journal is not None
        if event.kind == "stroke" or (event.kind in ("commit", "undo", "redo") and not journaled):
            self.clock.tick()

    # -- model proposals -------------------------------------------------------------------------
    def model_started(self) -> None:
        """A model starts on this case (AI > Segment): the time until now counts as editing (the
        person read the image and chose the model); its run does not (:meth:`apply_model_result`)."""
        self.clock.tick(edit=False)

    def apply_model_result(self, label_array, segments, model: str, colors=None, hidden=(),
                           prepared: Optional["PreparedResult"] = None, outside_domain: str = ""):
        """``Session.apply_model_result`` plus a snapshot of what it wrote as the model's proposal
        (only the model's segments: segments drawn by hand before or after are not proposals).
        The time since the last edit or :meth:`model_started` was the model's, not the
        person's: it is not editing time (a 38 s run was 87 % of a case's recorded 44.6 s).

        ``prepared``: the same made in a worker by :meth:`prepare_model_result` (the step, the
        proposal and its file written beside the workspace's); used as made while the labels
        and the proposal are as they were then, else everything is made again here, in the
        worker's order: the proposal file is written before the step is journaled, which names
        it, so a kill between the two keeps the proposal (until session 24 the step was
        journaled first, and such a kill lost the proposal: the Dice figures, the question
        before a corrected segment is replaced)."""
        from ..dataset.provenance import now_iso

        self.clock.skip()
        ready = prepared is not None and prepared.step.fits(self.session) and \
            prepared.previous is self.proposal
        if not ready and self.workspace is not None and not self.session.stroke_open:
            if prepared is not None:
                prepared.discard()
            prepared = self.prepare_model_result(self.model_result_snapshot(), label_array, segments,
                                                 model, colors, hidden, outside_domain=outside_domain)
            ready = True
        step = self.session.apply_model_result(label_array, segments, model=model, colors=colors,
                                               hidden=hidden,
                                               step=prepared.step if prepared is not None else None,
                                               outside_domain=outside_domain)
        self.model, self.proposed_at = model, prepared.proposed_at if ready else now_iso()
        if ready:
            self.proposal = prepared.proposal
            self._adopt_proposal_file(prepared.proposal_file)
            return step
        if prepared is not None:   # (its step's blob: the session used or removed it)
            prepared.discard_proposal_file()
        names = set(model_segments(segments)[0].values())
        written = [s for s in self.labels.segments
                   if s.origin == "model" and s.model == model and s.name in names]
        self.proposal = merge_proposal(self.proposal, self.labels, written)
        self._save_proposal()
        return step

    def model_result_snapshot(self) -> tuple:
        """What :meth:`prepare_model_result` needs from this thread (the session's snapshot, the
        proposal now); a copy of the label map, so the worker reads nothing the user edits."""
        return self.session.model_result_snapshot(), self.proposal

    def prepare_model_result(self, snapshot: tuple, label_array, segments, model: str, colors=None,
                             hidden=(), progress=None, cancel=None,
                             outside_domain: str = "") -> "PreparedResult":
        """:meth:`apply_model_result` made in a worker thread from a :meth:`model_result_snapshot`:
        the undo step (its voxels written to the workspace), the new proposal and its file
        (written and fsync'ed under a temporary name; it takes the proposal's name once the step
        is journaled, so the journal's order of writes is kept). Touches nothing of the session.
        ``cancel`` is looked at between these (4.7 s in all on a 512x512x300 CT, load 11): a
        cancelled one removes the files it wrote (nothing of it is in the labels until applied)."""
        from ..dataset.provenance import now_iso
        from .session_files import model_result_step

        session_snapshot, previous = snapshot
        report(progress, 0, 3, "the model's segments")
        step = model_result_step(session_snapshot, label_array, segments, model, colors, hidden, cancel,
                                 outside_domain)
        prepared = PreparedResult(step, previous, None, None, now_iso(), self.session.journal)
        try:
            report(progress, 1, 3, "the model's proposal")
            names = set(model_segments(segments)[0].values())
            after = LabelMap(step.result, self.labels.ijk_to_ras, SegmentTable.from_list(step.after))
            written = [s for s in after.segments
                       if s.origin == "model" and s.model == model and s.name in names]
            prepared.proposal = proposal = merge_proposal(previous, after, written)
            check(cancel)
            if self.workspace is not None:
                report(progress, 2, 3, "writing the proposal")
                pending = self.workspace / f"{PENDING_PROPOSAL}{secrets.token_hex(8)}.npz"
                meta = {"model": model, "proposed_at": prepared.proposed_at,
                        "segments": proposal.segments.to_list()}
                prepared.proposal_file = pending
                write_proposal(pending, proposal.array, meta, cancel)
                step.meta["proposal"] = pending.name   # journaled: a kill before its rename keeps it
            check(cancel)
        except BaseException:   # cancelled (or failed): its files go with it
            prepared.discard()
            raise
        return prepared

    def _adopt_proposal_file(self, pending: Optional[Path]) -> None:
        """The proposal file written by a worker takes its name (after the step was journaled),
        with this proposal's time; without it (no workspace), it is written here."""
        path = self._proposal_path()
        if path is None or pending is None:
            self._save_proposal()
            return
        try:
            os.replace(pending, path)
            fsync_dir(path.parent)
        except OSError:
            self._save_proposal()

    def corrected_model_segments(self, model: str) -> list[str]:
        """Names of ``model``'s segments whose voxels now differ from what it proposed: edited by
        hand since, so a new result of the same model would replace the person's work. Locked
        segments are left out (a model result never changes them)."""
        if self.proposal is None:
            return []
        proposed = {s.value: s for s in self.proposal.segments}
        names = []
        for segment in self.labels.segments:
            if segment.origin != "model" or segment.model != model or segment.locked:
                continue
            old = proposed.get(segment.value)
            if old is None or old.name != segment.name or old.model != model:
                continue
            if segment.extent and old.extent:   # the brain: corrected when its extent was
                names += [segment.name] if segment.extent != old.extent else []
                continue
            if not np.array_equal(self.labels.array == segment.value, self.proposal.array == segment.value):
                names.append(segment.name)
        return names

    def _proposal_path(self) -> Optional[Path]:
        return None if self.workspace is None else self.workspace / PROPOSAL_FILE

    def _save_proposal(self) -> None:
        path = self._proposal_path()
        if path is None or self.proposal is None:
            return
        with atomic_path(path) as tmp:
            write_proposal(tmp, self.proposal.array, {"model": self.model, "proposed_at": self.proposed_at,
                                                       "segments": self.proposal.segments.to_list()})

    def _load_proposal(self) -> None:
        path = self._proposal_path()
        if path is None:
            return
        steps = self.session.history.undo_steps
        made = steps[-1].meta.get("proposal") if steps and steps[-1].name == "model" else None
        for stray in path.parent.glob(f"{PENDING_PROPOSAL}*.npz"):
            with contextlib.suppress(OSError):
                if stray.name == made:   # a kill after its step, before its rename: it is the proposal
                    os.replace(stray, path)
                    fsync_dir(path.parent)
                else:                    # a kill before its step (or an older one's)
                    stray.unlink()
        if not path.exists():
            return
        try:   # its header first: a snapshot of another grid, or a zip of zeros, is not read
            if npy_shape(path, "labels")[0] != self.labels.shape:
                return
            with np.load(path, allow_pickle=False) as data:
                array, meta = data["labels"], parse_json(str(data["meta"]))
            table = SegmentTable.from_list(meta.get("segments", []))
        except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError,
                zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, tokenize.TokenError):
            return  # a broken snapshot only loses the Dice figures, never the labels
        # Older snapshots held the whole label map, hand-drawn segments too: keep the model's part.
        model = [s for s in table if s.origin == "model"]
        self.proposal = merge_proposal(None, LabelMap(array, self.labels.ijk_to_ras, table), model)
        self.model, self.proposed_at = meta.get("model", ""), meta.get("proposed_at")

    # -- files ------------------------------------------------------------------------------------
    @property
    def is_dicom(self) -> bool:
        return bool(self.volume.source_metadata.get("SeriesInstanceUID")) and bool(self.volume.source_path)

    def save_labels(self, path, compact: bool = True, annotator: str = "") -> Path:
        """Save the label map (``Session.save_labels``), its sidecar naming the work behind it
        (:meth:`work_done`, this window's as ``annotator``'s)."""
        return self.session.save_labels(path, compact, work=self.work_done(annotator))

    def work_done(self, annotator: str, labels: Optional[LabelMap] = None) -> list[dict]:
        """The annotators' editing sessions behind ``labels`` (default the label map): those the
        label files loaded into it name (also those of segments removed since: ``app.removed_work``),
        and this window's as ``annotator``'s, its editing time and edits by hand
        (``app.work_session.work_behind``)."""
        labels = self.labels if labels is None else labels
        live = {"annotator": annotator.strip(), "session": self.work_session,
                "editing_seconds": round(self.clock.seconds, 1), "hand_edits": self.session.hand_edits()}
        return work_behind(labels.segments, live, self.session.removed_work())

    def labels_snapshot(self) -> tuple[LabelMap, int]:
        """A copy of the label map (voxels and segments) and its version: what a save written by
        a worker thread holds while the user goes on editing the live map."""
        return self.labels.copy(), self.version

    def write_labels(self, path, labels: LabelMap, cancel=None, adjudicated=None, work=None,
                     unchanged=None) -> Path:
        """Write ``labels`` (a :meth:`labels_snapshot`) as NIfTI with its segment sidecar, both
        files or neither (``cancel``: none, see ``save_label_files``); touches nothing of the
        session, so a worker thread may call it. ``adjudicated``: the snapshot's
        ``Segments.adjudication_marks``, ``work``: its :meth:`work_done`, which the sidecar keeps;
        ``unchanged``: the file's ``label_files.file_state`` when the save was asked for (another
        window's save since is ``SavedMeanwhile``, nothing written)."""
        return save_label_files(labels, self.volume.ijk_to_ras, path, cancel, adjudicated=adjudicated,
                                work=work, unchanged=unchanged,
                                image_key=self.volume.workspace_key(),
                                frame_key=frame_key(self.volume))

    def save_seg(self, path, labels: Optional[LabelMap] = None, time_point: int = 0, **options) -> Path:
        """Write the label map (or ``labels``, a :meth:`labels_snapshot`) as a DICOM SEG
        referencing the series it was drawn on, of a 4D run ``time_point``'s images (``options``:
        ``series_description``, ``content_creator``, ``model`` of ``io.seg.save_seg``)."""
        from ..io.seg import read_series_headers, save_seg

        if not self.is_dicom:
            raise SaveError("a DICOM SEG needs a DICOM image; save the labels as NIfTI instead", path=path)
        uid = str(self.volume.source_metadata["SeriesInstanceUID"])
        headers = read_series_headers([self.volume.source_path], series_uid=uid, time_point=time_point)
        save_seg(self.labels if labels is None else labels, headers, path, **options)
        return Path(path)

    def send_to_training_set(self, dataset_dir, annotator: str = "", labels: Optional[LabelMap] = None,
                             same_image: str = "replace", volume=None, replacing: Optional[str] = None,
                             label_for=None, image_id: Optional[str] = None, time_point=None,
                             cancel=None):
        """Add this case to a training set (``dataset.store.add_case``); returns its record.

        ``labels``: a copy of the label map to send (the GUI sends a snapshot from a worker thread
        while the user may keep painting); default: the live label map. An image the training set
        already holds replaces that case's label (its ``record.replaced`` is then non-empty), or
        with ``same_image="refuse"`` raises ``DatasetError`` naming the case. ``volume``: the image
        to send instead of the case's (a 4D image's ``time_point``, 1-based). ``replacing``: the
        version of the label the user agreed to replace; ``label_for``: segment name -> dataset
        label for segments not named like one (both ``dataset.store.add_case``). ``image_id``:
        the image's ``send_marker.image_id_of`` when the caller has it (computed here without).
        ``cancel``: a token whose ``cancelled`` stops the add before anything is kept."""
        from ..dataset.provenance import Provenance
        from ..dataset.store import add_case
        from ..io.dicom.person_name import readable_name
        from .prompting import interaction_summary
        from .send_marker import image_id_of, sending

        labels = self.labels if labels is None else labels
        interaction = interaction_summary(self.session.history.undo_steps, labels.segments)
        adjudication = made = None
        proposal = self.live_proposal(labels)
        if self.adjudication is not None and self.adjudication.result is not None:
            adjudication = self.adjudication.provenance(labels.array == self.adjudication.segment_value)
            annotator = annotator or readable_name(adjudication["adjudicator"])   # as people write it
            made = self.adjudication.made(labels)   # the readers' outlines, not a model's
            proposal = None if made is not None else proposal
        else:   # a label file saved adjudicated, loaded again: its sidecar's marks
            made, adjudication = self.file_adjudication(labels)
            annotator = annotator or (adjudication or {}).get("adjudicator", "")
        people, seconds, hand_edits = work_totals(self.work_done(annotator, labels))
        provenance = Provenance(annotator=annotator, model=self.model if proposal is not None else "",
                                status="final", editing_seconds=seconds, annotators=people,
                                proposed_at=self.proposed_at, corrected_at=self.clock.last_edit_at,
                                interaction=interaction if interaction["objects"] or "segments" in interaction
                                else None,
                                adjudication=adjudication, time_point=time_point,
                                hand_edits=hand_edits)
        sent = self.volume if volume is None else volume
        image_id = image_id or image_id_of(sent)   # hashed once, for the mark and the training set's record
        with sending(self.workspace, dataset_dir, sent, image_id):   # a kill is said at the next open
            return add_case(dataset_dir, sent, labels, provenance, proposal=proposal,
                            same_image=same_image, replacing=replacing,
                            loaded=self.session.loaded_labels, label_for=label_for, image_id=image_id,
                            cancel=cancel, adjudicated=made)

    def file_adjudication(self, labels: Optional[LabelMap] = None) -> tuple:
        """``(made, adjudication)`` of ``labels``' segments (default the label map) that a label
        file loaded again says were adjudicated (``app.adjudicated_file.marked_record``)."""
        from .adjudicated_file import marked_record

        labels = self.labels if labels is None else labels
        return marked_record(self.session.segments.adjudication_marks(), labels,
                             self.session.loaded_labels)

    def proposing_model(self, labels: Optional[LabelMap] = None) -> str:
        """The model a SEG of ``labels`` (default the label map) names as having proposed the mask
        (its series description's "from model", its ContributingEquipmentSequence): the case's
        model, unless its proposal is no longer held (taken back, removed, or replaced by the
        readers' outlines an adjudicator applied: until session 37 such a SEG said "from model")."""
        labels = self.labels if labels is None else labels
        return "" if self.proposal is not None and self.live_proposal(labels) is None else self.model

    def live_proposal(self, labels: LabelMap) -> Optional[LabelMap]:
        """The proposal of the model segments ``labels`` still holds (same value, origin and
        model), or None. A model result taken back with Ctrl+Z, or a model segment removed, is
        no proposal of what was drawn in its place: such a lesion was sent as the model's,
        with Dice 0 against a result the user never kept."""
        if self.proposal is None:
            return None
        held = {(s.value, s.model) for s in labels.segments if s.origin == "model"}
        kept = [s for s in self.proposal.segments if (s.value, s.model) in held]
        return merge_proposal(None, self.proposal, kept) if kept else None
