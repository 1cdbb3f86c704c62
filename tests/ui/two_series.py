"""Two series of one study for *View > Other series > Overlay series...* and *View > Compare series side by
side...*: an axial T1 and an oblique FLAIR of another grid in one DICOM frame of reference, the
FLAIR again under another frame of reference, and the pixels a pane or view should show of a
written series (pydicom's truth, not neuroview's reader). Test modules import them from here,
never from another test module."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from editor_helpers import grab
from scipy import ndimage

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from series_maker import SeriesSpec, write_series  # noqa: E402

POINT_RAS = np.array([-20.3, -30.8, 25.4])
"""A point inside both series, in the brain."""

FLAIR = dict(orientation="oblique", rows=40, cols=36, n_slices=34, row_spacing=3.5,
             col_spacing=3.5, slice_step=3.0, series_number=4, description="OBL FLAIR",
             value_scale=3.0)


def write_study(folder, mni_volume):
    """An axial T1 (3 x 3 x 4 mm) and an oblique FLAIR (3.5 x 3.5 x 3 mm, values x3 to tell them
    apart), one frame of reference; and the FLAIR again under another frame of reference."""
    from pydicom.uid import generate_uid

    frame = generate_uid()
    axial = write_series(folder / "t1", mni_volume, SeriesSpec(
        rows=48, cols=44, n_slices=30, row_spacing=3.0, col_spacing=3.0, slice_step=4.0,
        series_number=3, description="AX T1", extra=(("FrameOfReferenceUID", frame),)))
    oblique = write_series(folder / "flair", mni_volume, SeriesSpec(
        **FLAIR, extra=(("FrameOfReferenceUID", frame),)))
    other = write_series(folder / "other", mni_volume, SeriesSpec(
        **FLAIR, extra=(("FrameOfReferenceUID", generate_uid()),)))
    return axial, oblique, other


def values_at_pixels(geom, written):
    """The written series' values (linear) at each pixel's RAS point of ``geom``, and where that
    lies well inside its grid."""
    y, x = np.mgrid[0: geom.height, 0: geom.width]
    ras = geom.origin_ras + x[..., None] * geom.col_ras + y[..., None] * geom.row_ras
    ras_to_ijk = np.linalg.inv(written.ijk_to_ras)
    ijk = np.moveaxis(ras @ ras_to_ijk[:3, :3].T + ras_to_ijk[:3, 3], -1, 0)
    inside = np.all((ijk > 0.1) & (ijk < np.array(written.values.shape)[:, None, None] - 1.1), axis=0)
    values = ndimage.map_coordinates(written.values.astype(np.float64), ijk, order=1, mode="nearest")
    return values, inside


def away_from_marks(geom, crosshair_ras):
    """Pixels away from the crosshair's lines and the text at the edges."""
    region = np.zeros((geom.height, geom.width), bool)
    region[30: geom.height - 30, 30: geom.width - 30] = True
    cx, cy = geom.ras_to_pixel(crosshair_ras)
    region[int(cy) - 8: int(cy) + 9, :] = False
    region[:, int(cx) - 8: int(cx) + 9] = False
    return region


def compare_shown(qtbot, window):
    """The window of *Compare series side by side*, once the series it was asked for is read (and
    registered) and the window is shown."""
    qtbot.waitUntil(lambda: getattr(window, "compare_window", None) is not None
                    and not window.runner.busy, timeout=60000)
    qtbot.waitExposed(window.compare_window)
    return window.compare_window


def compare_beside(qtbot, window, path):
    """``path`` (a series) in *Compare series side by side* beside the image open: its window,
    shown."""
    from neuroview.ui.actions_fusion import COMPARE

    window.fusion.overlay_path(path, purpose=COMPARE)
    return compare_shown(qtbot, window)


def panes(pair):
    """The pair's left and right panes as drawn now (RGB, int), and a pane's slice geometry."""
    pair.repaint()
    shown, (w, h) = grab(pair).astype(int), pair.pane_size()
    return shown[:h, :w], shown[:h, w: 2 * w], pair.state.geometry(pair.plane, w, h)
