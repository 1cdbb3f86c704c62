"""The segment editor's tool options: the tools, each one's parameters, and a widget for each.

:data:`OPTIONS` lists every tool's parameters; :func:`option_widget` makes the widget of one and
:func:`show_value` puts a remembered value back into it. The panel
(:class:`~neuroview.ui.editor_panel.SegmentEditorPanel`) lays them out and sends changes on,
each tool's page when it is first picked or asked for (:class:`OptionPages`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Callable

import numpy as np
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QHBoxLayout, QSpinBox, QWidget

from ..app.view_presets import intensity_range, window_decimals

TOOLS = (("navigate", "Navigate", "N, F1: crosshair and slices, no editing; Esc cancels a stroke "
          "or preview"),
         ("paint", "Paint", "P: paint the selected segment; [ and ] change the radius"),
         ("erase", "Erase", "E: erase with the brush; Shift+E: every unlocked segment, or "
                   "again only the selected one"),
         ("fill", "Fill", "F: click to flood-fill a connected region"),
         ("ai-click", "AI click", "K: click = include, Shift+click or right click = exclude, "
          "drag = box (or scribble), Ctrl+drag = lasso; Enter accepts, Esc discards"),
         ("grow", "Grow from seeds", "Paint seeds of two or more segments, then Preview and Apply"),
         ("interpolate", "Fill between slices", "Draw the segment every few slices, then Preview"),
         ("islands", "Islands", "Keep the largest, remove small, keep or remove the island you "
          "click in a slice view, or split into segments"),
         ("smoothing", "Smoothing", "Median, opening or closing with a ball kernel"),
         ("margin", "Margin", "Grow (positive) or shrink (negative) by mm"),
         ("logical", "Logical", "Copy, add, subtract, intersect or clear with another segment"),
         ("threshold", "Threshold", "T: the voxels in an intensity range (shown in colour) "
          "become the segment on Apply"))
TOOL_NAMES = tuple(name for name, _text, _tip in TOOLS)
ISLAND_HELP = {
    "keep_largest": "Apply keeps the selected segment's largest island and removes the others",
    "remove_small": "Apply removes the selected segment's islands smaller than Minimum size",
    "keep_selected": "Click an island of the selected segment in a slice view: it is kept and the "
                     "others removed (no Apply; Ctrl+Z takes it back)",
    "remove_selected": "Click an island of the selected segment in a slice view: it is removed "
                       "(no Apply; Ctrl+Z takes it back)",
    "split": "Apply makes each island of the selected segment a segment (the largest keeps the "
             "name, the others are named 2, 3...); islands below Minimum size, if set, are removed"}
"""The help line under the tools while Islands is picked: what the chosen operation will do (as
Slicer's Islands effect says); a line for the whole tool said nothing of the click to give."""
BRUSH_MODES = [("2d", "2D (this slice)"), ("3d", "3D (sphere)")]
FILL_MODES = [("2d", "2D (this slice)"), ("3d", "3D")]
RANGE = (-1e6, 1e6)
# (parameter, label, kind, extra): kind "float" (min, max, step, decimals), "choice" [(value, text)],
# "optional" (an off-able float), "int" (min, max), "segment" (another segment).
OPTIONS = {
    "paint": [("radius_mm", "Radius (mm)", "float", (0.25, 200.0, 0.5, 2)),
              ("mode", "Brush", "choice", BRUSH_MODES),
              ("intensity_low", "Only intensity from", "optional", None),
              ("intensity_high", "Only intensity to", "optional", None)],
    "erase": [("radius_mm", "Radius (mm)", "float", (0.25, 200.0, 0.5, 2)),
              ("mode", "Brush", "choice", BRUSH_MODES),
              ("segment", "Erase", "choice", [(None, "the selected segment"),
                                               ("all", "every unlocked segment (Shift+E)")])],
    "fill": [("mode", "Fill", "choice", FILL_MODES),
             ("tolerance", "Tolerance", "optional", None),
             ("intensity_low", "Intensity from", "optional", None),
             ("intensity_high", "Intensity to", "optional", None)],
    "grow": [("padding_mm", "Padding (mm)", "float", (0.0, 200.0, 1.0, 1)),
             ("sigma_mm", "Smoothing (mm)", "float", (0.0, 20.0, 0.25, 2))],
    "interpolate": [],
    "islands": [("operation", "Operation", "choice", [("keep_largest", "Keep the largest island"),
                                                       ("remove_small", "Remove small islands"),
                                                       ("keep_selected", "Keep selected island"),
                                                       ("remove_selected", "Remove selected island"),
                                                       ("split", "Split islands into segments")]),
                ("min_voxels", "Minimum size (voxels)", "int", (0, 10 ** 8)),
                ("connectivity", "Connectivity", "choice", [(26, "26 (corners)"), (6, "6 (faces)")])],
    "smoothing": [("method", "Method", "choice", [("median", "Median"), ("opening", "Opening"),
                                                   ("closing", "Closing (fill holes)")]),
                  ("kernel_mm", "Kernel (mm)", "float", (0.1, 100.0, 0.5, 2))],
    "margin": [("margin_mm", "Margin (mm)", "float", (-100.0, 100.0, 0.5, 2))],
    "logical": [("operation", "Operation", "choice", [("add", "Add"), ("subtract", "Subtract"),
                                                       ("intersect", "Intersect"), ("copy", "Copy"),
                                                       ("clear", "Clear")]),
                ("other", "With segment", "segment", None)],
    "threshold": [("low", "Minimum", "float", (-1e9, 1e9, 1.0, 1)),
                  ("high", "Maximum", "float", (-1e9, 1e9, 1.0, 1))],
}
POLICIES = [("all", "Overwrite: every unlocked segment"), ("visible", "Overwrite: visible segments"),
            ("background", "Overwrite: background only")]


class OptionalNumber(QWidget):
    """A number that may be switched off (``None``): a check box and a spin box."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox()
        self.spin = QDoubleSpinBox()
        self.spin.setRange(*RANGE)
        self.spin.setDecimals(1)
        self.spin.setEnabled(False)
        self.check.toggled.connect(self.spin.setEnabled)
        layout.addWidget(self.check)
        layout.addWidget(self.spin, 1)

    def value(self):
        return self.spin.value() if self.check.isChecked() else None

    def set_value(self, value) -> None:
        self.check.setChecked(value is not None)
        # a value already shown is not written back: that reformats the digits being typed
        if value is not None and self.spin.value() != round(float(value), self.spin.decimals()):
            self.spin.setValue(float(value))

    def set_decimals(self, decimals: int, step: float) -> None:
        """Show ``decimals`` decimals, ``step`` per arrow click (the value kept as it is)."""
        self.spin.blockSignals(True)
        self.spin.setDecimals(decimals)
        self.spin.setSingleStep(step)
        self.spin.blockSignals(False)


def intensity_decimals(volume) -> tuple[int, float]:
    """Decimals and arrow step of an intensity box for ``volume``: as the *Window* boxes show its
    range (``window_decimals``: 4 for a 0-1 image, 2 for an SUV 0-12), whole numbers on an
    integer image (CT in HU, most MR); a step of about 1/200 of the range. The range of every time
    point of a 4D run, as the *Window* boxes' (its first until session 46: a run whose first time
    point is blank showed 0.0 for 0.002)."""
    low, high = intensity_range(volume, every_frame=True)
    decimals = 0 if np.issubdtype(volume.frame(0).dtype, np.integer) else window_decimals(low, high)
    return decimals, max(round((high - low) / 200, decimals), 10.0 ** -decimals)


def option_widget(kind: str, extra, changed: Callable[[object], None]) -> QWidget:
    """The widget of one parameter of :data:`OPTIONS` (``kind`` and ``extra`` as listed there);
    ``changed(value)`` is called with the parameter's new value when the widget changes."""
    if kind == "float":
        low, high, step, decimals = extra
        widget = QDoubleSpinBox()
        widget.setRange(low, high)
        widget.setSingleStep(step)
        widget.setDecimals(decimals)
        widget.setKeyboardTracking(False)
        widget.valueChanged.connect(lambda v: changed(float(v)))
    elif kind == "int":
        widget = QSpinBox()
        widget.setRange(*extra)
        widget.setSpecialValueText("default")
        widget.valueChanged.connect(lambda v: changed(int(v) or None))
    elif kind == "optional":
        widget = OptionalNumber()
        widget.check.toggled.connect(lambda _v, w=widget: changed(w.value()))
        widget.spin.valueChanged.connect(lambda _v, w=widget: changed(w.value()))
    else:  # "choice" and "segment"
        widget = QComboBox()
        for value, text in extra or []:
            widget.addItem(text, value)
        widget.activated.connect(lambda _i, w=widget: changed(w.currentData()))
    return widget


def show_value(widget: QWidget, value) -> None:
    """Put ``value`` into a widget made by :func:`option_widget` (a choice not in the list: as it was)."""
    if isinstance(widget, QDoubleSpinBox):
        # a range not set yet (Threshold's before an image) stays as shown; a value already shown
        # is not written back: that reformats the digits being typed ("0.3" -> "0.300", the
        # next digit typed was refused)
        if value is not None and widget.value() != round(float(value), widget.decimals()):
            widget.setValue(float(value))
    elif isinstance(widget, QSpinBox):
        widget.setValue(int(value or 0))
    elif isinstance(widget, OptionalNumber):
        widget.set_value(value)
    elif isinstance(widget, QComboBox):
        index = widget.findData(value)
        if index >= 0:
            widget.setCurrentIndex(index)


class OptionPages(Mapping):
    """Each tool's option widgets (parameter -> widget), its page built by ``build(tool)`` the
    first time the tool is picked or its widgets are asked for: a new window built the pages of
    the 11 tools not picked, 180 widgets that only a pick shows (bench/window_start.py)."""

    def __init__(self, build: Callable[[str], dict]) -> None:
        self._build = build
        self.built: dict[str, dict[str, QWidget]] = {}
        """The pages built so far: only these show a remembered value (the others show it when built)."""

    def __getitem__(self, tool: str) -> dict[str, QWidget]:
        if tool not in self.built:
            if tool not in TOOL_NAMES:
                raise KeyError(tool)
            self.built[tool] = self._build(tool)
        return self.built[tool]

    def __iter__(self):
        return iter(TOOL_NAMES)

    def __len__(self) -> int:
        return len(TOOL_NAMES)
