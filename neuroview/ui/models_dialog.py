"""AI > Models: the model registry in a table, two versions compared, promote, roll back, remove.

Promotion goes through ``Registry.promote``, which refuses a model whose held-out Dice is lower
than the current default's (or that cannot be compared: different held-out splits). The dialog
then shows the reason and asks "Promote anyway?"; only a Yes promotes it (``force=True``), so a
worse fine-tuned model, or one found better on a single held-out case, is never promoted
silently. The Segment dialog reads the registry each time it opens, so it follows the new default
at once.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ..ai.held_out import compared_mean, promotion_rules
from ..app.error_paths import short_error
from ..app.shown_path import short_path
from ..core.errors import NeuroviewError
from .code_consent import run_with_consent
from .compare_table import CompareTableWidget, fit_to_width, text_item
from .dialog_parts import StatusLine
from .mnemonics import give_mnemonics
from .model_compare import (
    compare_note,
    compare_rows,
    measured_rows,
    one_model_text,
    other_tasks,
    registry_row,
    same_cases_rows,
)
from .models_measure import MEASURING, ModelsMeasuring
from .plain_text import plain_label, plain_tooltip
from .screen_room import resize_within_screen
from .stop_question import StopQuestion
from .training_runner import ProgressProcess
from .workers import JobRunner

COLUMNS = ("Default", "Model", "Source", "Held-out Dice", "Held-out split", "Parent", "Created")
_FIT, _SHARE = QHeaderView.ResizeToContents, QHeaderView.Stretch
COLUMN_MODES = (_FIT, _FIT, _FIT, _SHARE, _SHARE, _SHARE, _FIT)
"""The short columns as wide as their text; Dice, split and the parent chain share the rest."""
COMPARE_COLUMNS = ("Metric", "Model A", "Model B", "Difference (B - A)")
"""The compare table's headers until two models are selected (then A and B are their names)."""


class ModelsDialog(ModelsMeasuring, QDialog):
    """``changed`` fires after a promote, rollback or remove (the registry on disk changed)."""

    changed = Signal()

    def __init__(self, registry, task: str = "lesion", parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Models")
        self.setModal(False)
        self.registry = registry
        self.task = task
        self.entries = []
        self.default: str | None = None   # the default for task when the table was last read
        self.problem: str | None = None   # why the registry could not be read then, if it could not
        self.history: list[str] = []      # the defaults Roll back restores, as last read
        self.measured: dict[str, list[float]] = {}   # ref -> Dice per label, all on one split
        self.measured_cases: int | None = None          # the held-out cases of that split
        self.measured_lesions: int | None = None        # and the lesions they hold
        self.measured_lesionwise: dict[str, dict] = {}  # ref -> lesion-wise figures on that split
        self.measured_on = ""                        # "DATASET split ID"
        self.measure_runner = ProgressProcess(self)   # models compare --dataset, its progress lines
        self.measure_runner.progress.connect(self._measure_progress)
        self.measure_runner.line.connect(self._measure_lines_append)
        self.measure_runner.finished.connect(self._measured)
        self.measure_runner.failed.connect(self._measure_failed)
        self.measure_lines: list[str] = []   # what it printed (its error line if it fails)
        self.measure_refs: tuple[str, str, str] | None = None   # A, B and the dataset being measured
        self.measure_json: Path | None = None   # what the child writes (models compare --json)
        self.stop_question = StopQuestion(self)   # "Measuring running", on closing while it measures
        layout = QVBoxLayout(self)
        self.default_label = plain_label()
        layout.addWidget(self.default_label)
        self.unreadable_label = plain_label()   # packages whose card cannot be read (not in the table)
        self.unreadable_label.setWordWrap(True)
        self.unreadable_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.unreadable_label.setStyleSheet("color: #b00020")
        layout.addWidget(self.unreadable_label)
        splitter = QSplitter(Qt.Vertical)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setTabKeyNavigation(False)   # Tab on to the buttons; the arrows move in it
        fit_to_width(self.table, COLUMN_MODES)   # all columns in sight at 800 px, as the compare table
        splitter.addWidget(self.table)
        compare_host = QWidget()
        compare_layout = QVBoxLayout(compare_host)
        compare_layout.setContentsMargins(0, 0, 0, 0)
        # a card's own words (labels, held-out cases)
        self.compare_label = plain_label("Select two models to compare their held-out metrics.")
        self.compare_label.setWordWrap(True)
        self.compare_table = CompareTableWidget(COMPARE_COLUMNS)   # fits 800 px: wraps, elides
        compare_layout.addWidget(self.compare_label)
        compare_layout.addWidget(self.compare_table, 1)
        splitter.addWidget(compare_host)
        layout.addWidget(splitter, 1)
        self.status_label = StatusLine()   # no empty line above the buttons while it is empty
        layout.addWidget(self.status_label)
        measure_row = QHBoxLayout()   # shown while Measure runs
        self.measure_bar = QProgressBar()
        self.cancel_measure_button = QPushButton("Cancel measuring")
        self.cancel_measure_button.clicked.connect(self.cancel_measure)
        measure_row.addWidget(self.measure_bar, 1)
        measure_row.addWidget(self.cancel_measure_button)
        layout.addLayout(measure_row)
        self._show_measuring(False)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add...")
        self.add_button.setToolTip("Install a model as 'neuroview models add PATH' does: a TorchScript "
                                   "or ONNX file with its card beside it, or a model package, nnU-Net "
                                   "v2 results or nnInteractive weights folder")
        add_menu = QMenu(self.add_button)
        self.add_file_action = add_menu.addAction("Model file (.pt, .onnx)...", self.add_file_dialog)
        self.add_folder_action = add_menu.addAction("Model folder...", self.add_dialog)
        give_mnemonics(add_menu)   # &Model file..., Model &folder...
        self.add_button.setMenu(add_menu)
        self.adding = JobRunner(self)   # loading the weights and copying: off the GUI thread
        self.consent_box = None   # Add...'s question before a TorchScript package's code runs
        self.promote_button = QPushButton("Promote to default")
        self.rollback_button = QPushButton("Roll back")
        self.remove_button = QPushButton("Remove...")
        self.refresh_button = QPushButton("Refresh")
        self.measure_button = QPushButton("Measure on a dataset...")
        self.measure_button.clicked.connect(self.measure_dialog)
        close = self.close_button = QPushButton("Close")
        self.promote_button.clicked.connect(lambda: self._guarded(self.promote_selected))
        self.rollback_button.clicked.connect(lambda: self._guarded(self.rollback))
        self.remove_button.clicked.connect(lambda: self._guarded(self.remove_selected))
        self.refresh_button.clicked.connect(self.refresh)
        close.clicked.connect(self.reject)   # asks first while measuring
        for button in (self.add_button, self.promote_button, self.rollback_button, self.remove_button,
                       self.measure_button, self.refresh_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.refresh()
        resize_within_screen(self, 900, 560)

    # -- listing ---------------------------------------------------------------------------------
    def refresh(self) -> bool:
        """Read the registry again. A ``models.json`` that cannot be read empties the table and
        says so in one line naming it (it raised inside the Refresh button's slot: nothing was
        said); False then."""
        selected = set(self.selected_refs())
        self.problem = None
        try:
            self.entries = self.registry.entries()
            default = self.default = self.registry.default_ref(self.task)
            clicks = self.registry.default_ref("interactive")   # what AI click uses: marked too
            history = self.history = self.registry.history(self.task)
            self._show_unreadable(default)
        except NeuroviewError as exc:
            self.entries, self.default, self.problem, self.history = [], None, str(exc), []
            self.default_label.setText(f"Default for {self.task}: unknown")
            self.unreadable_label.setText(short_error(str(exc)))   # the file by name and folder
            self.unreadable_label.setToolTip(plain_tooltip(str(exc)))
            self.unreadable_label.setVisible(True)
            self.table.setRowCount(0)
            self._selection_changed()
            return False
        self.default_label.setText(
            f"Default for {self.task}: {default or 'none'}"
            + (f"   (Roll back restores {history[-1]})" if history else ""))
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            values, tip = registry_row(entry, default, clicks, self.task)
            for col, value in enumerate(values):
                item = text_item(value)
                item.setData(Qt.UserRole, entry.ref)
                if col in (3, 4) and tip:
                    item.setToolTip(plain_tooltip(f"{value}\n{tip}"))   # a card's labels and held-out cases
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        self.table.clearSelection()
        for row, entry in enumerate(self.entries):
            if entry.ref in selected:
                self._add_row_to_selection(row)
        self._selection_changed()
        return True

    def _show_unreadable(self, default) -> None:
        """Packages whose card cannot be read are not in the table: say which, and when the one
        promoted is among them, which model Segment uses instead (both went unsaid)."""
        lines = [f"Not listed, its card cannot be read: {exc}" for exc in self.registry.unreadable()]
        promoted = self.registry.stored_default(self.task)
        if promoted and promoted != default and promoted not in {e.ref for e in self.entries}:
            lines.insert(0, f"The default promoted for {self.task}, {promoted}, is missing or unreadable: "
                            f"Segment uses {default or 'no model'} until it is repaired or "
                            "another model is promoted.")
        self.unreadable_label.setText("\n".join(lines))
        self.unreadable_label.setVisible(bool(lines))

    def _add_row_to_selection(self, row: int) -> None:
        from PySide6.QtCore import QItemSelectionModel

        index = self.table.model().index(row, 0)
        self.table.selectionModel().select(index, QItemSelectionModel.Select | QItemSelectionModel.Rows)

    def select_refs(self, *refs: str) -> None:
        self.table.resizeRowsToContents()
        self.table.clearSelection()
        for row, entry in enumerate(self.entries):
            if entry.ref in refs:
                self._add_row_to_selection(row)

    def selected_refs(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()}) \
            if self.table.selectionModel() else []
        return [self.entries[r].ref for r in rows if r < len(self.entries)]

    def _entry(self, ref: str):
        return next(e for e in self.entries if e.ref == ref)

    def _selection_changed(self) -> None:
        refs = self.selected_refs()
        for button, why in self._disabled_reasons(refs).items():
            button.setEnabled(not why)
            button.setToolTip(plain_tooltip(why))   # a greyed-out button says why on hover (it said nothing)
        self._show_compare(refs)

    def _disabled_reasons(self, refs: list[str]) -> dict:
        """Each button's reason to be greyed out for the selection ``refs`` ('' when enabled)."""
        def select(count: str, what: str) -> str:
            chosen = f" ({len(refs)} are selected)" if len(refs) > 1 else ""
            return f"Select {count} in the table to {what}{chosen}"

        one = refs[0] if len(refs) == 1 else None
        promote = (select("one model", "promote it") if one is None else
                   f"{one} is already the default for {self.task}" if one == self.default else
                   self.registry.task_problem(self._entry(one), self.task))
        remove = (select("one model", "remove it") if one is None else
                  f"{one} is bundled with neuroview and cannot be removed" if self._entry(one).bundled
                  else "")
        apart = other_tasks(self._entry(refs[0]).card, self._entry(refs[1]).card) if len(refs) == 2 else ""
        measure = (select("two models (Ctrl+click)", "run both on one dataset's held-out split")
                   if len(refs) != 2 else MEASURING if self.measuring else f"{apart}." if apart else "")
        rollback = (f"models.json cannot be read: {self.problem}" if self.problem else "" if
                    self.history else
                    f"No earlier default for {self.task} to roll back to: Promote sets one")
        return {self.promote_button: promote, self.remove_button: remove, self.measure_button: measure,
                self.rollback_button: rollback}

    def _show_compare(self, refs: list[str]) -> None:
        if len(refs) != 2:
            self.compare_table.setRowCount(0)
            self.compare_table.setHorizontalHeaderLabels(COMPARE_COLUMNS)   # not the last pair's names
            text = "Select two models (Ctrl+click) to compare their held-out metrics."
            if len(refs) == 1:  # what the model does around the network, from its card
                text = one_model_text(refs[0], self._entry(refs[0]).card) + text
            self.compare_label.setText(text)
            return
        a, b = self._entry(refs[0]).card, self._entry(refs[1]).card
        self.compare_table.setHorizontalHeaderLabels([COMPARE_COLUMNS[0], a.ref, b.ref, COMPARE_COLUMNS[3]])
        same_cases = same_cases_rows(a, b)   # a fine-tune and its base, on the fine-tune's cases
        rows = same_cases + compare_rows(a, b)
        if a.ref in self.measured and b.ref in self.measured:   # both run on one split: first
            rows[:0] = measured_rows(a, b, self.measured[a.ref], self.measured[b.ref],
                                     self.measured_lesionwise.get(a.ref) or {},
                                     self.measured_lesionwise.get(b.ref) or {})
        self.compare_table.show_rows(rows)
        self.compare_label.setText(compare_note(a, b, bool(same_cases)))
        if a.ref in self.measured and b.ref in self.measured:
            self.compare_label.setText(self.compare_label.text()
                                       + f" Rows 'measured': both run on {self.measured_on}.")

    # -- changes ---------------------------------------------------------------------------------
    def ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, plain_tooltip(text), QMessageBox.Yes | QMessageBox.No,
                                      QMessageBox.No)   # a model's name as its card has it
        return answer == QMessageBox.Yes

    def _guarded(self, command) -> None:
        """Run a button's command; ``models.json`` damaged since the table was read is the
        status line and the table read again (it raised inside the button's slot)."""
        try:
            command()
        except NeuroviewError as exc:
            self.refresh()
            self.status_label.setText(short_error(str(exc)))   # the whole path on hover
            self.status_label.setToolTip(plain_tooltip(str(exc)))

    def add_dialog(self) -> None:
        """*Add... > Model folder...*: choose a folder and install it (:meth:`add`)."""
        folder = QFileDialog.getExistingDirectory(self, "Add a model: choose its folder")
        if folder:
            self.add(folder)

    def add_file_dialog(self) -> None:
        """*Add... > Model file...*: a TorchScript or ONNX file, its card (``FILE.json`` or
        ``NAME.json``) beside it, installed as ``neuroview models add FILE`` installs it."""
        file, _ = QFileDialog.getOpenFileName(self, "Add a model: choose its file", "",
                                              "Model files (*.pt *.pth *.onnx);;All files (*)")
        if file:
            self.add(file)

    def add(self, folder: str) -> None:
        """Install ``folder`` (or a model file) as ``neuroview models add`` does (the weights loaded
        first, so a broken package is never added; a version already installed is refused), in the
        background; the status line says what was added, or why not, in one line. A TorchScript
        package asks first, as *Segment* does (its loading runs the file's code): the command's
        ``--trust-code``, which the refusal named."""
        run_with_consent(self, self, folder, lambda: self._add(folder))

    def show_error(self, text: str) -> None:
        """A refusal before adding (``code_consent``'s): the status line, the whole on hover."""
        self.status_label.setText(f"Not added: {short_error(text)}")
        self.status_label.setToolTip(plain_tooltip(text))

    def _add(self, folder: str) -> None:
        self.add_button.setEnabled(False)
        self.status_label.setText(f"Adding {short_path(folder)}...")

        def added(entry) -> None:
            self.add_button.setEnabled(True)
            self.refresh()
            self.select_refs(entry.ref)
            self.status_label.setText(f"Added {entry.ref}, selected in the table")   # its folder on hover
            self.status_label.setToolTip(plain_tooltip(str(entry.path)))
            self.changed.emit()

        def failed(text: str) -> None:
            self.add_button.setEnabled(True)
            self.show_error(text)

        self.adding.start(lambda progress, cancel: self.registry.add(folder), on_done=added,
                          on_error=failed, label="Adding a model")

    def promote_selected(self) -> None:
        refs = self.selected_refs()
        if len(refs) == 1:
            self.promote(refs[0])

    def promote(self, ref: str) -> bool:
        """Promote ``ref``; if the registry refuses (worse or not comparable) ask before forcing."""
        previous = self.registry.default_ref(self.task)
        problem = self.registry.task_problem(self._entry(ref), self.task)
        if problem:   # no "Promote anyway?": it could not segment an image at all
            self.status_label.setText(f"Not promoted: {problem}")
            return False
        scores = cases = lesion_f1 = None
        if ref in self.measured and previous in self.measured:  # both run on one split just now
            new, old = self.measured[ref], self.measured[previous]
            scores = (compared_mean(new, self.measured_lesionwise.get(ref)),
                      compared_mean(old, self.measured_lesionwise.get(previous)))
            cases = self.measured_cases
            f1 = [(self.measured_lesionwise.get(r) or {}).get("f1") for r in (ref, previous)]
            if None not in f1:   # as models promote --dataset: lesion-wise F1 first, then Dice
                lesion_f1 = (float(f1[0]), float(f1[1]))
        try:
            self.registry.promote(ref, self.task, scores=scores, cases=cases, lesion_f1=lesion_f1,
                                  lesions=self.measured_lesions if scores else None)
        except NeuroviewError as exc:
            # the reason without the command line's hint ("use --force", "--dataset DIR"): here
            # the question is the --force; nor its "; not promoted", which the status line said
            # after "promoted anyway" when the answer was Yes
            reason = exc.message.removesuffix("; not promoted")
            if not self.ask("Promote anyway?", f"{reason}.\n\nPromote {ref} to the default anyway?"):
                self.status_label.setText(f"Not promoted: {reason}")
                return False
            try:
                self.registry.promote(ref, self.task, force=True)
            except NeuroviewError as again:
                self.status_label.setText(str(again))
                return False
            # "X promoted although cannot tell whether X is better ... (was Y)" did not read
            self.status_label.setText(f"{ref} is the default for {self.task} (was {previous or 'none'}), "
                                      f"promoted anyway: {reason}")
        else:
            rules = promotion_rules(self.registry.get(ref).card, self.registry.get(previous).card) \
                if previous and previous != ref and scores is None else ""
            self.status_label.setText(f"{ref} is the default for {self.task} (was {previous or 'none'})"
                                      + (f"; {rules}" if rules else ""))
        self.refresh()
        self.changed.emit()
        return True

    def rollback(self) -> None:
        before = self.registry.default_ref(self.task)
        now = self.registry.rollback(self.task)
        self.status_label.setText(f"Rolled back: the default for {self.task} is {now or 'none'} "
                                  f"(was {before or 'none'})")
        self.refresh()
        self.changed.emit()

    def remove_selected(self) -> None:
        refs = self.selected_refs()
        if len(refs) != 1:
            return
        ref = refs[0]
        entry = self._entry(ref)
        if entry.bundled:
            self.status_label.setText(f"{ref} is bundled with neuroview and cannot be removed")
            return
        was_default = ref == self.registry.default_ref(self.task)
        question = f"Delete {ref} and its files ({short_path(entry.path)})?\nThis cannot be undone."
        if was_default:   # the registry then falls back to the bundled model, not the last default
            question += (f"\n\n{ref} is the default for {self.task}: the bundled model becomes "
                         "the default (Promote chooses another).")
        if not self.ask("Remove model?", question):
            return
        try:
            self.registry.remove(ref)
        except (NeuroviewError, OSError) as exc:   # a file by name and folder, whole on hover
            self.status_label.setText(short_error(str(exc)))
            self.status_label.setToolTip(plain_tooltip(str(exc)))
            return
        now = self.registry.default_ref(self.task)
        self.status_label.setText(f"Removed {ref}" + (f"; the default for {self.task} is now "
                                                      f"{now or 'none'}" if was_default else ""))
        self.refresh()
        self.changed.emit()
