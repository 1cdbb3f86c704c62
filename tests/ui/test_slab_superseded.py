"""A slab being computed for a picture the user has left stops at its next plane: the newer
request (the next slice) is not kept waiting behind the whole stale slab (1.3-2 s on a
thin-slice CT), neither the view's own nor one an export computes for it."""

from __future__ import annotations

import itertools
import threading
import time

import pytest
from PySide6.QtCore import QPoint, Qt

PLANE_S = 0.1   # each interpolated plane of a slab made this slow: half a second a slab


@pytest.fixture
def slow_planes(monkeypatch):
    """Each slab computed off the GUI thread: ``runs[n]`` the planes its run ``n`` sampled, and
    ``moved``: the first run's first plane lasts until it is set (the view moved), so what the
    stale slab does after the move is counted, not timed (its planes and the newer slab's arrival
    were timed until session 45, within a loaded machine's pauses). Yields (runs, moved)."""
    from neuroview.render import slab

    real_plane, real_oblique, numbers = slab.sample_plane, slab._oblique, itertools.count()
    runs, local, moved = {}, threading.local(), threading.Event()

    def oblique(*args, **kwargs):
        local.run = next(numbers)
        runs[local.run] = 0
        return real_oblique(*args, **kwargs)

    def plane(*args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            runs[local.run] += 1
            if local.run == 0:
                moved.wait(10)
            time.sleep(PLANE_S)
        return real_plane(*args, **kwargs)

    monkeypatch.setattr(slab, "_oblique", oblique)
    monkeypatch.setattr(slab, "sample_plane", plane)
    return runs, moved


def _axial_mip(qtbot, window, tmp_path):
    from oblique_views import open_oblique

    open_oblique(qtbot, window, tmp_path)
    view = window.slice_views["axial"]
    qtbot.mouseClick(view, Qt.LeftButton, pos=QPoint(view.width() // 2, view.height() // 2))
    window.display_panel.slab_row.set_slab(10.0, "max", "axial")
    view.repaint()
    return view


def _next_slice_drawn(qtbot, view, moved) -> None:
    """A key press moves ``view`` one slice (``moved`` set then), and its slab is drawn."""
    from key_presses import type_key

    type_key(view, Qt.Key_Up)
    moved.set()
    view.repaint()
    assert view.title() == "Axial · thin (MIP 10 mm soon)"
    qtbot.waitUntil(lambda: (view.repaint(), view.title() == "Axial · MIP 10 mm")[1],
                    timeout=30000)


def test_the_views_stale_slab_stops_at_its_next_plane(qtbot, window, tmp_path, slow_planes):
    runs, moved = slow_planes
    view = _axial_mip(qtbot, window, tmp_path)
    qtbot.waitUntil(lambda: runs.get(0, 0) >= 1, timeout=10000)   # the first slice's slab runs
    _next_slice_drawn(qtbot, view, moved)
    stale, newer = runs[0], runs[max(runs)]
    assert newer >= 3 and stale <= 2, f"the stale slab ran {stale} of {newer} planes"


def test_an_exports_stale_slab_stops_when_its_view_moves(qtbot, window, tmp_path, slow_planes):
    """Export view of a slab not computed yet, then the next slice: the export's job stops at
    its next plane (it computed the stale slab to its end, keeping a core busy, before saying
    nothing was exported), writes nothing, says why at once, and the view's slab comes."""
    (runs, moved), errors = slow_planes, []
    window.show_error = errors.append
    view = _axial_mip(qtbot, window, tmp_path)
    job = window.export_view(tmp_path / "axial.png", "axial")
    assert job is not None
    qtbot.waitUntil(lambda: runs.get(0, 0) >= 1, timeout=10000)   # the export's slab runs
    _next_slice_drawn(qtbot, view, moved)
    qtbot.waitUntil(lambda: job.finished, timeout=10000)
    assert job.outcome[0] == "cancelled"
    stale, newer = runs[0], runs[max(runs)]
    assert newer >= 3 and stale <= 2, f"the export's stale slab ran {stale} of {newer} planes"
    assert errors == ["nothing exported: the view moved while its thick slab was computed; "
                      "export it again"]
    assert not (tmp_path / "axial.png").exists()
