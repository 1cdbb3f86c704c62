"""Keys pressed while the 3D view draws a frame (a new image's first: 1-3 s on the demo head under
load) are handled then when they cannot change the 3D scene: the next slice, a window/level preset,
a tool (``ui.frame_input``); they all waited for the frame. Clicks and Ctrl keys still wait for
it, then come in the order they were made. The events enter the window as a user's do (through
its ``QWindow``: ``QTest`` on the window handle), while the frame is drawn."""

from __future__ import annotations

from editor_helpers import write_image
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from neuroview.render import volume3d

MODIFIER_KEYS = (Qt.Key_Control, Qt.Key_Shift, Qt.Key_Alt, Qt.Key_Meta)


class Seen(QObject):
    """Records (what, the scene drawing a frame then) for the events a widget gets."""

    def __init__(self, window, widget, kinds, seen=None) -> None:
        super().__init__(widget)
        self.main_window, self.kinds = window, kinds
        self.seen = [] if seen is None else seen
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        modifier = event.type() == QEvent.KeyPress and event.key() in MODIFIER_KEYS
        if event.type() in self.kinds and not modifier:
            what = event.key() if event.type() == QEvent.KeyPress else event.type()
            self.seen.append((what, self.main_window.view3d.scene.rendering))
        return False


def during_first_frame(qtbot, window, tmp_path, do) -> None:
    """Open an image and call ``do()`` once, from the event loop, while its first frame is drawn."""
    path, _ = write_image(tmp_path)
    done: list[bool] = []
    timer = QTimer(window)
    timer.setInterval(0)

    def tick():
        scene = window.view3d.scene
        if not done and scene is not None and scene.rendering:
            done.append(True)
            do()

    timer.timeout.connect(tick)
    timer.start()
    window.open_paths([path])
    view3d = window.view3d
    qtbot.waitUntil(lambda: view3d._scene_volume is window.controller.volume and view3d.rgb is not None,
                    timeout=30000)
    timer.stop()
    assert done, "no turn of the event loop while the first frame was drawn"


def test_slice_preset_and_tool_keys_are_handled_while_the_frame_is_drawn(qtbot, window, tmp_path,
                                                                         monkeypatch):
    monkeypatch.setattr(volume3d, "PUMP_S", 0.0)   # at each progress report: a small image's too
    axial = window.slice_views["axial"]
    keys = Seen(window, axial, (QEvent.KeyPress,))
    preset, tool = [], []
    window.preset_actions["Auto (percentiles)"].triggered.connect(
        lambda: preset.append(window.view3d.scene.rendering))
    window.mode_actions["ruler"].triggered.connect(lambda: tool.append(window.view3d.scene.rendering))

    def press():
        axial.setFocus()
        for key in (Qt.Key_Up, Qt.Key_0, Qt.Key_F3):
            QTest.keyClick(window.windowHandle(), key)

    during_first_frame(qtbot, window, tmp_path, press)
    assert (Qt.Key_Up, True) in keys.seen, f"the slice key waited for the frame: {keys.seen}"
    assert preset == [True] and tool == [True], "the preset and tool keys waited for the frame"
    assert window.controller.mode == "ruler"


def test_clicks_and_ctrl_keys_wait_for_the_frame_then_come_in_order(qtbot, window, tmp_path,
                                                                    monkeypatch):
    monkeypatch.setattr(volume3d, "PUMP_S", 0.0)
    view3d, axial = window.view3d, window.slice_views["axial"]
    order = []   # what came, and whether the frame was being drawn then
    Seen(window, view3d, (QEvent.MouseButtonPress,), order)
    Seen(window, axial, (QEvent.KeyPress,), order)
    ctrl = QAction("test", window)
    ctrl.setShortcut(QKeySequence("Ctrl+J"))
    window.addAction(ctrl)
    ctrl.triggered.connect(lambda: order.append(("Ctrl+J", view3d.scene.rendering)))

    def press():
        axial.setFocus()
        QTest.keyClick(window.windowHandle(), Qt.Key_J, Qt.ControlModifier)   # waits
        at = view3d.mapTo(window, view3d.rect().center())
        QTest.mouseClick(window.windowHandle(), Qt.LeftButton, Qt.NoModifier, QPoint(at))   # waits
        axial.setFocus()
        # after those: waits behind them; the click gave the 3D view the keys, and PgUp goes on
        # from there to the slice view (an arrow turns the 3D view)
        QTest.keyClick(window.windowHandle(), Qt.Key_PageUp)

    during_first_frame(qtbot, window, tmp_path, press)
    qtbot.waitUntil(lambda: (Qt.Key_PageUp, False) in order, timeout=10000)
    assert order == [("Ctrl+J", False), (QEvent.MouseButtonPress, False), (Qt.Key_PageUp, False)], \
        "after the frame, once each, in the order they were made"


def test_a_3d_preset_or_wheel_reaching_the_3d_view_during_the_frame_waits_or_goes(
        qtbot, window, tmp_path, monkeypatch):
    """The Display panel's 3D preset box set the scene's colours, and a wheel turn sent to the 3D
    view zoomed its camera, under the ray caster when they came during a frame (from a dialog's
    event loop, which takes the user's input then): the preset now waits for the frame, the wheel
    turn is dropped."""
    monkeypatch.setattr(volume3d, "PUMP_S", 0.0)
    view3d, box = window.view3d, window.display_panel.preset3d_box
    during = []

    def choose_and_wheel():
        other = next(box.itemText(n) for n in range(box.count())
                     if box.itemText(n) not in ("", view3d.scene.preset))   # "": the separator
        box.setCurrentText(other)
        box.activated.emit(box.currentIndex())
        during.append((other, view3d.scene.preset))
        camera = view3d.scene.renderer.GetActiveCamera()
        angle = camera.GetViewAngle()
        centre = QPointF(view3d.width() / 2, view3d.height() / 2)
        QApplication.sendEvent(view3d, QWheelEvent(
            centre, view3d.mapToGlobal(centre), QPoint(0, 0), QPoint(0, 240), Qt.NoButton,
            Qt.NoModifier, Qt.NoScrollPhase, False))
        during.append((angle, camera.GetViewAngle()))

    during_first_frame(qtbot, window, tmp_path, choose_and_wheel)
    (chosen, preset_then), (angle_before, angle_after) = during
    assert preset_then != chosen, "the scene's preset changed while the frame was drawn"
    assert angle_after == angle_before, "the camera zoomed while the frame was drawn"
    qtbot.waitUntil(lambda: view3d.scene.preset == chosen, timeout=10000)
