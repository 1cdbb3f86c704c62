"""A window/level drag, a preset, Invert and a label opacity change re-map the values a slice view
sampled for its picture; they do not sample the volume again (a W/L drag re-sampled every view at
every step: 1.29 of 1.57 s of 60 preset keys, session 42). The overlay series likewise: its
window/level, opacity, colours and O re-colour the values kept (an oblique overlay cost 65-110 ms
a picture, session 43). What the view shows is still what a fresh render of the same state gives,
and a slice, zoom, slab or overlay series change samples anew: no stale plane is drawn."""

from __future__ import annotations

import numpy as np
import pytest
from render_cases import AFFINES, centred_affine, grid_points, make_case, rotation_xyz
from viewer_pixels import drag, grab

from neuroview.app.fusion import FusionLayer
from neuroview.app.view_slab import Slab
from neuroview.core.volume import Volume
from neuroview.render import slices
from neuroview.render.slices import render_view
from neuroview.ui.controller import ViewerController
from neuroview.ui.slice_widget import TITLE_HEIGHT, SliceViewWidget


def _shown(qtbot, view) -> np.ndarray:
    """The view's pixels on screen, its title strip (text painted by Qt) left out."""
    view.repaint()
    qtbot.wait(1)
    return grab(view)[TITLE_HEIGHT + 2:]


def _fresh(view) -> np.ndarray:
    """The same state rendered from nothing: the volume and labels sampled anew."""
    c = view.controller
    return render_view(c.volume, c.state, view.plane, view.width(), view.height(),
                       labels=c.display_labels()).rgb[TITLE_HEIGHT + 2:]


def _view(qtbot, affine: str, plane: str, size: tuple[int, int]) -> SliceViewWidget:
    """A slice view of ``plane`` showing a synthetic case (``render_cases``) with its labels."""
    volume, labels = make_case(AFFINES[affine])
    c = ViewerController()
    c.set_volume(volume)
    c.set_labels(labels)
    view = SliceViewWidget(plane, c)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.mark.parametrize(("affine", "plane"), [("lps", "axial"), ("oblique", "coronal")])
def test_window_level_remaps_and_a_new_slice_samples(qtbot, affine, plane):
    view = _view(qtbot, affine, plane, (160, 150))
    c = view.controller
    before = _shown(qtbot, view)
    sampled, drawn = view.samplings, view.renders

    c.set_mode("window-level")
    drag(view, [(6, 0), (0, -5), (-3, 4)], view.repaint)   # wider, brighter, back a little
    after_drag = _shown(qtbot, view)
    assert not np.array_equal(after_drag, before)      # the grey levels changed on screen
    np.testing.assert_array_equal(after_drag, _fresh(view))
    c.set_window_level(c.state.window * 0.5, c.state.level + 3.0)   # a preset key, typed values
    c.set_inverted(True)
    c.state.labels.opacity = 0.8
    c.changed.emit()
    np.testing.assert_array_equal(_shown(qtbot, view), _fresh(view))
    assert view.renders - drawn >= 4 and view.samplings == sampled   # drawn, never re-sampled

    before_step = _shown(qtbot, view)
    c.scroll(plane, 3)                                 # another slice after the drag
    on_screen = _shown(qtbot, view)
    assert not np.array_equal(on_screen, before_step)
    np.testing.assert_array_equal(on_screen, _fresh(view))
    assert view.samplings == sampled + 1

    c.state.zoom_by(plane, 1.5, anchor=(80, 75), size=(160, 150))
    c.changed.emit()
    np.testing.assert_array_equal(_shown(qtbot, view), _fresh(view))
    assert view.samplings == sampled + 2


def test_window_level_on_a_thick_slab_remaps_the_slab(qtbot):
    """A MIP along the voxel grid is kept too: a W/L step does not compute the slab again."""
    view = _view(qtbot, "ras", "axial", (140, 140))
    c = view.controller
    c.set_slab(Slab(8.0, "max"), "axial")
    mip = _shown(qtbot, view)
    sampled = view.samplings
    c.set_window_level(c.state.window * 0.7, c.state.level - 2.0)
    shown = _shown(qtbot, view)
    assert not np.array_equal(shown, mip)
    np.testing.assert_array_equal(shown, _fresh(view))
    assert view.samplings == sampled
    c.set_slab(Slab(4.0, "max"), "axial")              # a thinner MIP: computed again
    np.testing.assert_array_equal(_shown(qtbot, view), _fresh(view))
    assert view.samplings == sampled + 1


def _overlay(shape=(20, 18, 16)) -> Volume:
    """A 'FLAIR' on an oblique grid of its own (5 x 5.5 x 6 mm): a ramp along S, so that every
    slice of it differs, and brighter in a ball left of the centre."""
    affine = centred_affine(rotation_xyz(-0.3, 0.2, 0.15), spacing=np.array([5.0, 5.5, 6.0]),
                            shape=shape)
    p = grid_points(shape, affine)
    values = 8.0 * p[..., 2] + 400.0 + 300.0 * (np.linalg.norm(p - [-15.0, 5.0, 0.0], axis=-1) < 20)
    return Volume(values.astype(np.float32), affine, modality="MR")


def test_overlay_series_recoloured_not_resampled(qtbot, monkeypatch):
    """Image W/L drag, the overlay's window, opacity steps, grey colours and O (hide, show) with
    an oblique overlay shown: the pixels of a fresh render, the overlay sampled once; a slice
    step, a zoom and another overlay series sample it again."""
    overlay_samplings = []
    real = slices.sample_layer
    monkeypatch.setattr(slices, "sample_layer",
                        lambda layer, geom: overlay_samplings.append(geom) or real(layer, geom))
    view = _view(qtbot, "lps", "axial", (160, 150))
    c = view.controller
    plain = _shown(qtbot, view)
    c.state.fusion = layer = FusionLayer(_overlay(), 600.0, 550.0, opacity=0.5)
    c.changed.emit()
    before = _shown(qtbot, view)
    assert (before != plain).any(axis=-1).mean() > 0.3    # the overlay covers much of the view
    np.testing.assert_array_equal(before, _fresh(view))
    sampled = view.samplings

    def shown_and_sampled() -> tuple[np.ndarray, int]:
        """The view's pixels (checked against a fresh render) and the overlay samplings they made
        (the fresh render's own left out)."""
        counted = len(overlay_samplings)
        shown = _shown(qtbot, view)
        made = len(overlay_samplings) - counted
        np.testing.assert_array_equal(shown, _fresh(view))
        return shown, made

    c.set_mode("window-level")
    drag(view, [(6, 0), (0, -5), (-3, 4)], view.repaint)   # the image's window/level
    shown, made = shown_and_sampled()
    assert not np.array_equal(shown, before) and made == 0 and view.samplings == sampled
    for change in (lambda: setattr(layer, "window", 300.0),           # the overlay's window
                   lambda: setattr(layer, "level", 500.0),
                   lambda: layer.set_opacity(0.6), lambda: layer.set_opacity(0.7),   # Shift+O
                   lambda: setattr(layer, "colours", "grey"),
                   lambda: setattr(layer, "visible", False),          # O: hidden
                   lambda: setattr(layer, "visible", True)):          # O again: shown
        before = shown
        change()
        c.changed.emit()
        shown, made = shown_and_sampled()
        assert not np.array_equal(shown, before) and made == 0 and view.samplings == sampled

    c.scroll("axial", 3)                  # another slice: the overlay's values there, not kept
    assert shown_and_sampled()[1] == 1
    c.state.zoom_by("axial", 1.5, anchor=(80, 75), size=(160, 150))
    c.changed.emit()
    assert shown_and_sampled()[1] == 1
    sampled = view.samplings
    c.state.fusion = FusionLayer(_overlay((22, 18, 16)), 600.0, 550.0, opacity=0.5)  # another one
    c.changed.emit()
    assert shown_and_sampled()[1] == 1 and view.samplings == sampled   # the image's values kept
