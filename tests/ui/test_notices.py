"""Notice and error bars take their own rows above the views: the views move down while a bar
shows, never under it, and come back when it goes; one notice shows at a time (the newest), under
the error bar if any."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from editor_helpers import grab, open_image, voxel_under, write_image
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QPushButton

from neuroview.render.slices import LETTER_COLOR
from neuroview.ui.slice_widget import TAG_COLORS


def geometries(window):
    return {name: view.geometry().getRect() for name, view in window.views.items()}


def uncovered(window, bars) -> None:
    """No shown bar overlaps a shown view, in window coordinates."""
    for bar in bars:
        box = bar.geometry().translated(bar.parentWidget().mapTo(window, bar.pos()) - bar.pos())
        for name, view in window.views.items():
            if view.isVisible():
                rect = view.rect().translated(view.mapTo(window, view.rect().topLeft()))
                assert not box.intersects(rect), name


def test_the_bars_push_the_views_down_and_never_cover_them(qtbot, window, tmp_path):
    """Found walking the window: the notice (a 4D image's, a single-slice DICOM's) floated over the
    axial view and hid its top orientation letter (A) until dismissed."""
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    qtbot.wait(50)
    before = geometries(window)
    bar = window.notice_bar
    bar.show_message("Saved /tmp/a.nii.gz")
    qtbot.wait(50)
    uncovered(window, [bar])
    bar.show_message("A much longer notice " * 12, [("Restore", lambda: None), ("Discard", lambda: None)])
    window.show_error("bad.nii.gz: not a NIfTI file")
    qtbot.wait(50)
    uncovered(window, [bar, window.message_bar])
    # the newest notice replaced the old one; error over notice over the views, not overlapping
    assert bar.text.startswith("A much longer") and "Dismiss" not in bar.buttons
    error = window.message_bar
    assert error.isVisible() and bar.isVisible()
    top = window.grid_host.mapTo(window, window.grid_host.rect().topLeft()).y()
    error_top = error.mapTo(window, error.rect().topLeft()).y()
    assert bar.mapTo(window, bar.rect().topLeft()).y() >= error_top + error.height()
    assert top >= bar.mapTo(window, bar.rect().topLeft()).y() + bar.height()
    assert bar.width() == window.grid_host.width()
    assert bar.rect().contains(bar.label.geometry())        # the whole text inside the bar
    # the bar is drawn and its button works with the mouse
    shot = grab(window)
    y = bar.mapTo(window, bar.rect().center()).y()
    assert np.all(np.abs(shot[y, 20].astype(int) - (0x1E, 0x3A, 0x5A)) <= 3)
    qtbot.mouseClick(bar.buttons["Discard"], Qt.LeftButton)
    qtbot.mouseClick(error.findChild(type(bar.buttons["Restore"])), Qt.LeftButton)  # Dismiss
    qtbot.waitUntil(lambda: not bar.isVisible() and not error.isVisible(), timeout=10000)
    qtbot.waitUntil(lambda: geometries(window) == before, timeout=5000)   # the views back in place


def test_the_pointer_reads_the_voxel_drawn_under_it_with_a_bar_shown_and_gone(qtbot, window, tmp_path):
    """The views resize as a bar comes and goes: the voxel under the pointer is still the one
    whose value the status bar reads, at the same screen point of the picture."""
    shape = (20, 24, 16)
    ids = np.arange(np.prod(shape), dtype=np.int32).reshape(shape)
    nib.save(nib.Nifti1Image(ids, np.diag([2.0, 2.0, 2.0, 1.0])), tmp_path / "ids.nii.gz")
    window.controller.set_interpolate(False)
    open_image(qtbot, window, tmp_path / "ids.nii.gz")
    view = window.slice_views["axial"]

    def value_at(pos):
        ras = voxel_under(window, "axial", pos)
        ijk = np.rint(np.linalg.inv(window.controller.volume.ijk_to_ras) @ np.append(ras, 1))[:3]
        hover_at(view, pos)
        return int(ids[tuple(ijk.astype(int))]), window.readout.text()

    for shown in (False, True, False):
        if shown:
            window.notice_bar.show_message("volume 2 of 7, b = 1000 " * 3)
        else:
            window.notice_bar.hide()
        qtbot.wait(50)
        for pos in ((view.width() * 0.4, view.height() * 0.45), (view.width() * 0.6, view.height() * 0.3)):
            expected, text = value_at(pos)
            assert text.endswith(f"value {expected}"), (shown, pos, text)


def hover_at(view, pos) -> None:
    event = QMouseEvent(QEvent.MouseMove, QPointF(*pos), view.mapToGlobal(QPointF(*pos)),
                        Qt.NoButton, Qt.NoButton, Qt.NoModifier)
    QApplication.sendEvent(view, event)


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
    assert error.rect().contains(error.label.geometry())
    assert error.rect().contains(dismiss.geometry())
    # the text is drawn: light pixels (#ffd7d7 glyphs) on the dark red bar
    shot = grab(error)
    assert np.all(np.abs(shot.astype(int) - (0xFF, 0xD7, 0xD7)) <= 40, axis=2).sum() > 50
    # the user clicks where Dismiss is drawn, through the window
    centre = dismiss.mapTo(window, dismiss.rect().center())
    qtbot.mouseClick(window.childAt(centre), Qt.LeftButton,
                     pos=window.childAt(centre).mapFrom(window, centre))
    assert not error.isVisible()


def test_the_views_titles_and_letters_stay_readable_with_the_bars(qtbot, window, tmp_path):
    """Found after an AI run: the blue notice (and the red error bar) covered the titles of the
    top row of views (Axial, 3D); then, floating below the titles, the axial view's top
    orientation letter (A) and its slice text. With both bars shown, the window shows the top
    strip of each top-row view (title, letter, text) as the view draws it: nothing over it."""
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    qtbot.waitUntil(lambda: window.view3d.rgb is not None, timeout=30000)
    window.notice_bar.show_message("lesionseg@2.1.0 on cpu: lesion 3.4 mL, brain 1452 mL. "
                                   "Correct it with the segment editor; Ctrl+Z removes it.")
    window.show_error("bad.nii.gz: not a NIfTI file")
    qtbot.wait(100)
    host_top = window.grid_host.mapTo(window, window.grid_host.rect().topLeft()).y()
    top_row = [name for name, view in window.views.items()
               if view.isVisible() and view.mapTo(window, view.rect().topLeft()).y() == host_top]
    assert sorted(top_row) == ["3d", "axial"]       # four-up: axial and 3D along the top
    axial = window.views["axial"]
    shot = grab(window)
    corner = axial.mapTo(window, axial.rect().topLeft())
    strip = shot[corner.y():corner.y() + 40, corner.x():corner.x() + axial.width()]
    np.testing.assert_array_equal(strip, grab(axial)[:40])
    tag = TAG_COLORS["axial"]                           # the axial tag's red is on screen
    assert np.all(np.abs(strip[9, 2].astype(int) - (tag.red(), tag.green(), tag.blue())) <= 3)
    letter = np.all(np.abs(strip.astype(int) - LETTER_COLOR) <= 40, axis=2)   # the "A" at the top
    assert letter[:, axial.width() // 2 - 20: axial.width() // 2 + 20].sum() > 10
    window.notice_bar.show_message("Saved labels.nii.gz")   # the last notice's button goes at once
    current = list(window.notice_bar.buttons.values())
    assert not [b for b in window.notice_bar.findChildren(QPushButton) if b.isVisible() and b not in current]
    qtbot.wait(50)
    host_top = window.grid_host.mapTo(window, window.grid_host.rect().topLeft()).y()
    for bar in (window.message_bar, window.notice_bar):
        y = bar.mapTo(window, bar.rect().topLeft()).y()
        assert y + bar.height() <= host_top and bar.rect().contains(bar.label.geometry())
