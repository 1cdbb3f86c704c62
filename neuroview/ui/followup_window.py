"""File > Open follow-up...: baseline and later study side by side, linked, with the lesion table.

Both panes show the same plane (Axial, Sagittal or Coronal buttons) of the baseline's world (the
later study resampled onto the baseline grid for display only), with one crosshair: a click in
either pane moves it in both, and the other planes pass through it; the wheel or Up/Down changes
the slice of both. F (or the Flicker button) shows the baseline in the right pane until pressed
again; D (Subtraction) shows later minus baseline there. With several later studies, the
"Follow-up" list chooses which one is shown against the baseline. A click on a row of the lesion
table jumps both panes to that lesion; a click on a column header sorts the table (numbers as
numbers). Export CSV... saves the table shown (the CLI's ``lesions_tpN.csv``); Report... writes
the HTML and PDF report (the same files as ``neuroview followup``) in the background. Each pane
carries the orientation letters and the slice position, as the main window's views do.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..app.followup import CSV_COLUMNS, table_rows
from ..app.view_state import PLANES, ViewerState
from ..core.labels import LabelMap
from ..core.volume import Volume
from ..render.slices import render_slice
from .workers import JobRunner

TEXT_COLUMNS = ("status", "event")


class FollowupPairWidget(QWidget):
    """Two linked panes of one plane: baseline on the left, later study (or flicker/subtraction)
    on the right."""

    def __init__(self, baseline: Volume, baseline_lesions: np.ndarray, later_image: np.ndarray,
                 later_lesions: np.ndarray, parent=None) -> None:
        super().__init__(parent)
        self.baseline = baseline
        self.baseline_labels = LabelMap.from_array(
            (np.asarray(baseline_lesions) > 0).astype(np.uint8), baseline.ijk_to_ras)
        self.state = ViewerState.for_volume(baseline)
        self.state.labels.outline = True
        self.state.labels.opacity = 1.0
        self.plane = "axial"
        self.flicker = False
        self.subtraction = False
        self.set_later(later_image, later_lesions)
        self.setMinimumSize(400, 200)
        self.setFocusPolicy(Qt.StrongFocus)

    def set_later(self, later_image: np.ndarray, later_lesions: np.ndarray) -> None:
        """Show another later study (already on the baseline grid) in the right pane."""
        affine = self.baseline.ijk_to_ras
        self.later = Volume(np.asarray(later_image, dtype=np.float32), affine)
        difference = self.later.array - self.baseline.array.astype(np.float32)
        self.difference = Volume(difference, affine)
        self.later_labels = LabelMap.from_array((np.asarray(later_lesions) > 0).astype(np.uint8), affine)
        spread = float(np.percentile(np.abs(difference), 99.5)) or 1.0
        self.difference_window = (2.0 * spread, 0.0)
        self.update()

    def set_plane(self, plane: str) -> None:
        if plane not in PLANES:
            raise ValueError(f"plane must be one of {PLANES}, got {plane!r}")
        self.plane = plane
        self.update()

    def pane_size(self) -> tuple[int, int]:
        return max(self.width() // 2, 1), max(self.height(), 1)

    def pane_geometry(self):
        return self.state.geometry(self.plane, *self.pane_size())

    def pane_images(self) -> tuple[np.ndarray, np.ndarray]:
        """The RGB pictures of the left and right panes, as drawn."""
        geom = self.pane_geometry()
        cross = self.state.crosshair_ras
        window, level = self.state.window, self.state.level
        # the orientation letters and the slice position, as in the main window's views
        marks = {"letters": self.state.orientation_letters(self.plane),
                 "caption": self.state.slice_label(self.plane)}
        left = render_slice(self.baseline, geom, window, level, self.baseline_labels,
                            self.state.labels, cross, **marks).rgb
        if self.subtraction:
            right = render_slice(self.difference, geom, *self.difference_window, None, None, cross,
                                 **marks).rgb
        elif self.flicker:
            right = left.copy()
        else:
            right = render_slice(self.later, geom, window, level, self.later_labels,
                                 self.state.labels, cross, **marks).rgb
        return left, right

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        w, _ = self.pane_size()
        for x, rgb in zip((0, w), self.pane_images()):
            rgb = np.ascontiguousarray(rgb)
            image = QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0], QImage.Format_RGB888)
            painter.drawImage(x, 0, image)
        painter.end()

    def set_crosshair(self, p_ras) -> None:
        self.state.set_crosshair(p_ras)
        self.update()

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.LeftButton:
            return
        w, _ = self.pane_size()
        x, y = event.position().x(), event.position().y()
        self.set_crosshair(self.pane_geometry().pixel_to_ras(x % w, y))

    def wheelEvent(self, event) -> None:
        self.state.scroll(self.plane, 1 if event.angleDelta().y() > 0 else -1)
        self.update()

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key_Up, Qt.Key_Down):
            self.state.scroll(self.plane, 1 if key == Qt.Key_Up else -1)
        elif key == Qt.Key_F:
            self.flicker = not self.flicker
        elif key == Qt.Key_D:
            self.subtraction = not self.subtraction
        else:
            super().keyPressEvent(event)
            return
        self.update()


class SortableItem(QTableWidgetItem):
    """A table cell that sorts by a key: numbers as numbers (an empty number sorts last)."""

    def __init__(self, text: str, numeric: bool) -> None:
        super().__init__(text)
        if numeric:
            self.key = (0, float(text)) if text else (1, 0.0)
        else:
            self.key = (0, text)

    def __lt__(self, other) -> bool:
        return self.key < getattr(other, "key", (0, other.text()))


class FollowupWindow(QWidget):
    """The pair of linked panes above the lesion table, for one baseline and its later studies
    (``laters[n]`` compared in ``comparisons[n]``)."""

    def __init__(self, baseline_volume: Volume, baseline, laters: list, comparisons: list,
                 info=None, parent=None) -> None:
        super().__init__(parent)
        from ..app.followup_report import ReportInfo

        self.baseline_volume, self.baseline = baseline_volume, baseline
        self.laters, self.comparisons = list(laters), list(comparisons)
        self.info = info or ReportInfo()
        self.names = [later.name or f"follow-up {n}" for n, later in enumerate(self.laters, start=1)]
        self._on_baseline: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.index = 0
        self.runner = JobRunner(self)
        self.pair = FollowupPairWidget(baseline_volume, baseline.lesions, *self._later_on_baseline(0))

        self.timepoint = QComboBox()
        self.timepoint.addItems(self.names)
        self.timepoint.currentIndexChanged.connect(self.show_followup)
        self.plane_buttons = QButtonGroup(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Follow-up:"))
        top.addWidget(self.timepoint)
        for plane in PLANES:
            button = QPushButton(plane.capitalize())
            button.setCheckable(True)
            button.setChecked(plane == self.pair.plane)
            button.clicked.connect(lambda _=False, p=plane: self.pair.set_plane(p))
            self.plane_buttons.addButton(button)
            top.addWidget(button)
        self.flicker_button = QPushButton("Flicker (F)")
        self.subtraction_button = QPushButton("Subtraction (D)")
        self.report_button = QPushButton("Report...")
        self.export_button = QPushButton("Export CSV...")
        self.export_button.setToolTip("Save the lesion table shown (the columns of neuroview "
                                      "followup's lesions_tpN.csv)")
        self.export_button.clicked.connect(self.ask_export)
        self.flicker_button.clicked.connect(lambda: self._toggle("flicker"))
        self.subtraction_button.clicked.connect(lambda: self._toggle("subtraction"))
        self.report_button.clicked.connect(self.ask_report)
        for button in (self.flicker_button, self.subtraction_button):
            top.addWidget(button)
        top.addStretch(1)
        top.addWidget(self.export_button)
        top.addWidget(self.report_button)
        self.status = QLabel()
        self.runner.progress.connect(
            lambda done, total, text: self.status.setText(f"{text} ({100 * done / max(total, 1):.0f} %)"))

        self.table = QTableWidget(0, len(CSV_COLUMNS))
        self.table.setHorizontalHeaderLabels(list(CSV_COLUMNS))
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.cellClicked.connect(self._jump)
        # Qt sorts as soon as sorting is on, by its default indicator (id, descending): by id, up
        self.table.horizontalHeader().setSortIndicator(0, Qt.AscendingOrder)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pair, 3)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.show_followup(0)
        self.resize(1000, 700)

    @property
    def comparison(self):
        return self.comparisons[self.index]

    def _later_on_baseline(self, index: int):
        """The later study's image and lesions on the baseline grid (resampled once, kept)."""
        from ..app.followup import later_on_baseline

        if index not in self._on_baseline:
            self._on_baseline[index] = later_on_baseline(
                self.baseline, self.laters[index], self.comparisons[index].registration.fixed_to_moving)
        return self._on_baseline[index]

    def show_followup(self, index: int) -> None:
        """Show later study ``index`` against the baseline: right pane and lesion table."""
        self.index = int(index)
        self.pair.set_later(*self._later_on_baseline(self.index))
        self.setWindowTitle(f"Follow-up: baseline | {self.names[self.index]}")
        self.table.setSortingEnabled(False)
        self.table.setRowCount(0)
        for cells in table_rows(self.comparison.table):
            row = self.table.rowCount()
            self.table.insertRow(row)
            for column, text in enumerate(cells):
                numeric = CSV_COLUMNS[column] not in TEXT_COLUMNS
                self.table.setItem(row, column, SortableItem(text, numeric))
        self.table.setSortingEnabled(True)
        self.table.resizeColumnsToContents()

    def _toggle(self, name: str) -> None:
        setattr(self.pair, name, not getattr(self.pair, name))
        self.pair.update()

    def table_text(self) -> list[list[str]]:
        return [[self.table.item(r, c).text() for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]

    def _jump(self, row: int, _column: int = 0) -> None:
        lesion_id = int(self.table.item(row, 0).text())
        lesion = next(r for r in self.comparison.table.rows if r.id == lesion_id)
        self.pair.set_crosshair(lesion.position_ras)

    # -- export and report ------------------------------------------------------------------------
    def ask_export(self) -> None:
        number = self.index + 2
        path, _ = QFileDialog.getSaveFileName(self, "Export the lesion table",
                                              f"lesions_tp{number}.csv", "CSV files (*.csv)")
        if path:
            self.export_csv(path)

    def export_csv(self, path) -> None:
        """Write the lesion table of the later study shown to ``path``: the file ``neuroview
        followup`` writes as ``lesions_tpN.csv`` (rows by id, whatever the sort on screen)."""
        from ..app.followup import table_csv
        from ..core.atomic import write_text_atomic

        try:
            write_text_atomic(path, table_csv(self.comparison.table))
        except OSError as error:
            self.status.setText(f"Export CSV: could not write {path}: {error.strerror or error}")
            return
        self.status.setText(f"wrote {path}")

    def ask_report(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder for the follow-up report")
        if folder:
            self.write_report(folder)

    def write_report(self, folder):
        """Write the report files in ``folder`` off the GUI thread (what ``neuroview followup``
        writes); the status line says where they went, or what went wrong."""
        from ..app.followup_report import Drawing, write_outputs
        from ..render.png import write_png
        from ..render.slices import render_view

        def work(progress, cancel):
            return write_outputs(folder, self.baseline_volume, self.baseline, self.laters,
                                 self.comparisons, self.info, Drawing(render_view, write_png),
                                 progress)

        self.report_button.setEnabled(False)

        def finished(text: str) -> None:
            self.report_button.setEnabled(True)
            self.status.setText(text)

        return self.runner.start(work, on_done=lambda paths: finished("wrote " + " and ".join(paths)),
                                 on_error=lambda text: finished(f"Report: {text}"),
                                 on_cancel=lambda: finished("Report cancelled"), label="report")

    def closeEvent(self, event) -> None:
        self.runner.wait(30000)
        super().closeEvent(event)


class OpenFollowupDialog(QDialog):
    """Pick the baseline and one or more later studies, each with its lesion mask."""

    FIELDS = (("baseline", "Baseline image"), ("baseline_labels", "Baseline lesion mask"),
              ("followup", "Follow-up image"), ("followup_labels", "Follow-up lesion mask"))

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open follow-up")
        self.form = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        for key, text in self.FIELDS:
            self._add_field(key, text)
        self.later_count = 1
        self.add_button = QPushButton("Add follow-up")
        self.add_button.clicked.connect(self.add_followup)
        self.form.addRow(self.add_button)
        self.brain_threshold = QCheckBox("Images are skull-stripped: brain masks by threshold")
        self.form.addRow(self.brain_threshold)
        self.extract_brain = QCheckBox("Extract the brain (deepbet) for registration and brain volume")
        self.extract_brain.setChecked(True)
        self.extract_brain.setToolTip("Whole heads: the brain of each study is extracted first "
                                      "(a few seconds each); unticked, no brain volume change")
        self.form.addRow(self.extract_brain)
        self.model = QLineEdit("lesionseg")
        self.model.setToolTip("A lesion mask left empty is made by this model (not corrected)")
        self.form.addRow("Model for empty masks", self.model)
        box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        self.form.addRow(box)

    def _add_field(self, key: str, text: str, row_index: int = -1) -> None:
        edit = QLineEdit()
        browse = QPushButton("Browse...")
        browse.clicked.connect(lambda _=False, e=edit, t=text: self._browse(e, t))
        row = QHBoxLayout()
        row.addWidget(edit)
        row.addWidget(browse)
        self.form.insertRow(row_index, text, row)
        self.edits[key] = edit

    def add_followup(self) -> None:
        """Two more fields, for the next later study and its lesion mask."""
        self.later_count += 1
        n = self.later_count
        at = len(self.edits)
        self._add_field(f"followup_{n}", f"Follow-up {n} image", at)
        self._add_field(f"followup_{n}_labels", f"Follow-up {n} lesion mask", at + 1)

    def _browse(self, edit: QLineEdit, title: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, title)
        if path:
            edit.setText(path)

    def paths(self) -> dict[str, str]:
        return {key: edit.text().strip() for key, edit in self.edits.items()}


def later_paths(paths: dict[str, str]) -> list[tuple[str, str]]:
    """``(image, lesion mask)`` of each later study named in the dialog's fields, in order (the
    added rows left empty are skipped)."""
    out = [(paths.get("followup", ""), paths.get("followup_labels", ""))]
    n = 2
    while f"followup_{n}" in paths:
        pair = (paths[f"followup_{n}"], paths.get(f"followup_{n}_labels", ""))
        if any(pair):
            out.append(pair)
        n += 1
    return out


def open_followup(window) -> None:
    """Ask for the studies, compare them off the GUI thread, then show the follow-up window."""
    dialog = OpenFollowupDialog(window)
    accepted = dialog.exec() == QDialog.Accepted
    paths, brain_threshold = dialog.paths(), dialog.brain_threshold.isChecked()
    model, extract = dialog.model.text().strip(), dialog.extract_brain.isChecked()
    dialog.deleteLater()
    if accepted:
        start_followup(window, paths, brain_threshold, model, extract)


def start_followup(window, paths: dict[str, str], brain_threshold: bool = False, model: str = "",
                   extract_brain: bool = True):
    """Compare the studies named in ``paths`` (the dialog's fields) off the GUI thread; an empty
    lesion mask is made by ``model`` first (an error without one); without ``brain_threshold``
    each study's brain is extracted by deepbet when ``extract_brain``."""
    from .. import __version__
    from ..app.followup import BRAIN_THRESHOLD, brain_statement, compare, load_study, masks_statement
    from ..app.followup_report import ReportInfo

    laters = later_paths(paths)
    optional = ("baseline_labels", "followup_labels") if model else ()
    missing = [text for key, text in OpenFollowupDialog.FIELDS
               if not paths.get(key) and key not in optional]
    missing += [f"follow-up {n} {what}" for n, pair in enumerate(laters[1:], start=2)
                for what, path in zip(("image", "lesion mask"), pair) if not path
                and not (model and what == "lesion mask")]
    if missing:
        window.show_error(f"Open follow-up: choose the {', '.join(missing).lower()}")
        return None

    def work(progress, cancel):
        made = {"model": model, "progress": progress, "cancel": cancel, "extract": extract_brain}
        base_volume, baseline = load_study(paths["baseline"], paths["baseline_labels"],
                                           brain_threshold=brain_threshold, name="baseline", **made)
        studies, comparisons = [], []
        for number, (image, labels) in enumerate(laters, start=1):
            _, later = load_study(image, labels, brain_threshold=brain_threshold,
                                  name=f"follow-up {number}", **made)
            studies.append(later)
            comparisons.append(compare(baseline, later,
                                       partial_volume=later.brain_source == BRAIN_THRESHOLD,
                                       progress=progress, cancel=cancel))
        return base_volume, baseline, studies, comparisons

    def done(result):
        info = ReportInfo(masks_by=masks_statement([result[1], *result[2]]),
                          brain_masks=brain_statement([result[1], *result[2]]),
                          software=f"neuroview {__version__}")
        if getattr(window, "followup_window", None) is not None:
            window.followup_window.close()
        window.followup_window = FollowupWindow(*result, info=info, parent=window)
        window.followup_window.setWindowFlag(Qt.Window)  # its own window, closed with the main one
        window.followup_window.show()

    return window.runner.start(work, on_done=done, on_error=window.show_error, label="follow-up")
