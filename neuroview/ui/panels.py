"""Side panels: display (window/level, presets, orientation, 3D), segments, measurements."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSlider,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..app.view_measure import segment_statistics, segment_table_rows
from ..app.view_presets import preset_names, preset_window_level
from ..core.labels import count_values


class DisplayPanel(QWidget):
    """Window/level with presets, orientation mode, 3D rendering options."""

    def __init__(self, controller, view3d, parent=None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.view3d = view3d
        form = QFormLayout(self)
        self.window_box = QDoubleSpinBox()
        self.level_box = QDoubleSpinBox()
        for box, low in ((self.window_box, 0.1), (self.level_box, -1e7)):
            box.setDecimals(1)
            box.setRange(low, 1e7)
            box.setKeyboardTracking(False)
        self.preset_box = QComboBox()
        self.orientation_box = QComboBox()
        self.orientation_box.addItems(["Anatomical planes (resliced)", "Acquisition planes"])
        self.preset3d_box = QComboBox()
        self.volume3d_check = QCheckBox("Volume rendering")
        self.volume3d_check.setChecked(True)
        self.planes3d_check = QCheckBox("Slice planes in 3D")
        form.addRow("Window", self.window_box)
        form.addRow("Level", self.level_box)
        form.addRow("Preset", self.preset_box)
        form.addRow("Slices", self.orientation_box)
        form.addRow("3D preset", self.preset3d_box)
        form.addRow(self.volume3d_check)
        form.addRow(self.planes3d_check)
        from ..render.volume3d import PRESETS_3D

        self.preset3d_box.addItems(PRESETS_3D)
        self.window_box.editingFinished.connect(self._apply_wl)
        self.level_box.editingFinished.connect(self._apply_wl)
        self.preset_box.activated.connect(self._apply_preset)
        self.orientation_box.activated.connect(self._apply_orientation)
        self.preset3d_box.activated.connect(self._apply_3d)
        self.volume3d_check.toggled.connect(self._apply_3d)
        self.planes3d_check.toggled.connect(self._apply_3d)
        controller.changed.connect(self.sync)
        controller.volume_changed.connect(self._volume_changed)

    def _volume_changed(self) -> None:
        volume = self.controller.volume
        self.preset_box.clear()
        self.preset_box.addItems(preset_names(volume))
        self.orientation_box.setCurrentIndex(0)
        scene = self.view3d.scene
        if scene is not None:
            self.preset3d_box.setCurrentText(scene.preset)
        self.sync()

    def sync(self) -> None:
        state = self.controller.state
        if state is None:
            return
        for box, value in ((self.window_box, state.window), (self.level_box, state.level)):
            if not (box.hasFocus() and box.lineEdit().isModified()):  # not while typing
                box.blockSignals(True)
                box.setValue(value)
                box.blockSignals(False)

    def _apply_wl(self) -> None:
        self.controller.set_window_level(self.window_box.value(), self.level_box.value())

    def _apply_preset(self) -> None:
        if self.controller.volume is not None:
            window, level = preset_window_level(self.preset_box.currentText(), self.controller.volume)
            self.controller.set_window_level(window, level)

    def _apply_orientation(self) -> None:
        state = self.controller.state
        if state is not None:
            state.set_orientation_mode("anatomical" if self.orientation_box.currentIndex() == 0
                                       else "acquisition")
            self.controller.changed.emit()

    def _apply_3d(self) -> None:
        scene = self.view3d.scene
        if scene is None:
            return
        scene.set_preset(self.preset3d_box.currentText())
        scene.set_volume_visible(self.volume3d_check.isChecked())
        scene.set_planes_visible(self.planes3d_check.isChecked())
        self.view3d.schedule()


BACKGROUND_COUNT_VOXELS = 1 << 24
"""Label maps from this many voxels (16 M, e.g. 256^3) get their first count in a worker thread."""


class SegmentPanel(QWidget):
    """Segments of the label map: visibility, colour, name, voxels, mL; overlay options."""

    COLUMNS = ("Show", "Colour", "Name", "Voxels", "Volume (mL)")
    statistics = Signal(str)

    def __init__(self, controller, parent=None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._counting = None       # the worker job making a big map's first count
        self._count_runner = None
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        layout.addWidget(self.table)
        options = QHBoxLayout()
        self.visible_check = QCheckBox("Labels")
        self.visible_check.setChecked(True)
        self.outline_check = QCheckBox("Outline")
        self.opacity_slider = QSlider(Qt.Horizontal, minimum=0, maximum=100, value=50)
        options.addWidget(self.visible_check)
        options.addWidget(self.outline_check)
        options.addWidget(QLabel("Opacity"))
        options.addWidget(self.opacity_slider)
        layout.addLayout(options)
        self.stats_button = QPushButton("Statistics of selected segment")
        layout.addWidget(self.stats_button)
        self.visible_check.toggled.connect(self._apply)
        self.outline_check.toggled.connect(self._apply)
        self.opacity_slider.valueChanged.connect(self._apply)
        self.table.itemChanged.connect(self._item_changed)
        self.stats_button.clicked.connect(self._statistics)
        controller.labels_changed.connect(self.refresh)

    def refresh(self) -> None:
        labels = self.controller.labels
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        if labels is not None:
            hidden = self.controller.state.labels.hidden if self.controller.state else set()
            editor = getattr(self.controller, "editor", None)
            session = None if editor is None else editor.session
            # The edited label map's counts follow each edit's diff (no whole-volume recount); the
            # first count of a big map is made in a worker thread ("..." until it arrives).
            counts, counting = None, False
            if session is not None and session.labels is labels:
                counting = not session.counts.ready and labels.array.size >= BACKGROUND_COUNT_VOXELS
                counts = {} if counting else session.counts.counts()
                if counting:
                    self._count_in_background(session)
            for value, name, color, voxels, ml, visible in segment_table_rows(labels, counts):
                row = self.table.rowCount()
                self.table.insertRow(row)
                show = QTableWidgetItem()
                show.setFlags(Qt.ItemIsUserCheckable | Qt.ItemIsEnabled)
                show.setCheckState(Qt.Checked if visible and value not in hidden else Qt.Unchecked)
                show.setData(Qt.UserRole, value)
                swatch = QTableWidgetItem()
                swatch.setBackground(QColor(*color))
                self.table.setItem(row, 0, show)
                self.table.setItem(row, 1, swatch)
                self.table.setItem(row, 2, QTableWidgetItem(name))
                self.table.setItem(row, 3, QTableWidgetItem("..." if counting else str(voxels)))
                self.table.setItem(row, 4, QTableWidgetItem("..." if counting else f"{ml:.3f}"))
        self.table.blockSignals(False)

    def _count_in_background(self, session) -> None:
        from .workers import JobRunner

        if self._counting is not None and not self._counting.finished:
            return
        array, version = session.labels.array, session.version
        if self._count_runner is None:
            self._count_runner = JobRunner(self)

        def done(counts) -> None:
            self._counting = None
            session.counts.adopt(counts, array, changed=session.version != version)
            self.refresh()  # counts again (in the background) if the map changed meanwhile

        self._counting = self._count_runner.start(lambda progress, cancel: count_values(array),
                                                  on_done=done, on_error=lambda _text: None,
                                                  label="Counting voxels")

    def _item_changed(self, item) -> None:
        state = self.controller.state
        if item.column() != 0 or state is None:
            return
        value = int(item.data(Qt.UserRole))
        editor = self.controller.editor
        if editor is not None and editor.session is not None and value in editor.session.labels.segments:
            # Visibility of an edited segment is the Session's (undoable, and the overwrite
            # policy "visible" protects hidden segments).
            editor.segment_command("hide", value, item.checkState() != Qt.Checked)
            return
        if item.checkState() == Qt.Checked:
            state.labels.hidden.discard(value)
        else:
            state.labels.hidden.add(value)
        self.controller.labels_changed.emit()
        self.controller.changed.emit()

    def _apply(self) -> None:
        state = self.controller.state
        if state is None:
            return
        state.labels.visible = self.visible_check.isChecked()
        state.labels.outline = self.outline_check.isChecked()
        state.labels.opacity = self.opacity_slider.value() / 100.0
        self.controller.changed.emit()

    def _statistics(self) -> None:
        c = self.controller
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if c.labels is None or c.volume is None or not rows:
            return
        value = int(self.table.item(rows[0].row(), 0).data(Qt.UserRole))
        name = self.table.item(rows[0].row(), 2).text()
        stats = segment_statistics(c.volume, c.labels, value)
        self.statistics.emit(f"Segment {name}: {stats.describe()}")


class MeasurementPanel(QListWidget):
    """Results of rulers, rectangles and segment statistics, newest last."""

    def add(self, text: str) -> None:
        self.addItem(text)
        self.scrollToBottom()
