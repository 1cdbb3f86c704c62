"""The *AI click* tool (K): prompts from slice views -> a promptable model off the GUI thread.

Left click = include, Shift+click or right click = exclude, left drag = a box on that slice (or,
in scribble mode, a stroke), Ctrl+drag = a lasso (a closed outline); the answer shows as a preview
in the active segment and follows each prompt; Enter accepts it (one undo step), Esc discards it.
The model runs in ``ui.workers``; while it runs, newer prompts are queued, and when it returns an
answer that a newer prompt made stale, that answer is dropped and the model runs again with every
prompt so far. When a run fails, its newest prompt is dropped (the message bar names it) and the
prompts queued meanwhile run. The status bar gives each answer: the object's volume (and the
segment's after Enter when it held other voxels), prompts, seconds.
"""

from __future__ import annotations

import weakref

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from ..core.errors import ModelError, NeuroviewError
from ..core.labels import LabelMap
from .dialog_parts import question


class AiClickController(QObject):
    busy_changed = Signal(bool)
    default_loaded = Signal()
    """The AI click default loaded (or the bundled network in its place): the *Model* list
    names what answers."""
    backend_kept = Signal()
    """A model picked in the *Model* list did not load (Cancel): the list names the one in use."""

    def __init__(self, editor, runner, parent=None) -> None:
        super().__init__(parent)
        self.editor, self.runner = editor, runner
        self.scribble = False
        """Drag draws a scribble (a brush stroke as prompt) instead of a box."""
        self.model = None
        """A promptable model to use instead of the bundled network (tests, other backends)."""
        self.job = None
        self.dropped = 0
        """Answers dropped because a newer prompt arrived while the model ran."""
        self.warming = None
        """A weak reference to the session the model was last loaded for (:meth:`warm_up`), so
        a closed case is not kept in memory."""
        self.loading = None
        """The job loading the model picked in :meth:`set_backend`, until it has loaded."""
        self.backend = "network"
        """The :meth:`set_backend` name of the model in use (not of one still loading)."""
        self.switch_box = None
        """The question :meth:`ask_switch` shows, while it shows."""
        self.said = False
        """The status bar shows an answer's line (:meth:`_answer_line`)."""
        self.accepted = False
        """An exclude elsewhere accepted the object before: the next answer's line says so."""
        editor.preview_changed.connect(self._answer_gone)

    def warm_up(self) -> None:
        """Load the model (torch) and the image's intensity statistics in the background when
        the tool is picked, so the first click answers in a fraction of a second instead of
        waiting seconds for them (they never load on the GUI thread). They load on a thread of
        their own (``core.jobs.abandonable``): Cancel, or closing the window, ends the job at
        once and the load runs on unwatched (the model stays loaded for the next pick); closing
        the window while it loaded waited for the load (5 s, and the tests' 10 s under load)."""
        from ..app.prompting import prepare
        from ..core.jobs import abandonable

        session, model = self.editor.session, self.model
        if session is None or (self.warming is not None and self.warming() is session):
            return

        def load(progress, cancel):
            return abandonable(lambda: prepare(session, model, cancel), cancel, "AI click warm-up")

        self.runner.start(load, on_done=self._warmed,
                          on_error=lambda message: self.editor.error.emit(f"AI click: {message}"),
                          on_cancel=lambda: setattr(self, "warming", None),   # the next pick: again
                          label="AI click: loading the model")
        self.warming = weakref.ref(session)

    def _warmed(self, problem) -> None:
        """The default loaded; ``problem``: the promoted AI click default could not be, and the
        bundled network answers instead (one line naming the model and why)."""
        self.default_loaded.emit()
        if problem:
            self.editor.error.emit(problem)

    def set_backend(self, name: str) -> None:
        """``network`` (the bundled promptable network), ``grow`` (grow from seeds, no AI) or
        ``model:REF`` (a promptable model of the registry, e.g. nnInteractive weights; loaded
        in the background, once per process, with the progress bar saying so: the window stays
        responsive while a checkpoint of hundreds of MB loads)."""
        from ..ai.interactive.baseline import GrowPromptModel

        self.loading = None  # a model still loading is not wanted any more
        if name.startswith("model:"):
            from ..app.prompting import load_promptable
            from ..core.jobs import abandonable

            ref = name[len("model:"):]

            def load(progress, cancel):   # on a thread of its own, as the warm-up's
                try:
                    return abandonable(lambda: load_promptable(ref), cancel, f"AI click: loading {ref}")
                except NeuroviewError:   # Cancelled too
                    raise
                except Exception as exc:  # a broken checkpoint: one line, not a traceback
                    raise ModelError(str(exc)) from None

            job = self.runner.start(load,
                                    on_done=lambda model: self._loaded(job, model, name),
                                    on_error=lambda message: self._load_failed(job, message),
                                    on_cancel=lambda: self._load_cancelled(job, ref),
                                    label=f"AI click: loading {ref}")
            self.loading = job
            return
        self._use(GrowPromptModel() if name == "grow" else None, name)

    def _loaded(self, job, model, name: str) -> None:
        if self.loading is job:
            self.loading = None
            self._use(model, name)

    def _load_failed(self, job, message: str) -> None:
        if self.loading is job:  # a broken or missing model: one line, the tool stays usable
            self.loading = None
            self.editor.error.emit(f"AI click: {message}")

    def _load_cancelled(self, job, ref: str) -> None:
        """Cancel in the job bar while ``ref`` loaded: the model in use stays, and the *Model*
        list names it again (``backend_kept``)."""
        if self.loading is job:
            self.loading = None
            self.editor.status.emit(f"AI click: loading {ref} cancelled; the model in use stays")
            self.backend_kept.emit()

    def ask_switch(self, label: str, parent=None) -> bool:
        """Before the model ``label`` is used: True to go on. An object in progress was made by
        the model in use and does not go on with another, so the switch dropped it and its
        prompts without a word; this asks Apply (accept it first, as Enter does) / Discard (drop
        it) / Cancel (keep the model and the object). Apply is offered once its answer is on
        screen. Picking or adding another segment asks the same, with ``label`` naming it."""
        session = self.editor.session
        prompting = None if session is None else session.prompting
        if prompting is None or not len(prompting.prompts):
            return True
        count = len(prompting.prompts)
        ready = self.editor.has_preview() and not self.running
        buttons = QMessageBox.Discard | QMessageBox.Cancel
        box = question("AI click object in progress",
                       f"The AI click object on screen ({count} prompt{'s' * (count != 1)}) is not "
                       f"accepted yet; {label} would start a new object without it.",
                       "Apply accepts it first (as Enter does); Discard drops it." if ready
                       else "Discard drops it (its answer is still being computed).",
                       (QMessageBox.Apply | buttons) if ready else buttons,
                       QMessageBox.Apply if ready else QMessageBox.Cancel, parent)
        self.switch_box = box
        try:
            answer = box.exec()
        finally:
            self.switch_box = None
        if answer == QMessageBox.Cancel:
            return False
        if answer == QMessageBox.Apply:
            self.editor.accept_preview()
        else:   # Discard
            self.editor.discard_preview()
        return True

    def _use(self, model, name: str) -> None:
        self.model, self.backend = model, name
        session = self.editor.session
        if session is not None and session.prompting is not None:
            self.editor.discard_preview()  # the object in progress was made by the other model

    def prompt(self, plane: str, kind: str, include: bool, points) -> None:
        """A prompt from ``plane``: ``kind`` ``point`` (one RAS point), ``box`` (two corners),
        ``scribble`` (the stroke's points) or ``lasso`` (the outline's points)."""
        from ..app.prompting import make_prompt

        editor, session = self.editor, self.editor.session
        if session is None:
            editor.error.emit(editor.no_case_message())
            return
        if self.loading is not None:
            editor.error.emit("AI click: the model is still loading (see the progress bar)")
            return
        if not editor._ensure_segment() or not self._own_object(session):
            return
        # a hidden segment shown first, as for Paint (its own undo step): the object was drawn in
        # no view, and Enter accepted it unseen (session 52's walk)
        editor._show_hidden_target()
        axes = editor.viewer.state.axes(plane)
        try:
            if kind == "point":
                prompt = make_prompt(point=points[0], include=include)
            elif kind == "box":
                prompt = make_prompt(box=(points[0], points[-1]), include=include,
                                     plane=(tuple(axes[0]), tuple(axes[1])))
            elif kind == "lasso":
                prompt = make_prompt(lasso=list(points), include=include,
                                     plane=(tuple(axes[0]), tuple(axes[1])))
            else:
                prompt = make_prompt(scribble=list(points), include=include,
                                     plane=(tuple(axes[0]), tuple(axes[1])))
            self._accept_if_elsewhere(session, prompt)
            prompting = session.prompt_session(model=self.model)
        except Exception as exc:  # a bad prompt or no model: one line in the message bar
            editor.error.emit(f"AI click: {exc}")
            return
        prompting.prompts.add(prompt)
        if self.job is None:
            self._start(prompting)

    def _accept_if_elsewhere(self, session, prompt) -> None:
        """A prompt for another object (``PromptSession.begins_another``: an exclude click on a
        voxel of the segment that is not the object's in progress, such as a leak of another
        lesion of the proposal; a box or lasso drawn round another lesion) accepts that object,
        one undo step as Enter, and the prompt begins a new one: in 3D Slicer's and ITK-SNAP's
        AI tools each prompt's answer is in the segment at once. The exclude did nothing until
        session 35 (the status bar said so, and Enter or Esc came first); until session 37 a
        lasso joined the object (the network, given both, kept 687 of the 5961 voxels of the
        clicked demo lesion) and a box trimmed it to nothing. Not while the model still answers
        the object."""
        if self.job is not None or not self.editor.has_preview() or not session.begins_another(prompt):
            return
        self.editor.accept_preview()
        self.accepted = True

    def _own_object(self, session) -> bool:
        """False when the user keeps an object in progress of another time point (or segment)
        that this prompt would replace: it asks first, as picking another segment does (the
        session refuses to drop such an object without a word)."""
        current = session.prompting
        if not session.object_elsewhere(session.active_segment):
            return True
        where = f"a prompt on time point {session.frame + 1}" if current.frame != session.frame \
            else "a prompt in the selected segment"
        return self.ask_switch(where, QApplication.activeWindow())

    def _start(self, prompting) -> None:
        from ..core.jobs import abandonable

        count = len(prompting.prompts)
        newest = prompting.prompts.prompts[-1]

        def answer(progress, cancel):
            # on a thread of its own (``core.jobs.abandonable``): Esc, Cancel or the window's
            # close end the job at once, and the model's run ends at its next round unwatched;
            # the job ignored its token, and a close waited for the answer (5 s, then a warning)
            return abandonable(lambda: prompting.compute(count, cancel), cancel, "AI click answer")

        self.job = self.runner.start(answer,
                                     on_done=lambda result: self._done(prompting, count, result),
                                     on_error=lambda message: self._failed(prompting, newest, message),
                                     on_cancel=lambda: self._cancelled(prompting),
                                     label="AI click")
        self.busy_changed.emit(True)

    def stop(self) -> None:
        """The object went (Esc, Discard, another model): the answer being computed for it is
        not wanted, and its job ends now (it ran to its end and was dropped: the next object's
        first answer waited for it, and Esc left the job bar busy)."""
        if self.job is not None:
            self.job.cancel()

    def _cancelled(self, prompting) -> None:
        """The answer's job ended cancelled: :meth:`stop`, the window's close, or Cancel in the
        job bar. With the object still on screen (the job bar's Cancel), the prompts with no
        answer yet are taken back: the object shows its last answer, or goes with its only
        prompt; the status bar says so."""
        self.job = None
        session = self.editor.session
        if session is None or session.prompting is not prompting:
            self._next(session)   # a new object's prompts given meanwhile
            return
        taken = 0
        while prompting.unanswered():
            prompting.undo_prompt()
            taken += 1
        if not len(prompting.prompts):
            self.editor.discard_preview()
        self.editor.status.emit(f"AI click: cancelled; the {taken} prompt{'s' * (taken != 1)} "
                                "with no answer yet taken back")
        self.said = False
        self.busy_changed.emit(False)

    def _done(self, prompting, count: int, result) -> None:
        self.job = None
        session = self.editor.session
        if session is None or session.prompting is not prompting:
            # accepted, discarded or another case meanwhile; a new object's prompts given while
            # this ran wait for an answer (they were never run: the window showed nothing)
            self._next(session)
            return
        if not prompting.is_current(count):
            self.dropped += 1
            self._start(prompting)  # every prompt so far, in one run
            return
        prompting.apply(result, count)
        self._show(prompting, result.seconds, result.loading)
        self.busy_changed.emit(False)

    def _answer_line(self, prompting, seconds, loading=0.0) -> str:
        """The status bar's line when an answer shows: the object's volume once accepted (the
        preview on screen, in mL of the label grid's voxels), prompts, the model's seconds (none
        when Ctrl+Z showed an earlier answer again), and the seconds it took to load the model
        first when that was half a second or more (a first click before the warm-up had loaded
        it: the line gave the model's 2.7 s of an 18 s wait). A segment that held other voxels when the
        object began: the object's own volume, and the segment's after Enter (it gave their sum
        as the object's: a second lesion added to a segment read as both together)."""
        from ..app.view_measure import format_ml

        labels, count = self.editor.viewer.preview_labels, len(prompting.prompts)
        total = int(np.count_nonzero(labels.array == prompting.value))
        voxels = prompting.object_voxels(labels.array)
        name = labels.segments.get(prompting.value).name
        took = "" if seconds is None else f", {seconds:.1f} s"
        if seconds is not None and loading >= 0.5:
            took += f" (model loaded in {loading:.1f} s first)"
        ml = labels.voxel_volume_ml
        size = (f"{format_ml(voxels * ml)} mL ({voxels:,} voxels) "
                f"after {count} prompt{'s' * (count != 1)}{took}")
        if prompting.starting is None or voxels == total:   # the segment holds the object alone
            what = f"{name} {size}; Enter accepts, Esc discards"
        else:
            what = (f"object {size}; Enter accepts ({name} then {format_ml(total * ml)} mL, "
                    f"{total:,} voxels in all), Esc discards")
        if seconds is not None and prompting.last_changed_nothing():
            what = f"nothing of the object lies under that exclude prompt; the object is unchanged: {what}"
        if self.accepted:   # once, with the new object's first answer
            self.accepted = False
            what = f"the object before was accepted (Esc, then Ctrl+Z, takes it back); new {what}"
        return f"AI click: {what}"

    def _answer_gone(self) -> None:
        """Enter, Esc or Ctrl+Z of the first prompt: the answer's line (which says Enter accepts)
        leaves the status bar with the preview."""
        if self.said and not self.editor.has_preview():
            self.said = False
            self.editor.status.emit("")

    def _show(self, prompting, seconds=None, loading=0.0) -> None:
        """Make the object's current mask the preview on screen, and say so in the status bar."""
        session, editor = self.editor.session, self.editor
        preview = session.show_prompt_result(prompting)
        editor.preview = preview
        labels = session.labels
        editor.viewer.preview_labels = LabelMap(preview.full_array(labels.array), labels.ijk_to_ras,
                                                labels.segments)
        editor.viewer.changed.emit()
        editor.preview_changed.emit()
        editor.status.emit(self._answer_line(prompting, seconds, loading) + editor.reveal_labels())
        self.said = True

    def show_again(self) -> None:
        """The object's answer on screen again, made on the label map as it is now (a step that
        changed no voxel, such as a segment's Show or Lock, came since it was shown)."""
        prompting = self.editor.session.prompting
        if prompting.touched is not None and self.editor.has_preview():
            self._show(prompting)

    def can_undo_prompt(self) -> bool:
        session = self.editor.session
        prompting = None if session is None else session.prompting
        return prompting is not None and len(prompting.prompts) > 0

    def undo_prompt(self) -> bool:
        """Ctrl+Z while an object is in progress takes back its last prompt, not the step before
        the object (which it used to undo, dropping the object in progress too); taking back the
        first prompt leaves no object. False: no object in progress."""
        if not self.can_undo_prompt():
            return False
        prompting = self.editor.session.prompting
        again = prompting.undo_prompt()
        if not len(prompting.prompts):
            self.editor.discard_preview()
        elif again:
            if self.job is None:      # a running answer is stale now: _done runs it again
                self._start(prompting)
        elif prompting.touched is not None:
            self._show(prompting)
        return True

    def _failed(self, prompting, newest, message: str) -> None:
        """The model failed on the prompts up to ``newest`` (the newest of that run): that prompt
        is dropped, the message bar says which, and prompts given meanwhile are run (the last
        prompt used to be dropped instead, one the model never saw, and the queued ones were not
        run: the window showed the answer to fewer prompts than it had)."""
        self.job = None
        session = self.editor.session
        current = session is not None and session.prompting is prompting
        prompts = prompting.prompts.prompts
        index = next((i for i, p in enumerate(prompts) if p is newest), None) if current else None
        if index is None:   # taken back (Ctrl+Z) or the object discarded while the model ran
            self.editor.error.emit(f"AI click: {message}")
        else:
            dropped = prompting.prompts.describe(index)
            del prompts[index]
            self.editor.error.emit(f"AI click: {message}; {dropped} was dropped")
        if current and not prompts:
            self.editor.discard_preview()   # its only prompt failed: no object is left
        self._next(session)

    def _next(self, session) -> None:
        """Run the object in progress of ``session`` if it has prompts with no answer yet."""
        prompting = None if session is None else session.prompting
        if prompting is not None and prompting.unanswered():
            self._start(prompting)
            return
        self.busy_changed.emit(False)

    @property
    def running(self) -> bool:
        return self.job is not None
