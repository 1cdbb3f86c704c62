"""A closed window makes no VTK render window: the 3D view's set-up timer and the controller's
signals after ``release()`` made a new scene (an X connection nobody closed). It outlived the
test and, with pytest-xvfb stopping Xvfb before the interpreter exits, ended window test runs
with an X connection error (``XIO: fatal IO error``) when it was finally freed."""

from __future__ import annotations

from editor_helpers import close_without_asking, open_image, write_image

from neuroview.render import volume3d


def test_no_scene_is_made_after_the_window_closed(qtbot, window, tmp_path, monkeypatch):
    made = []

    class CountedScene(volume3d.Scene3D):
        def __init__(self, *args, **kwargs):
            made.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(volume3d, "Scene3D", CountedScene)
    path, _ = write_image(tmp_path, "image")
    view3d = window.view3d
    view3d.slices_painted = lambda: False   # a busy machine: the 3D set-up waits for the slices
    open_image(qtbot, window, path)
    assert view3d._volume_timer.isActive() and view3d.scene is None
    close_without_asking(window)
    window.close()                        # release(): the scene and its timers
    assert not window.isVisible()
    window.controller.volume_changed.emit()   # a late signal (an open that finished after close)
    window.controller.frame_changed.emit(0)
    qtbot.wait(2500)   # past the set-up's 50 waits of 30 ms
    assert made == [] and view3d.scene is None
    assert not view3d._volume_timer.isActive()
