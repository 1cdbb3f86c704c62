"""An oblique thick slab (1.3-1.5 s for a thin-slice CT) is computed off the GUI thread: while it
computes, the window answers keys at once (the thin slice of the next slice drawn, titled so), and
a slab computed for a slice the user has left is never drawn; the slab of the slice shown is."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

HELD_S = 20.0   # the longest a held slab waits for the test (a failing test ends then)


@pytest.fixture
def held_slabs(monkeypatch):
    """Every slab the views compute waits for the event returned before it starts, and then runs
    to its end even if it was cancelled meanwhile (as a slab that ends just as the view moves): the
    key press lands while a slab computes, and a stale slab does come back. Records on which
    thread each slab ran and where its plane was."""
    from neuroview.render import slices
    from neuroview.ui import slab_job

    release, real, runs = threading.Event(), slab_job.sample_slab, []

    def held(array, ras_to_ijk, geom, *args, cancel=None, **kwargs):
        runs.append((threading.current_thread() is threading.main_thread(), geom.origin_ras.copy()))
        release.wait(HELD_S)
        return real(array, ras_to_ijk, geom, *args, **kwargs)

    def on_gui_thread(*args, **kwargs):
        runs.append((True, None))
        return real(*args, **kwargs)

    monkeypatch.setattr(slab_job, "sample_slab", held)
    monkeypatch.setattr(slices, "sample_slab", on_gui_thread)   # a slab drawn in paintEvent
    return release, runs


def test_keys_are_answered_while_a_slab_computes_and_a_stale_slab_is_not_drawn(
        qtbot, window, tmp_path, held_slabs):
    from key_presses import type_key
    from oblique_views import open_oblique

    release, runs = held_slabs
    open_oblique(qtbot, window, tmp_path)
    view, controller = window.slice_views["axial"], window.controller
    qtbot.mouseClick(view, Qt.LeftButton, pos=QPoint(view.width() // 2, view.height() // 2))
    window.display_panel.slab_row.set_slab(10.0, "max", "axial")
    view.repaint()
    assert view.title() == "Axial · thin (MIP 10 mm soon)"
    qtbot.waitUntil(lambda: len(runs) == 1, timeout=10000)   # still: the slab is computing
    assert runs[0][0] is False, "the slab was computed on the GUI thread"
    first_origin = runs[0][1]
    first_slice = controller.state.slice_label("axial", slab=False)

    type_key(view, Qt.Key_Up)          # the next slice, while the slab of this one computes
    view.repaint()
    assert controller.state.slice_label("axial", slab=False) != first_slice
    assert view.title() == "Axial · thin (MIP 10 mm soon)"
    assert not release.is_set() and len(runs) == 1   # answered before that slab came back
    thin_next = view.last.rgb.copy()
    np.testing.assert_array_equal(thin_next, view.render(thin=True).rgb)
    next_slice = controller.state.slice_label("axial", slab=False)

    pictures = []                      # what the view shows until the slab of this slice comes
    release.set()
    while view.title() != "Axial · MIP 10 mm":
        qtbot.wait(10)
        view.repaint()
        pictures.append((view.title(), view.last.rgb.copy()))
        assert len(pictures) < HELD_S * 100, "the slab of the slice shown never came"
    assert [on_gui for on_gui, _ in runs] == [False, False]    # both slabs in the worker
    assert not np.allclose(runs[1][1], first_origin)          # the second: the slice moved to
    assert controller.state.slice_label("axial", slab=False) == next_slice
    full = view.render().rgb           # the slab of the slice shown, drawn here (the reference)
    for title, rgb in pictures[:-1]:   # before it: the thin slice, never the first slab
        assert title == "Axial · thin (MIP 10 mm soon)"
        np.testing.assert_array_equal(rgb, thin_next)
    np.testing.assert_array_equal(pictures[-1][1], full)

    # window/level on the still view: the slab computed is drawn again at once, not computed anew
    started = view.slab.job.started
    controller.set_window_level(30.0, 100.0)
    view.repaint()
    assert view.title() == "Axial · MIP 10 mm" and view.slab.job.started == started
    np.testing.assert_array_equal(view.last.rgb, view.render().rgb)
