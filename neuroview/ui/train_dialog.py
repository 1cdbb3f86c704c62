"""AI > Train model: a non-modal dialog that runs ``neuroview train`` in its own process.

The user picks an nnU-Net v2 dataset folder (the training set last used by Send to training set
by default), a base model to fine-tune (or none: from scratch), the new model's name and version,
epochs and device; Start launches the train command (``training_runner.TrainingProcess``) and the
dialog shows epoch n of N, the latest and the best held-out Dice, and the log. Cancel stops the
process; the checkpoint of the last finished epoch stays, and Start with "Resume" continues it.
Closing the dialog (Close, Esc, the title bar) while it trains asks *Stop training* / *Keep
training*: kept, the run goes on with the dialog hidden (``kept_running``: the window says so and
where its progress is seen); it used to hide without a word.
"""

from __future__ import annotations

import math
import re
import shlex
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..app.shown_path import short_path
from ..app.train_marker import (
    checkpoint_dir,
    checkpoint_epoch,
    checkpoint_plan,
    clear_run,
    mark_run,
    started_record,
    trained_epoch,
)
from ..core.errors import NeuroviewError
from .dialog_parts import StatusLine, row
from .path_edit import PathEdit, local_path
from .plain_text import plain_label
from .qt_guard import guard_overrides
from .screen_room import resize_within_screen
from .stop_question import StopQuestion
from .training_runner import TrainingProcess, TrainRequest

DEVICES = (("auto", "Automatic (GPU when there is one)"), ("cpu", "CPU"), ("cuda", "NVIDIA GPU (CUDA)"),
           ("mps", "Apple GPU (MPS)"))
NAME_OK = re.compile(r"^[A-Za-z0-9_.-]+$")
NOT_BETTER = "no epoch beat the base"   # the train command's line when a fine-tune is not kept
WAY_BACK = "; or save its best epoch anyway"   # its hint's way back (ai/base_rule.py)
KEPT_WORSE = "not_better_than_base"   # ai/base_rule.py's card mark: kept with --keep-worse
EPOCH_DICE = "Held-out Dice on this dataset's held-out cases"   # not the base card's own cases


TOO_FEW = re.compile(r"^(\d+) held-out cases? of (\d+):")   # ai/held_out.py's note, as on the card


def too_few_note(card_note: str) -> str:
    """The card's note on too few held-out cases (the train command's words: "1 held-out case of
    4: ... promotion needs --force (Promote anyway? in the window); 2 are held out from 8 cases at
    the default 20 %, or from these 4 with --validation-fraction 0.4"), said in the window's:
    glued to the Dice figures as one sentence it ran to four lines of command-line options."""
    from ..ai.held_out import MIN_HELD_OUT_CASES, enough_share

    found = TOO_FEW.match(card_note)
    if not found:
        return f"Measured on {card_note}"
    held_out, cases = int(found.group(1)), int(found.group(2))
    share = enough_share(cases)
    more = (f"put --validation-fraction {share:g} under Options, or train on 8 cases or more"
            if share else "train on 8 cases or more")
    return (f"Only {held_out} of the {cases} cases {'was' if held_out == 1 else 'were'} held out: too "
            "few to tell a better model from luck, so Promote (AI > Models...) asks first. To hold "
            f"out {MIN_HELD_OUT_CASES}, {more}.")


def bump_version(version: str) -> str:
    """1.0.0 -> 1.1.0 (as the train command numbers a fine-tuned model), odd versions get .1."""
    parts = version.split(".")
    if len(parts) >= 2 and parts[1].isdigit():
        return ".".join([parts[0], str(int(parts[1]) + 1)] + ["0"] * (len(parts) - 2))
    return version + ".1"


def next_version(entries, name: str, base_ref: str = "") -> str:
    """The version a new model ``name`` gets: the base's next one (or 1.0.0), never a taken one,
    so training never overwrites an installed package."""
    from ..ai.registry import version_key

    taken = {e.card.version for e in entries if e.card.name == name}
    base = [e for e in entries if e.ref == base_ref]
    if base:
        candidate = bump_version(base[0].card.version)
    elif taken:
        candidate = bump_version(max(taken, key=version_key))
    else:
        candidate = "1.0.0"
    while candidate in taken:
        candidate = bump_version(candidate)
    return candidate


def name_from_dataset(folder: str) -> str:
    """``.../Dataset501_Lesions`` -> ``lesions``."""
    stem = re.sub(r"^Dataset\d+_", "", Path(folder.rstrip("/")).name) if folder else ""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-").lower()
    return stem or "mymodel"


@guard_overrides
class TrainDialog(QDialog):
    kept_running = Signal()   # closed while training, Keep training answered: the run goes on

    def __init__(self, registry, dataset: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Train a model")
        self.setModal(False)
        self.registry = registry
        self.entries = registry.entries()
        self.process = TrainingProcess(self)
        self._name_edited = False
        self.stop_question = StopQuestion(self)   # "Training running", on closing while it trains
        outer = QVBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        self.dataset_edit = PathEdit(dataset)   # a folder dropped on it too
        self.dataset_edit.setPlaceholderText("nnU-Net v2 raw dataset folder (dataset.json, imagesTr, "
                                             "labelsTr)")
        self.browse_button = QPushButton("Browse...")
        self.browse_button.clicked.connect(self._browse)
        form.addRow("Dataset", row(self.dataset_edit, self.browse_button))
        self.base_box = QComboBox()
        self._fill_bases(registry.default_ref())
        form.addRow("Fine-tune", self.base_box)
        self.name_edit = QLineEdit()
        self.version_edit = QLineEdit()
        self.version_edit.setMaximumWidth(90)
        form.addRow("New model", row(self.name_edit, QLabel("version"), self.version_edit))
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, 1000)
        self.epochs_spin.setValue(40)
        self.iterations_spin = QSpinBox()
        self.iterations_spin.setRange(0, 100000)
        self.iterations_spin.setSpecialValueText("default (60)")
        form.addRow("Epochs", row(self.epochs_spin, QLabel("batches per epoch"), self.iterations_spin))
        self.device_box = QComboBox()
        for value, text in DEVICES:
            self.device_box.addItem(text, value)
        form.addRow("Device", self.device_box)
        self.extra_edit = QLineEdit()
        self.extra_edit.setPlaceholderText("more train options, e.g. --minutes 30 --patch 48 --threads 4")
        form.addRow("Options", self.extra_edit)
        self.resume_check = QCheckBox("Resume from the checkpoint of an earlier, stopped run")
        form.addRow(self.resume_check)
        self.keep_worse_check = QCheckBox("Keep the fine-tune even if no epoch beats the base")
        self.keep_worse_check.setToolTip(
            "neuroview train --keep-worse. By default a fine-tune none of whose epochs scores "
            "higher than the base on the held-out cases is not saved. Checked, its best epoch is "
            "saved anyway, its card marked not better than its base: Promote to default (AI > "
            "Models...) asks first, and 'neuroview models promote' refuses it without --force.")
        form.addRow(self.keep_worse_check)
        self.progress_bar = QProgressBar()   # "no run yet", or a stopped run's epoch (_check_resume)
        self.dice_label = plain_label(f"{EPOCH_DICE}: -")   # label names and a base model as written
        self.dice_label.setWordWrap(True)   # long after a fine-tune: it widened the dialog
        self.dice_label.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        # the bar and the Dice line in one field: a wrapped label alone in a form row got the
        # height of its size hint (six lines at a guessed width), 56 px of nothing under two lines
        progress = QWidget()
        column = QVBoxLayout(progress)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.progress_bar)
        column.addWidget(self.dice_label)
        form.addRow("Progress", progress)
        self.log_view = QPlainTextEdit()
        self.log_view.setReadOnly(True)
        self.log_view.setMaximumBlockCount(5000)
        self.log_view.setFont(QFont("monospace", 9))
        # 160 px cut the held-out line (four lines with the one-case note) on a 960x540 screen
        self.log_view.setMinimumHeight(100)
        outer.addWidget(self.log_view, 1)
        self.status_label = StatusLine()   # no empty line above the buttons while it is empty
        outer.addWidget(self.status_label)
        self.start_button = QPushButton("Start")
        self.cancel_button = QPushButton("Cancel training")
        self.close_button = QPushButton("Close")
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)   # asks first while training
        outer.addWidget(row(QWidget(), self.start_button, self.cancel_button, self.close_button))
        self.dataset_edit.textChanged.connect(self._propose_name)
        self.base_box.currentIndexChanged.connect(self._propose_name)
        self.base_box.currentIndexChanged.connect(self._enable_keep_worse)
        self.name_edit.textEdited.connect(self._name_typed)
        self.name_edit.textChanged.connect(self._propose_version)
        # the name too: with a base the proposed version stays the same (its next minor) whatever
        # the name, so typing the name of a killed run left Resume unticked and disabled
        self.name_edit.textChanged.connect(self._check_resume)
        self.version_edit.textChanged.connect(self._check_resume)
        self.process.epoch.connect(self._epoch)
        self.process.line.connect(self.log_view.appendPlainText)
        self.process.finished.connect(self._finished)
        self._propose_name()
        self._set_running(False)
        resize_within_screen(self, 720, 620)

    # -- form ------------------------------------------------------------------------------------
    def _fill_bases(self, select: str) -> None:
        """The models that can be fine-tuned (neuroview's own packages), the default marked."""
        self.base_box.blockSignals(True)
        self.base_box.clear()
        self.base_box.addItem("(none: train from scratch)", "")
        default = self.registry.default_ref()
        for entry in self.entries:
            if entry.card.format != "safetensors":
                continue
            mark = "  [default]" if entry.ref == default else ""
            self.base_box.addItem(f"{entry.ref}  ({self._dice_text(entry.card)}){mark}", entry.ref)
        self.base_box.setCurrentIndex(max(self.base_box.findData(select), 0))
        self.base_box.blockSignals(False)

    def reload_models(self) -> None:
        """Read the registry again (a run finished, a model was promoted or removed)."""
        if self.process.running:
            return
        self.entries = self.registry.entries()
        self._fill_bases(self.base_box.currentData() or "")
        if not self._resuming():
            self._propose_version()
        self._enable_keep_worse()   # (its base may be gone: the list is filled without signals)

    @staticmethod
    def _dice_text(card) -> str:
        """The card's held-out Dice, named as measured on the model's own held-out cases: beside
        the run's figures on this dataset's cases it read as the same measure ("held-out Dice
        lesion 0.480" above "Held-out Dice: 0.912"); the run measures the base on this dataset's
        cases at its end."""
        scores = card.metrics.get("held_out_dice") or {}
        from ..ai.metrics import dice_text

        text = ", ".join(f"{k} {dice_text(v)}" for k, v in scores.items())
        return f"Dice {text} on its own held-out cases" if text else "held-out Dice -"

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Training set (nnU-Net v2 raw dataset)",
                                                  self.dataset_edit.text())
        if folder:
            self.dataset_edit.setText(folder)

    def _name_typed(self, _text: str) -> None:
        self._name_edited = True

    def _resuming(self) -> bool:
        """Resume ticked: the name and version are the checkpoint's, kept as they are when the
        base or the dataset changes (a base chosen to match the checkpoint rewrote them)."""
        return self.resume_check.isChecked() and self.resume_check.isEnabled()

    def _propose_name(self) -> None:
        if self._resuming():
            return
        if self._name_edited:
            self._propose_version()
            return
        base = self.base_box.currentData()
        name = base.split("@")[0] if base else name_from_dataset(local_path(self.dataset_edit.text()))
        self.name_edit.setText(name)
        self._propose_version()

    def _propose_version(self) -> None:
        name = self.name_edit.text().strip()
        self.version_edit.setText(next_version(self.entries, name, self.base_box.currentData() or ""))

    def checkpoint(self, ref: str = "") -> Path:
        """Where the train command keeps the checkpoint of ``ref`` (name@version; by default the
        one in the form)."""
        return checkpoint_dir(self.registry.models_dir, ref or self._form_ref())

    def checkpoint_epoch(self, ref: str = "") -> int:
        """The last epoch saved in the checkpoint of ``ref`` (0: none)."""
        return checkpoint_epoch(self.registry.models_dir, ref or self._form_ref())

    def _form_ref(self) -> str:
        return f"{self.name_edit.text().strip()}@{self.version_edit.text().strip()}"

    def _check_resume(self) -> None:
        exists = (self.checkpoint() / "state.json").exists()
        self.resume_check.setEnabled(exists and not self.process.running)
        self.resume_check.setChecked(exists)
        if self.process.request is None:   # no run of this dialog's shown: the checkpoint's epoch
            kept = self.checkpoint_epoch() if exists else 0   # (it read "no run yet" beside one)
            # and its run's epochs and batches: the form's 40 and 60 resumed a 3-epoch run of 15
            # batches as 40 of 60, and Keep + Resume trained 37 epochs more instead of saving
            plan = checkpoint_plan(self.registry.models_dir, self._form_ref()) if exists else None
            if plan is not None:
                self.epochs_spin.setValue(plan[0])
                self.iterations_spin.setValue(plan[1])
            self.progress_bar.setRange(0, max(self.epochs_spin.value(), kept, 1))
            self.progress_bar.setValue(kept)
            self.progress_bar.setFormat(f"stopped after epoch {kept}: Resume continues it" if kept
                                        else "no run yet")

    def request(self) -> TrainRequest:
        return TrainRequest(dataset=local_path(self.dataset_edit.text()), name=self.name_edit.text().strip(),
                            version=self.version_edit.text().strip(), base=self.base_box.currentData() or "",
                            epochs=self.epochs_spin.value(), iterations=self.iterations_spin.value(),
                            device=self.device_box.currentData(),
                            resume=self._resuming(),
                            keep_worse=self.keep_worse_check.isChecked(),
                            extra=shlex.split(self.extra_edit.text()))

    # -- running ---------------------------------------------------------------------------------
    def start(self) -> None:
        try:
            request = self.request()
        except ValueError as exc:  # unbalanced quotes in the options
            self.status_label.setText(f"Options: {exc}")
            return
        problem = ("choose a dataset folder" if not request.dataset else
                   f"the dataset folder {short_path(request.dataset)} does not exist (removed or moved?)"
                   if not Path(request.dataset).exists() else
                   "the model name may hold letters, digits, '_', '-' and '.' only"
                   if not NAME_OK.match(request.name) else
                   "give a version" if not NAME_OK.match(request.version) else
                   self._resume_problem(request) or self._labels_problem(request))
        if problem:
            self.status_label.setText(problem)
            return
        self.log_view.clear()
        self.progress_bar.setFormat("epoch %v of %m")
        self.progress_bar.setRange(0, request.epochs)
        self.progress_bar.setValue(0)
        self.dice_label.setText(f"{EPOCH_DICE}: -")
        self.status_label.setText(f"Training {request.ref} in its own process...")
        self.process.start(request)
        mark_run(self.registry.models_dir, request.ref, request.epochs)   # said if the window dies
        self._set_running(True)

    def _resume_problem(self, request) -> str:
        """Resume with another base under Fine-tune than the checkpoint started from: its process
        refused it once torch had loaded, in the command's words (--base); said before it starts.
        A base not under Fine-tune (a package folder given to the command, a model removed since)
        is added with ``neuroview models add`` first: the dialog has no way to add one."""
        record = started_record(self.checkpoint(request.ref)) if request.resume else None
        started = None if record is None else record["ref"]
        if started is None or started == request.base:
            return ""
        if not started:
            choose = "choose '(none: train from scratch)' under Fine-tune"
        elif self.base_box.findData(started) >= 0:
            choose = f"choose {started} under Fine-tune"
        else:
            folder = record.get("given", "")
            where = (f"it came from the folder {folder}" if folder else "removed since?")
            add = shlex.quote(folder) if folder else "ITS_FOLDER"
            choose = (f"{started} is not among the models ({where}): add it with 'neuroview "
                      f"models add {add}', then close and reopen Train model... and choose it under "
                      "Fine-tune")
        return (f"the checkpoint of {request.ref} started from {started or 'scratch'}, not "
                f"{request.base or 'scratch'}: its epoch 0, the figures to beat, are its start's; "
                f"{choose} to resume it, or untick Resume to start afresh")

    def _labels_problem(self, request) -> str:
        """A fine-tune of a base that segments other labels than the dataset holds: its process
        failed once torch had loaded (15 s at load 9) with 'dataset labels [...] differ from the
        base model's [...]'; said before it starts. Unreadable ones are left to the run."""
        from ..ai.finetune import read_dataset
        from ..dataset.layout import find_dataset

        if not request.base:
            return ""
        try:   # the train command's own reader, on the folder or the one dataset in it
            ours = [label.name for label in read_dataset(find_dataset(request.dataset)).labels]
            theirs = [label.name for label in self.registry.get(request.base).card.labels]
        except NeuroviewError:
            return ""
        if ours == theirs:
            return ""
        return (f"the dataset's labels ({', '.join(ours)}) differ from those of {request.base} "
                f"({', '.join(theirs)}): choose '(none: train from scratch)' under Fine-tune, or a "
                "dataset labelled like the model")

    def cancel(self) -> None:
        if self.process.running:
            self.process.cancel()

    def reject(self) -> None:
        """Close, Esc and the title bar's close come here: while training, ask whether to stop
        it (the dialog hid without a word that the run went on)."""
        if self.process.running:
            if self._confirm_stop():
                self.cancel()
            elif self.process.running:   # (it may have ended while the question was open)
                self.kept_running.emit()
        super().reject()

    def _confirm_stop(self) -> bool:
        """True: *Stop training*; *Keep training* (also Esc, the default) closes the dialog only."""
        request = self.process.request
        ref = request.ref if request is not None else "the model"
        total = f" of {request.epochs}" if request is not None else ""
        done = f"epoch {self.process.epochs_done}{total} done"
        return self.stop_question.ask(
            "Training running", f"Training {ref} is still running ({done}).",
            "Keep training closes this dialog only: the run goes on in its own process, AI > Train "
            f"model... shows its progress, and the window says when it ends. Stop training stops it; "
            f"{self.kept_on_stop()}.", "Stop training", "Keep training")

    def kept_on_stop(self) -> str:
        """What stopping the run now leaves, in the stop questions' words: both said a checkpoint
        stays also before the first epoch had finished, when none is written."""
        request = self.process.request
        kept = self.checkpoint_epoch(request.ref if request is not None else "")
        return (f"the checkpoint of epoch {kept} stays for Resume" if kept
                else "no epoch has finished yet, so no checkpoint is kept to resume")

    def _set_running(self, running: bool) -> None:
        # Browse too: a folder chosen during a run changed the form's dataset, name and version
        # (they follow the dataset), and Cancel's note then named another model's checkpoint
        for widget in (self.dataset_edit, self.browse_button, self.base_box, self.name_edit,
                       self.version_edit, self.epochs_spin, self.iterations_spin, self.device_box,
                       self.extra_edit, self.start_button):
            widget.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        if not running:
            self._check_resume()
            self._enable_keep_worse()
        else:
            self.resume_check.setEnabled(False)
            self.keep_worse_check.setEnabled(False)

    def _enable_keep_worse(self) -> None:
        """Only a fine-tune has a base to beat: from scratch the box is off and unchecked."""
        base = bool(self.base_box.currentData())
        self.keep_worse_check.setEnabled(base and not self.process.running)
        if not base:
            self.keep_worse_check.setChecked(False)

    def _epoch(self, done: int, total: int, dice: float, best: float) -> None:
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(min(done, total))
        best_text = f"{best:.3f}" if not math.isnan(best) else "-"
        # nan: no held-out case holds a lesion (the epoch line's Dice "-")
        dice_text = f"{dice:.3f}" if not math.isnan(dice) else "not measured (no held-out lesion)"
        if done == 0:   # a fine-tune's base, measured first: the epoch to beat
            self.dice_label.setText(f"{EPOCH_DICE}: {dice_text} for the base, before training "
                                    "(an epoch is kept only if it beats it)")
            return
        self.dice_label.setText(f"{EPOCH_DICE}: {dice_text} after epoch {done} (best so far {best_text})")

    def _final_dice(self, package: str) -> None:
        """At the end of a run the line gives the model kept: its card's held-out Dice per label
        (the figure the notice and the Models dialog give), the epoch it is from, and its base's
        on the same cases. Since session 34 each epoch is measured as the card is (the model run as
        Segment runs it), so the card's figure added after the last epoch's said one number twice
        ("0.472 after epoch 3 (best so far 0.472); the new model run as Segment runs it: lesion
        0.4724"), as if the epochs' were another measure; and it named the last epoch, not the
        one kept."""
        from ..ai.package import read_card

        try:
            card = read_card(package)
        except NeuroviewError:
            return
        metrics = card.metrics
        if metrics.get(KEPT_WORSE):   # said beside "Finished": it is saved, but not better
            base = (metrics.get("base_held_out") or {}).get("ref") or card.parent
            self.status_label.setText(
                f"{self.status_label.text()}. No epoch beat the base {base}: kept as asked (Keep "
                "the fine-tune...), marked not better than its base; Promote to default (AI > "
                "Models...) asks first")
        scores = metrics.get("held_out_dice") or {}
        if not scores:
            return
        training = getattr(card, "training", None) or {}
        kept, run = training.get("best_epoch"), training.get("epochs_run")
        request = self.process.request
        text = f"{EPOCH_DICE}: {_figures(scores)}"
        if request is not None:
            text += f" for {request.ref}"
        if isinstance(kept, int) and isinstance(run, int) and 1 <= kept <= run:
            text += f" (epoch {kept} of {run}, the best)"
        base = metrics.get("base_held_out") if isinstance(metrics.get("base_held_out"), dict) else {}
        if isinstance(base.get("dice"), dict):
            same = "case" if metrics.get("held_out_cases") == 1 else "cases"
            text += f"; its base {base.get('ref')} on the same {same}: {_figures(base['dice'])}"
        refused = metrics.get("held_out_refused")
        if isinstance(refused, dict) and refused:   # the figures are over the others (session 52)
            text += (f".\nNot scored, refused by the model's card: {', '.join(map(str, refused))} "
                     "(the log says why)")
        if metrics.get("held_out_too_few"):   # why promotion will ask, before it asks
            text += ".\n" + too_few_note(metrics["held_out_too_few"])
        self.dice_label.setText(text)

    def _finished(self, ok: bool, text: str) -> None:
        request = self.process.request
        clear_run(self.registry.models_dir, request.ref)   # its end is said here
        self._set_running(False)
        if ok:
            self.progress_bar.setValue(self.progress_bar.maximum())
            self.reload_models()  # the new model can be fine-tuned; the next run gets the next version
            self.status_label.setText(f"Finished: {request.ref} is in {text}")
            self._final_dice(text)
        elif text == "cancelled":
            self.status_label.setText("Cancelled" + self._checkpoint_note())
        elif self.process.crashed:   # as after Cancel, the last finished epoch can be resumed
            self.status_label.setText(f"Failed: {text}," + self._checkpoint_note())
        elif NOT_BETTER in text:   # said as the outcome it is, not as a failure of the program
            self.status_label.setText("Not saved: " + self.not_saved(text))
        else:
            self.status_label.setText(f"Failed: {text}")

    def not_saved(self, text: str) -> str:
        """The train command's "no epoch beat the base ..." line, its way back (``--resume
        --keep-worse``) said as this dialog's: the window's notice says it so too (it gave the
        command's, session 38's walk)."""
        said, way_back, _ = text[text.index(NOT_BETTER):].partition(WAY_BACK)
        trained = trained_epoch(self.checkpoint(self.process.request.ref)) if way_back else 0
        return (said + (")" if way_back else "")
                + (f". Its checkpoint keeps the best trained epoch, {trained}: check 'Keep the "
                   "fine-tune...' and Start, with 'Resume' checked, to save it without training again"
                   if trained else ""))

    def _checkpoint_note(self) -> str:
        """`` after epoch N. The checkpoint ...`` after a stop; before the first epoch ended it
        said "Cancelled after epoch 0. No checkpoint had been written yet." (session 38's walk)."""
        ref = self.process.request.ref   # the run's (the form may name another model meanwhile)
        kept = self.checkpoint_epoch(ref)
        done = self.process.epochs_done
        when = f" after epoch {done}" if done else " before the first epoch ended"
        if not kept:
            return when + ": nothing kept."
        trained = trained_epoch(self.checkpoint(ref))   # none beat the base so far: kept beside it
        return (f"{when}. The checkpoint of epoch {kept} stays in {self.checkpoint(ref)}; Start with "
                "'Resume' checked continues from it" + (
                    f". No epoch has beaten the base so far: with 'Keep the fine-tune...' checked too "
                    f"and Epochs set to {kept}, Start saves its best trained epoch, {trained}, "
                    "without training again"
                    if trained else "") + ".")


def _figures(scores: dict) -> str:
    """``lesion 0.4724, oedema 0.5120``: a card's Dice per label, as the notice gives them."""
    from ..ai.metrics import dice_text

    return ", ".join(f"{name} {dice_text(value, '.4f')}" for name, value in scores.items())
