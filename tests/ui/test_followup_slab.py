"""The follow-up window's panes share one thick slab (MIP, MinIP, mean), as PACS viewers link a MIP
across comparison panes: the *Slab* box beside the window's *Preset*, and M as in the main window.
Each pane draws its own study's slab (the lesion outlines stay the thin slice's); on an oblique
baseline each pane shows its thin slice, its caption saying so, until its slab computed off the
GUI thread arrives."""

from __future__ import annotations

import numpy as np
from followup_views import followup_view, oblique_pair  # noqa: F401  (a fixture)
from key_presses import type_key
from PySide6.QtCore import Qt

from neuroview.app.view_slab import Slab
from neuroview.render.slices import render_slice


def drawn_share(pane: np.ndarray, volume, pair, slab) -> float:
    """Share of the pane's pixels equal to a plain rendering of ``volume`` (no outline, crosshair
    or letters) with ``slab`` at the panes' plane and window."""
    geom = pair.state.geometry(pair.plane, *pair.pane_device_size())
    plain = render_slice(volume, geom, pair.state.window, pair.state.level, slab=slab).rgb
    return float(np.all(pane == plain, axis=2).mean())


def test_m_draws_a_mip_in_both_panes_of_their_own_studies(followup_view, qtbot):  # noqa: F811
    view, pair = followup_view, followup_view.pair
    mip = Slab(10.0, "max")
    type_key(pair, Qt.Key_M)
    assert view.slab_row.thickness_box.value() == 10.0
    assert pair.state.slice_label(pair.plane).endswith("MIP 10 mm")
    left, right = pair.pane_images()
    for pane, volume in ((left, pair.baseline), (right, pair.later)):
        assert drawn_share(pane, volume, pair, mip) > 0.9
        assert drawn_share(pane, volume, pair, None) < 0.8   # not the thin slice
    view.slab_row.set_slab(4.0, "min")          # the row, as a user sets it: MinIP 4 mm
    left, _ = pair.pane_images()
    assert drawn_share(left, pair.baseline, pair, Slab(4.0, "min")) > 0.9
    type_key(pair, Qt.Key_M)                    # back to the thin slices
    assert not pair.state.slabs[pair.plane].on and view.slab_row.thickness_box.text() == "Off"


def test_oblique_panes_are_thin_until_their_slabs_come(qtbot):
    pair = oblique_pair(qtbot)
    assert pair.state.orientation_mode == "anatomical"   # resliced: an oblique plane
    mip = Slab(10.0, "max")
    pair.set_slab(mip)
    pair.pane_images()
    assert pair.thin == (True, True)
    assert pair.state.slice_label(pair.plane, slab=False) == pair.state.slice_label(pair.plane)[
        :-len("  MIP 10 mm")]
    qtbot.waitUntil(lambda: pair.pane_images() and pair.thin == (False, False),
                    timeout=20000)   # both slabs came (each drawing asks, as paintEvent does)
    left, right = pair.pane_images()
    for pane, volume in ((left, pair.baseline), (right, pair.later)):
        assert drawn_share(pane, volume, pair, mip) > 0.9


def test_choosing_a_mode_leaves_the_keys_with_the_panes(followup_view, qtbot):  # noqa: F811
    """As the window's other lists: a click on the Slab's mode list leaves Up/Down to the slices
    (the list kept them: Down chose MinIP instead of the next slice)."""
    from editor_helpers import activate
    from PySide6.QtWidgets import QApplication

    view, pair = followup_view, followup_view.pair
    view.slab_row.set_slab(6.0, "max")
    qtbot.mouseClick(view.slab_row.mode_box, Qt.LeftButton)   # its list opens
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    qtbot.keyClick(QApplication.activePopupWidget(), Qt.Key_Escape)   # and closes, MIP kept
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    activate(qtbot, view)   # the window active again, as a window manager makes it
    depth = pair.state.slice_position_mm(pair.plane)
    type_key(pair, Qt.Key_Down)
    assert QApplication.focusWidget() is pair
    assert view.slab_row.mode_box.currentData() == "max"
    assert pair.state.slice_position_mm(pair.plane) < depth


def test_oblique_panes_draw_their_slabs_at_a_new_size_and_zoom_as_computed_afresh(qtbot,
                                                                                  monkeypatch):
    """The panes' oblique slabs are computed on their plane's grid, not at the panes' pixels: the
    window made larger, then zoomed and panned, draws the slabs already computed (none computed
    again; each was, at the panes' pixels, until session 39), and each pane's picture is the one
    ``render_slice`` gives computing the slab afresh there (the crosshair and captions aside)."""
    from neuroview.ui import slab_job

    runs = []
    real = slab_job.sample_slab
    monkeypatch.setattr(slab_job, "sample_slab",
                        lambda *args, **kwargs: (runs.append(1), real(*args, **kwargs))[1])
    pair = oblique_pair(qtbot)
    mip = Slab(10.0, "max")
    pair.set_slab(mip)
    qtbot.waitUntil(lambda: pair.pane_images() and pair.thin == (False, False), timeout=20000)
    assert len(runs) == 2   # one slab per pane
    small = pair.pane_device_size()

    pair.resize(700, 330)   # another size (and so another scale): the same plane, the same grid
    qtbot.waitUntil(lambda: pair.pane_device_size() != small)
    left, right = pair.pane_images()
    assert pair.thin == (False, False), "a pane waited for its slab computed again"
    assert len(runs) == 2, "a slab already computed was computed again at the new size"
    width, height = pair.pane_device_size()
    for pane, volume in ((left, pair.baseline), (right, pair.later)):
        assert pane.shape[:2] == (height, width)
        assert drawn_share(pane, volume, pair, mip) > 0.96   # the rest: captions, slice number, scale bar
        assert drawn_share(pane, volume, pair, None) < 0.5   # the slab, not the thin slice

    camera = pair.state.views[pair.plane]   # zoomed in 1.7 times and panned: the same again
    camera.zoom, camera.pan_mm = 1.7, camera.pan_mm + np.array([3.0, -2.0])
    left, right = pair.pane_images()
    assert pair.thin == (False, False) and len(runs) == 2
    for pane, volume in ((left, pair.baseline), (right, pair.later)):
        assert drawn_share(pane, volume, pair, mip) > 0.96
