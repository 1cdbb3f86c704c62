"""File > Worklist > Rank cases to annotate...: ``neuroview dataset rank`` from the window (active learning).

The team lead picks the training set and the unlabelled cases (a folder, one case per entry, or a
worklist CSV); *Rank* runs ``neuroview dataset rank DATASET --cases CASES --output CSV`` in its own
process (``training_runner.ProgressProcess``, as *Measure* in the Models dialog runs ``models
compare``), so torch stays out of the window and the window stays responsive; its progress lines
(``NEUROVIEW_PROGRESS_LINES``, ``cli/progress.py``) move the bar, *Cancel* stops it. The ranked
cases (most uncertain first) fill the table from the CSV the command wrote; its notes (cases
already in the training set, unreadable ones) go to the log; the cases the model's domain refused
(a knee for a head model) are named under the table too, and *Rank refused cases anyway* ranks them
(``--allow-domain-mismatch``: a head its scanner tagged KNEE). *Open the proposed case* opens that
CSV as the worklist, at its first case: *Next case* then goes on in the ranking's order.
Closing the dialog (Close, Esc, the title bar) while it ranks asks *Stop ranking* / *Keep
ranking*: the ranking stops with the dialog, not left running unseen; closing the window stops it.
"""

from __future__ import annotations

import contextlib
import csv
import json
import re
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..app.shown_path import full_path, short_path
from ..core.csv_text import cell_value
from ..core.plural import plural
from ..core.workspace_names import os_reason
from .dialog_parts import StatusLine, row
from .plain_text import plain_tooltip
from .qt_guard import guard_overrides
from .screen_room import resize_within_screen
from .stop_question import StopQuestion
from .training_runner import ProgressProcess

COLUMNS = ("#", "Case", "Entropy (bits)", "MI (bits)", "Uncertain voxels", "Path")


def ranking_path(dataset: str) -> Path:
    """Where the window's ranking of ``dataset`` is written (the user's data folder, not the
    cases' folder: a file there would become a case of a folder worklist)."""
    from ..core.atomic import make_parent
    from ..paths import user_data_dir

    folder = user_data_dir() / "rankings"
    make_parent(folder)
    import hashlib

    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(dataset.rstrip("/")).name).strip("-") or "dataset"
    # two datasets of one folder name (two projects' 'data') must not share a ranking
    where = hashlib.sha256(str(Path(dataset).resolve()).encode("utf-8")).hexdigest()[:8]
    return folder / f"{name}-{where}.csv"


def read_ranking(path: Path) -> list[dict]:
    """The rows of a ranking CSV (``dataset.rank.write_ranking_csv``), best first; its paths,
    written relative to the CSV's folder, made whole again for the table."""
    import os

    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for found in rows:
        for name in ("id", "path", "worklist"):   # "'=..." written for a spreadsheet
            if found.get(name):
                found[name] = cell_value(found[name])
        if found.get("path"):
            found["path"] = os.path.normpath(os.path.join(Path(path).parent, found["path"]))
    return rows


@guard_overrides
class RankDialog(QDialog):
    """``open_case(csv_path, case_id)``: the user asked to open the proposed case of the ranking."""

    open_case = Signal(str, str)

    def __init__(self, dataset: str = "", cases: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Rank cases to annotate")
        self.setModal(False)
        self.runner = ProgressProcess(self)   # the child process, its progress lines read
        self.runner.progress.connect(self._progress)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.output: Path | None = None
        self.result_json: Path | None = None   # `dataset rank --json`: what the command found
        self.rows: list[dict] = []
        self.done_cases = (0, 0)   # (done, total) of the last progress line
        self.stop_question = StopQuestion(self)   # "Ranking running", on closing while it ranks
        outer = QVBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        self.dataset_edit = QLineEdit(dataset)
        self.dataset_edit.setPlaceholderText("the training set (its cases are left out of the ranking)")
        self.cases_edit = QLineEdit(cases)
        self.cases_edit.setPlaceholderText("unlabelled cases: a folder (one case per entry) or a "
                                           "worklist CSV")
        self.model_edit = QLineEdit()
        self.model_edit.setPlaceholderText("the default model (or a name@version)")
        browse_dataset, browse_folder, browse_csv = (QPushButton(text) for text in
                                                     ("Browse...", "Folder...", "CSV..."))
        browse_dataset.clicked.connect(self._browse_dataset)
        browse_folder.clicked.connect(self._browse_folder)
        browse_csv.clicked.connect(self._browse_csv)
        form.addRow("Training set", row(self.dataset_edit, browse_dataset))
        form.addRow("Cases", row(self.cases_edit, browse_folder, browse_csv))
        form.addRow("Model", self.model_edit)
        self.anyway_box = QCheckBox("Rank refused cases anyway")
        self.anyway_box.setToolTip("Rank also the cases the model's card refuses (another body part or "
                                   "modality, no head found): for a scanner that tagged a head wrongly")
        form.addRow("", self.anyway_box)
        self.inputs = (self.dataset_edit, self.cases_edit, self.model_edit, browse_dataset, browse_folder,
                       browse_csv, self.anyway_box)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        form.addRow("Progress", self.progress_bar)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setTabKeyNavigation(False)   # Tab on to the buttons; the arrows move in it
        # the figures as wide as they need, the path the rest, cut in its middle (its start and
        # the file name stay): it ran past the dialog's edge at its default width
        self.table.setTextElideMode(Qt.ElideMiddle)
        self.table.setWordWrap(False)   # wrapped at its dashes, the path lost its file name instead
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.Stretch)
        outer.addWidget(self.table, 2)
        self.log_view = QPlainTextEdit()
        self.log_view.setReadOnly(True)
        self.log_view.setMaximumBlockCount(2000)
        self.runner.line.connect(self.log_view.appendPlainText)
        outer.addWidget(self.log_view, 1)
        self.status_label = StatusLine()   # no empty line above the buttons while it is empty
        outer.addWidget(self.status_label)
        self.rank_button = QPushButton("Rank")
        self.cancel_button = QPushButton("Cancel ranking")
        self.open_button = QPushButton("Open the proposed case")
        self.close_button = QPushButton("Close")
        self.rank_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button.clicked.connect(self._open_proposed)
        self.close_button.clicked.connect(self.reject)   # asks first while ranking
        outer.addWidget(row(QWidget(), self.rank_button, self.cancel_button, self.open_button,
                                  self.close_button))
        self._set_running(False)
        self.open_button.setEnabled(False)
        resize_within_screen(self, 820, 560)

    def _browse_dataset(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Training set", self.dataset_edit.text())
        if folder:
            self.dataset_edit.setText(folder)

    def _browse_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Unlabelled cases (one case per entry)",
                                                  self.cases_edit.text())
        if folder:
            self.cases_edit.setText(folder)

    def _browse_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Unlabelled cases (worklist CSV)", self.cases_edit.text(),
                                              "CSV (*.csv);;All files (*)")
        if path:
            self.cases_edit.setText(path)

    def _open_proposed(self) -> None:
        if self.rows:
            self.open_case.emit(str(self.output), self.rows[0].get("id", ""))

    @property
    def running(self) -> bool:
        return self.runner.running

    def _set_running(self, running: bool) -> None:
        for widget in self.inputs + (self.rank_button,):
            widget.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        if running:
            self.open_button.setEnabled(False)

    def start(self) -> None:
        dataset, cases = self.dataset_edit.text().strip(), self.cases_edit.text().strip()
        problem = ("choose the training set" if not dataset else
                   f"the training set {short_path(dataset)} does not exist (removed or moved?)"
                   if not Path(dataset).exists() else
                   "choose the unlabelled cases (a folder or a worklist CSV)" if not cases else
                   f"{short_path(cases)} does not exist (removed or moved?)"
                   if not Path(cases).exists() else "")
        if problem:
            self.status_label.setText(problem)
            return
        if self.running:
            return
        from ..core.errors import NeuroviewError
        from ..dataset.layout import find_dataset

        try:   # the dataset, also when the folder holding it was given (its name names the CSV)
            dataset = str(find_dataset(dataset))
        except NeuroviewError:
            pass   # the command says what is wrong with it
        self.output = ranking_path(dataset)
        self.result_json = self.output.with_suffix(".json")   # the refused cases, with their reasons
        with contextlib.suppress(OSError):   # a failed run leaves no earlier run's behind
            self.result_json.unlink()
        arguments = ["dataset", "rank", dataset, "--cases", cases, "--output", str(self.output),
                     "--json", str(self.result_json)]
        if self.model_edit.text().strip():
            arguments += ["--model", self.model_edit.text().strip()]
        if self.anyway_box.isChecked():
            arguments.append("--allow-domain-mismatch")
        self.rows, self.done_cases = [], (0, 0)
        self.table.setRowCount(0)
        self.log_view.clear()
        self.log_view.appendPlainText("$ neuroview " + " ".join(arguments))
        self.progress_bar.setRange(0, 0)   # busy until the first progress line
        self.status_label.setText(f"Ranking the cases of {cases} in its own process...")
        self._set_running(True)
        self.runner.start(arguments)

    def cancel(self) -> None:
        self.runner.cancel()

    def reject(self) -> None:
        """Close, Esc and the title bar's close come here: while ranking, ask whether to stop it
        (the dialog closed and its child process went on ranking unseen); *Keep ranking* keeps
        the dialog open."""
        if self.running and not self._confirm_stop():
            return
        self.cancel()
        super().reject()

    def _confirm_stop(self) -> bool:
        done, total = self.done_cases
        where = f" ({done} of {plural(total, 'case')} done)" if total else ""
        return self.stop_question.ask("Ranking running", f"The ranking is still running{where}.",
                                      "Closing the dialog stops it (Rank starts it again).",
                                      "Stop ranking", "Keep ranking")

    def hideEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        """Hidden by the program (not minimised, which hides spontaneously): the ranking stops
        with it, as the Models dialog's *Measure* does."""
        if not event.spontaneous():
            self.cancel()
        super().hideEvent(event)

    def _progress(self, done: float, total: float, text: str) -> None:
        self.done_cases = (int(done), int(total))
        self.progress_bar.setRange(0, max(int(total), 1))
        self.progress_bar.setValue(int(done))
        if text and done < total:
            self.status_label.setText(f"Ranking: {text} ({int(done) + 1} of {int(total)})")

    def _failed(self, reason: str) -> None:
        self.status_label.setText(f"cannot start the ranking process ({reason})")
        self._set_running(False)

    def _finished(self, code: int, crashed: bool) -> None:
        self._set_running(False)
        if self.progress_bar.maximum() == 0:   # no progress line came (busy until then)
            self.progress_bar.setRange(0, 1)
        if code == 0 and not self.runner.cancelled:
            self.progress_bar.setValue(self.progress_bar.maximum())
        if self.runner.cancelled:
            self.status_label.setText("Ranking cancelled.")
            return
        errors = [line for line in self.log_view.toPlainText().splitlines() if line.startswith("neuroview: ")]
        if crashed or code != 0:
            reason = errors[-1] if errors else ("the ranking process was killed or crashed"
                                                if crashed else f"exit code {code}")
            self.status_label.setText(f"Ranking failed: {reason}")
            return
        try:
            self.rows = read_ranking(self.output)
        except (OSError, csv.Error) as exc:
            self.status_label.setText(f"Ranking finished but {short_path(self.output)} cannot be read "
                                      f"({os_reason(exc)})")   # the file named once, short
            self.status_label.setToolTip(plain_tooltip(full_path(self.output)))
            return
        self._fill()

    def _refused(self) -> list[str]:
        """The cases the model's domain refused, by name, from the command's ``--json`` result
        (``cli.dataset_rank.ranking_json``): they were found by the wording of the log's note
        lines, and a rewording would have dropped them in silence."""
        try:
            with open(self.result_json, encoding="utf-8") as handle:
                refused = json.load(handle).get("refused", [])
        except (OSError, TypeError, ValueError, AttributeError):
            return []   # the ranking above is shown; the log holds the command's own lines
        return [Path(str(case.get("path") or case.get("id"))).name for case in refused
                if isinstance(case, dict)]

    def _fill(self) -> None:
        self.table.setRowCount(len(self.rows))
        for number, found in enumerate(self.rows):
            values = (str(number + 1), found.get("id", ""), f"{float(found.get('score') or 0):.4f}",
                      f"{float(found.get('mutual_information') or 0):.4f}", found.get("uncertain_voxels", ""),
                      found.get("path", ""))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column in (1, len(COLUMNS) - 1):   # ids and paths may be cut: in full on hover
                    item.setToolTip(plain_tooltip(value))
                self.table.setItem(number, column, item)
        if self.rows:
            self.table.selectRow(0)
            self.status_label.setText(f"{len(self.rows)} case{'s' if len(self.rows) != 1 else ''} ranked, "
                                      f"most uncertain first: annotate {self.rows[0].get('id')} next"
                                      + (f" (written to {short_path(self.output)})." if self.output else "."))
            self.status_label.setToolTip(plain_tooltip(full_path(self.output)) if self.output else "")
        else:
            self.status_label.setText("No unlabelled case to rank (the log says why).")
        refused = self._refused()
        if refused:   # named here, not only in the log, with the way on beside them
            self.status_label.setText(self.status_label.text() + f" Refused by the model: "
                                      f"{', '.join(refused)} (tick Rank refused cases anyway).")
        self.open_button.setEnabled(bool(self.rows))
