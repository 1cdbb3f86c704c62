"""The workspace side of :class:`~neuroview.app.session.Session`: journaling each step, the
segments.json mirror, restore after a crash, and checkpoints (compaction) in one or three parts.
A window compacts off its GUI thread (``ui.compaction``): it sets :attr:`Session.compact_soon`,
called in place of :meth:`checkpoint` when the journal passes its bound, and runs
:meth:`end_checkpoint` on a worker thread (the journal's lock keeps every step's record out
from its check to its switch).

A part of ``Session`` (its base class), not used alone: it reads the session's label map,
stroke, version and listeners.
"""

from __future__ import annotations

import contextlib
import functools
import time
from pathlib import Path
from typing import Optional

from ..core.journal import Journal, WorkspaceError
from ..core.journal_checkpoint import Checkpoint
from ..core.plural import plural
from ..core.segment_work import merge_work
from ..core.undo import Step
from ..core.volume import Volume
from .adjudicated_step import keep_marks, last_adjudication, recall_marks
from .edit_clock import hand_edit_count
from .edit_event import EditEvent
from .hand_edits_kept import keep_hand_edits, recall_hand_edits
from .journal_replay import recovery, replay_journal
from .removed_work import keep_removed_work, recall_removed_work, removed_by
from .restore_counts import Restorable
from .session_loaded import forget_loaded, loaded_after_restore

JOURNAL_MAX_BYTES = 64 * 1024 * 1024
"""The journal is compacted (label map stored as a base, journal emptied) past this size..."""
JOURNAL_MAX_RECORDS = 20_000
"""...or past this many records, so a restore after a crash stays quick."""
SEGMENTS_MIRROR_SECONDS = 2.0
"""The workspace's segments.json is rewritten at most this often (and on close and compaction)."""


class SessionJournal:
    """Journal, restore and checkpoint commands of :class:`~neuroview.app.session.Session`."""

    @staticmethod
    def recoverable_steps(volume: Volume, workspace) -> int:
        """How many journal records a workspace holds for ``volume`` (0: nothing to restore).

        Raises :class:`GeometryError` when the workspace belongs to another image.
        """
        return SessionJournal.recovery(volume, workspace).records

    @staticmethod
    def recovery(volume: Volume, workspace, cancel=None) -> Restorable:
        """The edits a restore gives back and those lost to damage in the journal (see
        ``app.restore_counts``); all 0 without a workspace. ``cancel`` (a ``CancelToken``): looked
        at between records, ``Cancelled`` raised with the journal as it was."""
        if not (Path(workspace) / "workspace.json").exists():
            return Restorable(0, 0, 0, 0)
        journal = Journal(workspace, volume.workspace_key(), volume.shape[:3], volume.older_keys)
        try:
            return recovery(journal, cancel=cancel)
        finally:
            journal.close()

    @staticmethod
    def unverified(volume: Volume, workspace) -> bool:
        """True when ``workspace`` names its image by the sampled key of neuroview before session
        33 (``core.image_keys``): its edits could not be checked against every voxel of ``volume``."""
        if not (Path(workspace) / "workspace.json").exists():
            return False
        journal = Journal(workspace, volume.workspace_key(), volume.shape[:3], volume.older_keys)
        journal.close()
        return journal.unverified

    @staticmethod
    def compacted(volume: Volume, workspace) -> bool:
        """True when ``workspace`` stores a label map (a save's or a compaction's base): a restore
        gives it back even when no edit follows it."""
        if not (Path(workspace) / "workspace.json").exists():
            return False
        journal = Journal(workspace, volume.workspace_key(), volume.shape[:3], volume.older_keys)
        try:
            return journal.generation > 0
        finally:
            journal.close()

    @staticmethod
    def saved_unchanged(volume: Volume, workspace) -> bool:
        """True when the workspace holds the labels as last saved and no edit after them (a
        crash after Save labels): a restore gives back the file's labels, nothing unsaved."""
        if not (Path(workspace) / "workspace.json").exists():
            return False
        journal = Journal(workspace, volume.workspace_key(), volume.shape[:3], volume.older_keys)
        try:
            return journal.base_saved and journal.generation > 0 and not journal.has_records()
        finally:
            journal.close()

    def _mirror_segments(self, force: bool = False) -> None:
        """Rewrite the workspace's ``segments.json`` (a copy of the table for other programs; the
        journal holds every change): at most every ``SEGMENTS_MIRROR_SECONDS``, and on close and
        compaction, so that adding the 2,000th segment does not rewrite 2,000 of them each time."""
        now = time.monotonic()
        if self._mirrored_at is None or force or now - self._mirrored_at >= SEGMENTS_MIRROR_SECONDS:
            self.journal.write_segments(self.labels.segments.to_list())
            self._mirrored_at = now

    def flush_journal(self) -> None:
        """Put on disk now what is kept only in memory (the segment table's copy, rewritten at most
        every ``SEGMENTS_MIRROR_SECONDS``; each edit is in the journal as it is made), as on a close:
        after an internal error, before anything else can go wrong."""
        if self.journal is not None and not self.journal.inherited:   # a forked copy writes nothing
            with contextlib.suppress(OSError):
                self._mirror_segments(force=True)

    def _journal(self, method: str, step: Step, table_changed: bool, blob=None) -> None:
        if self.journal is None:
            return
        seconds = self._editing_now() if self.editing_time is not None else None
        with self.journal.lock:   # a worker's switch (end_checkpoint) waits, or this for it
            try:
                if method == "append_step":
                    self.journal.append_step(step, seconds, blob)
                else:  # an undo/redo of a step compacted into the base carries the step itself
                    getattr(self.journal, method)(step, seconds, full=step.step_id not in self._journaled)
                self._journaled.add(step.step_id)
                if table_changed:
                    self._mirror_segments()
            except OSError as exc:
                raise self._unwritable(exc) from None
        if self.journal.exceeds(self.journal_max_bytes, self.journal_max_records):
            if self.compact_soon is not None:
                self.compact_soon()
                return
            try:
                self.checkpoint()
            except OSError:
                pass  # the journal itself is complete; compaction is tried again after the next edit

    def _unwritable(self, exc: OSError) -> WorkspaceError:
        return WorkspaceError(f"cannot write the workspace journal ({exc.strerror or exc}); "
                              "your edit is kept in memory, save the labels", path=self.journal.named())

    def drop_redo(self) -> None:
        """Forget the steps undone: a change outside the label history was made (a ruler or angle
        drawn, moved or deleted), as a new step forgets them. Journaled, so that a restore after
        a crash does not offer to redo them either (it did until session 24)."""
        if not self.history.can_redo:
            return
        self.history.drop_redo()
        if self.journal is not None:
            try:
                seconds = self._editing_now(edit=False) if self.editing_time is not None else None
                self.journal.append_drop(seconds)
            except OSError as exc:
                raise self._unwritable(exc) from None
        self._loads_left()   # the undone loads cut off free their labels as loaded

    def _editing_now(self, edit: bool = True) -> float:
        """The editing time as the journal records it; ``edit``: with a step (the labels changed
        now), not a compaction or a dropped redo, which are no edit: the compaction after a save
        made the case ``corrected`` at the save's time (session 49's walk: an adjudicated case
        sent unchanged read ``corrected 12:18``)."""
        if self.editing_time is not None:
            self._editing_seconds = float(self.editing_time(edit))
        return self._editing_seconds

    # -- restore after a crash -----------------------------------------------------------------
    def _adopt_workspace(self, volume: Volume) -> None:
        """A workspace an older neuroview keyed otherwise (``Journal.older``: a sampled key, or
        a CT's voxels hashed as read), restored or started afresh, becomes ``volume``'s: compacted
        under its key of now."""
        if self.journal.older is not None:
            self.journal.adopt_key(volume.workspace_key(), self.labels.array,
                                   self.labels.segments.to_list(), self._editing_seconds,
                                   saved=not self.modified)
            self._compacted()

    def hand_edits(self) -> int:
        """The edits by hand kept in the labels: those of the undo history, those its bounds
        forgot (until session 44 they went uncounted), and those behind the workspace's base that
        a restore started it from (``app.hand_edits_kept``)."""
        return (self.hand_edits_before + self.hand_edits_forgotten
                + hand_edit_count(self.history.undo_steps))

    def _forget_step(self, step: Step) -> None:
        """A step done left the undo history for good (``History.forget``): its edit by hand
        stays in the labels, and in :meth:`hand_edits`."""
        self.hand_edits_forgotten += hand_edit_count((step,))
        self.work_removed_earlier = merge_work(self.work_removed_earlier, removed_by((step,)))

    def removed_work(self) -> list[dict]:
        """The annotators' work behind the segments removed from the labels (``app.removed_work``):
        the removals of the undo history, those its bounds forgot and those behind the base."""
        return merge_work(self.work_removed_earlier, removed_by(self.history.undo_steps))

    def _start_over(self) -> None:
        """The workspace's earlier edits are not restored: an empty journal, no labels as loaded."""
        self.hand_edits_before = self.hand_edits_forgotten = 0
        self.work_removed_earlier = []
        self.journal.compact(self.labels.array, self.labels.segments.to_list(), 0.0)
        keep_hand_edits(self.journal.folder, self.journal.generation, 0)
        keep_removed_work(self.journal.folder, self.journal.generation, ())
        from .seg_recall import forget_segs

        forget_loaded(self.journal.folder)
        forget_segs(self.journal.folder)
        keep_marks(self.journal.folder, self.journal.generation, ())
        from .adjudication_record import forget_plans

        forget_plans(self.journal.folder, self)   # no Apply is in the history now

    def _restore(self, replayed=None, cancel=None) -> None:
        """Rebuild the state after the last committed step from the workspace (``app.journal_replay``;
        ``replayed`` and ``cancel`` as there)."""
        replay = replay_journal(self.journal, self.labels, self.counts, self.history, replayed, cancel)
        self.hand_edits_before = recall_hand_edits(self.journal.folder, self.journal.generation)
        self.work_removed_earlier = recall_removed_work(self.journal.folder, self.journal.generation)
        self._journaled |= replay.journaled
        # the readers' Applies, marked in their steps' meta (or kept with the base): From reads
        # "adjudicated" again (before a damaged journal's compaction keeps them with its base)
        self.adjudicated_base = recall_marks(self.journal.folder, self.journal.generation)
        self.adjudicated = (last_adjudication((*self.history.undo_steps, *self.history.redo_steps))
                            or (self.adjudicated_base[-1] if self.adjudicated_base else None))
        if replay.lost:
            self.restore_notice = self._keep_damaged_journal(replay)
        self._tell_cut()
        self._next_id = max(self._next_id, replay.next_step_id)
        # the labels as the last file loaded made them: a loaded segment's changed voxels
        self.loaded_steps = loaded_after_restore(self.journal.folder, self.labels,
                                                 self.history.undo_steps, self.history.redo_steps)
        self._keep_loaded()
        # a reader's SEG named as before the crash (its description and reader), found again
        from ..io.seg_names import UNNAMED_SEG
        from .seg_recall import recall_segs

        for value, name in recall_segs(self.journal.folder, self.volume.source_path,
                                       self.labels.segments).items():
            self.segments.shown_file(value, UNNAMED_SEG, name)
        self.restored_steps = replay.restored_steps
        self.restored = replay.restorable
        self.restored_editing_seconds = self._editing_seconds = replay.editing_seconds
        self._version += 1
        # restored edits are in no file: modified, whatever undo does; but a label map saved
        # (then a crash) with no edit since is the file's (quitting asked to save it again)
        unchanged = self.journal.base_saved and replay.restored_steps == 1 and not replay.lost
        self._saved_position = self.history.position if unchanged else None
        self._notify(EditEvent("restore", ((0, 0, 0), self.labels.shape), True))

    def _tell_cut(self) -> None:
        """A record cut short at the journal's end (a kill mid-write; an empty journal file): one
        sentence more in :attr:`restore_notice`, and the torn bytes cut off (told once)."""
        cut = self.journal.cut
        if cut is None:
            return
        from .restore_counts import cut_line, cut_words

        line = cut_line(cut_words(cut.kind, cut.name))
        self.restore_notice = f"{self.restore_notice}. {line}" if self.restore_notice else line
        try:
            self.journal.drop_cut()
        except OSError:
            pass   # cut off by the next append (and told again at the next opening meanwhile)

    def restored_line(self) -> str:
        """What a restore gave back, in the words Undo answers to (the window's notice bar
        shows it right after *Restore*, under a damaged journal's notice): the edits since the
        last save that Ctrl+Z can take back, and those Ctrl+Y can redo, as :meth:`recovery`
        offered them (``app.restore_counts``); a label map saved (then a crash) with no edit
        since is restored as last saved, without the undo history before the save (as Slicer and
        ITK-SNAP keep none after a crash)."""
        if not (self.restored.edits or self.restored.undone or self.modified):
            return ("restored the labels as last saved (no edit since the save); the undo history "
                    "from before the save is not kept: Ctrl+Z has nothing to undo")
        return self.restored.restored_line()

    def _keep_damaged_journal(self, replay) -> str:
        """The journal had damaged records: copy it aside, then compact, so that new edits go to a
        clean journal. The one line that tells the user."""
        damage, foreign = self.journal.damage, self.journal.foreign
        kept = self.journal.keep_damaged()
        self.journal.compact(self.labels.array, self.labels.segments.to_list(), replay.editing_seconds)
        self._compacted()
        why = (f"the crash journal is damaged at byte {damage[0].offset} ({damage[0].reason})"
               if damage else f"the crash journal holds {plural(len(foreign), 'record')} of another image "
               "(a copied file)" if foreign else "undo or redo records of the crash journal do not fit "
               "the edits before them")
        copy = f"the damaged journal is kept in {self.journal.named(kept)}" if kept is not None else ""
        return replay.restorable.lost_line(why, copy)

    def _compacted(self) -> None:
        """The journal was compacted: no step is in its file; the readers' Applies in force are
        kept with the new base (``app.adjudicated_step``: each segment's latest not undone; until
        session 40 only the latest of all), the plans no step names any longer go."""
        self._journaled.clear()
        self._keep_with_base(self.history.undo_steps, self.adjudicated, self.adjudicated_base,
                             self.hand_edits(), self.removed_work(), self.journal.generation)
        self.forget_plans()

    def _keep_with_base(self, undo_steps, adjudicated, adjudicated_base, hand_edits: int,
                        removed_work: list, generation: int) -> None:
        """The files kept beside the base of ``generation``: the Applies in force, the edits by
        hand and the removed segments' work behind it."""
        keep_marks(self.journal.folder, generation, undo_steps, adjudicated, adjudicated_base)
        keep_hand_edits(self.journal.folder, generation, hand_edits)
        keep_removed_work(self.journal.folder, generation, removed_work)

    def forget_plans(self) -> None:
        """After a compaction: the adjudication plans no step of the history names go."""
        from .adjudication_record import forget_plans

        forget_plans(self.journal.folder, self)

    def checkpoint(self) -> None:
        """Compact the workspace: store the current label map and start an empty journal.

        Runs by itself when the journal passes ``journal_max_bytes`` / ``journal_max_records`` and
        after :meth:`save_labels`; crash-safe at every point (see ``core.journal``). The undo
        history in memory is kept; a restore after a crash starts its history here. Does nothing
        while a stroke is open (its voxels are not committed).
        """
        if self.journal is not None and self._stroke is None:
            self.journal.compact(self.labels.array, self.labels.segments.to_list(),
                                 self._editing_now(edit=False), saved=not self.modified)
            self._compacted()
            self._mirror_segments(force=True)

    def begin_checkpoint(self) -> Optional[Checkpoint]:
        """:meth:`checkpoint` in three parts, for a GUI: this snapshot (a copy of the label map),
        ``Checkpoint.write`` in a worker (compressing and fsyncing the base: the slow part), then
        :meth:`end_checkpoint` here. None without a journal, edits in it, or with a stroke open."""
        if self.journal is None or self._stroke is not None or not self.journal.has_records():
            return None
        # what the files beside the base keep is the snapshot's too (end_checkpoint may run on
        # a worker thread while this one edits)
        keep = functools.partial(self._keep_with_base, tuple(self.history.undo_steps), self.adjudicated,
                                 self.adjudicated_base, self.hand_edits(), self.removed_work())
        return Checkpoint(self.journal, self._version, self.journal.generation,
                          self.labels.array.copy(), self.labels.segments.to_list(),
                          self._editing_now(edit=False), saved=not self.modified, keep=keep)

    def end_checkpoint(self, checkpoint: Checkpoint) -> bool:
        """Switch to a written checkpoint unless the labels changed since its snapshot or the
        session was closed (then it is dropped: the journal holds everything, and the next save
        compacts). May run on a worker thread (``ui.compaction``): it holds the journal's lock,
        which each step takes to journal itself, from its check to the end of the switch; the
        thread that edits then calls :meth:`forget_plans`. An OSError (a full disk) leaves the
        journal as it was."""
        journal = self.journal
        if journal is None:
            checkpoint.discard()
            return False
        with journal.lock:
            if checkpoint.version != self._version or self._stroke is not None or self._closed:
                checkpoint.discard()
                return False
            checkpoint.saved = checkpoint.saved or not self.modified   # saved since the snapshot
            if not checkpoint.adopt():
                return False
            self._journaled.clear()
            checkpoint.keep(journal.generation)
            journal.write_segments(checkpoint.segments)
            self._mirrored_at = time.monotonic()
        return True
