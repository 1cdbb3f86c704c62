"""The row under a 4D image's *Time point* box: a slider over its time points, and the play
button of *View > Play time points* (``ui.time_cine``). The slider follows the box and the box
the slider (drag it, click beside the handle, or turn the wheel over it: one time point a notch,
without clicking into it first as the panel's other sliders need, a time point being no
setting that scrolling the panel could spoil)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QSlider, QToolButton, QWidget


class TimeRow(QWidget):
    """A time point slider tied to ``box`` (the *Time point* spin box) and a play button."""

    def __init__(self, box) -> None:
        super().__init__()
        self.box = box
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setPageStep(1)   # a click beside the handle, a wheel notch: one time point
        self.slider.setToolTip("Time point shown: drag, click or turn the wheel over it")
        self.play_button = QToolButton()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.play_button)
        box.valueChanged.connect(self.follow)
        self.slider.valueChanged.connect(box.setValue)

    def follow(self, value: int) -> None:
        if (self.slider.minimum(), self.slider.maximum()) != (self.box.minimum(), self.box.maximum()):
            self.slider.setRange(self.box.minimum(), self.box.maximum())
        self.slider.setValue(value)
