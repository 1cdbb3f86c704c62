"""Previews of :class:`~neuroview.app.session.Session`: a tool's proposed result (grow,
interpolate) or an AI-click object's (``app.prompting``), shown before it is accepted or discarded.

A part of ``Session`` (its base class), not used alone.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..core.edit import EditTarget, Proposal, Tool, tool_class
from ..core.errors import ToolError
from ..core.labels import Segment
from ..core.undo import Box, Step
from .edit_event import EditEvent


@dataclass
class Preview:
    """A proposed result (grow from seeds, fill between slices) not yet applied."""

    tool: str
    proposal: Proposal
    version: int
    meta: dict = dataclasses.field(default_factory=dict)
    """Recorded with the step on accept (e.g. the prompts of an AI-click preview)."""
    options: object = None
    """The tool's remembered options (``Session.params[tool]``) it was computed with: after a
    ``set_params`` of the tool it is not what accepting would claim to apply, and is refused."""

    @property
    def box(self) -> Box:
        return self.proposal.box

    def full_array(self, labels: np.ndarray) -> np.ndarray:
        return self.proposal.full_array(labels)


@dataclass
class PreviewTask:
    """A previewable tool set up on a copy of the label map (:meth:`SessionPreviews.preview_task`)."""

    tool: str
    instance: object
    version: int
    options: object = None
    """``Session.params[tool]`` when the task was made (:attr:`Preview.options`)."""

    def propose(self) -> Optional[Proposal]:
        return self.instance.propose()


def options_changed(before, now) -> str:
    """The options that differ between two params of one tool ("padding_mm 2 -> 30"); "" if none
    (or no options recorded)."""
    if before is None or now is None or before == now:
        return ""
    return ", ".join(f"{f.name} {getattr(before, f.name)!r} -> {getattr(now, f.name)!r}"
                     for f in dataclasses.fields(before) if getattr(before, f.name) != getattr(now, f.name))


class SessionPreviews:
    """Preview, accept and discard commands of :class:`~neuroview.app.session.Session`."""

    def preview(self, tool: str, **params) -> Optional[Preview]:
        """Compute a previewable tool's result (grow, interpolate) without applying it."""
        task = self.preview_task(tool, **params)
        return self.show_preview(task, task.propose())

    def preview_task(self, tool: str, **params) -> "PreviewTask":
        """What :meth:`preview` computes, on a copy of the label map, so that a worker thread may
        run ``task.propose()`` (seconds for Fill between slices on an oblique view) while the user
        goes on editing; :meth:`show_preview` takes the result back on the GUI thread."""
        cls = tool_class(tool)
        if not cls.previewable:
            raise ToolError(f"{cls.name} has no preview; apply it directly")
        params = self._params(tool, params)
        target = EditTarget(self.volume, self.labels.copy(), self.policy, self.frame)
        return PreviewTask(cls.name, cls(target, params), self._version, self.params[cls.name])

    def show_preview(self, task: "PreviewTask", proposal: Optional[Proposal]) -> Optional[Preview]:
        """Make ``task``'s result the pending preview; ``ToolError`` when the label map changed
        since the task was made (its result is stale: a stroke, undo or redo came meanwhile)."""
        if task.version != self._version:
            raise ToolError("the label map changed while the preview was computed; preview again")
        self.discarded_object = None
        self.pending_preview = (None if proposal is None else
                                Preview(task.tool, proposal, task.version, options=task.options))
        self._notify(EditEvent("preview", None if proposal is None else proposal.box))
        return self.pending_preview

    def accept_preview(self) -> Optional[Step]:
        """Apply the pending preview as one undo step. A preview that changes no voxel (an AI
        click inside a lesion already drawn, Grow from seeds or Fill between slices run again)
        records nothing and returns ``None``: no undo step, and the segment's *From* stays as it
        was (it recorded a step that undid nothing, and added ``+ AI click``; 3D Slicer records
        no step for a no-op either). The preview and the AI click object end all the same."""
        preview, self.pending_preview = self.pending_preview, None
        self.prompting = None
        if preview is None:
            raise ToolError(f"there is no preview to apply: {self.discarded_object}"
                            if self.discarded_object else "there is no preview to apply")
        if preview.version != self._version:
            raise ToolError("the label map changed since the preview was made; preview again")
        changed = options_changed(preview.options, self.params.get(preview.tool))
        if changed:
            raise ToolError(f"{preview.tool}: the options changed since the preview was made "
                            f"({changed}); preview again")
        from .hand_marks import mark_time_point
        from .prompting import TOOL_NAME, made_by_prompts

        table, value = self.labels.segments, preview.meta.get("segment")
        if preview.tool != TOOL_NAME or value not in table:
            return self._write_region(preview.tool, preview.proposal.lo, preview.proposal.region,
                                      dict(preview.meta), by_hand=preview.tool != TOOL_NAME)
        # the object's provenance changes in the same undo step as its voxels, and only with them
        old = table.get(value)
        before = table.delta([value])
        writer = Tool(self._target())
        writer.write_region(preview.proposal.lo, preview.proposal.region)
        diff = writer.release()
        if diff is None:
            return None
        table.put(made_by_prompts(old, preview.meta))
        mark_time_point(self.labels, diff, self.volume, self.frame, only=(value,))
        try:
            return self._commit(preview.tool, diff, before, dict(preview.meta),
                                after=table.delta([value]))
        except BaseException:
            table.put(old)
            raise

    def prompt(self, segment=None, *, point=None, include: bool = True, box=None, scribble=None,
               plane=None, width_mm: float = 2.0, model=None, lasso=None) -> Preview:
        """Add a prompt (RAS mm) to the AI-click object of ``segment`` (default: the active one)
        and preview the result (``app.prompting``); accept/discard it like any preview."""
        from .prompting import make_prompt

        prompt = make_prompt(point, include, box, scribble, plane, width_mm, lasso)
        if self.begins_another(prompt, segment):
            self.accept_preview()
        prompting = self.prompt_session(segment, model)
        prompting.add(prompt)
        return self.show_prompt_result(prompting)

    def begins_another(self, prompt, segment=None) -> bool:
        """True when ``prompt`` for ``segment`` (default: the active one) is for another object
        than the one in progress there (``PromptSession.begins_another``: a box or lasso round
        another lesion, an exclude click on another lesion of the segment): :meth:`prompt`, as
        the window, then accepts that object (one undo step) and ``prompt`` begins a new one.
        Clicks and scribbles that include stay with the object, as in nnInteractive's session."""
        from .prompting import TOOL_NAME

        current, preview, value = self.prompting, self.pending_preview, self._prompted(segment)
        return current is not None and preview is not None and preview.tool == TOOL_NAME \
            and current.value == value and current.frame == self.frame and not self._stale() \
            and current.begins_another(prompt)

    def prompt_session(self, segment=None, model=None):
        """The AI-click object of ``segment`` in progress (a new one when there is none).
        ``ToolError`` while an object of another segment or time point has prompts: a new one
        would drop it (its prompts and answer) without a word; accept or discard it first."""
        from .prompting import PromptSession

        value = self._prompted(segment)
        if value is None or value not in self.labels.segments:
            raise ToolError("choose a segment for the AI click tool (add one first)")
        if self.object_elsewhere(value):
            raise ToolError(self.object_in_progress(self.prompting))
        current = self.prompting
        if current is None or current.value != value or current.frame != self.frame or self._stale():
            self.prompting = PromptSession(self, value, model)
        return self.prompting

    def _prompted(self, segment):
        """The label value of ``segment`` (default: the active one) for an AI click prompt."""
        value = self._resolve(segment if segment is not None else self.active_segment)
        return value.value if isinstance(value, Segment) else value

    def _stale(self) -> bool:
        """The label map changed since the pending preview was made: it cannot be accepted."""
        return self.pending_preview is not None and self.pending_preview.version != self._version

    def object_elsewhere(self, value) -> bool:
        """True while the AI-click object in progress has prompts and could still be accepted, but
        belongs to another segment than ``value`` or to another time point: a prompt for ``value``
        would drop it."""
        current = self.prompting
        return current is not None and len(current.prompts) > 0 and not self._stale() and \
            (current.value != value or current.frame != self.frame)

    def object_in_progress(self, prompting) -> str:
        """The line that refuses a prompt for another object while ``prompting`` has prompts."""
        name = self.labels.segments.get(prompting.value).name if prompting.value in self.labels.segments \
            else f"label {prompting.value}"
        count = len(prompting.prompts)
        frame = f" on time point {prompting.frame + 1}" if self.volume.n_frames > 1 else ""
        return (f"the AI click object of segment {name!r}{frame} ({count} prompt{'s' * (count != 1)}) "
                "is not accepted yet: call accept_preview() or discard_preview() first")

    def show_prompt_result(self, prompting) -> Preview:
        """Make the current answer of ``prompting`` the pending preview."""
        from .prompting import TOOL_NAME

        if prompting is not self.prompting:
            raise ToolError("this AI-click object was accepted or discarded meanwhile")
        proposal = prompting.proposal()
        self.discarded_object = None
        self.pending_preview = Preview(TOOL_NAME, proposal, self._version, prompting.meta())
        self._notify(EditEvent("preview", proposal.box))
        return self.pending_preview

    def drop_object_of(self, value: int) -> Optional[str]:
        """Segment ``value`` is being removed: its AI-click object in progress goes too (it could
        never be accepted; the window dropped it at once, a script kept it until accept refused
        with a word about a changed label map). The line saying so, also kept in
        :attr:`discarded_object`; ``None`` when the segment had no object."""
        from .prompting import discarded_with_segment

        current, self.discarded_object = self.prompting, None
        if current is None or current.value != value or value not in self.labels.segments:
            return None
        note = discarded_with_segment(self.labels.segments.get(value).name, len(current.prompts))
        self.discard_preview()
        self.discarded_object = note
        return note

    def discard_preview(self) -> None:
        self.prompting = None
        if self.pending_preview is not None:
            box = self.pending_preview.box
            self.pending_preview = None
            self._notify(EditEvent("preview", box))
