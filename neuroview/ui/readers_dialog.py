"""File > Compare readers... and File > Adjudicate...: several readers' masks of the open series.

*Compare*: the SEGs of every reader (found beside the series on this computer and on the chosen
server) are outlined together in the slice views, one colour per reader, with a legend; a table
gives the agreement of each pair (Dice, 95 % Hausdorff distance, lesion-wise F1, volume
difference) and the STAPLE (or majority) consensus with each reader's estimated sensitivity and
specificity. *Adjudicate*: the lesions matched across readers are listed; for each, take one
reader's outline, the consensus or nothing; *Apply* puts the adjudicated mask in the label map
(edit it further with the segment editor), then save it as a SEG, send it to the server or add it
to a training set: each records which reader's outline was taken per lesion. The logic is in
``app.readers``, the *Adjudicate* tab in :mod:`.readers_adjudicate`; the search and the figures are
computed in a background job.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..app.error_paths import short_error
from ..app.label_readers import none_found
from ..app.readers import AdjudicationPlan, compare_readers, is_dicom
from ..core.errors import NeuroviewError
from ..core.jobs import check
from ..io.pacs import load_servers
from .dialog_parts import close_buttons, show_focused
from .plain_text import plain_label, plain_tooltip
from .readers_adjudicate import ReadersAdjudication
from .readers_tables import FittedColumns, read_only_table, reader_item, table_item, whole_item
from .screen_room import resize_within_screen

LOCAL_ONLY = "(this computer only)"
FIND_PROMPT = "Find the readers' SEGs of the open series."
FIND = "Find and compare"
CONSENSUS_METHODS = {"STAPLE": "staple", "Majority vote": "majority"}


def _figure(value: float, digits: int) -> str:
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    return "n/a" if missing else f"{value:.{digits}f}"


def _when(created: str) -> str:
    """ContentDate + ContentTime (20261201143015.123) as 2026-12-01 14:30."""
    if len(created) < 8 or not created[:8].isdigit():
        return created or "-"
    day = f"{created[:4]}-{created[4:6]}-{created[6:8]}"
    return f"{day} {created[8:10]}:{created[10:12]}" if created[8:12].isdigit() else day


class ReadersDialog(ReadersAdjudication, QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.main_window = window
        self.setWindowTitle("Readers: compare and adjudicate")
        resize_within_screen(self, 800, 560)
        self.comparison = None
        self.plan: AdjudicationPlan | None = None
        self.case = None
        self.servers: dict = {}
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.server_box = QComboBox()
        self.server_box.currentIndexChanged.connect(lambda _i: self._update_buttons())
        self.method_box = QComboBox()
        self.method_box.addItems(list(CONSENSUS_METHODS))
        self.find_button = QPushButton(FIND)
        self.find_button.clicked.connect(self.find)
        self.job = None   # the search and comparison under way (its Cancel: the same button)
        for text, widget in (("SEGs from", self.server_box), ("Consensus", self.method_box)):
            top.addWidget(QLabel(text))
            top.addWidget(widget)
        top.addWidget(self.find_button)
        layout.addLayout(top)
        self.status = plain_label()   # it names SEG files, readers and errors: never as HTML
        self.status.setText(FIND_PROMPT)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._compare_tab(), "Compare")
        self.tabs.addTab(self._adjudicate_tab(), "Adjudicate")
        layout.addWidget(self.tabs, 1)
        layout.addWidget(close_buttons(self))
        window.editor.case_changed.connect(self._case_changed)
        window.editor.history_changed.connect(self._update_buttons)   # Ctrl+Z of the Apply: greyed
        self.load_server_list()

    def load_server_list(self) -> None:
        """The configured servers in *SEGs from* (read again each time the dialog is opened, so a
        server added or a list repaired meanwhile counts). An unreadable list (a folder, bad JSON,
        no permission) is said in the status line, by name and folder, the whole text on hover;
        the local folders are still searched."""
        # a choice is kept; with no server to choose from there was none (the first one is taken)
        chosen = self.server_box.currentText() if self.server_box.count() > 1 else ""
        try:
            self.servers = load_servers()
        except NeuroviewError as exc:
            self.servers = {}
            text = f"{exc}; SEGs are looked for on this computer only."
            self.status.setText(short_error(text))
            self.status.setToolTip(plain_tooltip(text))
        else:
            if self.status.toolTip().endswith("; SEGs are looked for on this computer only."):
                self.status.setText(FIND_PROMPT)   # the list was repaired meanwhile
                self.status.setToolTip("")
        names = [LOCAL_ONLY] + sorted(self.servers)
        self.server_box.blockSignals(True)
        self.server_box.clear()
        self.server_box.addItems(names)
        self.server_box.setCurrentIndex(names.index(chosen) if chosen in names else min(1, len(self.servers)))
        self.server_box.blockSignals(False)
        self._update_buttons()

    # -- building -------------------------------------------------------------------------------
    def _compare_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.show_check = QCheckBox("Outline each reader's mask in the views")
        self.show_check.setChecked(True)
        self.show_check.toggled.connect(self._outlines_changed)
        layout.addWidget(self.show_check)
        self.legend = read_only_table(["Reader", "Found on", "Model", "Date", "Volume ml", "Sensitivity",
                              "Specificity"])
        self.legend.setToolTip("Untick a reader to hide their outline; sensitivity and specificity "
                               "are estimated against the consensus")
        self.legend.itemChanged.connect(self._legend_ticked)
        self.legend_columns = FittedColumns(self.legend, [2, 1, 3, 0])   # Model, Found on, Date, Reader
        layout.addWidget(self.legend, 1)
        layout.addWidget(QLabel("Agreement per pair (volume difference: B minus A)"))
        self.pairs = read_only_table(["Reader A", "Reader B", "Dice", "HD95 mm", "Lesion F1",
                                      "Volume B-A ml"])
        self.pairs_columns = FittedColumns(self.pairs, [1, 0])
        layout.addWidget(self.pairs, 1)
        return page

    # -- compare --------------------------------------------------------------------------------
    @property
    def config(self):
        return self.servers.get(self.server_box.currentText())

    def find(self) -> None:
        """Find and compare; while that runs the button is its Cancel (as the job bar's is: a
        comparison of 3 readers on a 512x512x300 CT took 54 s)."""
        if self.job is not None and not self.job.finished:
            self.job.cancel()
            self.find_button.setEnabled(False)
            self.status.setText("Cancelling (the measure under way finishes first)...")
            return
        case = self.main_window.editor.case
        if case is None:
            self.status.setText("Open an image first.")
            return
        config, method = self.config, CONSENSUS_METHODS[self.method_box.currentText()]
        volume = case.volume
        if not is_dicom(volume):   # its readers are its label files (a SEG refers to a series)
            config = None
        where = f"this computer and {config.name}" if config else "this computer"
        self.find_button.setText("Cancel")
        self.status.setText(f"Looking for SEGs on {where}..." if is_dicom(volume)
                            else "Looking for the readers' labels files of this image...")
        label_files = self.main_window.training_actions.labels_of_case()
        def work(progress, cancel):  # the lesions are matched here too, off the GUI thread
            comparison = compare_readers(volume, config, method, progress=progress, cancel=cancel,
                                         label_files=label_files)
            check(cancel)
            return comparison, AdjudicationPlan(comparison) if comparison.readers else None

        self.job = self.main_window.runner.start(
            work, on_done=lambda result: self._show(case, *result), on_error=self._failed,
            on_cancel=self._cancelled, label="Comparing readers")

    def _cancelled(self) -> None:
        self._failed("Cancelled: " + ("the comparison shown is the one made before."
                                      if self.comparison is not None else "nothing was compared."))

    def _found(self) -> None:
        self.job = None
        self.find_button.setText(FIND)
        self.find_button.setEnabled(True)

    def _failed(self, text: str) -> None:
        """The search failed (an OS error quoting the folder it could not read): said with its
        files by name and folder, the whole text on hover (``_say_failure``)."""
        self._found()
        self._say_failure(text)

    def _show(self, case, comparison, plan) -> None:
        self._found()
        self.status.setToolTip("")   # an earlier failure's whole text
        if case is not self.main_window.editor.case:
            self.status.setText("The image changed: find again.")
            return
        self.case, self.comparison = case, comparison
        n = len(comparison.readers)
        files = "SEG" if is_dicom(case.volume) else "labels file"
        if n == 0:
            self.status.setText("No reader's SEG of this series found." if is_dicom(case.volume)
                                else none_found(case.volume))
        elif n == 1:
            self.status.setText(f"One reader's {files} found: agreement needs two.")
        else:
            self.status.setText(f"{n} readers; consensus by {comparison.consensus.method}.")
        if comparison.problems:  # one line per SEG left out, naming its file by name and folder
            lines = [f"Left out: {problem}" for problem in comparison.problems]
            self.status.setToolTip(plain_tooltip("\n".join(lines)))
            image = case.volume.source_path
            self.status.setText("\n".join([self.status.text()] + [short_error(x, image) for x in lines]))
        self._fill_legend()
        self.pairs.setRowCount(len(comparison.pairs))
        for row, pair in enumerate(comparison.pairs):
            cells = [reader_item(pair.reader_a), reader_item(pair.reader_b)]
            cells += [table_item(text) for text in (
                _figure(pair.dice, 3), _figure(pair.hausdorff95_mm, 2), _figure(pair.lesion_f1, 3),
                f"{pair.volume_difference_ml:+.3f}")]
            for col, cell in enumerate(cells):
                self.pairs.setItem(row, col, cell)
        self.pairs_columns.fit()
        self.outlines = comparison.outlines() if n else None
        self._outlines_changed()
        self._start_plan(plan)

    def _fill_legend(self) -> None:
        comparison = self.comparison
        consensus = comparison.consensus
        self.legend.blockSignals(True)
        self.legend.setRowCount(len(comparison.versions))
        for row, version in enumerate(comparison.versions):
            name = reader_item(version.reader)
            name.setFlags(name.flags() | Qt.ItemIsUserCheckable)
            name.setCheckState(Qt.Checked)
            name.setForeground(QColor(*comparison.colours[version.reader]))
            name.setBackground(QColor(40, 40, 40))
            cells = [name, whole_item(version.found_on), whole_item(version.model or "-"),
                     whole_item(_when(version.created)),
                     table_item(f"{comparison.volume_ml(version.reader):.3f}")]
            if consensus is not None:
                cells += [table_item(_figure(consensus.sensitivity[version.reader], 3)),
                          table_item(_figure(consensus.specificity[version.reader], 4))]
            for col, cell in enumerate(cells):
                self.legend.setItem(row, col, cell)
        self.legend.blockSignals(False)
        self.legend_columns.fit()

    def _legend_ticked(self, item) -> None:
        if item.column() == 0 and self.outlines is not None:
            self.outlines.shown[item.row()] = item.checkState() == Qt.Checked
            self._outlines_changed()

    def _outlines_changed(self) -> None:
        controller = self.main_window.controller
        if controller.state is None:
            return
        outlines = getattr(self, "outlines", None)
        if outlines is not None:
            outlines.visible = self.show_check.isChecked()
        controller.state.reader_outlines = outlines
        controller.changed.emit()

    def _case_changed(self) -> None:
        shown = self.plan is not None or self.comparison is not None
        if self.main_window.editor.case is not self.case and shown:
            self.comparison = self.plan = self.case = self.outlines = None
            self.legend.setRowCount(0)
            self.pairs.setRowCount(0)
            self.lesions.setRowCount(0)
            self._set_take_buttons([])
            self.status.setText("Another image is open: find its readers' SEGs.")
            self._update_buttons()
        self.show_restored()   # a restored Apply: its buttons, as the killed window had them
        self.show_source()

    def show_source(self) -> None:
        """*SEGs from* for a DICOM series; greyed out for a NIfTI image, whose readers are its
        label files on this computer (a server's SEGs refer to DICOM series)."""
        case = self.main_window.editor.case
        dicom = case is None or is_dicom(case.volume)
        self.server_box.setEnabled(dicom)
        self.server_box.setToolTip("" if dicom else "Greyed out: the readers of this image (not DICOM) "
                                   "are the label files saved for it on this computer")

class ReadersActions:
    def __init__(self, window) -> None:
        self.window = window
        self.dialog: ReadersDialog | None = None

    def open(self, tab: int = 0) -> None:
        if self.window.editor.case is None:   # none, or one whose restore question waits
            self.window.show_error(f"Compare readers: {self.window.editor.no_case_message()}"
                                   if self.window.controller.volume is not None
                                   else "Compare readers needs an open image")
            return
        if self.dialog is None:
            self.dialog = ReadersDialog(self.window)
        else:
            self.dialog.load_server_list()
        self.dialog.show_restored()
        self.dialog.show_source()
        self.dialog.tabs.setCurrentIndex(tab)
        show_focused(self.dialog, self.dialog.find_button)
