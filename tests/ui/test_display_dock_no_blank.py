"""A taller window (maximised, or made small and large again) gives its room to the docks that can
use it, not to the Display panel: Qt shared it among the right side's docks in proportion, so
the Display dock grew a blank band under its last row (80 pixels at 1200x860 after a trip to
1024x700) while the Segment editor below it scrolled (session 39's walk)."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image, write_image
from PySide6.QtWidgets import QDockWidget
from small_screens import launched_window

from neuroview.io.nifti import save_nifti


def blank_below(window) -> int:
    scroll = window.findChild(QDockWidget, "Display").widget()
    return scroll.viewport().height() - scroll.widget().sizeHint().height()


def test_the_display_dock_stays_as_tall_as_its_panel(qtbot, monkeypatch):
    window = launched_window(qtbot, monkeypatch, 1920, 1080)
    qtbot.waitUntil(lambda: blank_below(window) <= 0, timeout=5000)   # at its opening size
    for width, height in ((1024, 700), (1200, 860), (1900, 1040)):
        window.resize(width, height)
        qtbot.waitUntil(lambda h=height: window.height() == h, timeout=5000)
        qtbot.waitUntil(lambda: blank_below(window) <= 0, timeout=10000)
        assert blank_below(window) > -2   # whole, not scrolled, where the window has the room
    display = window.findChild(QDockWidget, "Display")
    window.tabifyDockWidget(window.findChild(QDockWidget, "Measurements"),
                            display)
    qtbot.wait(200)   # tabbed with Measurements: the group keeps the room Qt gives it (the list's)
    assert display.height() > display.widget().widget().sizeHint().height() + 60


def test_the_display_dock_follows_the_time_point_row(qtbot, monkeypatch, tmp_path):
    """A 4D image shows the *Time point* row: the dock stayed at its old height, the panel
    scrolled and *Volume opacity* went out of sight, the Lesions panel below it half empty; the
    row hidden again (a 3D image next) left a blank band."""
    window = launched_window(qtbot, monkeypatch, 1920, 1080)
    flat, volume = write_image(tmp_path)
    series = tmp_path / "run.nii.gz"
    save_nifti(np.stack([volume.array] * 3, axis=-1), volume.ijk_to_ras, series)
    scroll = window.findChild(QDockWidget, "Display").widget()
    for path, frames in ((series, True), (flat, False)):
        open_image(qtbot, window, path)
        assert window.display_panel.frame_box.isVisibleTo(window.display_panel) == frames
        qtbot.waitUntil(lambda: -2 < blank_below(window) <= 0   # whole, and no taller
                        and not scroll.verticalScrollBar().isVisible(), timeout=10000)
