"""The Segment editor panel's boxes and lists take the wheel only once clicked into: scrolling
the panel over the brush size, a tool's option or the AI click model changed them on the way (the
Display panel was fixed the same way in session 20)."""

from __future__ import annotations

from editor_helpers import open_case
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QScrollBar

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _wheel(widget) -> None:
    pos = QPointF(5, 5)
    QApplication.sendEvent(widget, QWheelEvent(pos, widget.mapToGlobal(pos), QPoint(0, 0),
                                               QPoint(0, -120), Qt.NoButton, Qt.NoModifier,
                                               Qt.NoScrollPhase, False))


def _value(widget):
    return widget.currentIndex() if isinstance(widget, QComboBox) else widget.value()


def test_the_wheel_over_an_option_not_clicked_into_changes_nothing(qtbot, window, tmp_path):
    open_case(qtbot, window, tmp_path)
    panel = window.edit_actions.panel
    dict(panel.option_widgets)   # every tool's page built (a page is built at its tool's first pick)
    boxes = [w for w in panel.findChildren(QAbstractSpinBox) + panel.findChildren(QComboBox)
             if not isinstance(w, QScrollBar) and w.isEnabled() and (
                 not isinstance(w, QComboBox) or w.count() > 1)]
    assert len(boxes) >= 5
    for box in boxes:
        if isinstance(box, QAbstractSpinBox):   # room to move either way
            box.setValue((box.minimum() + box.maximum()) / 2 if box.maximum() < 1e6 else box.minimum() + 1)
        else:
            box.setCurrentIndex(0)
        before = _value(box)
        _wheel(box)
        assert _value(box) == before, (box.objectName(), type(box).__name__, before, _value(box))
    spin = next(b for b in boxes if isinstance(b, QAbstractSpinBox))
    spin.setFocus()
    before = _value(spin)
    _wheel(spin)                                      # clicked into: the wheel steps it
    assert _value(spin) != before
