"""File > Compare readers... and File > Adjudicate...: several readers' masks of the open series.

*Compare*: the SEGs of every reader (found beside the series on this computer and on the chosen
server) are outlined together in the slice views, one colour per reader, with a legend; a table
gives the agreement of each pair (Dice, 95 % Hausdorff distance, lesion-wise F1, volume
difference) and the STAPLE (or majority) consensus with each reader's estimated sensitivity and
specificity. *Adjudicate*: the lesions matched across readers are listed; for each, take one
reader's outline, the consensus or nothing; *Apply* puts the adjudicated mask in the label map
(edit it further with the segment editor), then save it as a SEG, send it to the server or add it
to a training set: each records which reader's outline was taken per lesion. The logic is in
``app.readers``; the search and the figures are computed in a background job.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..app.components import voxel_ras
from ..app.readers import (
    AdjudicationPlan,
    apply_adjudication,
    compare_readers,
    save_adjudicated_seg,
    send_adjudicated,
    snapshot,
)
from ..core.errors import NeuroviewError
from ..dataset.adjudication import CONSENSUS, NOTHING
from ..io.pacs import load_servers
from .compaction import mark_saved_and_compact
from .screen_room import resize_within_screen

LOCAL_ONLY = "(this computer only)"
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


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _item(text: str) -> QTableWidgetItem:
    return QTableWidgetItem(text)


class ReadersDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.setWindowTitle("Readers: compare and adjudicate")
        resize_within_screen(self, 720, 560)
        self.comparison = None
        self.plan: AdjudicationPlan | None = None
        self.case = None
        self.servers = load_servers()
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.server_box = QComboBox()
        self.server_box.addItems([LOCAL_ONLY] + sorted(self.servers))
        if self.servers:
            self.server_box.setCurrentIndex(1)
        self.server_box.currentIndexChanged.connect(lambda _i: self._update_buttons())
        self.method_box = QComboBox()
        self.method_box.addItems(list(CONSENSUS_METHODS))
        self.find_button = QPushButton("Find and compare")
        self.find_button.clicked.connect(self.find)
        for text, widget in (("SEGs from", self.server_box), ("Consensus", self.method_box)):
            top.addWidget(QLabel(text))
            top.addWidget(widget)
        top.addWidget(self.find_button)
        layout.addLayout(top)
        self.status = QLabel("Find the readers' SEGs of the open series.")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._compare_tab(), "Compare")
        self.tabs.addTab(self._adjudicate_tab(), "Adjudicate")
        layout.addWidget(self.tabs, 1)
        window.editor.case_changed.connect(self._case_changed)

    # -- building -------------------------------------------------------------------------------
    def _compare_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.show_check = QCheckBox("Outline each reader's mask in the views")
        self.show_check.setChecked(True)
        self.show_check.toggled.connect(self._outlines_changed)
        layout.addWidget(self.show_check)
        self.legend = _table(["Reader", "Found on", "Model", "Date", "Volume ml", "Sensitivity",
                              "Specificity"])
        self.legend.setToolTip("Untick a reader to hide their outline; sensitivity and specificity "
                               "are estimated against the consensus")
        self.legend.itemChanged.connect(self._legend_ticked)
        layout.addWidget(self.legend, 1)
        layout.addWidget(QLabel("Agreement per pair (volume difference: B minus A)"))
        self.pairs = _table(["Reader A", "Reader B", "Dice", "HD95 mm", "Lesion F1", "Volume B-A ml"])
        layout.addWidget(self.pairs, 1)
        return page

    def _adjudicate_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.progress = QLabel("Lesions matched across readers: choose one, then whose outline to take.")
        self.progress.setWordWrap(True)
        layout.addWidget(self.progress)
        self.lesions = _table(["Lesion"])
        self.lesions.itemSelectionChanged.connect(self._lesion_selected)
        layout.addWidget(self.lesions, 1)
        self.take_row = QHBoxLayout()
        self.take_buttons: dict[str, QPushButton] = {}
        layout.addLayout(self.take_row)
        form = QFormLayout()
        self.adjudicator_edit = QLineEdit()
        self.adjudicator_edit.setPlaceholderText("Family^Given, as DICOM writes names")
        from ..app.reader_name import remembered_reader

        self.adjudicator_edit.setText(remembered_reader())
        form.addRow("Adjudicator", self.adjudicator_edit)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.apply_button = QPushButton("Apply to label map")
        self.apply_button.setToolTip("The adjudicated mask becomes the label map (one undo step); "
                                     "edit it further with the segment editor")
        self.apply_button.clicked.connect(self.apply)
        self.save_button = QPushButton("Save SEG...")
        self.save_button.clicked.connect(self.save_seg_dialog)
        self.send_button = QPushButton("Send to server")
        self.send_button.clicked.connect(self.send)
        self.training_button = QPushButton("Add to training set...")
        self.training_button.clicked.connect(self.add_to_training_set)
        for button in (self.apply_button, self.save_button, self.send_button, self.training_button):
            buttons.addWidget(button)
            button.setEnabled(False)
        layout.addLayout(buttons)
        return page

    # -- compare --------------------------------------------------------------------------------
    @property
    def config(self):
        return self.servers.get(self.server_box.currentText())

    def find(self) -> None:
        case = self.window.editor.case
        if case is None:
            self.status.setText("Open a DICOM image first.")
            return
        config, method = self.config, CONSENSUS_METHODS[self.method_box.currentText()]
        volume = case.volume
        where = f"this computer and {config.name}" if config else "this computer"
        self.find_button.setEnabled(False)
        self.status.setText(f"Looking for SEGs on {where}...")
        def work(progress, cancel):  # the lesions are matched here too, off the GUI thread
            comparison = compare_readers(volume, config, method, progress=progress)
            return comparison, AdjudicationPlan(comparison) if comparison.readers else None

        self.window.runner.start(
            work, on_done=lambda result: self._show(case, *result), on_error=self._failed,
            on_cancel=lambda: self._failed("cancelled"), label="Comparing readers")

    def _failed(self, text: str) -> None:
        self.find_button.setEnabled(True)
        self.status.setText(text)

    def _show(self, case, comparison, plan) -> None:
        self.find_button.setEnabled(True)
        if case is not self.window.editor.case:
            self.status.setText("The image changed: find again.")
            return
        self.case, self.comparison = case, comparison
        n = len(comparison.readers)
        if n == 0:
            self.status.setText("No reader's SEG of this series found.")
        elif n == 1:
            self.status.setText("One reader's SEG found: agreement needs two.")
        else:
            self.status.setText(f"{n} readers; consensus by {comparison.consensus.method}.")
        if comparison.problems:  # one line per SEG left out, naming its file
            lines = [self.status.text()] + [f"Left out: {problem}" for problem in comparison.problems]
            self.status.setText("\n".join(lines))
        self._fill_legend()
        self.pairs.setRowCount(len(comparison.pairs))
        for row, pair in enumerate(comparison.pairs):
            for col, text in enumerate((pair.reader_a, pair.reader_b, _figure(pair.dice, 3),
                                        _figure(pair.hausdorff95_mm, 2), _figure(pair.lesion_f1, 3),
                                        f"{pair.volume_difference_ml:+.3f}")):
                self.pairs.setItem(row, col, _item(text))
        self.outlines = comparison.outlines() if n else None
        self._outlines_changed()
        self._start_plan(plan)

    def _fill_legend(self) -> None:
        comparison = self.comparison
        consensus = comparison.consensus
        self.legend.blockSignals(True)
        self.legend.setRowCount(len(comparison.versions))
        for row, version in enumerate(comparison.versions):
            name = _item(version.reader)
            name.setFlags(name.flags() | Qt.ItemIsUserCheckable)
            name.setCheckState(Qt.Checked)
            name.setForeground(QColor(*comparison.colours[version.reader]))
            name.setBackground(QColor(40, 40, 40))
            cells = [name, _item(version.found_on), _item(version.model or "-"),
                     _item(_when(version.created)), _item(f"{comparison.volume_ml(version.reader):.3f}")]
            if consensus is not None:
                cells += [_item(_figure(consensus.sensitivity[version.reader], 3)),
                          _item(_figure(consensus.specificity[version.reader], 4))]
            for col, cell in enumerate(cells):
                self.legend.setItem(row, col, cell)
        self.legend.blockSignals(False)

    def _legend_ticked(self, item) -> None:
        if item.column() == 0 and self.outlines is not None:
            self.outlines.shown[item.row()] = item.checkState() == Qt.Checked
            self._outlines_changed()

    def _outlines_changed(self) -> None:
        controller = self.window.controller
        if controller.state is None:
            return
        outlines = getattr(self, "outlines", None)
        if outlines is not None:
            outlines.visible = self.show_check.isChecked()
        controller.state.reader_outlines = outlines
        controller.changed.emit()

    def _case_changed(self) -> None:
        if self.window.editor.case is not self.case and self.comparison is not None:
            self.comparison = self.plan = self.case = self.outlines = None
            self.legend.setRowCount(0)
            self.pairs.setRowCount(0)
            self.lesions.setRowCount(0)
            self._set_take_buttons([])
            self.status.setText("Another image is open: find its readers' SEGs.")

    # -- adjudicate -----------------------------------------------------------------------------
    def _start_plan(self, plan) -> None:
        self.plan = plan
        readers = self.comparison.readers
        self.lesions.setColumnCount(2 + len(readers))
        self.lesions.setHorizontalHeaderLabels(["Lesion"] + [f"{r} voxels" for r in readers] + ["Taken"])
        groups = self.plan.groups if self.plan else []
        self.lesions.setRowCount(len(groups))
        for row, group in enumerate(groups):
            self.lesions.setItem(row, 0, _item(str(group.number)))
            for col, reader in enumerate(readers, start=1):
                self.lesions.setItem(row, col, _item(str(group.voxels[reader])))
            self.lesions.setItem(row, 1 + len(readers), _item("undecided"))
        self._set_take_buttons(self.plan.options if self.plan else [])
        self._update_buttons()

    def _set_take_buttons(self, options: list[str]) -> None:
        for button in self.take_buttons.values():
            self.take_row.removeWidget(button)
            button.deleteLater()
        self.take_buttons = {}
        for option in options:
            text = {CONSENSUS: "Take consensus", NOTHING: "Not a lesion"}.get(option, f"Take {option}")
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, o=option: self.take(o))
            self.take_row.addWidget(button)
            self.take_buttons[option] = button

    def selected_lesion(self) -> int | None:
        rows = {index.row() for index in self.lesions.selectedIndexes()}
        return int(self.lesions.item(min(rows), 0).text()) if rows else None

    def _lesion_selected(self) -> None:
        number = self.selected_lesion()
        if number is None or self.plan is None or self.case is None:
            return
        p_ras = voxel_ras(self.plan.jump_ijk(number), self.case.volume.ijk_to_ras)
        controller = self.window.controller
        state = controller.state
        for plane, view in self.window.slice_views.items():  # a zoomed view pans to the lesion
            size = (view.width(), view.height())
            x, y = state.geometry(plane, *size).ras_to_pixel(p_ras)
            if not (0.1 * size[0] < x < 0.9 * size[0] and 0.1 * size[1] < y < 0.9 * size[1]):
                state.pan_by(plane, size[0] / 2 - x, size[1] / 2 - y, size)
        controller.set_crosshair(p_ras)

    def take(self, option: str) -> None:
        number = self.selected_lesion()
        if number is None or self.plan is None:
            self.progress.setText("Choose a lesion in the list first.")
            return
        self.plan.choose(number, option)
        row = next(r for r in range(self.lesions.rowCount()) if self.lesions.item(r, 0).text() == str(number))
        self.lesions.item(row, self.lesions.columnCount() - 1).setText(option)
        if row + 1 < self.lesions.rowCount():  # on to the next lesion, as a reading worklist does
            self.lesions.selectRow(row + 1)
        self._update_buttons()

    def _update_buttons(self) -> None:
        plan = self.plan
        decided = plan is not None and bool(plan.groups) and not plan.undecided()
        self.apply_button.setEnabled(decided)
        applied = plan is not None and plan.result is not None and self.case is not None \
            and self.case.adjudication is plan
        for button in (self.save_button, self.send_button, self.training_button):
            button.setEnabled(applied)
        self.send_button.setEnabled(applied and self.config is not None)
        if plan is not None and plan.groups:
            left = len(plan.undecided())
            total = f"{len(plan.groups)} lesion{'' if len(plan.groups) == 1 else 's'}"
            self.progress.setText(f"{left} of {total} to decide." if left else
                                  f"All {total} decided: Apply to label map.")

    def apply(self) -> None:
        from ..app.reader_name import remember_reader

        adjudicator = self.adjudicator_edit.text().strip()
        try:
            result = apply_adjudication(self.case, self.plan, adjudicator)
        except NeuroviewError as exc:
            self.status.setText(str(exc))
            return
        remember_reader(adjudicator)
        taken = ", ".join(f"{n}: {c}" for n, c in sorted(result.taken.items()))
        self.status.setText(f"Adjudicated mask applied ({sum(result.voxels.values())} voxels; {taken}). "
                            "Edit it with the segment editor, then save, send or add it.")
        self._update_buttons()

    def save_seg_dialog(self) -> None:
        default = str(self.window.edit_actions._default_name("-adjudicated-seg.dcm"))
        path, _ = QFileDialog.getSaveFileName(self, "Save adjudicated SEG", default, "DICOM SEG (*.dcm)")
        if path:
            self.save_seg(path)

    def save_seg(self, path) -> None:
        try:
            version = self.case.version
            saved = save_adjudicated_seg(self.case, path)
        except NeuroviewError as exc:
            self.status.setText(str(exc))
            return
        mark_saved_and_compact(self.window, self.case, version)
        self.status.setText(f"Saved {saved.name} (and which outline was taken per lesion beside it).")

    def send(self) -> None:
        config, case, plan = self.config, self.case, self.plan
        if config is None:
            return
        labels, version = snapshot(case.labels), case.version
        adjudicator = plan.result.adjudicator
        source, uid = case.volume.source_path, str(case.volume.source_metadata["SeriesInstanceUID"])

        def work(progress, cancel):
            from ..io.seg import read_series_headers

            return send_adjudicated(config, labels, read_series_headers([source], series_uid=uid),
                                    adjudicator)

        def done(_uid) -> None:
            mark_saved_and_compact(self.window, case, version)
            self.status.setText(f"Sent to {config.name}: the adjudicated version of {adjudicator}.")

        self.window.runner.start(work, on_error=self.status.setText, label=f"Sending SEG to {config.name}",
                                 on_done=done)

    def add_to_training_set(self) -> None:
        """The window's own *Send to training set* (the case carries the adjudication record)."""
        self.window.training_actions.send_dialog()


class ReadersActions:
    def __init__(self, window) -> None:
        self.window = window
        self.dialog: ReadersDialog | None = None

    def open(self, tab: int = 0) -> None:
        if self.window.editor.case is None:
            self.window.show_error("Compare readers needs an open DICOM image")
            return
        if self.dialog is None:
            self.dialog = ReadersDialog(self.window)
        self.dialog.tabs.setCurrentIndex(tab)
        self.dialog.show()
        self.dialog.raise_()
