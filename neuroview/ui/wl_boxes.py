"""The typed *Window* and *Level* boxes, one pair in the main window's Display panel and one in the
follow-up window: they show the window the views are drawn at (after a drag, a preset or a key),
as many decimals as the image's range needs, and a value typed (Enter or leaving the box) or
stepped (wheel, arrows) sets it. A box only clicked into and left keeps the exact value: its text
is the value rounded for display, and leaving it used to set the window to that rounding.
Enter (the value typed applied) and Esc (the value drawn shown again) hand the keys back to the
view (``back_to_view``): Up/Down then step slices again, as after a click in a view; they went on
changing the window. A width of 0 (nothing drawn) is typable, and drawn at the smallest width the box
shows, which ``tell`` says in one line; it used to snap back to the old width with no word."""

from __future__ import annotations

from typing import Callable, Optional

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QDoubleSpinBox

from ..app.view_presets import window_decimals
from .qt_guard import guard_overrides

WindowLevel = tuple[float, float]


DONE_KEYS = (Qt.Key_Return, Qt.Key_Enter, Qt.Key_Escape)


@guard_overrides
class WindowLevelBoxes(QObject):
    """``current()`` is the exact ``(window, level)`` drawn (None: no image); ``apply(window,
    level)`` draws at a typed one; ``back_to_view()`` gives the keys back to the view (Enter,
    Esc); ``tell(line)`` says a width typed was raised to the smallest."""

    def __init__(self, current: Callable[[], Optional[WindowLevel]],
                 apply: Callable[[float, float], None],
                 back_to_view: Optional[Callable[[], None]] = None,
                 tell: Optional[Callable[[str], None]] = None) -> None:
        super().__init__()
        self.current, self.apply, self.back_to_view = current, apply, back_to_view
        self.tell = tell
        self.smallest_width = 0.1
        self.window_box = QDoubleSpinBox()
        self.level_box = QDoubleSpinBox()
        self.window_box.setToolTip("Window width: the range of intensities from black to white")
        self.level_box.setToolTip("Level: the intensity drawn mid-grey")
        # the Window box takes 0 (refused by the box, it snapped back to the old width with no word):
        # _typed draws the smallest width and says so
        for box, low in ((self.window_box, 0.0), (self.level_box, -1e7)):
            box.setDecimals(1)
            box.setRange(low, 1e7)
            box.setKeyboardTracking(False)
            box.editingFinished.connect(self._typed)
            # a wheel or arrow step (no keyboard tracking: not each key typed) applies at once;
            # it changed the number only, the image stayed at the old window
            box.valueChanged.connect(self._typed)
            box.installEventFilter(self)
            box.lineEdit().installEventFilter(self)
        self.setParent(self.window_box)   # the filter lives as long as the boxes

    def eventFilter(self, watched, event) -> bool:
        """Enter applies the value typed, Esc shows the value drawn again; both then hand the
        keys to the view."""
        if (event.type() != QEvent.KeyPress or event.key() not in DONE_KEYS
                or self.back_to_view is None):
            return False
        box = self.level_box if watched in (self.level_box, self.level_box.lineEdit()) else self.window_box
        if event.key() == Qt.Key_Escape:
            box.lineEdit().setModified(False)
            shown = self.current()
            if shown is not None:
                self.show(*shown)
                box.lineEdit().setText(box.textFromValue(shown[box is self.level_box]))
        else:
            box.interpretText()   # as Enter in the box: a valueChanged applies it
            box.lineEdit().setModified(False)
            self._typed()
        self.back_to_view()
        return True

    @property
    def boxes(self) -> tuple[QDoubleSpinBox, QDoubleSpinBox]:
        return self.window_box, self.level_box

    def set_range(self, low: float, high: float) -> None:
        """As many decimals as intensities ``low..high`` need (an ADC map in mm2/s showed window
        0.1, level 0.0 with one)."""
        decimals = window_decimals(low, high)
        self.smallest_width = 10.0 ** -decimals
        for box, minimum in ((self.window_box, 0.0), (self.level_box, -1e7)):
            box.blockSignals(True)
            box.setDecimals(decimals)
            box.setRange(minimum, 1e7)
            box.blockSignals(False)

    def blank(self) -> None:
        """No image: blank and disabled (no number that belongs to no image); each box shows its
        special text at its minimum."""
        for box in self.boxes:
            box.blockSignals(True)
            box.setSpecialValueText(" ")
            box.setValue(box.minimum())
            box.setEnabled(False)
            box.blockSignals(False)

    def show(self, window: float, level: float) -> None:
        """Show the window drawn, but not over a value being typed."""
        for box in self.boxes:
            if not box.isEnabled():
                box.setSpecialValueText("")   # a window of 0.1 is a number again
                box.setEnabled(True)
        for box, value in ((self.window_box, window), (self.level_box, level)):
            # Qt repaints a spin box (and the dock around it) on every setValue, even to the value
            # it shows: a wheel step changes the crosshair only, so nothing is set then (#16.10)
            typing = box.hasFocus() and box.lineEdit().isModified()
            if box.value() != round(value, box.decimals()) and not typing:
                box.blockSignals(True)
                box.setValue(value)
                box.blockSignals(False)

    def _typed(self) -> None:
        """A value typed in either box; the other box, and one only clicked into and left (its
        value rounded for display), keep the exact window or level."""
        shown = self.current()
        if shown is None:
            return
        window, level = shown
        if self.window_box.cleanText() != self.window_box.textFromValue(window):
            window = self.window_box.value()
            if window < self.smallest_width:
                window = self.smallest_width
                self.window_box.blockSignals(True)
                self.window_box.setValue(window)
                self.window_box.blockSignals(False)
                if self.tell is not None:
                    self.tell("Window width 0 draws nothing: drawn at the smallest width, "
                              + self.window_box.textFromValue(window))
        if self.level_box.cleanText() != self.level_box.textFromValue(level):
            level = self.level_box.value()
        if (window, level) != tuple(shown):
            self.apply(window, level)
