"""A view's name at its top-left stays readable over bright anatomy (it was light grey alone:
over a white image at that corner no pixel of it stood out)."""

from __future__ import annotations

from editor_helpers import grab, open_image, wait_for_session, write_image

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_the_view_name_has_a_dark_edge_over_a_white_image(qtbot, window, tmp_path):
    path, _volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    state = window.controller.state
    window.controller.set_window_level(1.0, -1e6)        # every voxel far above the window: white
    for view in state.views.values():
        view.zoom = 8.0                                   # the image fills each view's corners
    window.controller.changed.emit()
    for plane in ("axial", "coronal", "sagittal"):
        view = window.slice_views[plane]
        view.repaint()
        rgb = grab(view).astype(int)
        assert (rgb[30:60, 30:60] >= 250).all(), "the image under the name is white"
        title = rgb[1:16, 10:70].sum(axis=2)
        assert (title < 3 * 80).sum() > 20, plane        # the name's dark edge
        assert ((title > 3 * 150) & (title < 3 * 230)).sum() > 20, plane   # its grey letters
