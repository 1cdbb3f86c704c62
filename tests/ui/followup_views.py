"""The follow-up window's fixture and how to reach into it: helpers that test_followup_window.py and
the tests building on it share (test modules import helpers from a helper module, never from another
test module)."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import activate

from neuroview.app.followup_report import ReportInfo
from neuroview.core.geometry import apply_affine
from neuroview.render.slices import CROSSHAIR_COLOR


def menu_action(window, text):
    for action in window.file_menu.actions():
        if action.text().replace("&", "") == text:
            return action
    raise AssertionError(f"no File > {text}")


@pytest.fixture
def followup_view(qtbot, three_studies):
    from neuroview.ui.followup_window import FollowupWindow

    view = FollowupWindow(*three_studies, info=ReportInfo(masks_by="drawn by the test"))
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    # active, as a window manager makes a window that opens: under Xvfb with the xcb platform no
    # window was, the window's shortcuts (F, D, F2) did nothing and a key to the focus widget
    # (None) aborted the test process (the offscreen platform activates a window on show)
    activate(qtbot, view)
    return view


def opened_as_window(qtbot, studies, main):
    """The follow-up window of ``studies`` as *File > Open follow-up...* makes it: a child of
    ``main`` (which keeps it alive) turned into a window of its own, shown and active."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from neuroview.ui.followup_window import FollowupWindow

    view = FollowupWindow(*studies, info=ReportInfo(masks_by="drawn by the test"), parent=main)
    view.setWindowFlag(Qt.Window)   # as followup_open.start_followup does
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    return view


def shown_pair(qtbot, baseline):
    """The follow-up window's two panes alone, 900x400, the later study the baseline's own image
    and neither with a lesion: for what a click or drag in a pane does."""
    from neuroview.ui.followup_pair import FollowupPairWidget

    shape = baseline.array.shape
    pair = FollowupPairWidget(baseline, np.zeros(shape, np.uint8), baseline.array.copy(),
                              np.zeros(shape, np.uint8))
    qtbot.addWidget(pair)
    pair.resize(900, 400)
    pair.show()
    qtbot.waitExposed(pair)
    return pair


def oblique_pair(qtbot, width=400, height=200):
    """The follow-up panes alone, of a noise baseline 30^3 tilted 20 degrees about R-L (resliced:
    an oblique plane, whose thick slab is computed in the background) and a later noise study,
    neither with a lesion, shown ``width`` x ``height``."""
    from neuroview.core.volume import Volume
    from neuroview.ui.followup_pair import FollowupPairWidget

    a = np.radians(20.0)
    affine = np.eye(4)
    affine[1:3, 1:3] = [[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]
    affine[:3, 3] = -15.0
    rng = np.random.default_rng(5)
    baseline = Volume(rng.normal(100, 20, (30, 30, 30)).astype(np.float32), affine, modality="MR")
    later = rng.normal(100, 20, (30, 30, 30)).astype(np.float32)
    no_lesions = np.zeros((30, 30, 30), np.uint8)
    pair = FollowupPairWidget(baseline, no_lesions, later, no_lesions)
    qtbot.addWidget(pair)
    pair.resize(width, height)
    pair.show()
    qtbot.waitExposed(pair)
    return pair


def voxel_under(pair, x, y):
    """Centre of the baseline voxel nearest the centre of pane pixel (x, y): what a click there
    takes (tests/ui/test_followup_pointer.py checks it against the voxel drawn there)."""
    baseline = pair.baseline
    p_ras = pair.pane_geometry().pixel_to_ras(x + 0.5, y + 0.5)
    return apply_affine(baseline.ijk_to_ras, np.rint(baseline.ras_to_ijk_points(p_ras)))


def lesion_voxel(pair, lesion) -> np.ndarray:
    """Centre of the baseline voxel at a lesion's centre: where a click on its row takes both panes."""
    baseline = pair.baseline
    return apply_affine(baseline.ijk_to_ras, np.rint(baseline.ras_to_ijk_points(lesion.position_ras)))


def plane_button(view, plane):
    return next(b for b in view.plane_buttons.buttons() if b.text() == plane.capitalize())


def outline_pixels(rgb):
    """Pixels of the lesion outlines (saturated red/yellow, not the crosshair)."""
    rgb = rgb.astype(int)
    return int(((np.abs(rgb[..., 0] - rgb[..., 1]) > 60) & (rgb[..., 2] < 100)
                & ~np.all(rgb == CROSSHAIR_COLOR, axis=2)).sum())


def near_crosshair(pair, *images, radius_mm=10.0):
    """The part of each pane within ``radius_mm`` of the crosshair (other lesions cut away)."""
    geom = pair.pane_geometry()
    x, y = (int(round(v)) for v in geom.ras_to_pixel(pair.state.crosshair_ras))
    r = int(np.ceil(radius_mm / geom.mm_per_pixel))
    return [image[max(y - r, 0):y + r + 1, max(x - r, 0):x + r + 1] for image in images]


def crosshair_pixel(pair):
    x, y = pair.pane_geometry().ras_to_pixel(pair.state.crosshair_ras)
    return int(np.floor(x)), int(np.floor(y))
