"""Notice and error bars float over the views: the views keep their place and size when notices
arrive, change or go; one notice shows at a time (the newest), under the error bar if any."""

from __future__ import annotations

import numpy as np
from editor_helpers import grab, open_image, write_image
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QPushButton

from neuroview.ui.slice_widget import TAG_COLORS, TITLE_HEIGHT


def geometries(window):
    return {name: view.geometry().getRect() for name, view in window.views.items()}


def text_inside(bar) -> bool:
    """The bar's whole text lies inside the bar (its label sits in a scroll area's viewport)."""
    return bar.rect().contains(QRect(bar.label.mapTo(bar, QPoint(0, 0)), bar.label.size()))


def test_notices_never_resize_the_views(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    qtbot.wait(50)
    before = geometries(window)
    bar = window.notice_bar
    bar.show_message("Saved /tmp/a.nii.gz")
    qtbot.wait(50)
    assert geometries(window) == before
    bar.show_message("A much longer notice " * 12, [("Restore", lambda: None), ("Discard", lambda: None)])
    window.show_error("bad.nii.gz: not a NIfTI file")
    qtbot.wait(50)
    assert geometries(window) == before
    # the newest notice replaced the old one; error and notice stack at the top, not overlapping
    assert bar.text.startswith("A much longer") and "Dismiss" not in bar.buttons
    error = window.message_bar
    assert error.isVisible() and bar.isVisible()
    top = window.views["axial"].mapTo(window, window.views["axial"].rect().topLeft()).y()
    assert error.mapTo(window, error.rect().topLeft()).y() == top + TITLE_HEIGHT + 2   # under the titles
    assert bar.mapTo(window, bar.rect().topLeft()).y() == top + TITLE_HEIGHT + 2 + error.height()
    assert bar.width() == window.grid_host.width()
    # the bar is drawn over the views and its button works with the mouse
    shot = grab(window)
    y = bar.mapTo(window, bar.rect().center()).y()
    assert np.all(np.abs(shot[y, 20].astype(int) - (0x1E, 0x3A, 0x5A)) <= 3)
    qtbot.mouseClick(bar.buttons["Discard"], Qt.LeftButton)
    qtbot.mouseClick(error.findChild(type(bar.buttons["Restore"])), Qt.LeftButton)  # Dismiss
    qtbot.waitUntil(lambda: not bar.isVisible() and not error.isVisible(), timeout=10000)
    assert geometries(window) == before


def test_the_first_error_of_a_session_shows_its_text_and_dismiss_button(qtbot, window, tmp_path):
    """Found walking the window: the first error bar of a session was an empty red strip (its
    text and Dismiss button lay below the bar's bottom edge); only later errors could be read."""
    bad = tmp_path / "damaged.nii.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 60)  # a gzip header and nothing of a NIfTI
    window.open_paths([bad])
    error = window.message_bar
    qtbot.waitUntil(lambda: "damaged.nii.gz" in error.text and not window.runner.busy, timeout=20000)
    qtbot.wait(50)
    dismiss = error.findChild(type(window.cancel_button))
    assert text_inside(error)
    assert error.rect().contains(dismiss.geometry())
    # the text is drawn: light pixels (#ffd7d7 glyphs) on the dark red bar
    shot = grab(error)
    assert np.all(np.abs(shot.astype(int) - (0xFF, 0xD7, 0xD7)) <= 40, axis=2).sum() > 50
    # the user clicks where Dismiss is drawn, through the window
    centre = dismiss.mapTo(window, dismiss.rect().center())
    qtbot.mouseClick(window.childAt(centre), Qt.LeftButton,
                     pos=window.childAt(centre).mapFrom(window, centre))
    assert not error.isVisible()


def test_the_views_titles_stay_readable_under_the_bars(qtbot, window, tmp_path):
    """Found after an AI run: the blue notice (and the red error bar) covered the titles of the
    top row of views (Axial, 3D). The bars now float just below the title strip: the titles'
    pixels on screen are the same with both bars shown as without them."""
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    qtbot.waitUntil(lambda: window.view3d.rgb is not None, timeout=30000)
    qtbot.wait(100)
    host_top = window.grid_host.mapTo(window, window.grid_host.rect().topLeft()).y()
    top_row = [name for name, view in window.views.items()
               if view.isVisible() and view.mapTo(window, view.rect().topLeft()).y() == host_top]
    assert sorted(top_row) == ["3d", "axial"]       # four-up: axial and 3D along the top

    def titles():
        shot = grab(window)
        out = {}
        for name in top_row:
            corner = window.views[name].mapTo(window, window.views[name].rect().topLeft())
            out[name] = shot[corner.y():corner.y() + TITLE_HEIGHT, corner.x():corner.x() + 60].copy()
        return out

    before = titles()
    window.notice_bar.show_message("lesionseg@2.1.0 on cpu: lesion 3.4 mL, brain 1452 mL. "
                                   "Correct it with the segment editor; Ctrl+Z removes it.")
    window.show_error("bad.nii.gz: not a NIfTI file")
    qtbot.wait(100)
    after = titles()
    for name in top_row:
        np.testing.assert_array_equal(after[name], before[name], err_msg=name)
    tag = TAG_COLORS["axial"]                           # the axial tag's red is on screen
    assert np.all(np.abs(after["axial"][9, 2].astype(int) - (tag.red(), tag.green(), tag.blue())) <= 3)
    window.notice_bar.show_message("Saved labels.nii.gz")   # the last notice's button goes at once
    current = list(window.notice_bar.buttons.values())
    assert not [b for b in window.notice_bar.findChildren(QPushButton) if b.isVisible() and b not in current]
    for bar in (window.message_bar, window.notice_bar):
        y = bar.mapTo(window, bar.rect().topLeft()).y()
        assert y >= host_top + TITLE_HEIGHT and text_inside(bar)
