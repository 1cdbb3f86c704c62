"""The spin box of a follow-up's enlarging/shrinking threshold (%, mL): in *File > Open
follow-up...*'s dialog and in the follow-up window. Its own module: the dialog opens without
importing the window's (and the comparison's scipy/SimpleITK) modules, 0.7 s and more on the GUI
thread at the first *Open follow-up...*."""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox


def threshold_box(value: float, maximum: float, step: float, decimals: int, suffix: str):
    box = QDoubleSpinBox()
    box.setRange(0.0, maximum)
    box.setDecimals(decimals)
    box.setSingleStep(step)
    box.setSuffix(suffix)
    box.setValue(value)
    return box
