"""Interactive AI segmentation inside a Session, without Qt: prompts -> preview -> one undo step.

::

    p = s.prompt("lesion", point=(x, y, z))                 # include click -> preview
    s.prompt(point=(x2, y2, z2), include=False)              # exclude a leak -> preview follows
    s.prompt(box=((x1, y1, z), (x2, y2, z)), plane="axial")  # a box on a slice
    s.prompt(scribble=[(x, y, z), ...], include=True)        # a brush stroke as prompt
    s.prompt(lasso=[(x, y, z), ...], plane="axial")          # a closed outline on a slice
    s.accept_preview()                                       # one undo step, journaled
    s.discard_preview()

Prompts accumulate on one object (one segment) until the preview is accepted or discarded. The
segment's current voxels (a model's proposal or painting) are the starting mask. Accepting writes
the object's mask into the segment, inside the region the prompts touched, through the same locks
and overwrite policy as every tool; the step's ``meta`` records the prompts given and the seconds
spent, so the case's provenance can say how much human effort the mask took (and it survives a
crash with the journal).
"""

from __future__ import annotations

import dataclasses
import threading
import time
import weakref
from typing import Any, Optional

import numpy as np

from ..core.edit import Proposal
from ..core.edit.base import mask_box, pad_box, protected_lut
from ..core.errors import ToolError
from ..core.extent import cleared_values
from ..core.jobs import check
from ..core.undo import Box, box_slices, union_box
from ..core.volume import model_input_problem
from .prompt_models import (  # noqa: F401  (their home until session 25; the window imports them here)
    default_label,
    default_model,
    default_ref,
    last_default,
    load_default,
    load_promptable,
    promptable_choices,
)

TOOL_NAME = "ai_prompt"
_LOCK = threading.RLock()
_ANSWERING = threading.Lock()
"""Held while a model answers prompts (:meth:`PromptSession.compute`): an answer the window
stopped waiting for (Esc, the close) runs on to the model's next round, and the next answer,
which may use the same engine (nnInteractive's session keeps its prompts), waits for it."""
_ENGINES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
"""Session -> ``(model, frame, engine)``: the network's engine for that session's image
(the time point shown), kept while the session lives."""


def segmenter_for(session, model=None):
    """The engine that runs ``model`` (default: :func:`default_model`) on ``session``'s image.
    Loading the model (torch) and the image's intensity statistics take seconds, so this is
    called off the GUI thread: by the first prompt's computation, or ahead of it by
    :func:`prepare` when the user picks the AI click tool. Backends with their own engine
    (nnInteractive) get a new one each time; the bundled engine is kept per session."""
    from ..ai.interactive.engine import InteractiveSegmenter

    if model_input_problem(session.volume):
        raise ToolError(model_input_problem(session.volume))
    with _LOCK:
        model = model or default_model()
        volume, frame = session.volume, session.frame   # the time point on screen
        if hasattr(model, "segmenter_for"):  # a backend with its own ROI logic (nnInteractive)
            return model.segmenter_for(volume.frame_as_shown(frame), volume.ijk_to_ras)
        cached = _ENGINES.get(session)
        if cached is not None and cached[0] is model and cached[1] == frame:
            return cached[2]
        segmenter = InteractiveSegmenter(volume.frame_as_shown(frame), volume.ijk_to_ras, model,
                                         window=ct_window(volume))
        _ENGINES[session] = (model, frame, segmenter)
        return segmenter


CLICK_PRESETS = {"Brain": "Stroke"}
"""The window the AI click's network sees a CT through, by the one it opens at: a head's brain
80/40 became the stroke window 40/40, which gave a one-click bleed a higher Dice on held-out
synthetic heads (``bench/ct_bleed_click.py`` seeds 2-5, 5-30 mm at 65 HU: mean 0.83 against
0.75; seeds 6-7 at 52 and 85 HU: 0.78 against 0.72 and 0.82 against 0.80; picked on seeds 0-1
among 40/40, 80/40, 130/50, 200/60 and 400/40)."""


def ct_window(volume) -> Optional[tuple[float, float]]:
    """``(width, level)`` through which the AI click's network sees a CT in Hounsfield units:
    the window it opens at (soft tissue 400/40 for a body: :func:`.ct_opening.opening_ct_preset`),
    for a head the stroke window (:data:`CLICK_PRESETS`); None for any other image. A lung nodule
    got 315 of its 3802 voxels (Dice 0.15) and a bleed 144 (0.02) from the image's statistics
    alone, 0.97 and 0.38 through the opening window."""
    from .ct_opening import opening_ct_preset
    from .view_presets import CT_PRESETS, is_ct, not_hounsfield

    if not is_ct(volume) or not_hounsfield(volume):
        return None
    opening = opening_ct_preset(volume)
    return CT_PRESETS[CLICK_PRESETS.get(opening, opening)]


def prepare(session, model=None, cancel=None) -> Optional[str]:
    """Load the model and the image's statistics now, so that the first prompt answers fast.
    Without ``model``, the AI click default: the line saying it could not be loaded and the
    bundled network is used instead (``app.prompt_models.load_default``), else ``None``.
    ``cancel`` (a ``core.jobs.CancelToken``) set while the model loads: the statistics are not
    computed (:class:`Cancelled`)."""
    problem = None
    if model is None:
        model, problem = load_default()
    check(cancel)
    if not hasattr(model, "segmenter_for"):
        segmenter_for(session, model)
    return problem


class PromptSession:
    """The prompts placed on one segment so far and the object's current mask. ``session`` is the
    :class:`~neuroview.app.session.Session` it previews into (not imported: the session imports
    this module when a prompt arrives)."""

    def __init__(self, session: Any, value: int, model=None, segmenter=None) -> None:
        from ..ai.interactive.prompts import PromptSet

        self.session, self.value = session, int(value)
        self.frame = session.frame   # the time point the prompts were placed on
        self.prompts = PromptSet()
        self.started = time.monotonic()
        self.mask = session.labels.array == self.value
        self.starting = self.mask.copy() if self.mask.any() else None
        """The segment's voxels when the object began: include prompts are not drawn over them."""
        self.touched: Optional[Box] = None
        self.saved: list = []
        """``(count, box, mask there before, touched before)`` of each answer applied, so the
        last prompt can be taken back exactly (:meth:`undo_prompt`)."""
        self._model, self._segmenter = model, segmenter

    @property
    def segmenter(self):
        """The engine, made on first use (by :meth:`compute`, which runs off the GUI thread in
        the window): creating it may load the model."""
        with _LOCK:
            if self._segmenter is None:
                self._segmenter = segmenter_for(self.session, self._model)
            return self._segmenter

    def add(self, prompt) -> Proposal:
        """Add ``prompt``, run the model and return the new proposal (all on this thread)."""
        self.prompts.add(prompt)
        try:
            result = self.compute(len(self.prompts))
        except BaseException:   # Ctrl+C too: an interrupted click stayed in every later answer
            self.prompts.prompts.pop()
            raise
        return self.apply(result, len(self.prompts))

    def compute(self, count: int, cancel=None):
        """The model's answer to the first ``count`` prompts. Reads the image and this object's
        mask only, so it may run on a worker thread while the GUI thread waits for it.
        ``cancel`` (a ``core.jobs.CancelToken``) set: :class:`Cancelled` between the model's
        runs (the ROI's rounds, nnInteractive's prompts), and at the end."""
        from ..ai.interactive.prompts import PromptSet

        prompts = PromptSet(self.prompts.prompts[:count])
        from ..ai.interactive.engine import InteractiveSegmenter

        with _ANSWERING:
            check(cancel)
            started = time.monotonic()
            previous, segmenter = (self.mask if self.mask.any() else None), self.segmenter
            loading = time.monotonic() - started   # the first answer loads the model
            if not isinstance(segmenter, InteractiveSegmenter):  # nnInteractive: its own encoding,
                # 0 under exclude prompts too
                result = segmenter.run(prompts, previous, keep_out=True, cancel=cancel)
            else:
                result = segmenter.run(prompts, previous, starting=self.starting, cancel=cancel)
        check(cancel)
        result.loading = loading
        return result

    def unanswered(self) -> bool:
        """True when the last prompt has no answer applied yet (the model has not run for it)."""
        return len(self.prompts) > 0 and (not self.saved or self.saved[-1][0] != len(self.prompts))

    def is_current(self, count: int) -> bool:
        """False when prompts arrived after the first ``count`` (that answer is stale)."""
        return count == len(self.prompts)

    def apply(self, result, count: int) -> Proposal:
        """Make ``result`` (from :meth:`compute` of ``count`` prompts) the object's mask."""
        if not self.is_current(count):
            raise ToolError("a newer prompt arrived; this answer is out of date")
        sub = box_slices(*result.box)
        self.saved.append((count, result.box, self.mask[sub].copy(), self.touched))
        before = self.mask[sub]
        answer = result.mask()
        if result.covered is not None:  # the box's voxels outside the ROI cube stay as they are
            answer = np.where(result.covered, answer, before)
        merged = self._within_region(before, answer, result.box[0], count)
        merged = merged | self._untouched_parts(before, merged, result.box[0])
        self.mask[sub] = merged
        follow = getattr(self._segmenter, "follow", None)
        if follow is not None and not np.array_equal(merged, answer):
            follow(result.box[0], merged)   # nnInteractive's session goes on from what shows
        self.touched = union_box(self.touched, result.box)
        return self.proposal()

    def _within_region(self, before: np.ndarray, answer: np.ndarray, lo, count: int) -> np.ndarray:
        """``answer``, unless prompt ``count`` is a lasso, an exclude box, or an include box as
        the first prompt, on a segment that held voxels (a model's proposal, lesions accepted
        before): then the answer changes the object's mask within the box's rectangle or the
        lasso's outline only (seen along its plane's normal), and only the way the prompt asks:
        an include one only adds, an exclude one (Shift) only removes. Drawn over a part the
        proposal missed, an include box is no exclude of the proposal: the bundled network's
        answer to a first box replaced the segment in its whole ROI cube (a box under a proposed
        lesion took 447 of its voxels outside it), then cut it inside the box (384 voxels of the
        demo's 4 lesions); nnInteractive's answer to a box cuts the same way; a lasso drawn round
        another lesion after a scribble took 367 of the 2115 voxels of a lesion accepted before,
        60 mm away, and the scribble's lesion all but 150 of its 5963 voxels; a Shift+box over
        half of a demo lesion took 390-2545 of its voxels beyond the box. Every backend's answer
        is merged here, so the window's tool and ``Session.prompt`` follow one rule. An include
        box after other prompts trims the object instead (the engine's constraint)."""
        prompt = self.prompts.prompts[count - 1]
        if self.starting is None or prompt.kind not in ("box", "lasso") \
                or (prompt.kind == "box" and prompt.include and count != 1):
            return answer
        from ..ai.interactive.local import inside_region

        inside = inside_region(prompt, lo, answer.shape, self.session.volume.ijk_to_ras)
        return (before | (inside & answer)) if prompt.include else (before & (answer | ~inside))

    def last_changed_nothing(self) -> bool:
        """True when the last answer applied was to an exclude prompt and left the object's mask
        as it was (the exclude lay where the object has no voxel): the window says so."""
        if not self.saved or not self.prompts.prompts or self.prompts.prompts[-1].include:
            return False
        count, box, before, _touched = self.saved[-1]
        return count == len(self.prompts) and bool(np.array_equal(self.mask[box_slices(*box)], before))

    def _untouched_parts(self, before: np.ndarray, answer: np.ndarray, lo) -> np.ndarray:
        """Of what ``answer`` takes from the segment's voxels the object began with (``before``
        and ``answer`` on the answer's box at ``lo``), the connected parts that touch neither the
        answer nor a prompt's point: another lesion of the segment inside the ROI is not the
        object, and the answer erased it. (What earlier answers added is the object's own.)"""
        from scipy import ndimage

        if self.starting is None:
            return np.zeros_like(before)
        parts, n = ndimage.label(before & ~answer & self.starting[box_slices(lo, np.add(lo, before.shape))])
        if n == 0:
            return np.zeros_like(before)
        reached = ndimage.binary_dilation(answer, np.ones((3, 3, 3), bool))
        reached[tuple(self._voxels(self.prompts.points_ras(), lo, before.shape).T)] = True
        return (parts > 0) & ~np.isin(parts, np.unique(parts[reached]))

    def object_voxels(self, preview: np.ndarray) -> int:
        """How many voxels of the segment in ``preview`` (the label map as Enter would leave it)
        are this object's: all of them when the segment was empty as the object began; else the
        connected parts (26-neighbours) of the object's mask that its answers changed (a voxel
        added, or one removed beside them) or that hold an include prompt's voxel. The other
        lesions the segment held are not the object (the status bar gave their sum with it).
        The parts are found in the mask's bounding box, their seeds in the answers' box only."""
        held = preview == self.value
        if self.starting is None:
            return int(np.count_nonzero(held))
        own = self._own_parts()
        if own is None:
            return 0
        from scipy import ndimage

        box, parts, ids = own
        held, found = held[box_slices(*box)], ndimage.find_objects(parts)
        return sum(int(np.count_nonzero((parts[found[i - 1]] == i) & held[found[i - 1]])) for i in ids)

    def _own_parts(self):
        """``(box, parts, ids)``: the object's mask's bounding box, its connected parts there
        (26-neighbours, labelled) and the labels of those that are the object's (see
        :meth:`object_voxels`); ``None`` when no answer was applied or the mask is empty."""
        box = mask_box(self.mask)
        if box is None or self.touched is None:
            return None
        from scipy import ndimage

        lo = np.asarray(box[0])
        parts, _ = ndimage.label(self.mask[box_slices(*box)], np.ones((3, 3, 3), bool))
        t_lo, t_hi = pad_box(self.touched, 1, self.mask.shape)
        there = box_slices(t_lo, t_hi)
        mask = self.mask[there]
        reached = ndimage.binary_dilation(mask ^ self.starting[there], np.ones((3, 3, 3), bool))
        ijk = self._voxels(self.prompts.points_ras(include=True), t_lo, mask.shape)
        reached[tuple(ijk.T)] = True
        seeds = np.argwhere(reached & mask) + np.asarray(t_lo) - lo   # inside the mask's box
        return box, parts, [int(i) for i in np.unique(parts[tuple(seeds.T)]) if i > 0]

    def _voxels(self, points_ras, lo, shape) -> np.ndarray:
        """The voxels (``n x 3``, relative to ``lo``) of ``points_ras`` that lie in the box at
        ``lo`` of ``shape``."""
        ras_to_ijk = np.linalg.inv(self.session.volume.ijk_to_ras)
        points = np.asarray(points_ras, float).reshape(-1, 3)
        ijk = np.rint(points @ ras_to_ijk[:3, :3].T + ras_to_ijk[:3, 3]).astype(int) - np.asarray(lo)
        return ijk[np.all((ijk >= 0) & (ijk < shape), axis=1)]

    def lies_elsewhere(self, point_ras) -> bool:
        """True when ``point_ras`` lies on a voxel of the segment that is not this object's: in
        a connected part the object's answers and include prompts never reached (another lesion
        of a model's proposal, or its leak). An exclude there corrects no part of this object
        (it changed nothing, and the status bar said so); the window accepts the object and
        begins a new one with the exclude."""
        if self.starting is None:
            return False
        own = self._own_parts()
        if own is None:
            return False
        box, parts, ids = own
        ijk = self._voxels(point_ras, box[0], parts.shape)
        return len(ijk) == 1 and parts[tuple(ijk[0])] > 0 and int(parts[tuple(ijk[0])]) not in ids

    def begins_another(self, prompt) -> bool:
        """True when ``prompt`` is for another object than this one: an exclude click on a voxel
        of the segment that is not this object's (:meth:`lies_elsewhere`), an include box or
        lasso whose region (grown into 3D as deep as it is wide: ``local.near_region``) holds no
        voxel of this object, or an exclude one that holds none of it but some of the segment's
        other voxels. The window accepts this object and begins a new one with ``prompt``: a lasso
        round another lesion joined the object and went to the network with its clicks (on the
        demo, after a click on lesion 1, 687 of its 5961 voxels were left), and a box there
        trimmed the object to what lies in the box: nothing of either lesion."""
        if prompt.kind == "point":
            return not prompt.include and self.lies_elsewhere(prompt.points_ras()[0])
        if prompt.kind not in ("box", "lasso") or self.touched is None:
            return False
        from ..ai.interactive.local import near_box, near_region

        if self.starting is None:
            box = mask_box(self.mask)
            if box is None:
                return False
            mine, others = self.mask[box_slices(*box)], None
        else:
            own = self._own_parts()
            if own is None:
                return False
            box, parts, ids = own
            mine = np.isin(parts, ids)
            others = (parts > 0) & ~mine
        affine = self.session.volume.ijk_to_ras
        near_lo, near_hi = near_box(prompt, affine)
        lo, hi = np.maximum(box[0], near_lo), np.minimum(box[1], near_hi)
        if np.any(hi <= lo):    # the region lies off every voxel of the mask
            return prompt.include
        crop = box_slices(lo - np.asarray(box[0]), hi - np.asarray(box[0]))
        inside = near_region(prompt, lo, tuple(hi - lo), affine)
        if (inside & mine[crop]).any():
            return False
        return prompt.include or (others is not None and bool((inside & others[crop]).any()))

    def undo_prompt(self) -> bool:
        """Take back the last prompt: the object goes back to the answer of the prompts before it.
        Returns True when those prompts still need an answer (none was applied for exactly them,
        e.g. the model was still running); with no prompt left the object is empty."""
        if not self.prompts.prompts:
            return False
        self.prompts.prompts.pop()
        left = len(self.prompts)
        while self.saved and self.saved[-1][0] > left:
            _count, box, before, touched = self.saved.pop()
            self.mask[box_slices(*box)] = before
            self.touched = touched
        return self.unanswered()

    def proposal(self) -> Proposal:
        sub = box_slices(*self.touched)
        labels = self.session.labels
        region = labels.array[sub].copy()
        inside = self.mask[sub]
        removed = (region == self.value) & ~inside
        # as Enter writes it (``write_region``): a voxel taken from the segment inside a context
        # segment's extent (the model's brain) is that segment's again; the preview showed it as
        # background, the accept wrote brain (120 voxels of one exclude click)
        # (a locked one too: write_region gives it back as it gives back a 0 there)
        under = cleared_values(labels.segments, labels.shape, self.touched[0], region, removed)
        region[removed] = 0 if under is None else under[removed]
        # other segments under the object stay where the overwrite policy (or a lock) keeps them
        protected = protected_lut(self.session.labels, self.value, self.session.policy)
        region[inside & ~protected[region]] = self.value
        return Proposal(self.touched[0], region)

    @property
    def model_ref(self) -> str:
        """``name@version`` of the model answering this object's prompts (empty when unknown)."""
        model = self._model
        if model is None and self._segmenter is not None:
            model = getattr(self._segmenter, "model", None)
        if model is None:
            model = last_default()
        return str(getattr(model, "name", "") or "")

    def meta(self) -> dict:
        return {"prompts": self.prompts.counts(), "seconds": round(time.monotonic() - self.started, 1),
                "segment": self.value, "model": self.model_ref,
                "segment_had_voxels": self.starting is not None}


def made_by_prompts(segment, meta: dict):
    """``segment`` as an accepted AI click object of ``meta`` (:meth:`PromptSession.meta`) leaves
    it: origin ``"interactive"``, the model that answered and the prompts, added to those of its
    earlier objects. A model's proposal corrected with AI click stays the model's (its Dice
    against the proposal is what the training set records), and keeps the prompts
    (``Segment.ai_clicked``: ``name@version + AI click, 2 prompts``; a SEG says SEMIAUTOMATIC).
    A segment drawn by hand that held voxels when the object began stays recognisably drawn:
    ``drawn`` (``drawn + AI click``). Labels loaded from a file stay loaded (their changed voxels
    are counted against the file's), with the prompts and the model that answered them
    (``file NAME + AI click name@version, 1 prompt``); until session 28 they became ``drawn + AI
    click`` and lost that a file made them."""
    kept = segment.origin in ("interactive", "model", "loaded")
    counts = dict(segment.prompts) if kept else {}
    for kind, n in meta.get("prompts", {}).items():
        counts[kind] = counts.get(kind, 0) + int(n)
    if segment.origin == "model":
        return dataclasses.replace(segment, prompts=counts)
    if segment.origin == "loaded":
        return dataclasses.replace(segment, prompts=counts, model=meta.get("model") or segment.model)
    drawn = segment.drawn if kept else bool(meta.get("segment_had_voxels"))
    return dataclasses.replace(segment, origin="interactive", model=meta.get("model") or segment.model,
                               prompts=counts, drawn=drawn)


def discarded_with_segment(name: str, count: int) -> str:
    """What the window's status bar and ``Session.accept_preview`` say when removing a segment
    took its AI-click object in progress along."""
    return (f"the AI click object of segment {name!r} ({count} prompt{'s' * (count != 1)}) was "
            "discarded with its segment")


def make_prompt(point=None, include: bool = True, box=None, scribble=None, plane=None,
                width_mm: float = 2.0, lasso=None):
    """The one prompt the keyword arguments describe. ``plane`` (a name or two in-plane RAS
    directions) is where a box or lasso lies (default axial) and where a scribble was drawn (it
    is drawn on that plane; without one, in 3D)."""
    from ..ai.interactive.prompts import BoxPrompt, LassoPrompt, PointPrompt, ScribblePrompt

    given = [x is not None for x in (point, box, scribble, lasso)]
    if sum(given) != 1:
        raise ToolError("give exactly one of point=, box=, scribble= or lasso=")
    if lasso is not None:
        return LassoPrompt(tuple(lasso), plane or "axial", include)
    if point is not None:
        return PointPrompt(point, include)
    if box is not None:
        try:
            corner_a, corner_b = box
        except (TypeError, ValueError):
            raise ToolError("box= takes two opposite corners ((x, y, z), (x, y, z)) in RAS mm") from None
        return BoxPrompt(corner_a, corner_b, plane or "axial", include)
    return ScribblePrompt(tuple(scribble), include, width_mm, plane)


def interaction_summary(steps, segments=()) -> dict:
    """Prompts given and seconds spent over the accepted interactive steps among ``steps``, and
    per segment of ``segments`` (a label map's table) made with AI click: its model and prompts
    (a model's mask refined with AI click: ``proposed_by`` that model, and the prompts; labels
    loaded from a file: ``proposed_by`` ``loaded``, the model that answered), as its
    sidecar keeps them (so they survive a save and reopen, which the history does not)."""
    counts: dict[str, int] = {}
    seconds, objects = 0.0, 0
    for step in steps:
        if step.name != TOOL_NAME:
            continue
        objects += 1
        seconds += float(step.meta.get("seconds", 0.0))
        for key, n in step.meta.get("prompts", {}).items():
            counts[key] = counts.get(key, 0) + int(n)
    made = {s.name: {"model": s.model, "prompts": dict(s.prompts), **({"drawn": True} if s.drawn else {})}
            for s in segments if s.origin == "interactive"}
    made.update({s.name: {**({"proposed_by": s.model} if s.origin == "model"   # a model's, refined
                             else {"proposed_by": "loaded", "model": s.model}),  # a file's (no name)
                          "prompts": dict(s.prompts), **({"drawn": True} if s.drawn else {})}
                 for s in segments if s.ai_clicked})
    summary = {"objects": objects, "prompts": counts, "prompt_count": int(sum(counts.values())),
               "seconds": round(seconds, 1)}
    return {**summary, "segments": made} if made else summary
