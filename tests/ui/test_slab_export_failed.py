"""A thick slab that fails while *Export all views* computes it (not enough memory) marks its
view as the view's own failure does: ``Axial · thin (MIP 10 mm failed: not enough memory)``, not
asked again for the same picture. Until session 40 the view then computed it again itself (or,
not waiting, said "soon" for ever); the slabs the export had computed before were dropped."""

from __future__ import annotations

import threading

from neuroview.render import slab as render_slab


def test_a_slab_failing_in_export_all_marks_its_view_failed(qtbot, window, tmp_path, monkeypatch):
    from oblique_views import open_oblique

    from neuroview.ui import qt_guard, slab_job, window_export

    monkeypatch.setattr(qt_guard, "_said", set())
    exported, by_views, errors = [], [], []

    def export_sample(*args, **kwargs):   # the export's second slab fails
        exported.append(1)
        if len(exported) == 2:
            raise MemoryError
        return render_slab.sample_slab(*args, **kwargs)

    def view_sample(*args, **kwargs):
        by_views.append(threading.current_thread() is threading.main_thread())
        return render_slab.sample_slab(*args, **kwargs)

    monkeypatch.setattr(window_export, "sample_slab", export_sample)
    monkeypatch.setattr(slab_job, "sample_slab", view_sample)
    monkeypatch.setattr(window, "show_error", errors.append)
    open_oblique(qtbot, window, tmp_path)
    window.display_panel.slab_row.set_slab(10.0, "max")
    views = window.slice_views.values()
    for view in views:
        view.repaint()
    assert all("soon" in view.title() for view in views)
    written = []
    job = window.export_all(tmp_path / "all.png", written=lambda: written.append(1))
    assert job is not None
    qtbot.waitUntil(lambda: job.finished, timeout=30000)
    qtbot.waitUntil(lambda: by_views == [False], timeout=20000)   # the third view's own slab

    def titles() -> list:
        for view in views:
            view.repaint()
        return sorted(view.title().split(" · ", 1)[1] for view in views)

    qtbot.waitUntil(lambda: titles().count("MIP 10 mm") == 2, timeout=20000)
    assert titles() == ["MIP 10 mm", "MIP 10 mm", "thin (MIP 10 mm failed: not enough memory)"]
    qtbot.wait(2 * slab_job.FULL_SLAB_AFTER_MS + 100)   # past a view's wait: not asked again
    assert titles()[2].endswith("failed: not enough memory)")
    assert exported == [1, 1] and by_views == [False]
    assert written == [] and not (tmp_path / "all.png").exists()
    assert errors == ["Exporting: thick slab: not enough memory"]
