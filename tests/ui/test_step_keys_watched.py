"""Alt+Right / Alt+Left held (``ui.time_cine.StepKeysHeld``) is watched where the keys enter the
main window, its ``QWindow``, not through an application-wide event filter: that filter saw every
event of every object, 3,800 for each window made and shown, each a call into Python (window build,
show and close 0.74-0.76 of before, bench/window_build.py), and held the 3D view for a key held
down in another window."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog

from neuroview.ui.time_cine import StepKeysHeld

WITHOUT_3D = "the filter's events are counted; no image opened"


def test_the_held_keys_are_watched_in_the_main_window_only(qtbot, window, monkeypatch):
    seen = []
    real = StepKeysHeld.eventFilter
    monkeypatch.setattr(StepKeysHeld, "eventFilter",
                        lambda self, obj, event: seen.append(obj) or real(self, obj, event))
    step_keys = window.time_cine.step_keys
    other = QDialog(window)
    qtbot.addWidget(other)
    other.show()
    qtbot.waitExposed(other)
    repeat = QKeyEvent(QEvent.KeyPress, Qt.Key_Right, Qt.AltModifier, "", True)
    QApplication.sendEvent(other.windowHandle(), repeat)   # held down in another window
    assert not step_keys.held
    assert all(obj is window.windowHandle() for obj in seen), {type(obj).__name__ for obj in seen}
    QApplication.sendEvent(window.windowHandle(), repeat)   # held down in the main window
    assert step_keys.held
    release = QKeyEvent(QEvent.KeyRelease, Qt.Key_Right, Qt.AltModifier, "", False)
    QApplication.sendEvent(window.windowHandle(), release)
    assert not step_keys.held
