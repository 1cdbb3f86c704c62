"""A window test module that sets ``WITHOUT_3D`` (tests/ui/conftest.py) gets a window whose 3D
view makes no scene for the images it opens, while the slice views show them as always: the
flag's whole effect, which the modules that set it rely on to spend no volume rendering."""

from __future__ import annotations

from editor_helpers import open_image, wait_for_session, write_image

from neuroview.render.volume3d import open_scenes

WITHOUT_3D = "what the flag does is this module's claim"


def test_an_image_opens_in_the_slice_views_and_no_3d_scene_is_made(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    qtbot.waitUntil(lambda: all(view.shows_open_image for view in window.slice_views.values()),
                    timeout=10000)
    qtbot.wait(500)   # the 3D set-up follows the slice views' first paint by 30 ms
    assert window.view3d.scene is None and not open_scenes()
    assert window.view3d.isVisible()   # still in the four-up layout, only empty
