"""The scripting API, and the commands the GUI calls: one image, its label map, history, journal.

::

    from neuroview import Session
    s = Session.open("image.nii.gz", workspace="ws/")   # file, DICOM folder or DICOMDIR
    seg = s.segments.add("lesion")
    s.apply("paint", at_ras=(10.0, -5.0, 20.0), radius_mm=6.0, mode="3d", segment=seg)
    s.undo(); s.redo()
    s.save_labels("labels.nii.gz")                      # on the image's own grid

A widget drives the same tools with :meth:`Session.press`, :meth:`Session.drag` and
:meth:`Session.release` (RAS millimetres), and listens with :meth:`Session.subscribe`. Every
committed step goes to the undo history and, with a workspace, to the crash-safe journal.
No Qt here: tests drive it headless.

The class is in four parts: this module (opening, tools, strokes, commit, undo/redo), and its
bases ``session_journal`` (journal, restore, checkpoints), ``session_preview`` (previews and
AI-click prompts) and ``session_files`` (saving, loading masks, model results).
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any, Callable, Optional

import numpy as np

from ..core.edit import POLICIES, TOOLS, EditTarget, Tool, make_params, ras_point, tool_class
from ..core.edit.options import check_options
from ..core.errors import ToolError
from ..core.journal import Journal
from ..core.labels import LabelMap, Segment, SegmentTable
from ..core.undo import DEFAULT_MAX_BYTES, DEFAULT_MAX_STEPS, Box, History, Step, VoxelDiff, box_slices
from ..core.volume import Volume, not_a_volume
from .edit_event import EditEvent
from .hand_marks import follow_extents, follow_time_points, mark_drawn
from .journal_replay import apply_step
from .label_counts import LabelCounts
from .label_files import resample_nearest
from .restore_counts import Restorable
from .segments import Segments
from .session_files import SessionFiles
from .session_journal import JOURNAL_MAX_BYTES, JOURNAL_MAX_RECORDS, SessionJournal
from .session_loaded import LoadedSteps
from .session_preview import Preview, SessionPreviews


class Session(SessionJournal, SessionPreviews, SessionFiles):
    """One open image with its label map, segment table, tools, history and workspace journal."""

    def __init__(self, volume: Volume, workspace: str | os.PathLike | None = None, *,
                 restore: bool = True, history_bytes: int = DEFAULT_MAX_BYTES,
                 history_steps: int = DEFAULT_MAX_STEPS,
                 journal_max_bytes: Optional[int] = JOURNAL_MAX_BYTES,
                 journal_max_records: Optional[int] = JOURNAL_MAX_RECORDS,
                 replayed: Optional[Callable[[int], None]] = None, cancel=None):
        """``replayed`` and ``cancel`` (a ``core.jobs.CancelToken``): a restore's progress and
        stop (``app.journal_replay.replay_journal``); a cancelled restore raises ``Cancelled``
        with the workspace as it was."""
        if isinstance(volume, (str, os.PathLike)):   # failed on .shape, naming nothing
            raise TypeError(f"Session: volume must be a neuroview Volume, not a path "
                            f"({os.fspath(volume)}): Session.open(path) opens a file")
        if not isinstance(volume, Volume):
            raise not_a_volume("Session: volume", volume)
        self.volume = volume
        self.labels = LabelMap.empty_like(volume)
        self.hand_edits_forgotten = 0
        """Edits by hand among the steps the bounded undo history forgot (``hand_edits()``)."""
        self.work_removed_earlier: list[dict] = []
        """The work of segments removed by steps the history forgot or behind the workspace's
        base a restore started from (``removed_work()``)."""
        self.history = History(history_bytes, history_steps, forget=self._forget_step)
        self.segments = Segments(self)
        self.counts = LabelCounts(self.labels, busy=lambda: self._stroke is not None)
        self.counts.start_empty()   # voxels per label, kept from each step's diff; a restore replaces them
        self.policy = "all"
        self.active_segment: Optional[int] = None
        self.params: dict[str, Any] = {name: cls.Params() for name, cls in TOOLS.items()}
        self.pending_preview: Optional[Preview] = None
        self.prompting = None
        """The :class:`app.prompting.PromptSession` of the AI-click object in progress, if any."""
        self.discarded_object: Optional[str] = None
        """The line saying the last segment removed took its AI-click object (:meth:`drop_object_of`)."""
        self.frame = 0   # a 4D image's time point shown: the one AI click, Threshold, strokes read
        self._listeners: list[Callable[[EditEvent], None]] = []
        self._stroke: Optional[tuple[Tool, list, str]] = None
        self.left_alone: frozenset[int] = frozenset()
        """Label values an erase stroke passed over and left (another segment than the one it
        erases, a locked or a hidden one), set by :meth:`release`."""
        self.masked_out = False
        """Whether the last stroke's intensity range left out voxels under its brush (a paint
        stroke that changed nothing is then said to be masked), set by :meth:`release`."""
        self._next_id = 1
        self._version = 0
        self._saved_position: Optional[int] = 0
        """``history.position`` when the labels were last saved (``None``: a state no undo or redo
        reaches, as after a restore)."""
        self.restored_steps = 0
        """Journal records given back from the workspace (the number :meth:`recoverable_steps`
        offered: any is something restored)."""
        self.restored = Restorable(0, 0, 0, 0)
        """The edits the restore gave back and lost (``app.restore_counts``)."""
        self.restore_notice: Optional[str] = None
        """One line for the user when the restore lost steps to a damaged journal (how many were
        restored and lost, where the damaged journal was kept); ``None`` otherwise."""
        self.journal_max_bytes, self.journal_max_records = journal_max_bytes, journal_max_records
        self.editing_time: Optional[Callable[[bool], float]] = None
        """Returns the case's editing time in seconds (set by ``app.case.Case``; given whether the
        labels changed now); written with every journal record, so a restore after a crash gives
        it back."""
        self.restored_editing_seconds = 0.0
        self.hand_edits_before = 0
        """Edits by hand behind the workspace's base a restore started from (``hand_edits()``)."""
        self.not_editing: Callable[[], None] = lambda: None   # a file loaded: Case skips the time
        self._editing_seconds = 0.0
        self.loaded_steps = LoadedSteps()   # the labels as loaded along the history
        self.adjudicated: Optional[tuple[Optional[int], int, str]] = None
        """(the step of the readers' *Apply to label map*, the segment value it filled, the
        adjudicator as read): the *From* column reads ``adjudicated`` while Ctrl+Z has not taken
        that step back (``app.segments``); ``None`` before any Apply."""
        self.adjudicated_base: tuple[tuple, ...] = ()
        """After a restore from a compacted base: the Applies kept with it, oldest first, one per
        segment (``(None, value, adjudicator, was, plan token)``, ``app.adjudicated_step.recall_marks``),
        each in force from the base on until a later Apply fills its segment; none otherwise."""
        self._journaled: set[int] = set()  # ids of steps stored in the current journal file
        self._mirrored_at: Optional[float] = None  # when segments.json was last written
        self._closed = False
        self.compact_soon: Optional[Callable[[], None]] = None
        """Called in place of :meth:`checkpoint` after a step that took the journal past its
        bound (a window's: ``ui.compaction`` compacts off the GUI thread)."""
        self.compaction_running = False
        """A compaction of the workspace runs in a window's worker (``ui.compaction``)."""
        self.compaction_error: Optional[str] = None
        """The line that told of the last compaction that failed (a full disk), until one
        succeeds (the window's bound waits for it: ``ui.compaction``)."""
        self.journal: Optional[Journal] = None
        if workspace is not None:
            self.journal = Journal(workspace, volume.workspace_key(), volume.shape[:3],
                                   volume.older_keys)
            try:
                if self.journal.has_content():
                    if restore:
                        self._restore(replayed, cancel)
                    else:
                        self._start_over()
                elif restore:   # no edit to restore; an empty file or a first record cut short
                    self._tell_cut()
                self._adopt_workspace(volume)
            except BaseException:
                self.journal.close()
                raise

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls, path, workspace=None, series: Optional[int] = None, **kwargs) -> "Session":
        """Open an image (NIfTI, MGH, NRRD, DICOM file/folder/DICOMDIR), optionally with a workspace.

        With a workspace holding earlier edits of the same image, they are restored
        (``restore=False`` starts over instead; :meth:`recoverable_steps` lets a GUI ask first).
        """
        from .open_series import load_one_series  # warns when it chose among several series

        return cls(load_one_series(path, series), workspace, **kwargs)

    @property
    def modified(self) -> bool:
        """True when the label map or segments differ (or were restored) from the last
        :meth:`save_labels` (what a GUI asks Save / Discard / Cancel about on quitting); undoing
        (or redoing) back to the state saved makes them unmodified again."""
        return self.history.position != self._saved_position

    @property
    def version(self) -> int:
        """Changes with every commit, undo, redo and restore (an older version's result is stale)."""
        return self._version

    def close(self) -> None:
        if self.journal is not None:
            with self.journal.lock:   # a worker's end_checkpoint finishes first, or drops
                self._closed = True
                self.flush_journal()
                self.journal.close()

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- notifications -----------------------------------------------------------------------
    def subscribe(self, callback: Callable[[EditEvent], None]) -> Callable[[], None]:
        """Call ``callback(EditEvent)`` after every change; returns a function that unsubscribes."""
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback) if callback in self._listeners else None

    def _notify(self, event: EditEvent) -> None:
        for callback in list(self._listeners):
            callback(event)

    # -- parameters ----------------------------------------------------------------------------
    def set_params(self, tool: str, **values) -> Any:
        """Change the remembered parameters of a tool (what the GUI's option widgets edit).

        The remembered options never pin the segment a tool writes: that is the active segment
        (:meth:`Segments.select`), read when a stroke starts, or ``segment=`` given to
        :meth:`apply`/:meth:`press`. The one segment option that may be remembered is erase's
        ``segment="all"`` (erase every unlocked segment) or ``None`` (the active one).
        A value the tool does not take (``radius_mm=-3``, ``mode="bogus"``, an unknown option, a
        string for a number) raises ``core.errors.ToolOptionError`` (a ``ValueError``) naming the tool,
        the option and what it takes; the remembered parameters stay as they were.
        """
        cls = tool_class(tool)
        if "segment" in values and not (cls.name == "erase" and values["segment"] in (None, "all")):
            raise ToolError(f"{cls.name}: the segment is not a remembered option; select it with "
                            "segments.select(...) or pass segment= to apply()")
        current = self.params[cls.name]
        merged = {f.name: getattr(current, f.name) for f in dataclasses.fields(current)}
        check_options(cls.name, merged, values)   # refused here, not at the next edit
        merged.update(values)
        params = make_params(cls.Params, merged, cls.name)
        resolved = self._params(cls.name, {}, params)  # names of other segments must resolve now
        for name in {"other", "segments"} & set(values):   # kept as values: a rename or the caller's
            setattr(params, name, getattr(resolved, name))  # list changed later left them stale
        self.params[cls.name] = params
        return params

    def set_policy(self, policy: str) -> None:
        if policy not in POLICIES:
            raise ToolError(f"unknown overwrite policy {policy!r}; choose one of {POLICIES}")
        self.policy = policy

    def _resolve(self, value):
        if isinstance(value, str) and value != "all":
            return self.labels.segments.by_name(value).value
        if value == "all":
            return 0
        return value

    def _params(self, tool: str, values: dict, base=None):
        cls = tool_class(tool)
        base = base if base is not None else self.params[cls.name]
        # Resolved into a new object every time: the remembered options stay as the user set them.
        merged = {f.name: getattr(base, f.name) for f in dataclasses.fields(base)}
        check_options(cls.name, merged, values)   # apply's one-off options: before any voxel changes
        merged.update(values)
        params = make_params(cls.Params, merged, cls.name)
        if hasattr(params, "segment"):
            if params.segment is None and self.active_segment is not None:
                params.segment = self.active_segment
            params.segment = self._resolve(params.segment)
        if getattr(params, "segments", None) is not None:
            params.segments = [self._resolve(s) for s in params.segments]
        other = getattr(params, "other", None)
        if isinstance(other, Segment):
            params.other = other.value
        elif isinstance(other, str):
            params.other = self._resolve(other)
        return params

    def _target(self) -> EditTarget:
        return EditTarget(self.volume, self.labels, self.policy, self.frame)

    # -- interactive input (what a widget calls) ----------------------------------------------
    def press(self, tool: str, at_ras=None, **params) -> Optional[Box]:
        """Begin a stroke (or a one-shot tool) at ``at_ras``; returns the changed voxel box."""
        cls, options = tool_class(tool), self._params(tool, params)   # refused before anything
        at_ras = None if at_ras is None else ras_point(at_ras, "at_ras")
        if self._stroke is not None:
            self.release()
        before = self.labels.segments.to_list()
        instance = cls(self._target(), options)
        self._stroke = (instance, before, cls.name)
        try:
            box = instance.press(at_ras)
        except BaseException:   # Ctrl+C too: it left the stroke open, committed by the next press
            instance.cancel()
            self.labels.segments = SegmentTable.from_list(before)
            self._stroke = None
            raise
        if box is not None:
            self._notify(EditEvent("stroke", box))
        return box

    def drag(self, at_ras) -> Optional[Box]:
        """Extend the current stroke to ``at_ras``."""
        if self._stroke is None:
            return None
        box = self._stroke[0].drag(ras_point(at_ras, "a path point"))
        if box is not None:
            self._notify(EditEvent("stroke", box))
        return box

    def release(self) -> Optional[Step]:
        """End the stroke: commit it as ONE undo step (``None`` when it changed nothing)."""
        if self._stroke is None:
            return None
        instance, before, name = self._stroke
        self._stroke = None
        diff = instance.release()
        self.left_alone = frozenset(getattr(instance, "left_alone", ()))
        self.masked_out = bool(getattr(instance, "masked_out", False))
        self._mark_drawn(diff)
        return self._commit(name, diff, before, {})

    def cancel_stroke(self) -> None:
        """Throw away the stroke in progress (restores the voxels it painted)."""
        if self._stroke is None:
            return
        instance, before, _ = self._stroke
        self._stroke = None
        box = instance.cancel()
        self.labels.segments = SegmentTable.from_list(before)
        self._notify(EditEvent("stroke", box, segments_changed=True))

    # -- scripting -------------------------------------------------------------------------------
    def apply(self, tool: str, at_ras=None, path=None, **params) -> Optional[Step]:
        """Run a tool and commit the result as one undo step.

        ``at_ras``: the click (paint, erase, fill); ``path``: RAS points a brush is dragged through.
        Other keywords: the tool's options for this run, checked as :meth:`set_params` does, first.
        """
        path = [ras_point(point, "a path point") for point in path or ()]   # before any voxel
        self.press(tool, at_ras, **params)
        for point in path:
            self.drag(point)
        return self.release()

    # -- committing, undo, redo ----------------------------------------------------------------
    def _commit(self, name: str, diff: Optional[VoxelDiff], before, meta: dict,
                after=None, blob: Optional[dict] = None) -> Optional[Step]:
        """``before``/``after``: the whole segment table (``to_list()``), or for a step touching a
        few segments their ``SegmentTable.delta`` (``after`` given by the caller). ``blob``: the
        diff's voxels already in the workspace (``core.journal_records.write_blob``, a worker's)."""
        if after is None and name != "model":   # a brain erased or painted by hand keeps its extent
            follow_extents(self.labels, diff)
        if after is None:   # a 4D image's time point shown (a file's load: none; an emptied segment: none)
            follow_time_points(self.labels, diff, self, name != "load_labels")
        after = self.labels.segments.to_list() if after is None else after
        table_changed = after != before
        if diff is None and not table_changed:
            return None
        step = Step(name, diff, before if table_changed else None, after if table_changed else None,
                    self._next_id, meta)
        self._next_id += 1
        self._version += 1
        self.history.push(step)
        self.counts.apply(diff, forward=True)
        self._journal("append_step", step, table_changed, blob)
        self._loads_left()   # loads that left the history (trimmed, cut off) free their labels
        self._notify(EditEvent("commit", step.box, table_changed, step))
        return step

    def undo(self) -> Optional[Step]:
        """Undo the last step (Ctrl+Z); ``None`` when there is nothing to undo. During a stroke,
        the stroke in progress is what is undone (thrown away; the steps before it stay)."""
        if self._stroke is not None:
            self.cancel_stroke()
            return None
        return self._step_again(self.history.pop_undo(), forward=False)

    def redo(self) -> Optional[Step]:
        """Redo the last undone step (Ctrl+Shift+Z)."""
        return self._step_again(self.history.pop_redo(), forward=True)

    def take_back(self, step: Step) -> bool:
        """Undo ``step`` and forget it (Ctrl+Y does not redo it) when it is the newest step and no
        stroke is open: a segment made for a stroke or an AI click object that the user then threw
        away (Esc). Journaled as an undo and a drop, so a restore gives it back as nothing; back at
        the saved position, the labels are unmodified again (quitting asks nothing). Whether it
        was taken back."""
        if self._stroke is not None or self.history.next_undo is not step:
            return False
        self.undo()
        self.drop_redo()
        return True

    def _step_again(self, step: Optional[Step], forward: bool) -> Optional[Step]:
        """Apply ``step`` backwards (undo) or forwards (redo), journal it and tell subscribers."""
        if step is None:
            return None
        apply_step(self.labels, self.counts, step, forward)
        self._version += 1
        kind = "redo" if forward else "undo"
        table_changed = (step.segments_after if forward else step.segments_before) is not None
        self._journal(f"append_{kind}", step, table_changed)
        self._loaded_moved(step, forward)
        self._notify(EditEvent(kind, step.box, table_changed, step))
        return step

    def _write_region(self, name: str, lo, region: np.ndarray, meta: dict, before=None,
                      after=None, by_hand: bool = False) -> Optional[Step]:
        """Commit new values for a box of the label map as one step (locks are respected); ``by_hand``:
        a person's edit (a preview applied, a lesion rejected) marks the segments it changed drawn."""
        before = self.labels.segments.to_list() if before is None else before
        writer = Tool(self._target())
        writer.write_region(lo, region)
        diff = writer.release()
        if by_hand and after is None:
            self._mark_drawn(diff)
        return self._commit(name, diff, before, meta, after=after)

    def _mark_drawn(self, diff: Optional[VoxelDiff]) -> None:
        """Mark the segments a person's tool changed ``drawn`` (``app.hand_marks.mark_drawn``),
        before the step is committed, so the mark travels in the step's segment table."""
        mark_drawn(self.labels, diff)

    # -- lesions and counts --------------------------------------------------------------------
    def components(self, segment, connectivity: int = 26) -> list:
        """The lesion list of ``segment`` (name, value or Segment): its connected components,
        largest first, as :class:`~neuroview.app.components.Component` records (voxels, volume in
        mL, longest diameter in mm, centroid in RAS mm, a voxel inside it to jump to)."""
        from .components import segment_components

        value = self.segments.get(segment).value
        return segment_components(self.labels.array, value, self.volume.ijk_to_ras, connectivity)[0]

    def reject_lesion(self, segment, ijk, connectivity: int = 26) -> Optional[Step]:
        """Reject one lesion of ``segment``: clear the connected component that holds voxel
        ``ijk`` (a false positive of a model, say), as one undo step; the segment's other lesions
        stay. Raises ``ToolError`` when the segment is locked or ``ijk`` is not in it."""
        import cc3d

        from ..core.edit.base import segment_box

        found = self.segments.get(segment)
        ijk = tuple(int(n) for n in ijk)
        array = self.labels.array
        inside = all(0 <= n < size for n, size in zip(ijk, array.shape))
        if not inside or array[ijk] != found.value:
            raise ToolError(f"voxel {ijk} is not in segment {found.name!r}: no lesion there to reject")
        if found.locked:
            raise ToolError(f"segment {found.name!r} is locked: unlock it to reject one of its lesions")
        lo, hi = segment_box(array, found.value)
        region = array[box_slices(lo, hi)]
        components = cc3d.connected_components(region == found.value, connectivity=connectivity)
        new_region = region.copy()
        new_region[components == components[tuple(np.subtract(ijk, lo))]] = 0
        return self._write_region("reject lesion", lo, new_region,
                                  {"segment": found.value, "ijk": list(ijk)}, by_hand=True)

    def voxel_counts(self) -> dict[str, int]:
        """Voxels per segment name (kept up to date edit by edit, no whole-volume recount)."""
        counts = self.counts.counts()
        return {s.name: counts.get(s.value, 0) for s in self.labels.segments}


__all__ = ["EditEvent", "Preview", "Session", "box_slices", "resample_nearest"]
