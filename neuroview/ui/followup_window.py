"""File > Open follow-up...: baseline and later study side by side, linked, with the lesion table.

Both panes show the same axial plane of the baseline's world (the later study resampled onto the
baseline grid for display only), with one crosshair: a click in either pane moves it in both; the
wheel or Up/Down changes the slice of both. F (or the Flicker button) shows the baseline in the
right pane until pressed again; D (Subtraction) shows later minus baseline there. A click on a row
of the lesion table jumps both panes to that lesion.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..app.followup import CSV_COLUMNS, table_rows
from ..app.view_state import ViewerState
from ..core.labels import LabelMap
from ..core.volume import Volume
from ..render.slices import render_slice

PLANE = "axial"


class FollowupPairWidget(QWidget):
    """Two linked axial panes: baseline on the left, later study (or flicker/subtraction) right."""

    def __init__(self, baseline: Volume, later_image: np.ndarray, baseline_lesions: np.ndarray,
                 later_lesions: np.ndarray, parent=None) -> None:
        super().__init__(parent)
        affine = baseline.ijk_to_ras
        self.baseline = baseline
        self.later = Volume(np.asarray(later_image, dtype=np.float32), affine)
        difference = self.later.array - baseline.array.astype(np.float32)
        self.difference = Volume(difference, affine)
        self.labels = (LabelMap.from_array((np.asarray(baseline_lesions) > 0).astype(np.uint8), affine),
                       LabelMap.from_array((np.asarray(later_lesions) > 0).astype(np.uint8), affine))
        self.state = ViewerState.for_volume(baseline)
        self.state.labels.outline = True
        self.state.labels.opacity = 1.0
        spread = float(np.percentile(np.abs(difference), 99.5)) or 1.0
        self.difference_window = (2.0 * spread, 0.0)
        self.flicker = False
        self.subtraction = False
        self.setMinimumSize(400, 200)
        self.setFocusPolicy(Qt.StrongFocus)

    def pane_size(self) -> tuple[int, int]:
        return max(self.width() // 2, 1), max(self.height(), 1)

    def pane_images(self) -> tuple[np.ndarray, np.ndarray]:
        """The RGB pictures of the left and right panes, as drawn."""
        w, h = self.pane_size()
        geom = self.state.geometry(PLANE, w, h)
        cross = self.state.crosshair_ras
        window, level = self.state.window, self.state.level
        left = render_slice(self.baseline, geom, window, level, self.labels[0],
                            self.state.labels, cross).rgb
        if self.subtraction:
            right = render_slice(self.difference, geom, *self.difference_window, None, None, cross).rgb
        elif self.flicker:
            right = render_slice(self.baseline, geom, window, level, self.labels[0],
                                 self.state.labels, cross).rgb
        else:
            right = render_slice(self.later, geom, window, level, self.labels[1],
                                 self.state.labels, cross).rgb
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
        w, h = self.pane_size()
        x, y = event.position().x(), event.position().y()
        self.set_crosshair(self.state.geometry(PLANE, w, h).pixel_to_ras(x % w, y))

    def wheelEvent(self, event) -> None:
        self.state.scroll(PLANE, 1 if event.angleDelta().y() > 0 else -1)
        self.update()

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key_Up, Qt.Key_Down):
            self.state.scroll(PLANE, 1 if key == Qt.Key_Up else -1)
        elif key == Qt.Key_F:
            self.flicker = not self.flicker
        elif key == Qt.Key_D:
            self.subtraction = not self.subtraction
        else:
            super().keyPressEvent(event)
            return
        self.update()


class FollowupWindow(QWidget):
    """The pair of linked panes above the lesion table of one comparison."""

    def __init__(self, baseline_volume: Volume, baseline, followup, comparison, parent=None) -> None:
        super().__init__(parent)
        from ..app.followup import later_on_baseline

        self.setWindowTitle("Follow-up: baseline | follow-up")
        self.comparison = comparison
        image, lesions = later_on_baseline(baseline, followup, comparison.registration.fixed_to_moving)
        self.pair = FollowupPairWidget(baseline_volume, image, baseline.lesions, lesions)
        self.flicker_button = QPushButton("Flicker (F)")
        self.subtraction_button = QPushButton("Subtraction (D)")
        self.flicker_button.clicked.connect(lambda: self._toggle("flicker"))
        self.subtraction_button.clicked.connect(lambda: self._toggle("subtraction"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.flicker_button)
        buttons.addWidget(self.subtraction_button)
        buttons.addStretch(1)
        self.table = QTableWidget(0, len(CSV_COLUMNS))
        self.table.setHorizontalHeaderLabels(list(CSV_COLUMNS))
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        for cells in table_rows(comparison.table):
            row = self.table.rowCount()
            self.table.insertRow(row)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.cellClicked.connect(self._jump)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pair, 3)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.resize(1000, 700)

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


class OpenFollowupDialog(QDialog):
    """Pick the baseline and the later study, each with its lesion mask."""

    FIELDS = (("baseline", "Baseline image"), ("baseline_labels", "Baseline lesion mask"),
              ("followup", "Follow-up image"), ("followup_labels", "Follow-up lesion mask"))

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open follow-up")
        form = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        for key, text in self.FIELDS:
            edit = QLineEdit()
            browse = QPushButton("Browse...")
            browse.clicked.connect(lambda _=False, e=edit, t=text: self._browse(e, t))
            row = QHBoxLayout()
            row.addWidget(edit)
            row.addWidget(browse)
            form.addRow(text, row)
            self.edits[key] = edit
        self.brain_threshold = QCheckBox("Images are skull-stripped: brain masks by threshold")
        form.addRow(self.brain_threshold)
        box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def _browse(self, edit: QLineEdit, title: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, title)
        if path:
            edit.setText(path)

    def paths(self) -> dict[str, str]:
        return {key: edit.text().strip() for key, edit in self.edits.items()}


def open_followup(window) -> None:
    """Ask for the studies, compare them off the GUI thread, then show the follow-up window."""
    dialog = OpenFollowupDialog(window)
    accepted = dialog.exec() == QDialog.Accepted
    paths, brain_threshold = dialog.paths(), dialog.brain_threshold.isChecked()
    dialog.deleteLater()
    if accepted:
        start_followup(window, paths, brain_threshold)


def start_followup(window, paths: dict[str, str], brain_threshold: bool = False):
    from ..app.followup import compare, load_study

    missing = [text for key, text in OpenFollowupDialog.FIELDS if not paths.get(key)]
    if missing:
        window.show_error(f"Open follow-up: choose the {', '.join(missing).lower()}")
        return None

    def work(progress, cancel):
        base_volume, baseline = load_study(paths["baseline"], paths["baseline_labels"],
                                           brain_threshold=brain_threshold, name="baseline")
        _, later = load_study(paths["followup"], paths["followup_labels"],
                              brain_threshold=brain_threshold, name="follow-up")
        comparison = compare(baseline, later, partial_volume=brain_threshold,
                             progress=progress, cancel=cancel)
        return base_volume, baseline, later, comparison

    def done(result):
        if getattr(window, "followup_window", None) is not None:
            window.followup_window.close()
        window.followup_window = FollowupWindow(*result, parent=window)
        window.followup_window.setWindowFlag(Qt.Window)  # its own window, closed with the main one
        window.followup_window.show()

    return window.runner.start(work, on_done=done, on_error=window.show_error, label="follow-up")
