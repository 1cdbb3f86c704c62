"""The *Overlay* rows of the Display panel, shown while a second series lies over the image
(*View > Other series > Overlay series...*, ``ui.actions_fusion``): its opacity (a slider, 0-100 %)
and its own
window and level (the typed boxes of ``ui.wl_boxes``, their range all its time points'; *Auto
W/L* sets its automatic window again), and its colour scale (hot, or grey: at
100 % **O** then flicks between the two series); a 4D overlay's time point (an fMRI run, a DWI's
volumes: ``frame_box``, counted from 1 as the image's *Time point* row); the image's Window and
Level rows above stay the image's."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QWidget,
)

from ..app.frames import box_suffix
from .wl_boxes import WindowLevelBoxes


class FusionRowWidget(QWidget):
    """Opacity slider and the overlay's Window / Level boxes; ``controller``: the main window's
    (its ``state.fusion``, ``changed``)."""

    def __init__(self, controller, parent=None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.opacity_slider = QSlider(Qt.Horizontal)
        self.opacity_slider.setRange(0, 100)
        self.opacity_slider.setToolTip("Overlay opacity (%): 0 the image alone, 100 the overlay "
                                       "alone where it lies (Shift+O / Alt+O step it)")
        self.wl_boxes = WindowLevelBoxes(self._drawn, self._apply_window_level)
        self.window_box, self.level_box = self.wl_boxes.boxes
        self.window_box.setToolTip("The overlay's window width: the range drawn black to white-hot")
        self.level_box.setToolTip("The overlay's level: the intensity drawn mid-way (yellow)")
        for box in self.wl_boxes.boxes:   # two in a row: as wide as a value shows, not as the
            # range's ends (-10000000.000000 with six decimals) would need
            box.setMinimumWidth(box.fontMetrics().horizontalAdvance("-0.0000000") + 28)
        self.wl_row = QWidget()
        boxes = QHBoxLayout(self.wl_row)
        boxes.setContentsMargins(0, 0, 0, 0)
        boxes.addWidget(QLabel("W"))
        boxes.addWidget(self.window_box, 1)
        boxes.addWidget(QLabel("L"))
        boxes.addWidget(self.level_box, 1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.opacity_slider, 1)
        self.colours_box = QComboBox()
        self.colours_box.addItem("Hot", "hot")
        self.colours_box.addItem("Grey", "grey")
        self.colours_box.setToolTip("The overlay's colours: hot (bright signal stands out), or grey "
                                    "(at 100 %, O flicks between the two series)")
        row.addWidget(self.colours_box)
        # beside the colours, the W/L row below being as wide as the Display panel leaves it
        self.auto_button = QPushButton("Auto W/L")
        self.auto_button.setToolTip("The overlay's window and level back to the automatic ones "
                                    "it was laid with")
        self.auto_button.clicked.connect(self._auto_window)
        row.addWidget(self.auto_button)
        self.frame_box = QSpinBox()   # a 4D overlay's time point, its own row (``DisplayPanel``)
        self.frame_box.setKeyboardTracking(False)
        self.frame_box.setToolTip("The time point of the overlay drawn (Alt+Shift+Right / "
                                  "Alt+Shift+Left step it)")
        self.frame_box.valueChanged.connect(self._apply_frame)
        self.opacity_slider.valueChanged.connect(self._apply_opacity)
        self.colours_box.activated.connect(self._apply_colours)
        controller.changed.connect(self.sync)

    @property
    def layer(self):
        state = self.controller.state
        return None if state is None else state.fusion

    def _drawn(self):
        layer = self.layer
        return None if layer is None else (layer.window, layer.level)

    def _apply_window_level(self, window: float, level: float) -> None:
        layer = self.layer
        if layer is not None:
            layer.window, layer.level = float(window), float(level)
            self.controller.changed.emit()

    def _auto_window(self) -> None:
        layer = self.layer
        if layer is not None:
            layer.auto_window()
            self.controller.changed.emit()

    def _apply_opacity(self, value: int) -> None:
        layer = self.layer
        if layer is not None and round(layer.opacity * 100) != value:
            layer.set_opacity(value / 100.0)
            self.controller.changed.emit()

    def _apply_colours(self, _index: int = 0) -> None:
        layer = self.layer
        if layer is not None and layer.colours != self.colours_box.currentData():
            layer.colours = self.colours_box.currentData()
            self.controller.changed.emit()

    def _apply_frame(self, value: int) -> None:
        layer = self.layer
        if layer is not None and layer.frame != value - 1:
            layer.set_frame(value - 1)
            self.controller.changed.emit()

    def set_range(self, low: float, high: float) -> None:
        self.wl_boxes.set_range(low, high)

    def sync(self) -> None:
        layer = self.layer
        if layer is None:
            return
        if self.opacity_slider.value() != round(layer.opacity * 100):
            self.opacity_slider.blockSignals(True)
            self.opacity_slider.setValue(round(layer.opacity * 100))
            self.opacity_slider.blockSignals(False)
        self.wl_boxes.show(layer.window, layer.level)
        frames = layer.volume.n_frames
        if (self.frame_box.maximum(), self.frame_box.value()) != (frames, layer.frame + 1):
            self.frame_box.blockSignals(True)
            self.frame_box.setRange(1, frames)
            self.frame_box.setValue(layer.frame + 1)
            self.frame_box.blockSignals(False)
        self.frame_box.setSuffix(box_suffix(layer.volume, layer.frame))   # " of 20, t = 4 s"
        index = self.colours_box.findData(layer.colours)
        if self.colours_box.currentIndex() != index:
            self.colours_box.setCurrentIndex(index)
