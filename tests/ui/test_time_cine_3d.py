"""The 3D view while a 4D run's time points play (Shift+C), the time slider is dragged or Alt+Right
is held down on autorepeat: it keeps the time point it shows and says so, and shows the time point
on screen once the cine stops, the slider or the key is let go. Its volume rendering was made anew
at each step of the cine: about a second a step on a 512x512x64 CT, the slice views held meanwhile
(``bench/time_cine.py --ct``, ``bench/step_key_held.py``)."""

from __future__ import annotations

import threading

import numpy as np
from frame_images import frames, open_and_wait
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QImage, QKeyEvent
from PySide6.QtWidgets import QApplication
from vtkmodules.util.numpy_support import vtk_to_numpy

from neuroview.app.frames import frame_volume
from neuroview.render import prepare3d, volume3d
from neuroview.render.prepare3d import prepare_volume
from neuroview.render.volume3d import Scene3D


def counted_rebuilds(view3d) -> list:
    """The volume renderings the 3D scene took from now on (``render.prepare3d.VolumeData``)."""
    made, show = [], view3d.scene.show_volume_data

    def counting(data, *args, **kwargs):
        made.append(data)
        return show(data, *args, **kwargs)

    view3d.scene.show_volume_data = counting
    return made


def rendered_values(data) -> np.ndarray:
    """The voxel values a volume rendering casts its rays through."""
    return vtk_to_numpy(data.image.GetPointData().GetScalars())


def made_of(data, volume, frame) -> bool:
    """``data`` is the volume rendering of ``volume``'s time point ``frame`` (its voxels)."""
    wanted = prepare_volume(frame_volume(volume, frame), "MR default")
    return np.array_equal(rendered_values(data), rendered_values(wanted))


def settled(view3d) -> bool:
    """No volume rendering, first frame or frame due."""
    return not view3d._volume_timer.isActive() and not view3d.surfaces_pending


def bright_bottom_pixels(view3d) -> int:
    """Light grey pixels in the right half of the view's bottom 16 rows (the held line's)."""
    image = view3d.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(h, image.bytesPerLine())
    rgb = data[:, : 3 * w].reshape(h, w, 3)
    return int((rgb[-16:, w // 2 :].min(axis=2) > 150).sum())


def on_screen_is(window, frame) -> bool:
    """The 3D view's frame looks like ``frame``'s time point alone in a scene of its own (seen by
    the view's camera) more than like any other time point."""
    view3d = window.view3d
    camera = view3d.scene.renderer.GetActiveCamera()
    shown = view3d.render_image(160, 120).astype(float)
    errors = []
    for t in range(window.controller.volume.n_frames):
        scene = Scene3D(160, 120)
        try:
            scene.set_volume(frame_volume(window.controller.volume, t), view3d.scene.preset)
            scene.renderer.GetActiveCamera().DeepCopy(camera)
            errors.append(np.abs(scene.render(160, 120).astype(float) - shown).mean())
        finally:
            scene.close()
    return int(np.argmin(errors)) == frame


def test_the_3d_view_waits_for_the_cine_to_stop_then_shows_its_time_point(qtbot, window, tmp_path):
    open_and_wait(qtbot, window, tmp_path / "run.nii.gz", frames())
    view3d, c = window.view3d, window.controller
    qtbot.waitUntil(lambda: view3d.rgb is not None and settled(view3d), timeout=30000)
    made = counted_rebuilds(view3d)
    before = bright_bottom_pixels(view3d)
    window.time_cine.timer.setInterval(60)   # time for the 3D view's 30 ms wait between steps
    window.time_cine.action.trigger()   # Shift+C
    seen = []
    qtbot.waitUntil(lambda: seen.append(c.state.frame) or len(set(seen)) == 3 and seen[-1] == 1,
                    timeout=10000)   # every time point, round to the second
    assert made == []   # no volume rendering made while it played
    assert view3d.held_line == "3D: time point 1, updating when the cine stops"
    assert bright_bottom_pixels(view3d) > before + 20   # written in the view
    window.time_cine.action.trigger()   # stopped
    stopped = c.state.frame
    qtbot.waitUntil(lambda: len(made) == 1 and settled(view3d), timeout=10000)
    assert view3d.held_line == "" and bright_bottom_pixels(view3d) <= before
    assert made_of(made[0], c.volume, stopped)
    assert on_screen_is(window, stopped)


def test_the_window_turns_while_the_3d_view_makes_the_time_point_the_cine_stopped_at(
        qtbot, window, tmp_path, monkeypatch):
    """The one volume rendering after the cine stops was made on the GUI thread (0.3-0.6 s on a
    512x512x64 CT, quiet, 0.9-2.2 s under load: ``bench/cine_stop_stall.py``), the slice views,
    clicks and keys waiting. Made in a worker, the scene shows the time point before meanwhile;
    a step taken then drops it for the newest."""
    open_and_wait(qtbot, window, tmp_path / "run.nii.gz", frames())
    view3d, c = window.view3d, window.controller
    qtbot.waitUntil(lambda: view3d.rgb is not None and settled(view3d), timeout=30000)
    made = counted_rebuilds(view3d)
    inside, let_go, real = [], threading.Event(), prepare3d.prepare_volume

    def held_up(volume, *args, **kwargs):   # a slow volume rendering, until the test lets it go
        inside.append(volume)
        let_go.wait(3)
        try:
            return real(volume, *args, **kwargs)
        finally:
            inside.remove(volume)

    monkeypatch.setattr(prepare3d, "prepare_volume", held_up)
    monkeypatch.setattr(volume3d, "prepare_volume", held_up)   # the scene's own (set_volume)
    window.time_cine.timer.setInterval(60)
    window.time_cine.action.trigger()   # Shift+C
    seen = []
    qtbot.waitUntil(lambda: seen.append(c.state.frame) or len(set(seen)) == 3 and seen[-1] == 1,
                    timeout=10000)
    window.time_cine.action.trigger()   # stopped at time point 2 (frame 1)
    qtbot.waitUntil(lambda: bool(inside), timeout=10000)   # being made
    turned = []
    QTimer.singleShot(0, lambda: turned.append(bool(inside)))
    qtbot.waitUntil(lambda: bool(turned), timeout=10000)
    assert turned == [True]   # the event loop turned while the time point was made
    assert view3d.rgb is not None and made == []   # the time point before still shown
    assert view3d.held_line == "3D: time point 1, updating"
    QApplication.sendEvent(window.windowHandle(), alt_key(QEvent.KeyPress, Qt.Key_Right, False))
    assert c.state.frame == 2
    let_go.set()
    qtbot.waitUntil(lambda: settled(view3d) and not inside, timeout=10000)
    assert len(made) == 1 and made_of(made[0], c.volume, 2)   # frame 1's dropped, not shown
    assert view3d.held_line == ""
    assert on_screen_is(window, 2)


def test_a_dragged_time_slider_makes_one_volume_rendering_once_let_go(qtbot, window, tmp_path):
    open_and_wait(qtbot, window, tmp_path / "run.nii.gz", frames())
    view3d, c = window.view3d, window.controller
    qtbot.waitUntil(lambda: view3d.rgb is not None and settled(view3d), timeout=30000)
    made = counted_rebuilds(view3d)
    slider = window.display_panel.time_row.slider
    slider.setSliderDown(True)   # as a press on its handle does
    for value in (2, 3, 2, 3):
        slider.setValue(value)
        qtbot.waitUntil(lambda: settled(view3d))
    assert made == [] and c.state.frame == 2
    assert view3d.held_line == "3D: time point 1, updating when the slider is let go"
    slider.setSliderDown(False)
    qtbot.waitUntil(lambda: len(made) == 1 and settled(view3d), timeout=10000)
    assert made_of(made[0], c.volume, 2)
    assert view3d.held_line == ""


def test_with_slice_planes_shown_the_held_view_draws_no_frame_per_time_point(qtbot, window, tmp_path):
    """*Slice planes in 3D* on: each time point's step (the crosshair where it was) drew the held
    scene again, a whole ray cast per step; a click moving the crosshair still moves the planes."""
    open_and_wait(qtbot, window, tmp_path / "run.nii.gz", frames())
    view3d, c = window.view3d, window.controller
    window.display_panel.planes3d_check.setChecked(True)
    qtbot.waitUntil(lambda: view3d.rgb is not None and view3d.scene.planes_drawn and settled(view3d),
                    timeout=30000)
    drawn = []
    view3d.rendered.connect(lambda: drawn.append(c.state.frame))
    window.time_cine.timer.setInterval(60)
    window.time_cine.action.trigger()
    seen = []
    qtbot.waitUntil(lambda: seen.append(c.state.frame) or len(set(seen)) == 3 and seen[-1] == 1,
                    timeout=10000)
    assert drawn == []
    c.set_crosshair(c.state.crosshair_ras + 4.0)
    qtbot.waitUntil(lambda: len(drawn) == 1 and settled(view3d), timeout=10000)   # the planes moved
    window.time_cine.action.trigger()


def alt_key(kind, key, repeat: bool) -> QKeyEvent:
    return QKeyEvent(kind, key, Qt.AltModifier, "", repeat)


def test_alt_right_held_down_makes_one_volume_rendering_once_let_go(qtbot, window, tmp_path):
    """Alt+Right on autorepeat: each repeat coming more than the view's 30 ms wait apart made the
    volume rendering anew (about a second each on a CT), the repeats stalled behind them."""
    open_and_wait(qtbot, window, tmp_path / "run.nii.gz", frames())
    view3d, c = window.view3d, window.controller
    qtbot.waitUntil(lambda: view3d.rgb is not None and settled(view3d), timeout=30000)
    made = counted_rebuilds(view3d)
    entry = window.windowHandle()   # where a key enters the window, its shortcuts met there
    QApplication.sendEvent(entry, alt_key(QEvent.KeyPress, Qt.Key_Right, False))   # pressed
    qtbot.waitUntil(lambda: len(made) == 1 and settled(view3d), timeout=10000)   # one step: shown
    # held down: the key's autorepeat (a release and a press, as X11 sends it); its 30 ms wait
    # over, the view made the time point then (the repeats come 30-40 ms apart)
    QApplication.sendEvent(entry, alt_key(QEvent.KeyRelease, Qt.Key_Right, True))
    QApplication.sendEvent(entry, alt_key(QEvent.KeyPress, Qt.Key_Right, True))
    qtbot.waitUntil(lambda: settled(view3d))
    assert c.state.frame == 2 and len(made) == 1
    assert view3d.held_line == "3D: time point 2, updating when the key is let go"
    QApplication.sendEvent(entry, alt_key(QEvent.KeyRelease, Qt.Key_Right, False))   # let go
    qtbot.waitUntil(lambda: len(made) == 2 and settled(view3d), timeout=10000)
    assert made_of(made[1], c.volume, 2)
    assert view3d.held_line == ""
    assert on_screen_is(window, 2)


def test_a_held_step_key_whose_release_never_comes_lets_go_after_a_quiet_while(qtbot, window, tmp_path):
    """The release went elsewhere (the window lost the focus): no repeat for a while is let go."""
    open_and_wait(qtbot, window, tmp_path / "run.nii.gz", frames())
    view3d, c = window.view3d, window.controller
    qtbot.waitUntil(lambda: view3d.rgb is not None and settled(view3d), timeout=30000)
    made = counted_rebuilds(view3d)
    window.time_cine.step_keys.quiet.setInterval(100)   # KEY_QUIET_MS, shorter
    QApplication.sendEvent(window.windowHandle(), alt_key(QEvent.KeyPress, Qt.Key_Right, True))
    assert c.state.frame == 1 and view3d.held_line.endswith("updating when the key is let go")
    qtbot.waitUntil(lambda: len(made) == 1 and settled(view3d), timeout=10000)
    assert view3d.held_line == "" and made_of(made[0], c.volume, 1)


def test_a_repeat_within_the_views_wait_drops_the_press_s_volume_rendering(qtbot, window, tmp_path):
    """A press's 30 ms wait still running when holding begins: it made the time point then, held."""
    open_and_wait(qtbot, window, tmp_path / "run.nii.gz", frames())
    view3d, c = window.view3d, window.controller
    qtbot.waitUntil(lambda: view3d.rgb is not None and settled(view3d), timeout=30000)
    made = counted_rebuilds(view3d)
    entry = window.windowHandle()
    QApplication.sendEvent(entry, alt_key(QEvent.KeyPress, Qt.Key_Right, False))
    QApplication.sendEvent(entry, alt_key(QEvent.KeyPress, Qt.Key_Right, True))   # within 30 ms
    qtbot.waitUntil(lambda: settled(view3d))
    assert made == [] and view3d.held_line.endswith("time point 1, updating when the key is let go")
    QApplication.sendEvent(entry, alt_key(QEvent.KeyRelease, Qt.Key_Right, False))
    qtbot.waitUntil(lambda: len(made) == 1 and settled(view3d), timeout=10000)
    assert made_of(made[0], c.volume, 2)

