"""A CT series missing a slice (made up on opening), opened as the user opens it, and the orange
of the ``made-up slice`` note counted on screen, in a view or in the panes of *Compare series
side by side*: shared by the tests of the note."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from neuroview.render.slices import WARNING_COLOR

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from ct_maker import write_ct  # noqa: E402


def missing_slice(folder: Path) -> Path:
    """Six 5 mm slices of a head CT, the third (z = 10 mm) left out: made up on opening."""
    written = write_ct(folder, n_slices=6, size=64, spacing=3.5)
    (written.folder / "CT002.dcm").unlink()
    return written.folder


def orange(pixels: np.ndarray) -> int:
    """Pixels of the warning's colour (the letters are yellow, the crosshair gold, the CT grey)."""
    r, g, b = (pixels[..., n].astype(int) for n in range(3))
    return int(np.count_nonzero((abs(r - WARNING_COLOR[0]) < 30) & (abs(g - WARNING_COLOR[1]) < 30)
                                & (abs(b - WARNING_COLOR[2]) < 40)))


def open_chosen(qtbot, window, folder: Path) -> None:
    """Open the series as the user does: the chooser (shown for the missing slice), *Open*."""
    window.open_paths([folder])
    qtbot.waitUntil(lambda: window.series_dialog is not None, timeout=30000)
    buttons = window.series_dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(buttons.button(QDialogButtonBox.Open), Qt.LeftButton)
    qtbot.waitUntil(lambda: window.controller.volume is not None, timeout=30000)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)


def compared(qtbot, window, folder: Path, other: Path):
    """``folder`` opened (:func:`open_chosen`), ``other`` beside it in *Compare series side by
    side*: the compare window, shown."""
    from two_series import compare_beside

    open_chosen(qtbot, window, folder)
    return compare_beside(qtbot, window, other)


def marks_by_slice(qtbot, pair) -> list[tuple[int, int]]:
    """The compare panes' axial slices one by one from the first (Home, then Up, as the arrow key
    steps both panes): the orange in the left and the right pane of each of the six. Only the
    third, the made-up one, is marked, in both panes."""
    from editor_helpers import grab

    pair.set_plane("axial")
    pair.setFocus()
    qtbot.keyClick(pair, Qt.Key_Home)
    marks = []
    for _ in range(6):
        pair.repaint()
        shown, (w, h) = grab(pair), pair.pane_size()
        marks.append((orange(shown[:h, :w]), orange(shown[:h, w: 2 * w])))
        qtbot.keyClick(pair, Qt.Key_Up)
    assert [left > 100 and right > 100 for left, right in marks] == [
        False, False, True, False, False, False], marks
    assert all(left == right == 0 for n, (left, right) in enumerate(marks) if n != 2), marks
    return marks
