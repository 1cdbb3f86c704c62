"""An oblique thick slab that fails (not enough memory) is said in the view: its title (a
follow-up pane's caption) says "thin (MIP 10 mm failed: not enough memory)", and the slab is not
asked again at each repaint of the same picture; another slice, thickness or mode tries again.
Until session 39 the view said "thin (MIP 10 mm soon)" for ever and asked again at each redraw."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt

from neuroview.app.view_slab import Slab
from neuroview.render import slab as render_slab
from neuroview.ui import slab_job


def _fails_at(monkeypatch, failing) -> list:
    """``sample_slab`` raising MemoryError where ``failing(image, thickness)``, else computing:
    the calls' thicknesses, in order."""
    from neuroview.ui import qt_guard

    # a notice is said once a process: this test's must not silence test_job_failure_said's
    monkeypatch.setattr(qt_guard, "_said", set())
    calls = []

    def sample(image, ras_to_ijk, grid, thickness, mode, **kwargs):
        calls.append(thickness)
        if failing(image, thickness):
            raise MemoryError
        return render_slab.sample_slab(image, ras_to_ijk, grid, thickness, mode, **kwargs)

    monkeypatch.setattr(slab_job, "sample_slab", sample)
    return calls


def _redrawn_still(qtbot, draw, times=4) -> None:
    """The same picture drawn again and again (as a crosshair moved in another view redraws it),
    each past the wait after which a slab is asked."""
    for _ in range(times):
        draw()
        qtbot.wait(slab_job.FULL_SLAB_AFTER_MS + 100)


def test_a_failed_slab_says_so_and_is_not_asked_again_until_the_slice_changes(
        qtbot, window, tmp_path, monkeypatch):
    from key_presses import type_key
    from oblique_views import open_oblique

    calls = _fails_at(monkeypatch, lambda image, thickness: thickness == 10.0)
    open_oblique(qtbot, window, tmp_path)
    view = window.slice_views["axial"]
    qtbot.mouseClick(view, Qt.LeftButton, pos=QPoint(view.width() // 2, view.height() // 2))
    row = window.display_panel.slab_row
    row.set_slab(10.0, "max", "axial")
    view.repaint()
    qtbot.waitUntil(lambda: "failed" in view.title(), timeout=10000)
    assert view.title() == "Axial · thin (MIP 10 mm failed: not enough memory)"
    assert view.thin_shown and calls == [10.0]
    qtbot.waitUntil(lambda: window.notice_bar.text == "Thick slab: not enough memory", timeout=5000)
    _redrawn_still(qtbot, lambda: (view.invalidate(), view.repaint()))
    assert calls == [10.0]                       # not asked again for the same picture
    type_key(view, Qt.Key_Up)                    # another slice: tried again (fails again)
    view.repaint()
    qtbot.waitUntil(lambda: calls == [10.0, 10.0] and "failed" in view.title(), timeout=10000)
    row.set_slab(12.0, "max", "axial")           # another thickness: computed and drawn
    view.repaint()
    qtbot.waitUntil(lambda: not view.thin_shown, timeout=20000)
    assert view.title() == "Axial · MIP 12 mm" and calls == [10.0, 10.0, 12.0]
    row.set_slab(10.0, "max", "axial")           # back to 10 mm: a new request, tried again
    view.repaint()
    qtbot.waitUntil(lambda: len(calls) == 4 and "failed" in view.title(), timeout=10000)


def test_a_follow_up_pane_whose_slab_failed_says_so(qtbot, monkeypatch):
    from followup_views import oblique_pair

    pair = oblique_pair(qtbot, 600, 300)
    # the baseline's slab fails, the later study's is computed
    calls = _fails_at(monkeypatch, lambda image, thickness: image is pair.baseline.array)
    handed, failed = slab_job.SlabJob.handed, []
    monkeypatch.setattr(slab_job.SlabJob, "handed", lambda job, key, values, *why: (
        failed.append(values is None), handed(job, key, values, *why)))
    pair.set_slab(Slab(10.0, "max"))
    qtbot.waitUntil(lambda: pair.pane_images() and pair.thin == (True, False) and any(failed),
                    timeout=20000)   # the later study's slab came, the baseline's failed
    asked = len(calls)
    _redrawn_still(qtbot, pair.pane_images)
    assert len(calls) == asked and pair.thin == (True, False)   # not asked again
    assert pair.slabs[0].thin_note("MIP 10 mm") == "thin (MIP 10 mm failed: not enough memory)"
    assert pair.slabs[1].thin_note("MIP 10 mm") == "thin (MIP 10 mm soon)"


def _text_pixels(text: str, font, size) -> np.ndarray:
    """Where ``text`` drawn as a view's title (light grey at its place) covers most of a pixel."""
    from PySide6.QtGui import QColor, QImage, QPainter

    from neuroview.ui.slice_widget import TITLE_LEFT

    image = QImage(size.width(), size.height(), QImage.Format_RGB32)
    image.fill(QColor(0, 0, 0))
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor(200, 200, 200))
    painter.drawText(TITLE_LEFT, 12, text)
    painter.end()
    return _rgb(image)[..., 1] >= 170


def _rgb(image) -> np.ndarray:
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format_RGB32)
    bgra = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1, 4)
    return bgra[:, :image.width(), 2::-1]


def test_a_narrow_views_failed_title_keeps_failed_and_elides_the_reason(
        qtbot, window, tmp_path, monkeypatch):
    """In the 1000 px window's views (314 px wide) "Axial · thin (MIP 10 mm failed: not enough
    memory)" was cut to "Axial · thin (MIP 10 m…": the reason gives way, then goes, "failed" stays;
    the title drawn (its pixels) is that text, ending before the top orientation letter."""
    from oblique_views import open_oblique
    from PySide6.QtGui import QFont, QFontMetrics

    from neuroview.ui.slice_widget import TITLE_LEFT, TOP_LETTER_HALF

    _fails_at(monkeypatch, lambda image, thickness: True)
    open_oblique(qtbot, window, tmp_path)
    view = window.slice_views["axial"]
    window.display_panel.slab_row.set_slab(10.0, "max", "axial")
    view.repaint()
    qtbot.waitUntil(lambda: "failed" in view.title(), timeout=10000)
    font = QFont("Sans", 8)
    metrics = QFontMetrics(font)

    def room() -> int:
        return view.width() // 2 - TOP_LETTER_HALF - TITLE_LEFT

    assert view.width() < 400 and metrics.horizontalAdvance(view.title()) > room()   # narrow
    shown = view.shown_title(metrics)
    assert "failed" in shown and metrics.horizontalAdvance(shown) <= room()
    view.repaint()
    rgb = _rgb(view.grab().toImage())
    text = _text_pixels(shown, font, view.grab().size())
    # the title drawn is that text: where it covers most of a pixel, the pixel is light grey
    assert text.sum() > 100 and (rgb[text] >= 160).all()
    assert not text[:, TITLE_LEFT + room() + 1:].any()
    widths = {}
    for width in (700, 500, 440, 340, 300):
        view.resize(width, view.height())
        widths[width] = view.shown_title(metrics)
        assert metrics.horizontalAdvance(widths[width]) <= room()
    assert widths == {700: "Axial · thin (MIP 10 mm failed: not enough memory)",
                      500: "Axial · thin (MIP 10 mm failed: not eno…)",
                      440: "Axial · thin (MIP 10 mm failed)",
                      340: "Axial · MIP 10 mm failed",
                      300: "Axial · failed"}
