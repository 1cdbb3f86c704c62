"""AI > Train model... and AI > Models...: the training dialog, the registry dialog, and the news.

When a run finishes the notice bar says "Model NAME@VERSION trained: held-out Dice X on N cases
(base B Y on the same cases). Lesions found F (base G)." (the base measured by the run on the same
held-out cases) with a button to open the Models dialog (where the user decides whether to promote
it: nothing is promoted by training). A failed run's last error line goes to the message bar; the window keeps
running. A new run's start, and its end, clear the notice or error the run before left.
Closing the window while a training runs asks first (Quit stops it, its last epoch's
checkpoint stays for Resume; Cancel keeps both the window and the run), and stops the process
once the window really closes: answering Cancel to the unsaved-edits question keeps it running.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from ..ai.held_out import dice_scores, other_rules
from ..ai.metrics import dice_text
from ..core.errors import NeuroviewError
from .models_dialog import ModelsDialog
from .stop_question import StopQuestion
from .train_dialog import KEPT_WORSE, NOT_BETTER, TrainDialog


def _dice_text(scores: dict[str, float]) -> str:
    if not scores:
        return "-"
    if len(scores) == 1:
        return dice_text(next(iter(scores.values())), ".4f")
    return ", ".join(f"{k} {dice_text(v, '.4f')}" for k, v in scores.items())


def _lesionwise_text(new: dict | None, base: dict | None) -> str:
    """" Lesions found 3/4, F1 0.80 (base 2/4, F1 0.57)." of the held-out lesion-wise summaries
    (:func:`neuroview.ai.metrics.summarize`); "" without the new model's, or when the held-out
    cases hold no lesion (the notice says so)."""
    def one(summary: dict) -> str:
        return f"{summary['found']}/{summary['lesions']}, F1 {float(summary['f1']):.2f}"

    try:
        text = f" Lesions found {one(new)}" if new and new.get("lesions") else ""
        if text and base and not other_rules(new, base):   # counted two ways: not side by side
            text += f" (base {one(base)})"
    except (KeyError, TypeError, ValueError):
        return ""
    return text + "." if text else ""


class ModelActions(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.main_window = window
        self.train_dialog: TrainDialog | None = None
        self.models_dialog: ModelsDialog | None = None
        self.stop_question = StopQuestion(window)   # "Training running", on closing the window
        self.run_news = ("", "")   # (notice, error) the last training run left in the bars

    def install_menus(self, menu_bar) -> None:
        menu = next((a.menu() for a in menu_bar.actions() if a.menu() is not None and a.text() == "&AI"),
                    None) or menu_bar.addMenu("&AI")
        menu.addSeparator()
        self.train_action = QAction("Train model...", self.main_window)
        self.train_action.triggered.connect(self.open_train_dialog)
        self.models_action = QAction("Models...", self.main_window)
        self.models_action.triggered.connect(self.open_models_dialog)
        menu.addAction(self.train_action)
        menu.addAction(self.models_action)
        self.say_cut_short_runs()

    def say_cut_short_runs(self) -> None:
        """Once, as the window opens: a training run whose window was killed (or crashed) while it
        ran, what it kept and that Resume continues it (nothing said so; ``app.train_marker``)."""
        from ..app.train_marker import cut_short_runs

        found = cut_short_runs(self._registry().models_dir)
        if found:   # the button fills in the last run's name and version: Resume is ticked
            ref = found[-1][0]
            self._notice(" ".join(line for _ref, line in found),
                         [("Train model...", lambda: self.resume_form(ref)), ("Dismiss", lambda: None)])

    def resume_form(self, ref: str) -> None:
        """AI > Train model... with ``ref``'s name and version (a run cut short): Resume ticked."""
        dialog = self.open_train_dialog()
        if dialog is not None and not dialog.process.running:
            dialog.name_edit.setText(ref.split("@")[0])
            dialog.version_edit.setText(ref.split("@")[-1])

    @staticmethod
    def _registry():
        from ..ai.registry import Registry  # reads JSON cards only: no torch in the window

        return Registry()

    def open_train_dialog(self) -> TrainDialog | None:
        if self.train_dialog is None:
            from ..app.last_dataset import remembered_dataset

            try:
                dialog = TrainDialog(self._registry(), remembered_dataset().get("dataset", ""),
                                     self.main_window)
            except (NeuroviewError, ImportError) as exc:
                self.main_window.show_error(f"cannot open the training dialog: {exc}")
                return None
            dialog.process.started.connect(self._clear_run_news)
            dialog.process.finished.connect(self._trained)
            dialog.kept_running.connect(self._training_goes_on)
            self.train_dialog = dialog
        elif not self.train_dialog.isVisible():
            self.train_dialog.reload_models()
        self.train_dialog.show()
        self.train_dialog.raise_()
        self.train_dialog.activateWindow()
        return self.train_dialog

    def open_models_dialog(self, *select: str) -> ModelsDialog | None:
        """AI > Models...; a registry that cannot be read (``models.json`` damaged) is one line in
        the window instead, on the first opening and on any later one."""
        if self.models_dialog is None:
            try:
                self.models_dialog = ModelsDialog(self._registry(), parent=self.main_window)
            except (NeuroviewError, ImportError) as exc:
                self.main_window.show_error(f"cannot open the models dialog: {exc}")
                return None
            self.models_dialog.changed.connect(self._registry_changed)
        else:
            self.models_dialog.refresh()
        if self.models_dialog.problem is not None:
            self.main_window.show_error(f"cannot open the models dialog: {self.models_dialog.problem}")
            self.models_dialog.hide()
            return None
        if select:
            self.models_dialog.select_refs(*select)
        self.models_dialog.show()
        self.models_dialog.raise_()
        self.models_dialog.activateWindow()
        return self.models_dialog

    def _registry_changed(self) -> None:
        if self.train_dialog is not None:
            self.train_dialog.reload_models()

    def _clear_run_news(self) -> None:
        """A run starts or ends: the notice and the error the run before left go (after a cancel
        and then a killed run, the bar still said "cancelled" beside the new failure)."""
        notice, error = self.run_news
        if notice and self.main_window.notice_bar.text.startswith(notice):
            self.main_window.notice_bar.hide()
        if error and self.main_window.message_bar.text == error:
            self.main_window.message_bar.hide()
        self.run_news = ("", "")

    def _training_goes_on(self) -> None:
        """The Train dialog closed with its run kept: say that it goes on and where it is seen
        (the run's end replaces this notice)."""
        self._notice(f"Training {self.train_dialog.process.request.ref} goes on in its own process: "
                     "AI > Train model... shows its progress, and this bar says when it ends.",
                     [("Show progress", self.open_train_dialog), ("Dismiss", lambda: None)])

    def _trained(self, ok: bool, text: str) -> None:
        request = self.train_dialog.process.request
        self._clear_run_news()
        if text == "cancelled":   # a cancel before the first epoch ended leaves nothing to resume
            kept = self.train_dialog.checkpoint_epoch(request.ref)
            self._notice(f"Training of {request.ref} cancelled; " + (
                f"the checkpoint of epoch {kept} is kept (AI > Train model..., Resume continues it)."
                if kept else "no epoch had finished, so no checkpoint was kept (Start begins again)."))
            return
        if not ok and NOT_BETTER in text:   # an outcome, said as the dialog says it: not a failure
            said = self.train_dialog.not_saved(text)   # its way back in the dialog, not the command's
            self._notice(f"Training {request.ref}: not saved: {said}"
                         + (" (AI > Train model...)" if "Keep the fine-tune" in said else ""))
            return
        if not ok:
            resume = (" (its last finished epoch's checkpoint is kept: AI > Train model..., Resume "
                      "continues it)" if self.train_dialog.process.crashed
                      and self.train_dialog.checkpoint_epoch(request.ref) else "")
            self._error(f"Training {request.ref} failed: {text}{resume}")
            return
        from ..ai.package import read_card

        try:
            card = read_card(text)
        except NeuroviewError as exc:
            self._error(f"Training {request.ref} finished but its package cannot be read: {exc}")
            return
        registry = self._registry()
        base = "from scratch"
        measured = card.metrics.get("base_held_out")
        measured = measured if isinstance(measured, dict) and isinstance(measured.get("dice"), dict) else {}
        if measured:   # the base run on the same held-out cases at the end of training (ai/finetune.py)
            base = (f"base {measured.get('ref') or request.base} {_dice_text(measured['dice'])} "
                    "on the same cases")
        elif request.base:
            try:
                base_card = registry.get(request.base).card
                split = base_card.metrics.get("held_out_split")
                base = f"base {base_card.ref} {_dice_text(dice_scores(base_card))}"
                if split != card.metrics.get("held_out_split"):
                    base += " on another held-out split"
            except NeuroviewError:
                base = f"base {request.base}"
        if self.models_dialog is not None:
            self.models_dialog.refresh()
        refs = (card.ref, request.base) if request.base else (card.ref,)
        cases = card.metrics.get("held_out_cases")   # a Dice of one or two cases is a rough guide
        on = f" on {cases} case{'' if cases == 1 else 's'}" if isinstance(cases, int) else ""
        if (card.metrics.get("held_out_lesionwise") or {}).get("lesions") == 0:
            on += " holding no lesion, where Dice is not measured"
        found = _lesionwise_text(card.metrics.get("held_out_lesionwise"), measured.get("lesionwise"))
        worse = (" No epoch beat its base: kept as asked; Promote to default (Models...) asks first."
                 if card.metrics.get(KEPT_WORSE) else " It is not the default until you promote it.")
        self._notice(
            f"Model {card.ref} trained: held-out Dice {_dice_text(dice_scores(card))}{on} ({base}).{found}"
            + worse,
            [("Open Models...", lambda: self.open_models_dialog(*refs)), ("Dismiss", lambda: None)])

    def _notice(self, text: str, buttons=()) -> None:
        self.main_window.notice_bar.show_message(text, buttons)
        self.run_news = (text, self.run_news[1])

    def _error(self, text: str) -> None:
        self.main_window.show_error(text)
        self.run_news = (self.run_news[0], text)

    def confirm_stop_training(self) -> bool:
        """The window is about to close while a training runs: ask before stopping it (a run of
        an hour was killed without a word). False: Cancel, the window and the run stay."""
        process = None if self.train_dialog is None else self.train_dialog.process
        if process is None or not process.running:
            return True
        ref = process.request.ref if process.request is not None else "a model"
        kept = self.train_dialog.kept_on_stop()
        return self.stop_question.ask(
            "Training running", f"Training {ref} is still running (epoch {process.epochs_done} done).",
            f"Quitting stops it: {kept}" + (" (AI > Train model... with the same name and version "
                                            "offers it)." if "Resume" in kept else "."),
            "Stop and quit", icon=QMessageBox.Warning)

    def stop_measuring(self) -> None:
        """The window closes: the Models dialog's *Measure* (``models compare`` in a child
        process) stops with it (the dialog, still open, kept its process running)."""
        if self.models_dialog is not None:
            self.models_dialog.cancel_measure()

    def stop_training(self) -> None:
        """The window closes: stop a running training (the last epoch's checkpoint stays). Called
        once the quit question was answered (an event filter on Close stopped it before the
        question, so Cancel kept the window but had killed the run)."""
        if self.train_dialog is not None and self.train_dialog.process.running:
            self.train_dialog.process.cancel()
