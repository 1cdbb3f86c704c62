"""AI > Segment: choose a model (the device it will run on is shown), run it in the background with
progress and Cancel; the result arrives as segments marked with the model's name and version,
editable with every tool and undone in one step (``app.case.Case.apply_model_result``).

torch is never imported while the window starts, nor on the GUI thread: the Segment dialog
(``ui.model_choice``) opens at once with the models of the registry (JSON cards) and learns the
device in the background; the model runs in a worker thread through the ai package's Qt-free
``segment.segment``, and the notice bar gives the result's volumes and its notes (a step skipped).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence

from ..app.frames import frame_volume, time_point_text
from ..app.view_measure import format_ml
from ..app.view_presets import is_ct
from ..core.errors import NeuroviewError
from ..core.plural import plural
from .actions_uncertainty import UncertaintyActions
from .code_consent import run_with_consent
from .model_choice import (
    SegmentDialog,
    image_domain_of,
    installed_models,
    refusal_of,
    run_anyway_offered,
)


class AIActions:
    def __init__(self, window) -> None:
        self.window = window
        self.editor = window.editor
        self.dialog = None
        self.job = None
        self.consent_box = None
        self.result_notice = None   # (step, notice, model, names, figures) of the last model result shown
        self.followed = ""          # what the bar says of it since (the edits made after it)
        self.ran_on = 0             # the time point (0-based) of a 4D image the model segmented
        self.editor.history_changed.connect(self._follow_undo)
        window.controller.volume_changed.connect(self._volume_changed)

    def _volume_changed(self) -> None:
        """Another image was opened: a model still running for the one before is stopped (its
        result would be dropped, and meanwhile Segment on the new image was refused)."""
        if self.job is not None and not self.job.finished:
            self.job.cancel()

    def _follow_undo(self) -> None:
        """The notice about a model's result follows Ctrl+Z / Ctrl+Y of that result: it does not
        keep offering to remove what was already removed, nor to bring back a result whose redo
        a newer step (a stroke, a ruler or an angle) dropped, nor Ctrl+Z for a result whose step
        the undo history's size limit forgot (Ctrl+Z then undoes another edit), nor Ctrl+Z alone
        while newer edits lie above it (Ctrl+Z undid a stroke, a rejected lesion, an AI click)."""
        session, shown = self.editor.session, self.result_notice
        if session is None or shown is None:
            return
        step, notice, model, names, figures = shown
        removed = f"{model}'s segmentation removed; Ctrl+Y (or Ctrl+Shift+Z) brings it back."
        bar = self.window.notice_bar
        history = session.history
        undo_steps = history.undo_steps
        applied = any(s is step for s in undo_steps)
        stem = notice.removesuffix("; Ctrl+Z removes it.")
        on_bar = bar.text in (notice, self.followed)
        if not any(s is step for s in history.redo_steps):   # in the labels: the volumes the
            now = _figures(self.editor.case, model, names)   # lists give after a rejected lesion
            if now != figures:                               # or a stroke (it kept the model's)
                stem = stem.replace(figures, f"{now} as edited (found {figures})", 1)
        if not applied and not any(s is step for s in history.redo_steps):
            if bar.text == removed:   # undone, then dropped: nothing brings it back now
                bar.show_message(f"{model}'s segmentation removed (AI > Segment runs it again).")
                self.result_notice = None
            elif on_bar:   # never undone: the history's limit forgot its step
                bar.show_message(stem + ". Ctrl+Z no longer "
                                 "removes it: the undo history's size limit dropped its step.")
                self.result_notice = None
        elif not applied and on_bar:
            bar.show_message(removed)
        elif applied and (on_bar or bar.text == removed):
            newer = len(undo_steps) - 1 - next(i for i, s in enumerate(undo_steps) if s is step)
            text = notice if newer == 0 else (f"{stem}; Ctrl+Z removes it after undoing the "
                                              f"{plural(newer, 'edit')} made since.")
            if bar.text != text:
                bar.show_message(text)
            self.followed = text

    def install_menus(self, menu_bar, before_menu, tool_bar) -> None:
        menu = menu_bar.addMenu("&AI")
        menu.setToolTipsVisible(True)   # Show uncertainty (on no tool bar) says what it shows
        menu_bar.insertMenu(before_menu, menu)
        self.segment_action = QAction("Segment with a model...", self.window)
        self.segment_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.segment_action.triggered.connect(self.segment_dialog)
        menu.addAction(self.segment_action)
        tool_bar.addAction(self.segment_action)
        self.menu = menu
        self.uncertainty = UncertaintyActions(self.window)
        self.uncertainty.install_menus(menu)

    def running(self) -> bool:
        """True (and says so) while a segmentation runs: a second one would run the same model
        again beside it, on the same two cores, for the same result."""
        if self.job is None or self.job.finished:
            return False
        self.window.show_error("AI > Segment is already running (progress bar at the bottom): wait for "
                               "its result, or press Cancel there first")
        return True

    def segment_dialog(self) -> None:
        if self.editor.case is None:
            self.window.show_error(self.editor.no_case_message("to segment first"))
            return
        if self.running() or self.editor.waiting_preview("segmenting"):   # its result would drop it
            return
        choices = installed_models(self.window)
        if choices is None:
            return
        entries, default = choices
        volume = self.window.controller.volume
        self.dialog = SegmentDialog(entries, default, self.window,
                                    image_is_ct=volume is not None and is_ct(volume),
                                    domain=image_domain_of(volume), refused=refusal_of(volume))
        self.dialog.accepted.connect(lambda: self.segment(*self.dialog.choice(), anyway=self.dialog.anyway))
        self.dialog.open()

    def segment(self, model_ref: str = "", device: str = "auto", anyway: bool = False) -> None:
        """Run the model on the open image in the background; apply the result as one step.

        A model whose file holds code (TorchScript) runs only after the user consented to that
        file (:func:`.code_consent.run_with_consent`). ``anyway``: on an image outside the card's
        domain, which the person chose to segment all the same (*Run anyway*)."""
        if self.editor.case is None:
            self.window.show_error(self.editor.no_case_message("to segment first"))
            return
        if self.running():
            return
        run_with_consent(self, self.window, model_ref, lambda: self._run_segment(model_ref, device, anyway))

    def _apply_result(self, case, result, when: str) -> None:
        """The model's result into the labels as one undo step, with its notice. The heavy part
        (the step's voxels and their journal file, the proposal and its file) is made in a worker
        against a copy of the labels (``Case.prepare_model_result``); the GUI thread then copies
        the voxels in and journals the step. An edit made meanwhile is kept: the step is then
        made again on the GUI thread against the labels as they are."""
        from ..ai.segment import BRAIN_SEGMENT

        result = _without_empty(result, case)
        labels, segments, model, device, notes = result[:5]
        outside_domain = result[7]
        if not segments:   # an empty segment (0.000 mL) was added, on a CT and an MRI alike
            self.window.notice_bar.show_message(
                f"{model} on {device}{when} found no {_names(result)}" + _said(notes)
                + ": nothing was added.", tooltip=_said_in_full(notes, outside_domain))
            return
        # The brain mask is context, not a finding: listed with its volume, but hidden, so
        # that it does not cover the image (the Show box in the Segments list shows it); the
        # model's mask is its extent, where an erased lesion goes back to the brain
        names = {value: name for value, name, _c in segments}
        colors = {value: c for value, _n, c in segments}
        hidden = _context(result, BRAIN_SEGMENT)
        snapshot = case.model_result_snapshot()

        def work(progress, cancel):
            return case.prepare_model_result(snapshot, labels, names, model, colors, hidden,
                                             progress=progress, cancel=cancel,
                                             outside_domain=outside_domain)

        job = None

        def done(prepared) -> None:
            if self.editor.case is not case:
                prepared.discard()   # another image was opened meanwhile
                return
            if job.cancel_token.cancelled:   # Cancel came as the worker ended: not added either
                prepared.discard()
                not_added()
                return
            if case.session.stroke_open:   # the result lands once the stroke under way ends
                QTimer.singleShot(30, lambda: done(prepared))
                return
            if self._preview_waits(case):   # it would drop the object (and its prompts) unsaid
                waiting = (f"{model}'s result is ready and waits for the AI click object (or preview) "
                           "on screen: Enter accepts it, Esc discards it; the result follows.")
                if self.window.notice_bar.text != waiting:
                    self.window.notice_bar.show_message(waiting)
                QTimer.singleShot(250, lambda: done(prepared))
                return
            self._finish_result(case, result, when, prepared)

        def not_added() -> None:   # the worker's files went with it; the labels were never touched
            if self.editor.case is case:
                self.window.notice_bar.show_message(
                    f"The segments of {model} were not added (cancelled): the labels are as they were. "
                    "AI > Segment... runs the model again.")

        self.job = job = self.window.runner.start(work, on_done=done, on_error=self.window.show_error,
                                                  on_cancel=not_added,
                                                  label=f"Adding the segments of {model}")

    def _finish_result(self, case, result, when: str, prepared) -> None:
        from ..ai.segment import BRAIN_SEGMENT

        window = self.window
        labels, segments, model, used_device, notes = result[:5]
        context = _context(result, BRAIN_SEGMENT)
        shown, case.session.frame = case.session.frame, self.ran_on
        try:
            step = case.apply_model_result(labels, {value: name for value, name, _c in segments},
                                           model, colors={value: c for value, _n, c in segments},
                                           hidden=context, prepared=prepared, outside_domain=result[7])
        except NeuroviewError as exc:
            window.show_error(str(exc))
            return
        finally:
            case.session.frame = shown
        self.editor.segments_changed.emit()

        names = [name for _value, name, _c in segments]
        figures = found = _figures(case, model, names)
        if len(result) > 6 and result[6]:   # the names it found nothing for, none added
            found += f", no {result[6]} found"
        if step is None:   # the labels already hold this result: Ctrl+Z removes the step that put it there
            step = self._model_step(case, model)
            found += " (nothing changed)"
        notice = (f"{model} on {used_device}{when}: {found}"
                  + _said(notes)   # e.g. brain extraction skipped
                  + ". Correct it with the segment editor"
                  + ("; Ctrl+Z removes it." if step is not None else ".") + _promoted_note(model))
        window.notice_bar.show_message(notice, tooltip=_said_in_full(notes, result[7]))
        self.result_notice = None if step is None else (step, notice, model, names, figures)
        self.followed = notice
        training = getattr(window, "training_actions", None)
        if training is not None and training.worklist is not None and training.worklist_id:
            training.worklist.advance(training.worklist_id, "proposed")   # unless further now
            training.show_worklist()   # its row at once, not when the case is left

    def _preview_waits(self, case) -> bool:
        """An AI click object (also one whose first answer is still computed) or a Grow from
        seeds / Fill between slices preview waits for Enter or Esc on ``case``."""
        prompting = case.session.prompting
        return self.editor.has_preview() or (prompting is not None and len(prompting.prompts) > 0)

    @staticmethod
    def _model_step(case, model: str):
        """The newest undo step that applied ``model``'s result (a run that changed nothing
        follows it: its notice said Ctrl+Z removes it, and kept saying so once Ctrl+Z had);
        None when the history no longer holds one (Ctrl+Z would undo another edit)."""
        steps = [step for step in case.session.history.undo_steps
                 if step.name == "model" and step.meta.get("model") == model]
        return steps[-1] if steps else None

    def _run_segment(self, model_ref: str, device: str, anyway: bool = False) -> None:
        case = self.editor.case
        window = self.window
        if case is None:
            window.show_error(self.editor.no_case_message("to segment first"))
            return
        volume, when = case.volume, ""
        self.ran_on = window.controller.state.frame   # the segments record it, whatever is shown then
        if volume.axis4 == "time" and volume.n_frames > 1:   # the time point on screen
            frame = window.controller.state.frame
            volume, when = frame_volume(volume, frame), f" ({time_point_text(volume, frame)})"

        def work(progress, cancel):
            # importing torch and reading the weights takes seconds (5 s at load 8) before the
            # first stage says anything: the bar stood at 0 % with no word. They run on a thread
            # of their own (``core.jobs.abandonable``): Cancel, or closing the window, ends the
            # job at once and the load runs on unwatched (the close waited for it, 5 s)
            progress(0, 0, "loading the model")
            from ..core.jobs import abandonable

            segmenting = abandonable(lambda: _loaded(model_ref), cancel, "AI > Segment: loading the model")
            told = {"allow_domain_mismatch": True} if anyway else {}
            result = segmenting.segment(volume, model_ref, device, progress=progress, cancel=cancel, **told)
            return (*segmenting.with_brain_segment(result), result.model, result.device, result.notes,
                    result.brain_mask, getattr(result, "outside_domain", ""))

        def done(result) -> None:
            if self.editor.case is not case:
                return  # another image was opened meanwhile
            model = result[2]
            corrected = case.corrected_model_segments(model)
            if not corrected:
                self._apply_result(case, result, when)
                return
            # The person corrected this model's segments by hand (before or during the run): a
            # question, not a silent replacement (the notice bar: the window stays usable).
            names = ", ".join(f"'{name}'" for name in corrected)

            def replace() -> None:
                if self.editor.case is case:
                    self._apply_result(case, result, when)

            def keep() -> None:
                if self.editor.case is case:
                    window.notice_bar.show_message(f"The new result of {model} was not applied: "
                                                   f"your corrections to {names} are kept.")
            window.notice_bar.show_message(
                f"{model} has a new result{when}. It would replace {names}, which you corrected by "
                "hand (Ctrl+Z would bring your version back; a locked segment is never replaced).",
                [("Replace", replace), ("Keep mine", keep)])

        def cancelled() -> None:
            window.notice_bar.show_message(
                "Segmentation cancelled; the labels are unchanged." if self.editor.case is case else
                "AI > Segment of the image opened before was stopped: run it again on this one.")

        def failed(text: str) -> None:
            if self.editor.case is not case or not run_anyway_offered(
                    window, text, lambda: self.segment(model_ref, device, anyway=True)):
                window.show_error(text)

        case.model_started()   # the run itself is not editing time
        self.job = window.runner.start(work, on_done=done, on_error=failed, on_cancel=cancelled,
                                       label=f"Segmenting with {model_ref or 'the default model'}")


def _figures(case, model: str, names) -> str:
    """The volume of each segment ``model`` made, named in ``names`` (its output's order), as the
    Segments list gives it: the voxels it holds now (not the model's output: voxels of locked
    segments and of segments a person drew are not written), in mL."""
    from ..ai.segment import BRAIN_SEGMENT

    voxel_ml = case.labels.voxel_volume_ml
    counts = case.session.counts.counts()    # kept up to date from each step's diff
    made = {s.name: s.value for s in case.labels.segments if s.origin == "model" and s.model == model}
    return ", ".join(f"{'brain' if name == BRAIN_SEGMENT else name} "
                     f"{format_ml(counts.get(made[name], 0) * voxel_ml if name in made else 0.0)} mL"
                     for name in names)


def _promoted_note(model: str) -> str:
    """`` Note: lead promoted M to default for lesion on this training set (2026-12-07); this
    uses MODEL: AI > Models... makes M your default.`` when the training set last sent to
    records another model promoted on it (``dataset.promoted``); "" else. A promotion changed the
    promoting login's default only, and this window went on with its own, told nothing."""
    from ..ai.registry import DEFAULT_TASK, Registry
    from ..app.last_dataset import remembered_dataset
    from ..dataset.promoted import install_hint, promoted_elsewhere

    folder = remembered_dataset().get("dataset", "")
    promoted, theirs = promoted_elsewhere(folder, model, DEFAULT_TASK) if folder else ("", "")
    if promoted and not any(entry.ref == theirs for entry in Registry().entries()):
        return f" Note: {promoted}: {install_hint(folder)}."   # in the promoter's models only
    return f" Note: {promoted}: AI > Models... makes {theirs} your default." if promoted else ""


def _loaded(model_ref: str):
    """``ai.segment`` with torch imported and ``model_ref``'s weights read. A model that does not
    load is left to ``segment``, which says why as it did (and a stand-in for it, in tests,
    runs as before)."""
    from ..ai import segment as segmenting

    try:
        segmenting.preload(model_ref)
    except Exception:   # noqa: BLE001 - raised again, with its message, by segment()
        pass
    return segmenting


def _context(result, brain_name: str) -> dict:
    """The model values of a result that are context (its brain segment), each with the brain
    mask the model produced (lesions included; ``None`` when the result carries none): the
    segment's extent (``core.extent``)."""
    segments = result[1]
    mask = result[5] if len(result) > 5 else None
    return {value: mask for value, name, _c in segments if name == brain_name}


def _without_empty(result, case) -> tuple:
    """``result`` without the segments its labels hold no voxel of (a model that finds nothing,
    or an MR model on a CT), unless this model made a segment of that name before (its empty
    result replaces it); their names, joined, are the tuple's seventh item, the card's refusal the
    person overrode (*Run anyway*; "" when none) its eighth."""
    labels, segments, model = result[:3]
    before = {s.name for s in case.labels.segments if s.origin == "model" and s.model == model}
    kept = [s for s in segments if s[1] in before or (labels == s[0]).any()]
    empty = " or ".join(name for _v, name, _c in segments if (_v, name, _c) not in kept)
    mask = result[5] if len(result) > 5 else None
    return (labels, kept, *result[2:5], mask, empty, result[6] if len(result) > 6 else "")


def _names(result) -> str:
    """The names of a result's segments that it found nothing for (``lesion``)."""
    return result[6] or "segment"


GLANCE = ((re.compile(r"brain extraction skipped: the field of view \(.*\) is smaller than a head"),
           "no brain extraction: not a whole head"),
          (re.compile(r"brain extraction skipped: the image is a CT .*"), "no brain extraction: a CT"))
"""The notes the notice says in a few words (the field of view's figures and the network's reason
in full in its tooltip, on stderr and in the log)."""


def _glance(note: str) -> str:
    for pattern, short in GLANCE:
        if pattern.fullmatch(note):
            return short
    return note


def _said(notes) -> str:
    """A result's notes in one bracket, each in a few words (`` (no brain extraction: not a whole
    head; run anyway ...)``): each had a bracket of its own, two in a row."""
    return f" ({'; '.join(_glance(note) for note in notes)})" if notes else ""


def _said_in_full(notes, outside_domain: str) -> str:
    """The notice's tooltip: the refusal run anyway and the notes :func:`_said` shortened, whole."""
    return "\n".join([outside_domain] * bool(outside_domain)
                      + [note for note in notes if _glance(note) != note])
