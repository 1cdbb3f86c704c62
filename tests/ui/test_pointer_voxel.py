"""Every click and stroke lands on the voxel drawn under the pointer: brush, eraser, fill, AI click
prompts, ruler and rectangle ends, at zoom 1, a high zoom (a point in each quarter of a voxel's
square) and a zoom where voxels are smaller than pixels, on all three planes, on an isotropic, an
anisotropic LPS and an oblique grid. A mouse position is the corner of the pixel under the
pointer: the tools used that corner, half a pixel off the pixel centre the picture shows, and
painted the neighbouring voxel near voxel edges (or nothing, with a brush smaller than a voxel).
"""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest
from editor_helpers import grab, open_image, quarter_spots, stroke, wait_for_session
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from neuroview.render.sampling import sample_plane

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

PLANES = ("axial", "sagittal", "coronal")


def _rotation(degrees: float, axis) -> np.ndarray:
    axis = np.asarray(axis, float) / np.linalg.norm(axis)
    a = np.radians(degrees)
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    return np.eye(3) + np.sin(a) * k + (1 - np.cos(a)) * k @ k


GRIDS = {
    "isotropic": np.diag([2.0, 2.0, 2.0]),
    "anisotropic LPS": np.diag([-0.9, -1.7, 3.1]),
    "oblique": _rotation(20.0, (1.0, 2.0, 0.5)) @ np.diag([1.2, 1.0, 2.0]),
}


def open_grid(qtbot, window, tmp_path, linear, shape=(60, 64, 40)):
    """An image whose every voxel has its own value, on the grid ``linear`` (3x3, mm)."""
    affine = np.eye(4)
    affine[:3, :3] = linear
    affine[:3, 3] = -linear @ (np.asarray(shape) - 1) / 2.0
    ids = np.arange(np.prod(shape), dtype=np.int32).reshape(shape)
    nib.save(nib.Nifti1Image(ids, affine), tmp_path / "grid.nii.gz")
    window.controller.set_interpolate(False)
    open_image(qtbot, window, tmp_path / "grid.nii.gz")
    session = wait_for_session(qtbot, window)
    volume = window.controller.volume
    assert np.allclose(volume.ijk_to_ras, affine, atol=1e-4)
    return session, volume


def set_zoom(window, plane, zoom):
    state = window.controller.state
    state.views[plane].zoom = zoom
    state.views[plane].pan_mm = np.zeros(2)
    window.controller.changed.emit()
    view = window.slice_views[plane]
    view.repaint()
    return view, state.geometry(plane, view.width(), view.height())


def drawn_voxels(volume, geom):
    """Index (into ``volume.array.ravel()``) of the voxel each pixel of the view draws, -1 outside."""
    ids = np.arange(volume.array.size, dtype=np.int64).reshape(volume.shape)
    drawn, inside = sample_plane(ids, volume.ras_to_ijk, geom, order=0)
    return np.where(inside, drawn, -1)


def pointer_spots(drawn, view, zoom):
    """Widget pixels to click: at high zoom one in each quarter of a voxel's square (its
    outermost pixel there, at the voxel's edge); otherwise a block of neighbouring pixels."""
    cx, cy = view.width() // 2 + 3, view.height() // 2 + 2
    if zoom < 2:
        return [(cx + dx, cy + dy) for dx in range(4) for dy in range(3)]
    return quarter_spots(drawn, cx, cy)


def click(qtbot, view, x, y, button=Qt.LeftButton):
    qtbot.mousePress(view, button, pos=QPoint(x, y))
    qtbot.mouseRelease(view, button, pos=QPoint(x, y))
    view.repaint()


def hover_at(view, x, y) -> None:
    """The pointer moves to widget pixel (x, y), no button held."""
    pos = QPointF(x, y)
    QApplication.sendEvent(view, QMouseEvent(QEvent.MouseMove, pos, view.mapToGlobal(pos), Qt.NoButton,
                                             Qt.NoButton, Qt.NoModifier))


def low_zoom(window, plane, volume):
    """A zoom below 1 at which voxels are smaller than screen pixels (0.1, the smallest zoom, on
    the anisotropic grid: its 0.9 mm voxels are smaller than pixels, its 3.1 mm ones are not)."""
    view = window.slice_views[plane]
    state = window.controller.state
    state.views[plane].zoom = 1.0
    mm = state.geometry(plane, view.width(), view.height()).mm_per_pixel
    zoom = max(mm / (1.3 * min(volume.spacing)), 0.1)
    assert zoom < 1
    return zoom


@pytest.mark.parametrize("grid", list(GRIDS))
def test_brush_paints_the_voxel_drawn_under_the_pointer(qtbot, window, tmp_path, grid):
    session, volume = open_grid(qtbot, window, tmp_path, GRIDS[grid])
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=0.25, mode="2d")   # smaller than a voxel: one voxel
    wrong = []
    for plane in PLANES:
        for zoom in (1.0, 9.0, low_zoom(window, plane, volume)):
            view, geom = set_zoom(window, plane, zoom)
            drawn = drawn_voxels(volume, geom)
            for x, y in pointer_spots(drawn, view, zoom):
                assert drawn[y, x] >= 0
                click(qtbot, view, x, y)
                painted = np.flatnonzero(session.labels.array.ravel())
                on_screen = int(view.last.labels[y, x])   # the label drawn under the pointer now
                if list(painted) != [drawn[y, x]] or on_screen != 1:
                    wrong.append((plane, round(zoom, 2), x, y, list(painted), int(drawn[y, x])))
                if painted.size:
                    session.undo()
    assert not wrong, f"{len(wrong)} clicks painted another voxel than the one under the pointer: {wrong[:4]}"


@pytest.mark.parametrize("grid", ["anisotropic LPS", "oblique"])
def test_eraser_and_fill_take_the_voxel_under_the_pointer(qtbot, window, tmp_path, grid):
    session, volume = open_grid(qtbot, window, tmp_path, GRIDS[grid], shape=(20, 22, 16))
    panel = window.edit_actions.panel
    second = session.segments.add("Segment 2").value
    first = session.segments.add("Segment 1").value
    steps = len(session.history.undo_steps)
    for plane in PLANES:
        view, geom = set_zoom(window, plane, 9.0)
        drawn = drawn_voxels(volume, geom)
        for x, y in pointer_spots(drawn, view, 9.0):
            target = np.unravel_index(drawn[y, x], volume.shape)
            centre = volume.ijk_to_ras_points(np.asarray(target, float))
            # a patch of segment 1 around the voxel (through the Python API), then the eraser
            session.segments.select(first)
            session.set_params("paint", radius_mm=3 * max(volume.spacing), mode="2d",
                               view=tuple(window.controller.state.axes(plane)[2]))
            session.press("paint", centre)
            session.release()
            before = session.labels.array.copy()
            panel.select_tool("erase")
            session.set_params("erase", radius_mm=0.25, mode="2d", segment=None)
            click(qtbot, view, x, y)
            erased = np.argwhere(before != session.labels.array)
            assert [tuple(v) for v in erased] == [tuple(target)], (plane, x, y, erased)
            session.undo()
            session.undo()
            # fill (no intensity range: the connected patch of the label under the pointer) on a
            # single voxel of segment 1 with segment 2: only that voxel, not the background
            session.set_params("paint", radius_mm=0.25)
            session.press("paint", centre)
            session.release()
            session.segments.select(second)
            panel.select_tool("fill")
            click(qtbot, view, x, y)
            assert [tuple(v) for v in np.argwhere(session.labels.array == second)] == [tuple(target)]
            session.undo()
            session.undo()
            assert len(session.history.undo_steps) == steps and not session.labels.array.any()
            session.segments.select(first)
            panel.select_tool("paint")


def test_ai_click_ruler_and_rectangle_use_the_pixel_under_the_pointer(qtbot, window, tmp_path):
    session, volume = open_grid(qtbot, window, tmp_path, GRIDS["anisotropic LPS"])
    c = window.controller
    prompts, measured = [], []
    window.editor.ai_click.prompt = lambda plane, kind, include, points: prompts.append(points)
    c.measured.connect(lambda text, _at_ras: measured.append(text))
    plane = "coronal"
    zoom = low_zoom(window, plane, volume)

    def views_in(mode):
        c.set_mode(mode)   # (a mode can change the panels, so the views' size: measure after)
        view, geom = set_zoom(window, plane, zoom)
        drawn = drawn_voxels(volume, geom)
        return view, geom, drawn, pointer_spots(drawn, view, 1.0)

    view, geom, drawn, spots = views_in("ai-click")
    for x, y in spots:
        click(qtbot, view, x, y)
        point = np.asarray(prompts[-1][0])   # a click prompt: the centre of the voxel drawn there
        assert volume.ras_to_voxel(point) == np.unravel_index(drawn[y, x], volume.shape)
        assert np.allclose(point, volume.ijk_to_ras_points(np.asarray(volume.ras_to_voxel(point), float)))
    view, geom, drawn, spots = views_in("ruler")
    for x, y in spots:
        qtbot.mousePress(view, Qt.LeftButton, pos=QPoint(x, y))
        qtbot.mouseMove(view, pos=QPoint(x + 40, y + 30))
        qtbot.mouseRelease(view, Qt.LeftButton, pos=QPoint(x + 40, y + 30))
        ruler = c.rulers[-1]   # from pixel centre to pixel centre
        assert np.allclose(geom.ras_to_pixel(ruler.start_ras), (x + 0.5, y + 0.5))
        assert np.allclose(geom.ras_to_pixel(ruler.end_ras), (x + 40.5, y + 30.5))
        assert volume.ras_to_voxel(ruler.start_ras) == np.unravel_index(drawn[y, x], volume.shape)
        c.delete_ruler(ruler)   # a press near a ruler's end takes that end: the next spot is beside it
    # a rectangle from pixel centre to pixel centre holds the voxels whose centres lie in it
    view, geom, drawn, spots = views_in("rectangle")
    j = int(np.unravel_index(drawn[spots[0][1], spots[0][0]], volume.shape)[1])   # the slice shown
    ik = np.argwhere(np.ones(volume.shape[::2], bool))
    ijk = np.stack([ik[:, 0], np.full(len(ik), j), ik[:, 1]], axis=1).astype(float)
    offsets = volume.ijk_to_ras_points(ijk) - geom.origin_ras
    scale = geom.mm_per_pixel ** 2
    sx, sy = offsets @ geom.col_ras / scale + 0.5, offsets @ geom.row_ras / scale + 0.5
    for x, y in spots:
        qtbot.mousePress(view, Qt.LeftButton, pos=QPoint(x, y))
        qtbot.mouseMove(view, pos=QPoint(x + 9, y + 7))
        qtbot.mouseRelease(view, Qt.LeftButton, pos=QPoint(x + 9, y + 7))
        inside = (sx >= x + 0.5) & (sx <= x + 9.5) & (sy >= y + 0.5) & (sy <= y + 7.5)
        assert inside.sum() > 3
        assert measured[-1].startswith(f"Rectangle (coronal): {inside.sum()} voxels"), measured[-1]
        c.delete_region(c.rectangles[-1])   # it stays, as a ruler: the next spot is on its edge


def _cursor_pixels(window, view, x, y) -> np.ndarray:
    """Widget pixels the brush cursor changes: the picture with the pointer at (x, y) against the
    same picture with no pointer over the view."""
    QApplication.sendEvent(view, QEvent(QEvent.Leave))
    view.repaint()
    without = grab(view).astype(int)
    hover_at(view, x, y)
    view.repaint()
    with_cursor = grab(view).astype(int)
    ys, xs = np.nonzero(np.abs(with_cursor - without).max(axis=2) > 40)
    return np.stack([xs + 0.5, ys + 0.5], axis=1)


def fit_circle(points):
    """Centre and radius of the circle through ``points`` (least squares; parts of the outline
    lost over image pixels of the brush's colour do not pull the centre)."""
    x, y = points[:, 0], points[:, 1]
    a, b, c = np.linalg.lstsq(np.stack([2 * x, 2 * y, np.ones_like(x)], axis=1), x * x + y * y,
                              rcond=None)[0]
    return np.array([a, b]), float(np.sqrt(c + a * a + b * b))


@pytest.mark.parametrize("grid", list(GRIDS))
def test_brush_outline_circles_the_voxels_a_stamp_paints(qtbot, window, tmp_path, grid):
    session, volume = open_grid(qtbot, window, tmp_path, GRIDS[grid], shape=(20, 22, 16))
    window.edit_actions.panel.select_tool("paint")
    radius = 2.3 * max(volume.spacing)
    session.set_params("paint", radius_mm=radius, mode="2d")
    view, geom = set_zoom(window, "axial", 1.5)
    drawn = drawn_voxels(volume, geom)
    for x, y in pointer_spots(drawn, view, 9.0):   # a point in each quarter of a voxel
        outline = _cursor_pixels(window, view, x, y)
        centre, radius_px = fit_circle(outline)   # the circle on screen (and the dot at its centre)
        centre, radius_px = fit_circle(outline[np.linalg.norm(outline - centre, axis=1) > radius_px / 2])
        assert abs(radius_px - radius / geom.mm_per_pixel) < 1.5
        click(qtbot, view, x, y)
        painted = np.argwhere(session.labels.array > 0)
        assert len(painted) > 10
        # the voxel under the pointer is painted, and the outline circles exactly the voxels
        # painted: every painted voxel's centre on screen inside it, every other one outside
        assert tuple(np.unravel_index(drawn[y, x], volume.shape)) in {tuple(v) for v in painted}
        layer = np.zeros(volume.shape, bool)
        layer[tuple(painted.T)] = True
        # the voxels the view's plane passes through (one voxel slice where the grid is aligned
        # with the view; on the oblique grid, resliced, the ones whose centre lies within half a
        # voxel of the plane, measured along its normal)
        ijk = np.argwhere(np.ones(volume.shape, bool))
        normal = geom.normal
        offset = np.abs((volume.ijk_to_ras_points(ijk.astype(float)) - geom.origin_ras) @ normal)
        ijk = ijk[offset <= 0.5 * np.abs(volume.ijk_to_ras[:3, :3].T @ normal).sum() + 1e-6]
        assert layer[tuple(ijk.T)].sum() == len(painted)      # none painted off the plane
        on_screen = np.array([geom.ras_to_pixel(p) for p in volume.ijk_to_ras_points(ijk.astype(float))])
        distance = np.linalg.norm(on_screen - centre, axis=1)
        inside = layer[tuple(ijk.T)]
        clear = np.abs(distance - radius_px) > 1.5   # centres on the line itself: either way
        assert np.all(distance[inside & clear] < radius_px), (x, y)
        assert np.all(distance[~inside & clear] > radius_px), (x, y)
        session.undo()


def test_a_stroke_at_a_crosshair_between_slices_lands_on_the_slice_shown(qtbot, window, tmp_path):
    """``set_crosshair(state.center_ras)`` on an 18x22x26 image puts every view halfway between two
    slices. The views draw the labels of the +RAS one; the 2D brush rounded half to even and
    painted the other one, through the Python API and the mouse alike: nothing on screen."""
    session, volume = open_grid(qtbot, window, tmp_path, np.diag([2.0, 2.0, 2.0]), shape=(18, 22, 26))
    state = window.controller.state
    window.controller.set_crosshair(state.center_ras)
    assert np.allclose(volume.ras_to_ijk_points(state.crosshair_ras), (8.5, 10.5, 12.5))
    session.segments.add("Segment 1")
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=3.0, mode="2d")
    for plane, axis in (("axial", 2), ("coronal", 1), ("sagittal", 0)):
        view = window.slice_views[plane]
        view.repaint()
        geom = state.geometry(plane, view.width(), view.height())
        drawn = drawn_voxels(volume, geom)
        shown = {np.unravel_index(v, volume.shape)[axis] for v in drawn[drawn >= 0]}
        assert len(shown) == 1   # the labels of one slice on screen
        right, down, normal = state.axes(plane)
        start = state.crosshair_ras + 5.1 * right + 3.3 * down
        end = start + 8.0 * right
        for how in ("python", "mouse"):
            if how == "python":
                session.press("paint", start, view=tuple(normal))
                session.drag(end)
                session.release()
            else:
                stroke(window, plane, [start, end])
            painted = np.argwhere(session.labels.array > 0)
            assert len(painted) > 5, how
            assert set(painted[:, axis]) == shown, (plane, how, set(painted[:, axis]), shown)
            view.repaint()
            assert (view.last.labels > 0).sum() > 20, (plane, how)   # the stroke is on screen
            session.undo()
