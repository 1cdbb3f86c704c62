"""File > Export view of an oblique thick slab: the slab the view computed is written as it is
(it was computed again on the GUI thread, 1.5-3 s for a thin-slice CT); one not computed yet is
computed once, off the GUI thread, for the PNG and the view both."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from neuroview.render.png import read_png


@pytest.fixture
def slab_runs(monkeypatch):
    """Each oblique slab computed, wherever: whether on the GUI thread."""
    from neuroview.render import slices
    from neuroview.ui import slab_job, window_export

    runs = []

    def counted(real):
        def run(*args, **kwargs):
            runs.append(threading.current_thread() is threading.main_thread())
            return real(*args, **kwargs)
        return run

    for module in (slab_job, slices, window_export):
        if hasattr(module, "sample_slab"):
            monkeypatch.setattr(module, "sample_slab", counted(module.sample_slab))
    return runs



def _below_corner(rgb):
    """The picture but its upper left corner, where the export writes the series' name and the
    window/level (``window_export.corner_texts``) that the view on screen leaves to its panel."""
    rgb = rgb.copy()
    rgb[:40, :220] = 0
    return rgb

def _oblique_slab(qtbot, window, tmp_path):
    from oblique_views import open_oblique

    open_oblique(qtbot, window, tmp_path)
    window.display_panel.slab_row.set_slab(10.0, "max", "axial")
    view = window.slice_views["axial"]
    view.repaint()
    return view


def test_exported_slab_is_the_one_the_view_computed(qtbot, window, tmp_path, slab_runs):
    view = _oblique_slab(qtbot, window, tmp_path)
    qtbot.waitUntil(lambda: (view.repaint(), view.title() == "Axial · MIP 10 mm")[1], timeout=20000)
    assert slab_runs == [False]
    thin = view.render(thin=True).rgb

    assert window.export_view(tmp_path / "axial.png", "axial") is None   # written at once
    assert slab_runs == [False], "the export computed the slab again"
    picture = read_png(tmp_path / "axial.png")
    np.testing.assert_array_equal(_below_corner(picture), _below_corner(view.last.rgb))
    assert not np.array_equal(picture[20:-20, 20:-20], thin[20:-20, 20:-20])   # not the thin one


def test_slab_not_computed_yet_is_computed_once_off_the_gui_thread(qtbot, window, tmp_path,
                                                                    slab_runs):
    view = _oblique_slab(qtbot, window, tmp_path)
    assert view.title() == "Axial · thin (MIP 10 mm soon)" and slab_runs == []
    written = []
    job = window.export_view(tmp_path / "axial.png", "axial", written=lambda: written.append(1))
    assert job is not None and not (tmp_path / "axial.png").exists()
    assert job in window.runner.jobs   # the window's job bar: progress and Cancel
    qtbot.waitUntil(lambda: written == [1], timeout=20000)
    view.repaint()
    assert view.title() == "Axial · MIP 10 mm"   # the view drew the export's slab
    qtbot.wait(2 * 150)                           # its own wait passed: nothing started
    view.repaint()
    assert slab_runs == [False], "the slab was computed twice or on the GUI thread"
    np.testing.assert_array_equal(_below_corner(read_png(tmp_path / "axial.png")),
                                  _below_corner(view.last.rgb))


def test_cancelled_export_writes_nothing_and_the_view_draws_its_slab(qtbot, window, tmp_path, slab_runs):
    view = _oblique_slab(qtbot, window, tmp_path)
    job = window.export_view(tmp_path / "axial.png", "axial")
    job.cancel()
    qtbot.waitUntil(lambda: job.finished, timeout=20000)
    qtbot.wait(50)
    assert not (tmp_path / "axial.png").exists()
    # the view computes its slab itself again (it had left it to the export)
    qtbot.waitUntil(lambda: (view.repaint(), view.title() == "Axial · MIP 10 mm")[1], timeout=20000)
    assert slab_runs == [False, False]


def test_export_all_reuses_the_slabs_on_screen_at_any_tile_size(qtbot, window, tmp_path,
                                                                slab_runs):
    """Export all views at 1024 x 1024 (tiles of another size than the views): each view's slab
    is computed on its plane's grid, not at the view's pixels, so the export draws the three
    slabs on screen at the tiles' size, none computed again (each was computed again before), and
    its pixels are those of an export that computes the three afresh."""
    from oblique_views import open_oblique

    from neuroview.render.layout import FOUR_UP, GAP, tile_sizes
    from neuroview.ui import hidpi

    open_oblique(qtbot, window, tmp_path)
    window.display_panel.slab_row.set_slab(10.0, "max")
    views = window.slice_views

    def all_drawn():
        for view in views.values():
            view.repaint()
        return all(view.title().endswith("· MIP 10 mm") for view in views.values())

    qtbot.waitUntil(all_drawn, timeout=20000)
    assert slab_runs == [False] * 3
    assert all(hidpi.device_size(view) != tile_sizes(1024, 1024) for view in views.values())
    written = []
    job = window.export_all(tmp_path / "reused.png", written=lambda: written.append(1))
    assert job is None and written == [1], "the export waited for a slab computed again"
    assert slab_runs == [False] * 3, "a slab on screen was computed again"

    window.display_panel.slab_row.set_slab(0.0, "max")   # the views forget their slabs
    for view in views.values():
        view.repaint()
    window.display_panel.slab_row.set_slab(10.0, "max")
    for view in views.values():
        view.repaint()
    job = window.export_all(tmp_path / "afresh.png", written=lambda: written.append(2))
    assert job is not None   # none on screen: the export computes the three itself
    qtbot.waitUntil(lambda: written == [1, 2], timeout=30000)
    assert slab_runs == [False] * 6
    reused, afresh = read_png(tmp_path / "reused.png"), read_png(tmp_path / "afresh.png")
    assert reused.shape[:2] == (1024, 1024)
    tile_w, tile_h = tile_sizes(1024, 1024)
    for r, row in enumerate(FOUR_UP):
        for c, plane in enumerate(row):
            if plane in views:   # the 3D tile is no slab
                y, x = r * (tile_h + GAP), c * (tile_w + GAP)
                tile = reused[y:y + tile_h, x:x + tile_w]
                np.testing.assert_array_equal(tile, afresh[y:y + tile_h, x:x + tile_w])
                assert tile.std() > 5   # a picture, not a blank tile


@pytest.fixture
def held_view_slab(monkeypatch):
    """The slabs the views compute wait for the event returned: ``(release, runs)``, ``runs``
    saying ``"view"`` for each started."""
    from neuroview.ui import slab_job

    release, runs = threading.Event(), []
    real = slab_job.sample_slab

    def held(*args, **kwargs):
        runs.append("view")
        release.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(slab_job, "sample_slab", held)
    return release, runs


def test_slab_the_view_is_computing_is_not_computed_again(qtbot, window, tmp_path, monkeypatch,
                                                          held_view_slab):
    """Export view while the view's own slab is being computed: the export waits for that slab
    (it cancelled it and computed it again from its first plane)."""
    from neuroview.ui import window_export

    release, runs = held_view_slab
    real = window_export.sample_slab

    def counted(*args, **kwargs):
        runs.append("export")
        return real(*args, **kwargs)

    monkeypatch.setattr(window_export, "sample_slab", counted)
    view = _oblique_slab(qtbot, window, tmp_path)
    qtbot.waitUntil(lambda: runs == ["view"], timeout=20000)   # on the slab worker now
    written = []
    job = window.export_view(tmp_path / "axial.png", "axial", written=lambda: written.append(1))
    assert job in window.runner.jobs   # waits on the job bar (Cancel, Esc), computing nothing
    qtbot.waitUntil(lambda: window.jobs.text.text() == "Waiting for the thick slab of the "
                    "axial view", timeout=10000)
    release.set()
    qtbot.waitUntil(lambda: written == [1], timeout=20000)
    assert runs == ["view"], "the export computed the slab again"
    view.repaint()
    assert view.title() == "Axial · MIP 10 mm"
    np.testing.assert_array_equal(_below_corner(read_png(tmp_path / "axial.png")),
                                  _below_corner(view.last.rgb))


def test_view_moved_while_its_slab_computes_writes_nothing(qtbot, window, tmp_path, monkeypatch):
    from neuroview.ui import slab_job

    release, runs, errors = threading.Event(), [], []
    real = slab_job.sample_slab

    def held(*args, **kwargs):
        runs.append(1)
        if len(runs) == 1:
            release.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(slab_job, "sample_slab", held)
    monkeypatch.setattr(window, "show_error", errors.append)
    view = _oblique_slab(qtbot, window, tmp_path)
    qtbot.waitUntil(lambda: runs == [1], timeout=20000)
    window.export_view(tmp_path / "axial.png", "axial")
    window.controller.scroll("axial", 1)   # the slice it was computing for is left
    view.repaint()
    release.set()
    qtbot.waitUntil(lambda: (view.repaint(), view.title() == "Axial · MIP 10 mm")[1], timeout=20000)
    assert not (tmp_path / "axial.png").exists()
    assert errors == ["nothing exported: the view moved while its thick slab was computed; "
                      "export it again"]


def test_esc_stops_an_export_waiting_for_the_views_slab(qtbot, window, tmp_path, held_view_slab):
    """Export view while the view's own slab is being computed, then Esc in the view: the export
    stops there (Esc could not stop that wait), no file is written, not even once the slab comes,
    and the view still draws its slab."""
    from key_presses import type_key
    from PySide6.QtCore import QPoint, Qt

    release, runs = held_view_slab
    view = _oblique_slab(qtbot, window, tmp_path)
    qtbot.mouseClick(view, Qt.LeftButton, pos=QPoint(view.width() // 2, view.height() // 2))
    qtbot.waitUntil(lambda: runs == ["view"], timeout=20000)   # on the slab worker now
    written = []
    job = window.export_view(tmp_path / "axial.png", "axial", written=lambda: written.append(1))
    assert window.jobs.cancel_button.isVisibleTo(window)
    type_key(view, Qt.Key_Escape)
    qtbot.waitUntil(lambda: job.finished, timeout=5000)   # stopped while the slab is held
    assert job.outcome[0] == "cancelled" and runs == ["view"]
    release.set()
    qtbot.waitUntil(lambda: (view.repaint(), view.title() == "Axial · MIP 10 mm")[1], timeout=20000)
    qtbot.wait(100)
    assert written == [] and not (tmp_path / "axial.png").exists()
