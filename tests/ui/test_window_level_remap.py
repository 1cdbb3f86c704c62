"""A window/level drag, a preset, Invert and a label opacity change re-map the values a slice view
sampled for its picture; they do not sample the volume again (a W/L drag re-sampled every view at
every step: 1.29 of 1.57 s of 60 preset keys, session 42). What the view shows is still what a
fresh render of the same state gives, and a slice, zoom or slab change samples anew: no stale
plane is drawn."""

from __future__ import annotations

import numpy as np
import pytest
from render_cases import AFFINES, make_case
from viewer_pixels import drag, grab

from neuroview.app.view_slab import Slab
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


@pytest.mark.parametrize(("affine", "plane"), [("lps", "axial"), ("oblique", "coronal")])
def test_window_level_remaps_and_a_new_slice_samples(qtbot, affine, plane):
    volume, labels = make_case(AFFINES[affine])
    c = ViewerController()
    c.set_volume(volume)
    c.set_labels(labels)
    view = SliceViewWidget(plane, c)
    qtbot.addWidget(view)
    view.resize(160, 150)
    view.show()
    qtbot.waitExposed(view)
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
    volume, labels = make_case(AFFINES["ras"])
    c = ViewerController()
    c.set_volume(volume)
    c.set_labels(labels)
    view = SliceViewWidget("axial", c)
    qtbot.addWidget(view)
    view.resize(140, 140)
    view.show()
    qtbot.waitExposed(view)
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
