"""Side panels: display (window/level, presets, orientation, 3D), segments, measurements."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSlider,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..app.frames import box_suffix, step_name
from ..app.shell_windows import b_value_of
from ..app.view3d_choice import presets_by_fit
from ..app.view_measure import format_ml, segment_statistics, segment_table_rows
from ..app.view_presets import (
    CONTRAST_RUN,
    CUSTOM,
    FULL,
    matching_preset,
    preset_names,
    preset_window_level,
)
from ..core.labels import count_values
from .check_delegate import CentredCheckDelegate
from .copy_text import install_copy, list_text
from .fusion_row import FusionRowWidget
from .plain_text import plain_label, plain_tooltip
from .preset_keys import KEYS_TIP as PRESET_KEYS_TIP
from .slab_row import SlabRowWidget
from .swatch import SwatchDelegate
from .time_row import TimeRow
from .wheel_focus import WheelWhenFocused
from .wl_boxes import WindowLevelBoxes

STEP_KEYS = "(Alt+Right / Alt+Left step it)"
"""The keys of *View > Next / Previous time point* (``main_window``), named in the box's tooltip
as the overlay's time point box names its own: it named none."""


class DisplayPanel(QWidget):
    """Window/level with presets, orientation mode, 3D rendering options."""

    def __init__(self, controller, view3d, parent=None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.view3d = view3d
        form = QFormLayout(self)
        self.wl_boxes = WindowLevelBoxes(self._drawn_window_level, controller.set_window_level)
        self.window_box, self.level_box = self.wl_boxes.boxes
        self.preset_box = QComboBox()
        self.preset_box.setToolTip(PRESET_KEYS_TIP)
        self.presets: dict[str, tuple[float, float]] = {}
        self.orientation_box = QComboBox()
        self.orientation_box.addItems(["Anatomical planes (resliced)", "Acquisition planes"])
        self.preset3d_box = QComboBox()
        self.volume3d_check = QCheckBox("Volume rendering")
        self.volume3d_check.setChecked(True)
        self.volume3d_check.setToolTip(
            "Until you click it, on only while the 3D view shows nothing else: it unticks when segment "
            "surfaces or slice planes show (it would hide them). Ticked or cleared by you, it stays "
            "so, also for the next images")
        self.preset3d_box.setToolTip("The 3D view's colours and opacities. One you choose stays for the "
                                     "next images and sessions (a CT preset for CTs only)")
        self.planes3d_check = QCheckBox("Slice planes in 3D")
        self.opacity3d_slider = QSlider(Qt.Horizontal)
        self.opacity3d_slider.setRange(0, 100)
        self.opacity3d_slider.setValue(100)
        self.opacity3d_slider.setToolTip("Volume rendering opacity (%)")
        self.frame_box = QSpinBox()   # time point of a 4D image, counted from 1 as napari/Slicer show it
        self.frame_box.setToolTip(f"Time point of a 4D image shown in the slice views {STEP_KEYS}")
        self.frame_box.setKeyboardTracking(False)
        self.frame_label = self._row_label("Time point", self.frame_box)   # a DWI's "Volume"
        form.addRow(self.frame_label, self.frame_box)
        form.setRowVisible(self.frame_box, False)
        self.time_row = TimeRow(self.frame_box)   # its slider and play button (ui.time_cine)
        self.play_button = self.time_row.play_button
        form.addRow(self.time_row)
        form.setRowVisible(self.time_row, False)
        self.form = form
        form.addRow("Window", self.window_box)
        form.addRow("Level", self.level_box)
        form.addRow("Preset", self.preset_box)
        form.addRow("Slices", self.orientation_box)
        self.slab_row = SlabRowWidget(controller)
        form.addRow("Slab", self.slab_row)
        # View > Other series > Overlay series: its rows shown while one is laid over the image
        self.fusion_row = FusionRowWidget(controller)
        form.addRow("Overlay opacity", self.fusion_row)
        form.addRow("Overlay window", self.fusion_row.wl_row)
        self.fusion_frame_label = self._row_label("Overlay time point", self.fusion_row.frame_box)
        form.addRow(self.fusion_frame_label, self.fusion_row.frame_box)
        self.show_fusion_rows(False)
        form.addRow("3D preset", self.preset3d_box)
        checks = QHBoxLayout()   # side by side: one row for both, which the Slab row needed at
        checks.addWidget(self.volume3d_check)   # 1366x768 (the editor's options below the fold)
        checks.addWidget(self.planes3d_check)
        checks.addStretch(1)
        form.addRow(checks)
        form.addRow("Volume opacity", self.opacity3d_slider)
        self.wheel_filter = WheelWhenFocused(self)
        for widget in (self.frame_box, self.window_box, self.level_box, self.preset_box,
                       self.orientation_box, self.preset3d_box, self.opacity3d_slider,
                       self.slab_row.thickness_box, self.slab_row.mode_box, self.slab_row.view_box,
                       self.fusion_row.opacity_slider, self.fusion_row.colours_box,
                       self.fusion_row.frame_box,
                       *self.fusion_row.wl_boxes.boxes):
            widget.installEventFilter(self.wheel_filter)
        self._list_3d_presets(None)
        self.frame_box.valueChanged.connect(lambda value: controller.set_frame(value - 1))
        self.frame_box.valueChanged.connect(self._frame_suffix)   # its time or b-value beside it
        self.preset_box.activated.connect(self._apply_preset)
        self.orientation_box.activated.connect(self._apply_orientation)
        self.preset3d_box.activated.connect(self._choose_3d_preset)
        self.volume3d_check.clicked.connect(self._volume_3d_clicked)  # the user's explicit choice
        self.planes3d_check.toggled.connect(self._apply_3d)
        self.opacity3d_slider.valueChanged.connect(self._apply_3d)
        view3d.rendered.connect(self._sync_3d)
        controller.changed.connect(self.sync)
        controller.volume_changed.connect(self._volume_changed)
        controller.frame_changed.connect(self._frame_presets)
        controller.frame_changed.connect(self._frame_shown)
        self._volume_seen = self._volume_told = False
        self._show_no_image()

    @staticmethod
    def _row_label(text: str, field):
        """A form row's label renamed with the image (:func:`step_name`): plain text, as the
        label ``addRow(text, field)`` makes is not (the rule of ``tests/ui/test_rich_text_sinks.py``)."""
        label = plain_label(text)
        label.setBuddy(field)
        return label

    def show_fusion_rows(self, shown: bool, frames: int = 1) -> None:
        """The overlay series' opacity and window/level rows, shown while one is over the image;
        its time point's row while it has ``frames`` > 1 (a 4D overlay: a run, a DWI)."""
        for widget in (self.fusion_row, self.fusion_row.wl_row):
            self.form.setRowVisible(widget, shown)
        self.form.setRowVisible(self.fusion_row.frame_box, shown and frames > 1)
        if shown and frames > 1:   # a DWI's "Overlay volume", a run's "Overlay time point"
            self.fusion_frame_label.setText(f"Overlay {step_name(self.fusion_row.layer.volume).lower()}")

    def _volume_changed(self) -> None:
        volume = self.controller.volume
        self._volume_seen = self._volume_told = False   # the image's volume rendering drawn; said why off
        self.preset_box.clear()
        names = preset_names(volume) if volume is not None else []
        self.presets = {name: preset_window_level(name, volume) for name in names}
        self.preset_box.addItems(names + [CUSTOM])
        # "Custom" names a manual window (a drag, typed values); it is shown, never chosen
        self.preset_box.model().item(len(names)).setEnabled(False)
        self.orientation_box.setCurrentIndex(0)
        # as many decimals as the image's range needs (an ADC map in mm2/s showed 0.1 / 0.0)
        self.wl_boxes.set_range(*(self.controller.range if volume is not None else (0.0, 1000.0)))
        frames = volume.n_frames if volume is not None else 1
        self.frame_box.blockSignals(True)
        self.frame_box.setRange(1, frames)
        self.frame_box.setSuffix(box_suffix(volume, 0))
        # a DWI's volumes, a run's time points, a colour image's R, G, B, a vector's x, y, z
        label = step_name(volume)
        self.frame_label.setText(label)
        self.frame_box.setToolTip(plain_tooltip(f"{label} of the image shown in the slice views {STEP_KEYS}"))
        self.frame_box.setValue(1)
        self.frame_box.blockSignals(False)
        self.time_row.follow(1)   # the slider's range and value (the box's signals were held)
        self.form.setRowVisible(self.frame_box, frames > 1)
        self.form.setRowVisible(self.time_row, frames > 1)
        self._list_3d_presets(volume)
        # the preset the 3D view will start at, named now (the view connected first: it is known)
        self.preset3d_box.setCurrentText(self.view3d.opening_preset)
        self.sync()

    def _list_3d_presets(self, volume) -> None:
        """The 3D presets that suit the image first (a CT's CT presets, MR default for the
        rest), then a separator and the others (``app.view3d_choice.presets_by_fit``): an MR's
        box offered CT bone first."""
        from ..render.prepare3d import PRESETS_3D

        suited, others = presets_by_fit(volume, PRESETS_3D)
        self.preset3d_box.clear()
        self.preset3d_box.addItems(suited)
        if others and volume is not None:
            self.preset3d_box.insertSeparator(len(suited))
        self.preset3d_box.addItems(others)

    def _frame_suffix(self, value: int) -> None:
        """``" of 20, t = 4 s"``: the time (a DWI's b-value) of the time point shown, beside its
        number, as the notice says it (:func:`~neuroview.app.frames.box_suffix`)."""
        self.frame_box.setSuffix(box_suffix(self.controller.volume, value - 1))

    def _frame_shown(self, frame: int) -> None:
        """The box (its slider, its time, the notice) at the time point on screen, also when
        ``controller.set_frame`` was called from Python (the scripting API): the box stayed at
        the one before. Its step is the one made (``set_frame`` returns at the same frame)."""
        if self.frame_box.value() != frame + 1:
            self.frame_box.setValue(frame + 1)

    def _frame_presets(self, frame: int) -> None:
        """A DWI's volume shown: the presets of that volume (its b-value's own window,
        ``app.shell_windows``, is named *Auto* where it is its automatic one), before ``sync``."""
        volume = self.controller.volume
        if volume is None or b_value_of(volume, frame) is None:
            return
        shown = self.controller.shown_volume()
        self.presets = {name: preset_window_level(name, volume if name == FULL else shown)
                        for name in self.presets}

    def _show_no_image(self) -> None:
        """No image open: the window and level boxes are blank and disabled."""
        self.wl_boxes.blank()

    def _drawn_window_level(self):
        state = self.controller.state
        return None if state is None else (state.window, state.level)

    def sync(self) -> None:
        state = self.controller.state
        if state is None or self.controller.volume is None:
            self._show_no_image()
            return
        self.wl_boxes.show(state.window, state.level)
        if self.preset_box.count():
            current = self.preset_box.currentText()
            if current in self.presets and matching_preset(
                    state.window, state.level, {current: self.presets[current]}) == current:
                return   # the preset chosen stays named: a CT's Brain 80/40 read "DICOM header"
                #          when its header named 80/40 too (the first preset of those numbers)
            preset = matching_preset(state.window, state.level, self.presets)
            if self.preset_box.currentText() != preset:
                self.preset_box.setCurrentText(preset)

    def choose_preset(self, name: str) -> bool:
        """Choose and apply the preset ``name`` (*View > Window preset*'s keys); False when this
        image is not offered it (a CT preset on an MR)."""
        if self.controller.volume is None or name not in self.presets:
            return False
        self.preset_box.setCurrentText(name)
        self._apply_preset()
        return True

    def _apply_preset(self) -> None:
        name = self.preset_box.currentText()
        if self.controller.volume is None or name not in self.presets:
            return
        # from the time point on screen (a 4D image's window stays put while stepping through
        # time); Full range from every time point, as the Window boxes range (until session 46
        # the one on screen: a run's blank first time point gave a window 0.000001 wide); Contrast
        # run from the whole run, its rise over time (one time point has none)
        whole = name in (FULL, CONTRAST_RUN)
        volume = self.controller.volume if whole else self.controller.shown_volume()
        self.presets[name] = preset_window_level(name, volume)
        self.controller.set_window_level(*self.presets[name])

    def _apply_orientation(self) -> None:
        state = self.controller.state
        if state is not None:
            state.set_orientation_mode("anatomical" if self.orientation_box.currentIndex() == 0
                                       else "acquisition")
            self.controller.changed.emit()

    def _apply_3d(self) -> None:
        # held by the 3D view when it has no scene yet (no image opened so far)
        self.view3d.set_options(self.planes3d_check.isChecked(), self.opacity3d_slider.value() / 100.0)
        self.view3d.set_preset(self.preset3d_box.currentText())

    def _choose_3d_preset(self) -> None:
        """The user's *3D preset*: kept for the images opened after (``View3DWidget.choice``)."""
        self.view3d.choose_preset(self.preset3d_box.currentText())

    def _volume_3d_clicked(self, checked: bool) -> None:
        self.view3d.set_volume_visible(checked)   # held while the 3D view is being set up

    def _sync_3d(self) -> None:
        """Volume rendering turns itself off when label surfaces or planes appear: say so. The
        preset box names the preset drawn, once the scene shows the image open (before, the one
        it will start at: :attr:`View3DWidget.opening_preset`)."""
        scene = self.view3d.scene
        if scene is None:
            return
        if self.view3d.volume_wanted is None and self.volume3d_check.isChecked() != scene.show_volume:
            why = scene.volume_yields_to
            if self.volume3d_check.isChecked() and why and self._volume_seen and not self._volume_told:
                # the box ticked as the image opened looks like a choice: it unticked with no word
                # (said once an image, and only once the user saw the volume drawn for it)
                self._volume_told = True
                self.view3d.aside.emit(f"3D view: volume rendering off while {why} show (it would "
                                      "hide them); tick Volume rendering to keep it on")
            self.volume3d_check.setChecked(scene.show_volume)  # clicked is not emitted
        if scene.show_volume and self.view3d.shows_open_image:
            self._volume_seen = True
        if self.preset3d_box.currentText() != scene.preset and self.view3d.shows_open_image:
            self.preset3d_box.setCurrentText(scene.preset)  # activated is not emitted


BACKGROUND_COUNT_VOXELS = 1 << 24
"""Label maps from this many voxels (16 M, e.g. 256^3) get their first count in a worker thread."""


class SegmentPanel(QWidget):
    """Segments of the label map: visibility, colour, name, voxels, mL; overlay options."""

    COLUMNS = ("Show", "Colour", "Name", "Voxels", "mL")
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
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(24)
        for column in range(len(self.COLUMNS)):  # the name takes what the counts leave (elided)
            header.setSectionResizeMode(column, QHeaderView.Stretch if column == 2
                                        else QHeaderView.ResizeToContents)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.table.setTextElideMode(Qt.ElideRight)
        # Show: centred, a click anywhere in the cell toggles it (only the box at the left did)
        self.table.setItemDelegateForColumn(0, CentredCheckDelegate(self.table))
        self.table.setItemDelegateForColumn(1, SwatchDelegate(self.table))  # visible when selected
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
        # the next image is drawn as these say (it came back shown at 50 %, the boxes unchanged)
        controller.volume_changed.connect(self._carry)
        self.table.itemChanged.connect(self._item_changed)
        self.stats_button.clicked.connect(self._statistics)
        controller.labels_changed.connect(self.refresh)

    def refresh(self) -> None:
        labels = self.controller.labels
        current = self.table.currentItem()   # kept by segment: a second Space toggled nothing
        kept = None if current is None else (self.table.item(current.row(), 0).data(Qt.UserRole),
                                             current.column())
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
                self.table.setItem(row, 4, QTableWidgetItem("..." if counting else format_ml(ml)))
                if kept is not None and kept[0] == value:
                    self.table.setCurrentCell(row, kept[1])
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
        if self._carry():
            self.controller.changed.emit()

    def _carry(self) -> bool:
        """Write *Labels*, *Outline* and *Opacity* into the image's display state (a new image's
        too, as the window keeps the layout and slabs); False with no image."""
        state = self.controller.state
        if state is None:
            return False
        state.labels.visible = self.visible_check.isChecked()
        state.labels.outline = self.outline_check.isChecked()
        state.labels.opacity = self.opacity_slider.value() / 100.0
        return True

    def _statistics(self) -> None:
        c = self.controller
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if c.labels is None or c.volume is None:
            return
        if rows:
            value = int(self.table.item(rows[0].row(), 0).data(Qt.UserRole))
            name = self.table.item(rows[0].row(), 2).text()
        else:   # no row picked here: the segment selected in the Segment editor
            active = c.editor.active_segment() if c.editor is not None else None
            if active is None:
                self.statistics.emit("Statistics: select a segment first (click its row)")
                return
            value, name = active.value, active.name
        stats = segment_statistics(c.shown_volume(), c.labels, value)
        self.statistics.emit(f"Segment '{name}': {stats.describe()}")   # 'Segment 1', not Segment Segment 1


class MeasurementPanel(QListWidget):
    """Results of rulers, rectangles and segment statistics, newest last; long lines wrap inside
    the dock (a statistics line is read whole, not behind a horizontal scroll bar). A
    double-click (or Enter) on a ruler's, angle's or rectangle's line asks for the views to go
    where it lies (:attr:`go_to`), as Slicer's markups list jumps the slices to a markup: once
    scrolled away there was no way back to a measurement but scrolling to find it."""

    go_to = Signal(object)   # the RAS point of the line activated

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setResizeMode(QListWidget.Adjust)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setSelectionMode(QListWidget.ExtendedSelection)   # Shift/Ctrl+click: lines to copy
        self.copy_action = install_copy(self, lambda: list_text(self))
        self.itemActivated.connect(self._activated)

    def add(self, text: str, at_ras=None) -> None:
        self.addItem(text)
        if at_ras is not None:
            item = self.item(self.count() - 1)
            item.setData(Qt.UserRole, [float(v) for v in at_ras])
            item.setToolTip("Double-click: the views go to it")
        self.scrollToBottom()

    def _activated(self, item) -> None:
        at_ras = item.data(Qt.UserRole)
        if at_ras is not None:
            self.go_to.emit(at_ras)
