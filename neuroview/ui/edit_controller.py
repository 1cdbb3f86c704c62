"""The segment editor's glue between widgets and the editing Session (``app.session``).

Widgets only turn mouse events into :meth:`EditController.press`/``drag``/``release`` with a RAS
point; the Session runs the tool, records the undo step and journals it. Session events come
back here and are passed on as Qt signals:

- ``voxels_changed(box)`` for every stroke, commit, undo and redo: slice views redraw only the
  screen rectangle of that voxel box;
- ``labels_edited`` a moment after the last change (debounced): the 3D surfaces and the segment
  statistics follow without slowing down painting;
- the viewer's ``labels_changed`` when the segment table changed (names, colours, visibility).

The label map the window shows *is* the Session's label map: one source of truth. The previews
(Grow from seeds, Fill between slices, the AI click object) are its base class ``ui.edit_preview``;
Ctrl+Z / Ctrl+Y over the label and measurement steps are its base class ``ui.edit_history``.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from ..app.apply_notes import apply_note, masked_paint_note
from ..core.edit.islands import SELECTED as ISLAND_CLICKS
from ..core.errors import NeuroviewError
from ..core.labels import default_color
from .edit_history import EditHistory
from .edit_preview import EditPreview
from .single_shot import single_shot

EDITED_DELAY_MS = 300
ONE_SHOT_TOOLS = ("islands", "smoothing", "margin", "logical", "threshold")
RESTORE_WAITS = ("earlier edits are being restored", "earlier edits are being read",
                 "reading this image's crash journal was cancelled",
                 "answer the restore question above the views")
"""What :meth:`EditController.no_case_message` says while editing waits on the restore question."""
WATCHING_REASON = ("this worklist is open to watch: its cases are shown without editing (File > "
                   "Worklist > Open worklist folder... or CSV... to annotate)")
"""Why nothing can be edited on a watched worklist's case (the tools' tooltip too)."""
BRUSH_STEP = 1.25
"""One step of the brush's radius: ] (larger), [ (smaller), a notch of Shift+wheel."""

def waits_for_restore(text: str) -> bool:
    """``text`` (an error shown) says editing waits on the image's restore question or replay."""
    return any(phrase in text for phrase in RESTORE_WAITS)


class EditController(EditHistory, EditPreview, QObject):
    voxels_changed = Signal(object)   # (lo, hi) voxel box; emitted on the GUI thread only
    labels_edited = Signal()          # debounced: voxel counts and 3D surfaces may update
    segments_changed = Signal()       # the segment table or the active segment changed
    history_changed = Signal()        # undo/redo availability
    preview_changed = Signal()
    params_changed = Signal()
    case_changed = Signal()
    watching_changed = Signal(bool)
    """The image on screen is (True) or is no longer (False) a watched worklist's case."""
    error = Signal(str)
    status = Signal(str)              # a passing note for the status bar (why nothing happened)
    show_labels = Signal()            # tick the Segments panel's Labels box (G): a stroke is coming

    def __init__(self, viewer, parent=None) -> None:
        super().__init__(parent)
        self.viewer = viewer
        viewer.editor = self
        viewer.measure_recorded.connect(self._measure_recorded)
        self.case = None
        self.restore_pending = False
        """An image is open and the notice bar asks whether to restore its earlier edits (or its
        crash journal is read for that question: :attr:`restore_reading`)."""
        self.restore_reading = False
        """An image is open and its crash journal is read in a worker for the restore question."""
        self.restore_running = False
        """An image is open and *Restore* replays its crash journal in a worker."""
        self.restore_put_off = False
        """An image is open whose crash journal's reading was cancelled: no offer, no editing."""
        self.edited_elsewhere = False
        """The image on screen is edited in another process's window (``app.workspace_lock``)."""
        self.watching = False
        """The image on screen is a case of a worklist opened to watch: shown without editing."""
        self.ai_click = None
        """The AI click tool's controller (``ui.ai_click``), set by the window."""
        self.picked_tool = "navigate"
        """The segment editor's tool picked (set by its panel): Islands' *Keep / Remove selected
        island* act on a click in a slice view (:meth:`clicks_island`)."""
        self.preview = None
        self._preview_task = None
        """The Preview being computed in :attr:`_preview_runner` (``app.session_preview.PreviewTask``)."""
        self._preview_runner = None
        self._preview_job = None   # the job computing it (:meth:`preview_jobs`)
        self._warm_runner = None   # imports what the previews need (:meth:`warm_up_previews`)
        self._unsubscribe = None
        self._stroking = False
        self._made_segment = None   # the step of a segment made for the stroke or AI click object
        self._edited_timer = single_shot(self, EDITED_DELAY_MS, self.labels_edited)
        self._preview_said = False
        """The status bar shows a Grow / Fill preview's line ("computing", "Apply (Enter)...")."""
        self.preview_changed.connect(self._preview_line_gone)

    # -- the open case ---------------------------------------------------------------------------
    def no_case_message(self, what: str = "first") -> str:
        """Why there is nothing to edit: no image, or one whose restore question is unanswered
        (its editing waits for Restore / Discard in the notice bar)."""
        if self.viewer.volume is not None and self.restore_running:
            return ("wait a moment: this image's earlier edits are being restored (Cancel in the "
                    "status bar stops it)")
        if self.viewer.volume is not None and self.restore_reading:
            return "wait a moment: this image's earlier edits are being read (a restore question follows)"
        if self.viewer.volume is not None and self.restore_put_off:
            return ("reading this image's crash journal was cancelled: open the image again (or "
                    "click Read again) to be offered its earlier edits, then edit")
        if self.viewer.volume is not None and self.restore_pending:
            return f"answer the restore question above the views {what}"
        if self.viewer.volume is not None and self.watching:
            return WATCHING_REASON
        if self.viewer.volume is not None and self.edited_elsewhere:
            return ("this image is open for editing in another neuroview window: edit it there, or "
                    "close it there and click Edit here")
        return f"open an image {what}"

    @property
    def session(self):
        return None if self.case is None else self.case.session

    def set_case(self, case) -> None:
        """Edit ``case`` (an ``app.case.Case``; ``None`` closes the current one)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self.case is not None:
            self.case.close()
        self.case = case
        self.preview = None
        self._preview_task = None
        self.viewer.preview_labels = None
        self._stroking = False
        self._made_segment = None
        self.viewer.measure_history.forget_mask_steps()   # the new session numbers its own steps
        if case is not None:
            self._unsubscribe = case.session.subscribe(self._event)
            if case.session.active_segment is None and len(case.session.segments):
                case.session.active_segment = next(iter(case.session.segments)).value
            self.viewer.set_labels(case.session.labels)
        self.case_changed.emit()
        self.segments_changed.emit()
        self.history_changed.emit()
        self.preview_changed.emit()
        self.params_changed.emit()

    def _event(self, event) -> None:
        """A Session event (always on the GUI thread: every edit is made from here)."""
        if event.box is not None and event.kind != "preview":
            self.voxels_changed.emit(event.box)
        if event.kind == "commit" and event.step is not None:
            self.viewer.measure_history.mask_step(event.step.step_id)
        if event.kind in ("commit", "undo", "redo", "restore") and event.step is not self._made_segment:
            self._made_segment = None   # drawn into (or undone, restored): the user's segment now
        if event.kind in ("commit", "undo", "redo", "restore"):
            if self._object_outlives(event):   # Show, Lock, a name or colour: no voxel changed
                self.ai_click.show_again()
            elif self.preview is not None or self._preview_task is not None:  # no longer matches
                self.discard_preview()
            self.history_changed.emit()
            self._edited_timer.start()
        if event.segments_changed or event.kind == "restore":
            self.viewer.labels_changed.emit()
            self.segments_changed.emit()
            # Again once the caller is done (``segments.add`` selects the new segment after
            # its step is committed), so the list shows the active segment.
            QTimer.singleShot(0, self, self.segments_changed.emit)

    def _object_outlives(self, event) -> bool:
        """An AI click object in progress stays through a step that changes no voxel (ticking
        Show or Lock of another segment dropped it and its prompts without a word): its answer
        is shown again on the label map as it is now (locks and the overwrite policy apply)."""
        session = self.session
        prompting = None if session is None else session.prompting
        return (event.kind == "commit" and event.box is None and prompting is not None
                and self.ai_click is not None and prompting.value in session.labels.segments)

    def _guard(self, function, *args, failed=None, **kwargs):
        """Run a Session command; its error goes to the message bar, the window keeps running
        (returns ``failed`` then)."""
        try:
            return function(*args, **kwargs)
        except NeuroviewError as exc:
            self.error.emit(str(exc))
        except (ValueError, TypeError) as exc:
            self.error.emit(f"cannot edit: {exc}")
        return failed

    # -- segments --------------------------------------------------------------------------------
    def active_segment(self):
        session = self.session
        if session is None or session.active_segment is None:
            return None
        try:
            return session.segments.get(session.active_segment)
        except NeuroviewError:
            return None

    def active_color(self):
        """The colour a stroke or *Apply* will write in: the active segment's; with none active, the
        one ``_ensure_segment`` will pick (the first segment, else a new one in the next default
        colour), so the brush cursor and the Threshold preview show it before the segment exists
        (white, the old answer, only brightened the image under the preview)."""
        segment = self.active_segment()
        if segment is not None:
            return segment.color
        if self.session is None:
            return (255, 255, 255)
        segments = self.session.segments
        first = next(iter(segments), None)
        return first.color if first is not None else default_color(segments.table.next_value())

    def select_segment(self, value: int) -> None:
        if self.session is not None:
            self._guard(self.session.segments.select, value)
            self.segments_changed.emit()

    def segment_command(self, name: str, *args):
        """``session.segments.<name>(*args)`` (add, remove, rename, recolor, hide, lock...)."""
        if self.session is None:
            self.error.emit(self.no_case_message())
            return None
        result = self._guard(getattr(self.session.segments, name), *args)
        if name == "remove" and self.session.discarded_object:
            note = self.session.discarded_object     # the line a script's accept_preview gives
            self.status.emit(note[0].upper() + note[1:])
        self.segments_changed.emit()
        return result

    def reject_lesion(self, segment: int, ijk):
        """Clear the lesion of ``segment`` holding voxel ``ijk`` (one undo step); an error goes
        to the message bar. The step, or None."""
        if self.session is None:
            self.error.emit(self.no_case_message())
            return None
        if self.waiting_object():   # the step would drop it and its prompts without a word
            return None
        return self._guard(self.session.reject_lesion, segment, ijk)

    def _ensure_segment(self) -> bool:
        """Painting with no segment makes one (ITK-SNAP and Slicer start with a label too), said in
        the status line."""
        session = self.session
        if self.active_segment() is None:
            if len(session.segments):
                session.segments.select(next(iter(session.segments)))
            else:
                n = 1
                while f"Segment {n}" in [s.name for s in session.segments]:
                    n += 1
                session.segments.add(f"Segment {n}")
                self._made_segment = session.history.next_undo   # Esc takes it back (unused)
                # as Slicer's editor shows the segment it adds: it was made with no word
                self.status.emit(f"No segment to draw into: made 'Segment {n}' (rename it in the "
                                 "Segment editor's list)")
            self.segments_changed.emit()
        return True

    def _take_back_made_segment(self) -> None:
        """The stroke or AI click object a segment was made for (:meth:`_ensure_segment`) was
        thrown away with nothing drawn since: the segment goes too, so that no edit is left to
        save, to ask about when quitting, or to restore (an empty "Segment 1" stayed until
        session 38)."""
        made, self._made_segment = self._made_segment, None
        if made is not None and self.session is not None and self.session.take_back(made):
            self.segments_changed.emit()
            self.history_changed.emit()

    def labels_hidden(self) -> bool:
        """The label map is not drawn over the slices (*Labels* unticked, or G)."""
        state = self.viewer.state
        return state is not None and not state.labels.visible

    def reveal_labels(self) -> str:
        """Show the labels hidden by G before an edit or a preview is drawn (an AI click object
        or a Grow from seeds result was drawn nowhere, and Enter accepted what nobody saw): the
        words the status line adds, "" when they were shown."""
        if not self.labels_hidden():
            return ""
        self.show_labels.emit()
        return " (the labels were hidden: shown; G hides them again)"

    def _show_hidden_target(self) -> None:
        """Paint and Fill into a segment whose Show box is unticked, or with every label hidden
        (G, the Segments panel's *Labels* box): show it first (the segment's its own undo step),
        so that the stroke is seen; it changed voxels no view showed, without a word (the
        labels hidden by G until session 52's walk)."""
        if self.reveal_labels():
            self.status.emit("Labels were hidden (G): shown, so that you see what you paint "
                             "(G hides them again)")
        segment = self.active_segment()
        if segment is None or segment.visible:
            return
        self._guard(self.session.segments.show, segment.value)
        self.segments_changed.emit()
        self.status.emit(f"'{segment.name}' was hidden: shown, so that you see what you paint "
                         "(Ctrl+Z twice hides it again)")

    def set_policy(self, policy: str) -> None:
        if self.session is not None:
            self._guard(self.session.set_policy, policy)
            self.params_changed.emit()   # the Threshold preview shows what the policy spares

    # -- tool options ----------------------------------------------------------------------------
    def set_params(self, tool: str, **values) -> None:
        if self.session is not None:
            if self._guard(self.session.set_params, tool, **values) is not None:
                self.options_set(tool)   # a Grow / Fill preview follows its options
            self.params_changed.emit()

    def params(self, tool: str):
        return None if self.session is None else self.session.params[tool]

    def brush_radius_mm(self) -> float:
        tool = self.viewer.mode if self.viewer.mode in ("paint", "erase") else "paint"
        params = self.params(tool)
        return 5.0 if params is None else float(params.radius_mm)

    def scale_brush(self, factor: float) -> None:
        if self.session is None:
            return
        radius = float(np.clip(self.brush_radius_mm() * factor, 0.25, 200.0))
        for tool in ("paint", "erase"):
            self.session.set_params(tool, radius_mm=radius)
        self.params_changed.emit()

    # -- mouse input (RAS millimetres) -----------------------------------------------------------
    def press(self, plane: str, p_ras) -> bool:
        """Left press in a slice view in paint/erase/fill mode; True while a stroke is open."""
        session = self.session
        tool = self.viewer.mode
        if session is None:
            self.error.emit(self.no_case_message("before editing"))
            return False
        if p_ras is None or tool not in ("paint", "erase", "fill"):
            return False
        if self.waiting_object():
            return False
        if tool != "erase" or session.params["erase"].segment in (None,):
            self._ensure_segment()
        if tool != "erase":
            self._show_hidden_target()
        # 2D tools act on the voxels this view's plane (through the crosshair) passes through
        normal = tuple(float(v) for v in self.viewer.state.axes(plane)[2])
        on_plane = tuple(float(v) for v in self.viewer.state.crosshair_ras)
        box = self._guard(session.press, tool, p_ras, view=normal, plane_ras=on_plane)
        if tool == "fill":
            step = self._guard(session.release)
            note = unenclosed_fill(step, session.params["fill"], session.labels.shape)
            if step is None and session.masked_out:
                note = masked_paint_note(session.params["fill"], "fill")
            if note:
                self.status.emit(note)
            return False
        self._stroking = box is not None or session._stroke is not None
        return self._stroking

    def drag(self, p_ras) -> None:
        if self._stroking and self.session is not None:
            self._guard(self.session.drag, p_ras)

    def release(self) -> None:
        if self._stroking and self.session is not None:
            self._stroking = False
            step = self._guard(self.session.release)
            if step is None and self.viewer.mode == "erase" and self.session.left_alone:
                self.status.emit(self._why_nothing_erased(self.session.left_alone))
            elif step is not None and self.viewer.mode == "erase" and self._hidden_erased(step):
                self.status.emit(self._hidden_erased(step))
            elif step is not None and self.viewer.mode == "erase" and self.labels_hidden():
                erased = step.diff.n_changed if step.diff is not None else 0
                self.status.emit(f"Erased {erased:,} voxel{'' if erased == 1 else 's'} with the "
                                 "labels hidden: no view shows them (G shows the labels; Ctrl+Z "
                                 "brings the voxels back).")
            elif step is None and self.viewer.mode == "paint" and self.session.masked_out:
                self.status.emit(masked_paint_note(self.params("paint")))

    def _hidden_erased(self, step) -> str:
        """An erase stroke removed voxels of a hidden segment, which no view showed: say so (it
        said nothing; the Show box stays the person's, so it is not ticked for them)."""
        segments = self.session.labels.segments
        values, counts = np.unique(step.diff.old, return_counts=True) if step.diff else ((), ())
        hidden = [(segments.get(int(v)).name, int(n)) for v, n in zip(values, counts)
                  if int(v) in segments and not segments.get(int(v)).visible]
        if not hidden:
            return ""
        erased = ", ".join(f"{n:,} voxel{'' if n == 1 else 's'} of '{name}'" for name, n in hidden[:3])
        return (f"Erased {erased}, hidden: no view shows {'it' if len(hidden) == 1 else 'them'} "
                "(tick Show to see; Ctrl+Z brings the voxels back).")

    def _why_nothing_erased(self, values) -> str:
        """An erase stroke changed nothing over other labels: why, and how to erase them."""
        segments = self.session.labels.segments
        names = [segments.get(v).name if v in segments else f"label {v}" for v in sorted(values)]
        shown = ", ".join(f"'{n}'" for n in names[:3]) + (" ..." if len(names) > 3 else "")
        locked = [v for v in values if v in segments and segments.get(v).locked]
        context = all(v in segments and segments.get(v).extent for v in values)   # a model's brain
        if locked:   # first: selecting a locked segment or Shift+E would not erase it either
            return f"Nothing erased: {shown} under the brush is locked; unlock it in Segments."
        if self.session.params["erase"].segment is None:
            active = self.active_segment()
            erasing = f"'{active.name}'" if active is not None else "the selected segment"
            return (f"Nothing erased: Erase removes only {erasing} (selected); {shown} is under the "
                    "brush. Select it" + (" to erase it." if context else
                                         ", or press Shift+E to erase every segment."))
        if context:
            return (f"Nothing erased: {shown} lies under the lesions, and erasing every segment "
                    "leaves it; select it to erase it.")
        return (f"Nothing erased: {shown} under the brush is hidden, and the overwrite setting "
                "spares hidden segments; show it to erase it.")

    def toggle_erase_all(self) -> None:
        """Shift+E: erase every unlocked segment, or again only the selected one (and take the
        erase brush)."""
        if self.session is None:
            self.error.emit(self.no_case_message())
            return
        every = self.session.params["erase"].segment != "all"
        self.set_params("erase", segment="all" if every else None)
        self.viewer.set_mode("erase")
        self.status.emit("Erase: every unlocked segment (Shift+E: only the selected one)" if every
                         else "Erase: only the selected segment (Shift+E: every unlocked segment)")

    def cancel(self) -> bool:
        """Escape: drop the stroke in progress, or the preview; whether there was one."""
        if self._stroking and self.session is not None:
            self._stroking = False
            self.session.cancel_stroke()
            self._take_back_made_segment()
        elif (self.preview is not None or self._preview_task is not None
              or (self.session is not None and self.session.prompting is not None)):
            self.discard_preview()
        else:
            return False
        return True

    # -- commands ----------------------------------------------------------------------------------
    def clicks_island(self) -> bool:
        """Islands is picked with *Keep selected island* or *Remove selected island*: a left click
        in a slice view keeps or removes the active segment's island under it (Slicer's Islands)."""
        return (self.picked_tool == "islands" and self.session is not None
                and self.session.params["islands"].operation in ISLAND_CLICKS)

    def apply_tool(self, tool: str, at_ras=None) -> None:
        """Run a one-shot tool (islands, smoothing, margin, logical, threshold) on the active
        segment (``at_ras``: the click of Islands' *Keep / Remove selected island*); the status
        line says what it changed."""
        if self.session is None:
            self.error.emit(self.no_case_message())
            return
        if self.waiting_object():
            return
        if tool == "threshold":   # as Paint and Fill: a segment made if none, a hidden one shown
            self._ensure_segment()
            self._show_hidden_target()
        segment = self.active_segment()
        params = self.session.params[tool]
        if tool == "logical" and params.operation != "clear" and params.other is None and segment:
            # the API's "add needs 'other' (a segment or a mask)" named no box of the panel
            self.error.emit(f"Logical: no segment to {params.operation} with: the With segment "
                            f"list holds the other segments, and '{segment.name}' is the only one (add one, "
                            "or choose Clear)")
            return
        refused = object()   # the red bar says why: no "nothing changed" beside it
        step = self._guard(self.session.apply, tool, at_ras, failed=refused)
        if self.session is None or step is refused:
            return
        if step is None:
            # a word in the status line (it went into Measurements, among the rulers, until 28)
            self.status.emit(f"{tool.capitalize()}: nothing changed.")
        elif segment is not None and tool != "logical":
            self.status.emit(apply_note(tool, self.session.params[tool], step, segment.value,
                                        segment.name, self.session.labels.voxel_volume_ml))

    def editing_seconds(self) -> Optional[float]:
        return None if self.case is None else self.case.clock.seconds


def unenclosed_fill(step, params, shape) -> str:
    """The status line after a Fill with no intensity range whose region was not enclosed: it ran
    to the image's edge (the whole slice's, or the whole image's, background filled by one click
    on a lesion, with no word of why); "" otherwise."""
    if step is None or step.diff is None or params.tolerance is not None \
            or params.intensity_low is not None or params.intensity_high is not None:
        return ""
    lo, hi = step.diff.box
    if not any((a == 0 or b == n) and b - a > 1 for a, b, n in zip(lo, hi, shape)):
        return ""
    return (f"Fill: the region under the click is not enclosed and ran to the image's edge "
            f"({step.diff.n_changed:,} voxels); Ctrl+Z takes it back. To fill by intensity, tick "
            "Tolerance or an intensity range in Fill's options.")
