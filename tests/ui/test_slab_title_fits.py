"""A slice view's title ends before its top orientation letter: the title of an oblique slab being
computed, "Axial · thin (MIP 10 mm when still)", ran into the A of a view 400 px wide. At 400 px
its whole (shorter) wording shows; in a narrower view it is elided with "…", still clear of the A."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.view_slab import Slab
from neuroview.core.volume import Volume
from neuroview.render.slices import LETTER_COLOR
from neuroview.ui.controller import ViewerController
from neuroview.ui.slice_widget import TITLE_HEIGHT, SliceViewWidget

TITLE_GREY = (200, 200, 200)   # the title's letters (SliceViewWidget._draw_tag)


def tilted_volume() -> Volume:
    a = np.radians(15.0)
    affine = np.eye(4)
    affine[1:3, 1:3] = [[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]
    affine[:3, 3] = -10.0
    return Volume(np.zeros((20, 20, 20), np.float32), affine)   # black: only the text shows


def columns(strip: np.ndarray, colour) -> np.ndarray:
    near = np.all(np.abs(strip.astype(int) - colour) <= 30, axis=2)
    return np.flatnonzero(near.any(axis=0))


@pytest.fixture(scope="module")
def strips():
    """The title strip of a thin-while-computing axial view at each width (one view, resized)."""
    from editor_helpers import grab
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([])
    controller = ViewerController()
    controller.set_volume(tilted_volume())
    view = SliceViewWidget("axial", controller)
    controller.set_slab(Slab(10.0, "max"), "axial")
    out = {}
    for width in (800, 400, 250):
        view.resize(width, 300)
        out[width] = grab(view)[:TITLE_HEIGHT + 4]   # painted: thin, the slab not computed yet
        assert view.thin_shown and view.title() == "Axial · thin (MIP 10 mm soon)"
    view.slab.job.runner.wait()   # a slab started meanwhile: cancelled, ended (as a window's close)
    view.deleteLater()
    return out


@pytest.mark.parametrize("width", [800, 400, 250])
def test_the_title_ends_before_the_top_letter(strips, width):
    title, letter = columns(strips[width], TITLE_GREY), columns(strips[width], LETTER_COLOR)
    assert title.size and letter.size, "no title or no letter drawn"
    assert letter.min() >= width // 2 - 12, "the A is not where the view draws it"
    assert title.max() < letter.min() - 2, f"the title runs into the A ({title.max()} px)"


def test_a_400_px_view_shows_the_whole_title_a_250_px_one_elides_it(strips):
    whole = columns(strips[800], TITLE_GREY).max()
    assert columns(strips[400], TITLE_GREY).max() == whole
    narrow = columns(strips[250], TITLE_GREY).max()
    assert narrow < whole
    np.testing.assert_array_equal(strips[250][:, :60], strips[800][:, :60])   # "Axial · t..." kept
