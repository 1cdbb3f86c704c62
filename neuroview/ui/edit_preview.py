"""The previews of the segment editor: Grow from seeds and Fill between slices computed in a
worker and shown until Apply (Enter) or Cancel (Esc), and the AI click object waiting for Enter.

A part of :class:`~neuroview.ui.edit_controller.EditController` (its base class), not used alone,
as ``app.session_preview`` is of ``Session``: it reads the controller's session, viewer, AI click
tool and signals (``error``, ``status``, ``preview_changed``).
"""

from __future__ import annotations

import importlib

from ..core.labels import LabelMap
from .workers import JobRunner

PREVIEW_TOOLS = ("grow", "interpolate")
PREVIEW_NAMES = {"ai_prompt": "the AI click object", "grow": "the Grow from seeds result",
                 "interpolate": "the Fill between slices result"}
"""What the message about a waiting preview calls it (``Preview.tool``)."""
PREVIEW_MODULES = ("scipy.ndimage",)
"""What a process's first Grow / Fill preview imported (0.38 s of its 0.42 s on the demo case,
``bench/first_fill_preview.py``): imported in a worker when either tool is picked."""


def _capitalized(tool: str) -> str:
    """What the status bar calls a preview of ``tool``: "The Fill between slices result"."""
    what = PREVIEW_NAMES.get(tool, "the preview")
    return what[0].upper() + what[1:]


class EditPreview:
    """Preview commands of :class:`~neuroview.ui.edit_controller.EditController`."""

    def make_preview(self, tool: str) -> None:
        """Compute grow-from-seeds or fill-between-slices in a worker (on a copy of the label
        map: 1.2 s for Fill between slices on an oblique view, which froze the window) and show
        it, waiting for Apply. A result is dropped when a newer Preview was asked for, Esc or
        Cancel came, or the label map changed meanwhile (a stroke, Ctrl+Z)."""
        session = self.session
        if session is None:
            self.error.emit(self.no_case_message())
            return
        extra, plane = {}, None
        if tool == "interpolate":
            plane = self.viewer.active_view if self.viewer.active_view != "3d" else "axial"
            extra["view"] = tuple(float(v) for v in self.viewer.state.axes(plane)[2])
        task = self._guard(session.preview_task, tool, **extra)
        if task is None:
            return
        self._preview_task = task
        self.status.emit(f"{_capitalized(task.tool)}: computing the preview...")
        self._preview_said = True

        def compute(progress, cancel):
            proposal = task.propose()
            cancel.raise_if_cancelled()   # the bar's Cancel: dropped, as Esc drops it
            return proposal

        self._preview_job = self.preview_jobs().start(
            compute, on_done=lambda done: self._show_preview(session, task, done, plane),
            on_error=self._preview_failed(task), on_cancel=lambda: self._preview_cancelled(task),
            label=f"{_capitalized(task.tool)}: computing the preview (Esc cancels)")
        self.preview_changed.emit()           # Cancel (Esc) may drop it while it is computed

    def preview_jobs(self) -> JobRunner:
        """The runner of the previews' jobs: the window's job bar shows one running past half a
        second, busy, with Cancel (a first Fill between slices preview took 10.3 s at load 6,
        importing scipy.ndimage, with a word in the status line alone: walk of 7 Dec 2026)."""
        if self._preview_runner is None:
            self._preview_runner = JobRunner(self)
        return self._preview_runner

    def warm_up_previews(self) -> None:
        """Import :data:`PREVIEW_MODULES` in a worker of its own (not on the job bar: it cannot be
        cancelled), once: the first Preview then costs what the next ones do."""
        if self._warm_runner is None:
            self._warm_runner = JobRunner(self)
            self._warm_runner.start(lambda progress, cancel: [
                importlib.import_module(name) for name in PREVIEW_MODULES] and None,
                label="Loading the previews' functions")

    def _preview_cancelled(self, task) -> None:
        if task is self._preview_task:   # (Esc dropped it already otherwise)
            self.discard_preview()
            self.status.emit(f"{_capitalized(task.tool)}: cancelled, nothing changed")

    def options_set(self, tool: str) -> None:
        """``tool``'s options were changed: its Grow from seeds / Fill between slices preview (shown
        or being computed) is computed again with them, as Slicer's Grow from seeds updates its
        preview (Apply wrote the one made with the old options while the panel showed the new)."""
        previewed = self._preview_task if self._preview_task is not None else self.preview
        if previewed is None or previewed.tool != tool or tool not in PREVIEW_TOOLS:
            return
        self.discard_preview()
        self.make_preview(tool)

    def _preview_line_gone(self) -> None:
        """Apply, Cancel, a stroke or Ctrl+Z ended the Grow / Fill preview: its line (which says
        Enter applies) leaves the status bar with it, not 15 s later."""
        if self._preview_said and self.preview is None and self._preview_task is None:
            self._preview_said = False
            self.status.emit("")

    def _preview_failed(self, task):
        def failed(text: str) -> None:
            if task is self._preview_task:
                self._preview_task = None
                self._preview_line_gone()
                self.error.emit(text)
        return failed

    @property
    def computing_preview(self) -> bool:
        """A Preview asked for is being computed (its result not dropped yet)."""
        return self._preview_task is not None

    def _show_preview(self, session, task, proposal, plane=None) -> None:
        """The worker's result, on the GUI thread: shown unless it is stale (``plane``: the view
        Fill between slices filled along)."""
        if task is not self._preview_task or session is not self.session:
            return                            # a newer Preview, Esc, Cancel or another image
        self._preview_task = None
        preview = self._guard(session.show_preview, task, proposal)   # a stroke or undo meanwhile
        self.preview = preview
        labels = session.labels
        if preview is None:
            self.viewer.preview_labels = None
            self.status.emit("")
            if proposal is None:
                self.error.emit(nothing_to_preview(task.tool, self.active_segment(), plane))
        else:
            self.status.emit(f"{_capitalized(task.tool)}: Apply (Enter) keeps it, Cancel (Esc) drops it"
                             + self.reveal_labels())
            self._preview_said = True
            self.viewer.preview_labels = LabelMap(preview.full_array(labels.array),
                                                  labels.ijk_to_ras, labels.segments)
        self.viewer.changed.emit()
        self.preview_changed.emit()

    def accept_preview(self) -> None:
        """Apply (Enter): one undo step; a preview that changes no voxel records none, and the
        status line says so (``Session.accept_preview``)."""
        if self.session is None or self.preview is None:
            return
        preview, self.preview = self.preview, None
        self.viewer.preview_labels = None
        step = self._guard(self.session.accept_preview, failed=False)
        self.viewer.changed.emit()
        self.preview_changed.emit()
        if step is None:
            self.status.emit(self._unchanged_line(preview))

    def ai_click_running(self) -> bool:
        """True while the AI click model answers a prompt of the object in progress."""
        return self.ai_click is not None and self.ai_click.running

    def _unchanged_line(self, preview) -> str:
        """The status line of an accepted ``preview`` that changed no voxel."""
        segments = self.session.labels.segments
        value = preview.meta.get("segment")
        if preview.tool == "ai_prompt" and value in segments:
            return f"AI click: the object is already in {segments.get(value).name}; nothing changed"
        return f"{_capitalized(preview.tool)} is what the labels already hold: nothing changed"

    def accept_asked(self) -> None:
        """Enter or *Apply*: :meth:`accept_preview`, but not while the AI click model still answers
        a newer prompt: the answer on screen lacks it, and accepting it dropped that prompt without
        a word. The status bar says to press Enter again once the answer shows; so it does
        before the object's first answer (Enter did nothing then, without a word)."""
        from ..app.prompting import TOOL_NAME

        if (self.preview is None or self.preview.tool == TOOL_NAME) and self.ai_click_running():
            self.status.emit("AI click: the answer to your last prompt is still being computed; "
                             "press Enter again once it shows")
            return
        prompting = None if self.session is None else self.session.prompting
        if self.preview is not None and prompting is not None and self.preview.tool == TOOL_NAME:
            segment = self.session.labels.segments.get(prompting.value)
            if segment.locked:   # Enter wrote nothing, without a word (the object stays)
                self.error.emit(f"segment {segment.name!r} is locked: untick its Lock box to accept "
                                "the AI click object, or press Esc to discard it")
                return
        self.accept_preview()

    def discard_preview(self) -> None:
        self._preview_task = None             # one being computed is dropped too
        if self._preview_job is not None:     # and leaves the job bar
            self._preview_job.cancel()
            self._preview_job = None
        if self.ai_click is not None:
            self.ai_click.stop()              # and an AI click answer being computed
        self.preview = None
        self.viewer.preview_labels = None
        if self.session is not None:
            self.session.discard_preview()
        self.viewer.changed.emit()
        self.preview_changed.emit()
        self._take_back_made_segment()   # an AI click object's segment, made for it

    def has_preview(self) -> bool:
        return self.preview is not None

    def waiting_object(self) -> bool:
        """:meth:`waiting_preview` for an AI click object only: an edit would drop its prompts,
        work that no button redoes. (A Grow from seeds or Fill between slices preview is made
        again with Preview: a seed or slice stroke replaces it, as the tools' loop expects.)"""
        from ..app.prompting import TOOL_NAME

        return self.preview is not None and self.preview.tool == TOOL_NAME and self.waiting_preview()

    def waiting_preview(self, before: str = "editing") -> bool:
        """True (and says so) while a preview waits for Apply or Cancel: an edit would drop it
        (the label map it was made on changes), and with it an AI click object's prompts; what
        is saved or sent would leave out what the views show."""
        if self.preview is None:
            return False
        what = PREVIEW_NAMES.get(self.preview.tool, "the preview")
        self.error.emit(f"{what} is still a preview: press Enter (Apply) to keep it or Esc (Cancel) "
                        f"to discard it before {before}")
        return True


def nothing_to_preview(tool: str, segment, plane) -> str:
    """Why a Preview found nothing to show, in the tool's own words: Fill between slices needs the
    segment drawn on two slices of the view or more (it said `interpolate: nothing to preview (draw
    seeds or slices first)` to a user who had drawn one slice, until session 40)."""
    name = "the segment" if segment is None else f"'{segment.name}'"
    if tool == "interpolate":
        return (f"Fill between slices: nothing to fill: draw {name} on two or more {plane} slices, "
                f"a few slices apart, then Preview (it fills along the view clicked last)")
    return f"Grow from seeds: nothing to grow: paint seeds of {name} and of another segment first"
