"""Each follow-up pane names the study it shows in its top-left corner: the panes were unnamed,
and with Flicker (F) on the right pane showed the baseline with no word of it, so a reader who
looked away could not tell which study was shown (s33 walk)."""

from __future__ import annotations

import numpy as np
from followup_views import followup_view  # noqa: F401  (a fixture)
from PySide6.QtCore import Qt

from neuroview.render.text import draw_text

CAPTION = (230, 230, 230)
"""The caption's colour, 12 points high, 4 points from the pane's left edge and 3 from its top."""


def caption(shape, text: str, scale: float) -> np.ndarray:
    """The words ``text`` at a pane's caption corner, drawn alone on black (grey levels)."""
    canvas = np.zeros(shape, np.uint8)
    draw_text(canvas, text, 4 * scale, 3 * scale, CAPTION, "top-left", size=round(12 * scale))
    return canvas.max(axis=2).astype(float)


def reads(rgb: np.ndarray, text: str, scale: float) -> bool:
    """Whether the pane's corner shows ``text``: each pixel of the words at least as bright as the
    words alone draw it (the image under them is black or grey), around them the darker image."""
    alone = caption(rgb.shape, text, scale)
    words = alone > 150
    rows, cols = np.nonzero(words)
    box = np.zeros_like(words)
    box[:rows.max() + 4, :cols.max() + 4] = True
    near = alone > 0   # the words and their shadow
    for dy, dx in ((-1, 0), (1, 0), (0, -1), (0, 1)):
        near |= np.roll(np.roll(alone > 0, dy, 0), dx, 1)
    grey = rgb.max(axis=2).astype(float)
    lit = (grey[words] >= alone[words] - 10).mean()
    return lit > 0.97 and grey[box & ~near].mean() < grey[words].mean() - 60


def test_each_pane_names_its_study_and_flicker_and_subtraction_say_so(followup_view, qtbot):  # noqa: F811
    view, pair = followup_view, followup_view.pair
    scale = pair.devicePixelRatioF()
    baseline, later = view.labels[0], view.names[0]
    assert (baseline, later) == ("baseline (t1)", "follow-up 1 (t2)")   # as the title names them
    left, right = pair.pane_images()
    assert reads(left, baseline, scale) and reads(right, later, scale)
    assert not reads(right, baseline, scale)

    qtbot.keyClick(pair, Qt.Key_F)   # the baseline in the right pane: the caption says so
    assert pair.flicker
    left, right = pair.pane_images()
    assert reads(right, f"flicker: {baseline}", scale) and not reads(right, later, scale)
    qtbot.keyClick(pair, Qt.Key_F)

    qtbot.keyClick(pair, Qt.Key_D)
    assert pair.subtraction
    assert reads(pair.pane_images()[1], f"{later} minus {baseline}", scale)
    qtbot.keyClick(pair, Qt.Key_D)

    view.timepoint.setCurrentIndex(1)   # another later study: its name
    assert reads(pair.pane_images()[1], view.names[1], scale) and view.names[1].startswith("follow-up 2")
    assert reads(pair.pane_images()[0], baseline, scale)
