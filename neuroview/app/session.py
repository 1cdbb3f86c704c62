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
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

import numpy as np

from ..core.edit import POLICIES, TOOLS, EditTarget, Proposal, Tool, make_params, tool_class
from ..core.edit.base import mask_box
from ..core.errors import GeometryError, ToolError
from ..core.journal import Checkpoint, Journal, WorkspaceError, image_key
from ..core.labels import LabelMap, Segment, SegmentTable, as_label_array
from ..core.undo import DEFAULT_MAX_BYTES, DEFAULT_MAX_STEPS, Box, History, Step, VoxelDiff, box_slices
from ..core.volume import Volume
from .journal_replay import apply_step, journal_steps, replay_journal
from .label_counts import LabelCounts
from .label_files import (
    PreparedLabels,
    label_array_on_grid,
    read_label_file,
    resample_nearest,
    save_label_files,
)
from .segments import Segments

JOURNAL_MAX_BYTES = 64 * 1024 * 1024
"""The journal is compacted (label map stored as a base, journal emptied) past this size..."""
JOURNAL_MAX_RECORDS = 20_000
"""...or past this many records, so a restore after a crash stays quick."""
SEGMENTS_MIRROR_SECONDS = 2.0
"""The workspace's segments.json is rewritten at most this often (and on close and compaction)."""


@dataclass
class EditEvent:
    """What a subscriber is told after the label map or segment table changed."""

    kind: str
    """``stroke`` (during a drag), ``commit``, ``undo``, ``redo``, ``preview``, ``restore``."""
    box: Optional[Box]
    """Voxel box ``(lo, hi)`` of the label map that changed (``None``: no voxels changed)."""
    segments_changed: bool = False
    step: Optional[Step] = None


@dataclass
class Preview:
    """A proposed result (grow from seeds, fill between slices) not yet applied."""

    tool: str
    proposal: Proposal
    version: int
    meta: dict = dataclasses.field(default_factory=dict)
    """Recorded with the step on accept (e.g. the prompts of an AI-click preview)."""

    @property
    def box(self) -> Box:
        return self.proposal.box

    def full_array(self, labels: np.ndarray) -> np.ndarray:
        return self.proposal.full_array(labels)


class Session:
    """One open image with its label map, segment table, tools, history and workspace journal."""

    def __init__(self, volume: Volume, workspace: str | os.PathLike | None = None, *,
                 restore: bool = True, history_bytes: int = DEFAULT_MAX_BYTES,
                 history_steps: int = DEFAULT_MAX_STEPS,
                 journal_max_bytes: Optional[int] = JOURNAL_MAX_BYTES,
                 journal_max_records: Optional[int] = JOURNAL_MAX_RECORDS):
        self.volume = volume
        self.labels = LabelMap.empty_like(volume)
        self.history = History(history_bytes, history_steps)
        self.segments = Segments(self)
        self.counts = LabelCounts(self.labels, busy=lambda: self._stroke is not None)
        """Voxels per label, updated from each step's diff (what the segment panel shows)."""
        self.policy = "all"
        self.active_segment: Optional[int] = None
        self.params: dict[str, Any] = {name: cls.Params() for name, cls in TOOLS.items()}
        self.pending_preview: Optional[Preview] = None
        self.prompting = None
        """The :class:`app.prompting.PromptSession` of the AI-click object in progress, if any."""
        self.frame = 0
        """The time point of a 4D image shown in the window: the one the AI click tool reads."""
        self._listeners: list[Callable[[EditEvent], None]] = []
        self._stroke: Optional[tuple[Tool, list, str]] = None
        self.left_alone: frozenset[int] = frozenset()
        """Label values an erase stroke passed over and left (another segment than the one it
        erases, a locked or a hidden one), set by :meth:`release`."""
        self._next_id = 1
        self._version = 0
        self._saved_version = 0
        self.restored_steps = 0
        """Steps given back from the workspace (the number :meth:`recoverable_steps` offered)."""
        self.journal_max_bytes, self.journal_max_records = journal_max_bytes, journal_max_records
        self.editing_time: Optional[Callable[[], float]] = None
        """Returns the case's editing time in seconds (set by ``app.case.Case``); written with
        every journal record, so a restore after a crash gives it back."""
        self.restored_editing_seconds = 0.0
        self._editing_seconds = 0.0
        self._journaled: set[int] = set()  # ids of steps stored in the current journal file
        self._mirrored_at: Optional[float] = None  # when segments.json was last written
        self.journal: Optional[Journal] = None
        if workspace is not None:
            key = image_key(volume.frame(0), volume.ijk_to_ras)
            self.journal = Journal(workspace, key, volume.description)
            if self.journal.has_content():
                if restore:
                    self._restore()
                else:
                    self.journal.compact(self.labels.array, self.labels.segments.to_list(), 0.0)

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls, path, workspace=None, series: Optional[int] = None, **kwargs) -> "Session":
        """Open an image (NIfTI, MGH, NRRD, DICOM file/folder/DICOMDIR), optionally with a workspace.

        With a workspace holding earlier edits of the same image, they are restored
        (``restore=False`` starts over instead; :meth:`recoverable_steps` lets a GUI ask first).
        """
        from ..io import load

        return cls(load(path, series=series), workspace, **kwargs)

    @staticmethod
    def recoverable_steps(volume: Volume, workspace) -> int:
        """How many journal records a workspace holds for ``volume`` (0: nothing to restore).

        Raises :class:`GeometryError` when the workspace belongs to another image.
        """
        if not (Path(workspace) / "workspace.json").exists():
            return 0
        journal = Journal(workspace, image_key(volume.frame(0), volume.ijk_to_ras), volume.description)
        try:
            return journal_steps(journal)
        finally:
            journal.close()

    @property
    def modified(self) -> bool:
        """True when the label map or segments changed (or were restored) since the last
        :meth:`save_labels` (what a GUI asks Save / Discard / Cancel about on quitting)."""
        return self._version != self._saved_version

    @property
    def version(self) -> int:
        """Changes with every commit, undo, redo and restore (a worker's result of an older
        version is stale)."""
        return self._version

    def close(self) -> None:
        if self.journal is not None:
            with contextlib.suppress(OSError):
                self._mirror_segments(force=True)
            self.journal.close()

    def _mirror_segments(self, force: bool = False) -> None:
        """Rewrite the workspace's ``segments.json`` (a copy of the table for other programs; the
        journal holds every change): at most every ``SEGMENTS_MIRROR_SECONDS``, and on close and
        compaction, so that adding the 2,000th segment does not rewrite 2,000 of them each time."""
        now = time.monotonic()
        if self._mirrored_at is None or force or now - self._mirrored_at >= SEGMENTS_MIRROR_SECONDS:
            self.journal.write_segments(self.labels.segments.to_list())
            self._mirrored_at = now

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
        """
        cls = tool_class(tool)
        if "segment" in values and not (cls.name == "erase" and values["segment"] in (None, "all")):
            raise ToolError(f"{cls.name}: the segment is not a remembered option; select it with "
                            "segments.select(...) or pass segment= to apply()")
        current = self.params[cls.name]
        merged = {f.name: getattr(current, f.name) for f in dataclasses.fields(current)}
        merged.update(values)
        params = make_params(cls.Params, merged, cls.name)
        self._params(cls.name, {}, params)  # names of other segments must resolve now
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
        return EditTarget(self.volume, self.labels, self.policy)

    # -- interactive input (what a widget calls) ----------------------------------------------
    def press(self, tool: str, at_ras=None, **params) -> Optional[Box]:
        """Begin a stroke (or a one-shot tool) at ``at_ras``; returns the changed voxel box."""
        if self._stroke is not None:
            self.release()
        cls = tool_class(tool)
        before = self.labels.segments.to_list()
        instance = cls(self._target(), self._params(tool, params))
        self._stroke = (instance, before, cls.name)
        try:
            box = instance.press(None if at_ras is None else np.asarray(at_ras, dtype=float))
        except Exception:
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
        box = self._stroke[0].drag(np.asarray(at_ras, dtype=float))
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

        ``at_ras`` is the click point (paint, erase, fill); ``path`` a list of further RAS points
        a brush is dragged through. Other keywords are the tool's parameters (see README).
        """
        self.press(tool, at_ras, **params)
        for point in path or ():
            self.drag(point)
        return self.release()

    def preview(self, tool: str, **params) -> Optional[Preview]:
        """Compute a previewable tool's result (grow, interpolate) without applying it."""
        cls = tool_class(tool)
        if not cls.previewable:
            raise ToolError(f"{cls.name} has no preview; apply it directly")
        proposal = cls(self._target(), self._params(tool, params)).propose()
        self.pending_preview = None if proposal is None else Preview(cls.name, proposal, self._version)
        self._notify(EditEvent("preview", None if proposal is None else proposal.box))
        return self.pending_preview

    def accept_preview(self) -> Optional[Step]:
        """Apply the pending preview as one undo step."""
        preview, self.pending_preview = self.pending_preview, None
        self.prompting = None
        if preview is None:
            raise ToolError("there is no preview to apply")
        if preview.version != self._version:
            raise ToolError("the label map changed since the preview was made; preview again")
        return self._write_region(preview.tool, preview.proposal.lo, preview.proposal.region,
                                  dict(preview.meta))

    def prompt(self, segment=None, *, point=None, include: bool = True, box=None, scribble=None,
               plane="axial", width_mm: float = 2.0, model=None, lasso=None) -> Preview:
        """Add a prompt (RAS mm) to the AI-click object of ``segment`` (default: the active one)
        and preview the result (``app.prompting``); accept/discard it like any preview."""
        from .prompting import make_prompt

        prompting = self.prompt_session(segment, model)
        prompting.add(make_prompt(point, include, box, scribble, plane, width_mm, lasso))
        return self.show_prompt_result(prompting)

    def prompt_session(self, segment=None, model=None):
        """The AI-click object of ``segment`` in progress (a new one when there is none)."""
        from .prompting import PromptSession

        value = self._resolve(segment if segment is not None else self.active_segment)
        value = value.value if isinstance(value, Segment) else value
        if value is None or value not in self.labels.segments:
            raise ToolError("choose a segment for the AI click tool (add one first)")
        if self.prompting is None or self.prompting.value != value or self.prompting.frame != self.frame \
                or (self.pending_preview is not None and self.pending_preview.version != self._version):
            self.prompting = PromptSession(self, value, model)
        return self.prompting

    def show_prompt_result(self, prompting) -> Preview:
        """Make the current answer of ``prompting`` the pending preview."""
        from .prompting import TOOL_NAME

        if prompting is not self.prompting:
            raise ToolError("this AI-click object was accepted or discarded meanwhile")
        proposal = prompting.proposal()
        self.pending_preview = Preview(TOOL_NAME, proposal, self._version, prompting.meta())
        self._notify(EditEvent("preview", proposal.box))
        return self.pending_preview

    def discard_preview(self) -> None:
        self.prompting = None
        if self.pending_preview is not None:
            box = self.pending_preview.box
            self.pending_preview = None
            self._notify(EditEvent("preview", box))

    # -- committing, undo, redo ----------------------------------------------------------------
    def _commit(self, name: str, diff: Optional[VoxelDiff], before, meta: dict,
                after=None, blob: Optional[dict] = None) -> Optional[Step]:
        """``before``/``after``: the whole segment table (``to_list()``), or for a step touching a
        few segments their ``SegmentTable.delta`` (``after`` given by the caller). ``blob``: the
        diff's voxels already in the workspace (``core.journal.write_blob``, a worker's)."""
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
        self._notify(EditEvent("commit", step.box, table_changed, step))
        return step

    def _journal(self, method: str, step: Step, table_changed: bool, blob=None) -> None:
        if self.journal is None:
            return
        seconds = self._editing_now() if self.editing_time is not None else None
        try:
            if method == "append_step":
                self.journal.append_step(step, seconds, blob)
            else:  # an undo/redo of a step compacted into the base carries the step itself
                getattr(self.journal, method)(step, seconds, full=step.step_id not in self._journaled)
            self._journaled.add(step.step_id)
            if table_changed:
                self._mirror_segments()
        except OSError as exc:
            raise WorkspaceError(f"cannot write the workspace journal ({exc.strerror or exc}); "
                                 "your edit is kept in memory, save the labels",
                                 path=self.journal.folder) from None
        if self.journal.exceeds(self.journal_max_bytes, self.journal_max_records):
            try:
                self.checkpoint()
            except OSError:
                pass  # the journal itself is complete; compaction is tried again after the next edit

    def _editing_now(self) -> float:
        if self.editing_time is not None:
            self._editing_seconds = float(self.editing_time())
        return self._editing_seconds

    def undo(self) -> Optional[Step]:
        """Undo the last step (Ctrl+Z); ``None`` when there is nothing to undo."""
        if self._stroke is not None:
            self.cancel_stroke()
        return self._step_again(self.history.pop_undo(), forward=False)

    def redo(self) -> Optional[Step]:
        """Redo the last undone step (Ctrl+Shift+Z)."""
        return self._step_again(self.history.pop_redo(), forward=True)

    def _step_again(self, step: Optional[Step], forward: bool) -> Optional[Step]:
        """Apply ``step`` backwards (undo) or forwards (redo), journal it and tell subscribers."""
        if step is None:
            return None
        apply_step(self.labels, self.counts, step, forward)
        self._version += 1
        kind = "redo" if forward else "undo"
        table_changed = (step.segments_after if forward else step.segments_before) is not None
        self._journal(f"append_{kind}", step, table_changed)
        self._notify(EditEvent(kind, step.box, table_changed, step))
        return step

    def _write_region(self, name: str, lo, region: np.ndarray, meta: dict, before=None,
                      after=None) -> Optional[Step]:
        """Commit new values for a box of the label map as one step (locks are respected)."""
        before = self.labels.segments.to_list() if before is None else before
        writer = Tool(self._target())
        writer.write_region(lo, region)
        return self._commit(name, writer.release(), before, meta, after=after)

    # -- restore after a crash -----------------------------------------------------------------
    def _restore(self) -> None:
        """Rebuild the state after the last committed step from the workspace (``app.journal_replay``)."""
        replay = replay_journal(self.journal, self.labels, self.counts, self.history)
        self._journaled |= replay.journaled
        self._next_id = max(self._next_id, replay.next_step_id)
        self.restored_steps = replay.restored_steps
        self.restored_editing_seconds = self._editing_seconds = replay.editing_seconds
        self._version += 1
        self._notify(EditEvent("restore", ((0, 0, 0), self.labels.shape), True))

    def checkpoint(self) -> None:
        """Compact the workspace: store the current label map and start an empty journal.

        Runs by itself when the journal passes ``journal_max_bytes`` / ``journal_max_records`` and
        after :meth:`save_labels`; crash-safe at every point (see ``core.journal``). The undo
        history in memory is kept; a restore after a crash starts its history here. Does nothing
        while a stroke is open (its voxels are not committed).
        """
        if self.journal is not None and self._stroke is None:
            self.journal.compact(self.labels.array, self.labels.segments.to_list(), self._editing_now())
            self._journaled.clear()
            self._mirror_segments(force=True)

    def begin_checkpoint(self) -> Optional[Checkpoint]:
        """:meth:`checkpoint` in three parts, for a GUI: this snapshot (a copy of the label map),
        ``Checkpoint.write`` in a worker (compressing and fsyncing the base: the slow part), then
        :meth:`end_checkpoint` here. None without a journal, edits in it, or with a stroke open."""
        if self.journal is None or self._stroke is not None or not self.journal.has_records():
            return None
        return Checkpoint(self.journal, self._version, self.journal.generation,
                          self.labels.array.copy(), self.labels.segments.to_list(), self._editing_now())

    def end_checkpoint(self, checkpoint: Checkpoint) -> bool:
        """Switch to a written checkpoint unless the labels changed since its snapshot (then it
        is dropped: the journal holds everything, and the next save compacts)."""
        if checkpoint.version != self._version or self._stroke is not None or self.journal is None:
            checkpoint.discard()
            return False
        if checkpoint.adopt():
            self._journaled.clear()
            self._mirror_segments(force=True)
            return True
        return False

    # -- files and model results ---------------------------------------------------------------
    def mark_saved(self, version: int, compact: bool = True) -> bool:
        """The label map as it was at ``version`` was saved elsewhere (a DICOM SEG on a PACS or on
        disk): unless it changed since, it is no longer :attr:`modified` and the journal is compacted,
        as after :meth:`save_labels` (``compact=False``: the caller compacts, e.g. in a worker
        through :meth:`begin_checkpoint`). Returns whether it applied."""
        if version != self._version:
            return False
        self._saved_version = version
        if compact and self.journal is not None and self.journal.has_records():
            try:
                self.checkpoint()
            except OSError:
                pass  # saved; compaction waits
        return True

    def save_labels(self, path: str | os.PathLike) -> Path:
        """Write the label map on the image's grid as NIfTI (atomically), with a segment sidecar
        ``NAME.segments.json`` (names, colours, provenance) that :meth:`load_labels` reads back;
        both files or neither (:func:`.label_files.save_label_files`)."""
        path = save_label_files(self.labels, self.volume.ijk_to_ras, path)
        self._saved_version = self._version
        if self.journal is not None and self.journal.has_records():
            try:
                self.checkpoint()
            except OSError:
                pass  # the labels are saved and the journal is complete; compaction waits
        return path

    def load_labels(self, path: str | os.PathLike, resample: bool = False) -> Optional[Step]:
        """Replace the label map with a mask file on the image grid, as one undo step.

        A mask on another grid raises :class:`GeometryError` naming the file, unless
        ``resample=True``: then it is resampled nearest-neighbour into the image grid with
        ``scipy.ndimage.affine_transform`` (labels stay labels; voxels outside it become 0).
        """
        return self.load_label_volume(read_label_file(path), os.fspath(path), resample=resample)

    def load_label_volume(self, mask_volume: Volume, source: str = "",
                          resample: bool = False) -> Optional[Step]:
        """:meth:`load_labels` for a mask already read from ``source`` (the GUI reads the file in
        a background thread and applies it here, on the thread that owns the session)."""
        array, names = label_array_on_grid(mask_volume, self.volume, source, resample)
        values = [int(v) for v in np.unique(array) if v]
        return self.apply_labels(PreparedLabels(array, names, values, False))

    def apply_labels(self, prepared: PreparedLabels, step=None) -> Optional[Step]:
        """Make a mask from ``label_files.prepare_labels`` (a worker's) the label map, as one undo
        step: ``step`` (``label_files.labels_step``, also a worker's) if it still fits, else made here."""
        before = self.labels.segments.to_list()
        for value in prepared.values:
            if value not in self.labels.segments:
                if value in prepared.names:
                    self.labels.segments.put(prepared.names[value])
                else:
                    self.labels.segments.add(f"Segment {value}", value=value)
        self.labels.ensure_capacity(max(prepared.values, default=0))
        if step is not None and step.fits(self.labels, self._version):
            np.copyto(self.labels.array, step.result)
            return self._commit("load_labels", step.diff, before, {}, blob=step.blob)
        if step is not None and self.journal is not None:
            self.journal.discard_blob(step.blob)
        return self._write_region("load_labels", (0, 0, 0),
                                  prepared.array.astype(self.labels.array.dtype, copy=False), {},
                                  before=before)

    def apply_model_result(self, label_array, segments, model: str = "",
                           colors: Optional[dict] = None, hidden=()) -> Optional[Step]:
        """Add a model's output as segments (origin ``"model"``) in ONE undoable step.

        ``label_array`` is on the image grid; ``segments`` maps the model's label values to names
        (``{1: "lesion"}``, or a list of names for values 1, 2, ...). A segment this model made
        before with the same name is replaced; locked segments and the overwrite policy are
        respected. ``colors`` maps model label values to RGB for new segments; ``hidden`` lists
        model label values whose new segment starts hidden (context such as a brain mask; one
        made before keeps the visibility the user gave it). Returns the step (``None`` when
        nothing changed).
        """
        array = as_label_array(np.asarray(label_array), source=model or "model result")
        if array.shape != self.labels.shape:
            raise GeometryError(f"model result of shape {array.shape} does not fit the image grid "
                                f"{self.labels.shape}", path=model or None)
        if not isinstance(segments, dict):
            segments = {i + 1: name for i, name in enumerate(segments)}
        before = self.labels.segments.to_list()
        table = self.labels.segments
        target = self._target()
        writer = Tool(target)
        for model_value, name in sorted(segments.items()):
            existing = [s for s in table if s.origin == "model" and s.model == model and s.name == name]
            color = (colors or {}).get(model_value)
            segment = existing[0] if existing else table.add(name, color=color, origin="model", model=model,
                                                             visible=model_value not in hidden)
            self.labels.ensure_capacity(segment.value)
            mask = array == int(model_value)
            stale = (self.labels.array == segment.value) & ~mask if existing else None
            for region, value, only in ((stale, 0, segment.value), (mask, segment.value, None)):
                box = None if region is None or segment.locked else mask_box(region)
                if box is not None:  # write only the bounding box, never the whole volume
                    writer.write_mask(box[0], np.ascontiguousarray(region[box_slices(*box)]), value,
                                      only_value=only)
        return self._commit("model", writer.release(), before, {"model": model})

    def components(self, segment, connectivity: int = 26) -> list:
        """The lesion list of ``segment`` (name, value or Segment): its connected components,
        largest first, as :class:`~neuroview.app.components.Component` records (voxels, volume in
        mL, longest diameter in mm, centroid in RAS mm, a voxel inside it to jump to)."""
        from .components import segment_components

        value = self.segments.get(segment).value
        return segment_components(self.labels.array, value, self.volume.ijk_to_ras, connectivity)[0]

    def voxel_counts(self) -> dict[str, int]:
        """Voxels per segment name (kept up to date edit by edit, no whole-volume recount)."""
        counts = self.counts.counts()
        return {s.name: counts.get(s.value, 0) for s in self.labels.segments}


__all__ = ["EditEvent", "Preview", "Session", "box_slices", "resample_nearest"]
