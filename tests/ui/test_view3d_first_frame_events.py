"""While the 3D view draws a frame the window goes on handling its paints, timers and workers'
results (``View3DWidget._handle_events``, called from the ray caster's progress): a new image's
first frame (the ray caster's gradient pass, then the cast) froze the window 1.2-2.3 s on a
512x512x600 CT under load (``bench/open_hold.py --ct``). What would change the scene meanwhile
waits for the frame to be drawn, and a window closed meanwhile frees its scene after it."""

from __future__ import annotations

from editor_helpers import write_image
from PySide6.QtCore import QTimer

from neuroview.render import volume3d


def _ticks_while_drawing(window, on_tick=None):
    """A timer firing at every turn of the event loop: the list of ``scene.rendering`` at each
    of its calls (True: called while a frame was being drawn)."""
    ticks: list[bool] = []
    timer = QTimer(window)
    timer.setInterval(0)

    def tick():
        scene = window.view3d.scene
        ticks.append(scene is not None and scene.rendering)
        if on_tick is not None and ticks[-1]:
            on_tick()

    timer.timeout.connect(tick)
    timer.start()
    return ticks


def _first_frame(qtbot, window):
    view3d = window.view3d
    qtbot.waitUntil(lambda: view3d._scene_volume is window.controller.volume and view3d.rgb is not None,
                    timeout=30000)


def test_timers_run_while_the_first_frame_is_drawn(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setattr(volume3d, "PUMP_S", 0.0)   # at each progress report: a small image's too
    path, _ = write_image(tmp_path)
    ticks = _ticks_while_drawing(window)
    window.open_paths([path])
    _first_frame(qtbot, window)
    assert any(ticks), "no timer ran while the 3D view drew its first frame"


def test_what_changes_the_scene_waits_for_the_frame(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setattr(volume3d, "PUMP_S", 0.0)
    path, _ = write_image(tmp_path)
    view3d = window.view3d
    resets: list[bool] = []

    def reset_during_the_frame():
        if not resets:
            real = view3d.scene.reset_camera
            monkeypatch.setattr(view3d.scene, "reset_camera",
                                lambda *side: (resets.append(view3d.scene.rendering), real(*side))[1])
            view3d.reset_camera()   # as a worker's result or a timer would, meanwhile
            assert resets == []   # held

    ticks = _ticks_while_drawing(window, reset_during_the_frame)
    window.open_paths([path])
    _first_frame(qtbot, window)
    qtbot.waitUntil(lambda: resets != [], timeout=10000)
    assert any(ticks) and not any(resets)   # done once the frame was drawn, never during it


def test_a_window_closed_during_the_frame_frees_its_scene_after_it(qtbot, window, tmp_path,
                                                                     monkeypatch):
    monkeypatch.setattr(volume3d, "PUMP_S", 0.0)
    path, _ = write_image(tmp_path)
    scenes = []

    def close_now():
        if not scenes:
            scenes.append(window.view3d.scene)
            window.view3d.release()   # what closing the window does

    _ticks_while_drawing(window, close_now)
    window.open_paths([path])
    qtbot.waitUntil(lambda: scenes != [] and not scenes[0].rendering, timeout=30000)
    assert scenes[0].window is None and scenes[0] not in volume3d.open_scenes()
