"""DICOM series (stored in LPS, axial and oblique) shown in the window: a marker written into the
files at a known RAS point appears where the radiological convention puts it, in all views, and a
label painted there shows in its segment colour."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from render_cases import BLOB_RAS, intensity_at
from viewer_pixels import expected_pixel, grab, open_case

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from series_maker import SeriesSpec, write_series  # noqa: E402

from neuroview.core.volume import Volume  # noqa: E402

MARKER_RADIUS_MM = 7.0


def _world_image() -> Volume:
    """A 1 mm RAS volume defined in world space: render_cases' image plus a bright marker ball."""
    shape = (181, 201, 181)
    affine = np.eye(4)
    affine[:3, 3] = [-90.0, -118.0, -72.0]
    ijk = np.indices(shape, dtype=np.float32).transpose(1, 2, 3, 0)
    p_ras = ijk + affine[:3, 3].astype(np.float32)
    values = intensity_at(p_ras)
    values[np.linalg.norm(p_ras - BLOB_RAS.astype(np.float32), axis=-1) <= MARKER_RADIUS_MM] = 900.0
    return Volume(values, affine)


@pytest.fixture(scope="module")
def world_image():
    return _world_image()


def _bright_centroid(rgb: np.ndarray):
    """Centre of the largest white blob: the marker under a window that hides everything else
    (the slice-position text in the corner is white too, but small)."""
    from scipy import ndimage

    components, count = ndimage.label(rgb.min(axis=2) > 200)
    if count == 0:
        return None
    sizes = np.bincount(components.ravel())[1:]
    ys, xs = np.nonzero(components == 1 + int(np.argmax(sizes)))
    if len(xs) < 20:
        return None
    return xs.mean() + 0.5, ys.mean() + 0.5


@pytest.mark.parametrize("orientation", ["axial", "oblique"])
def test_dicom_marker_and_label_appear_in_place(qtbot, window, tmp_path, world_image, orientation):
    spec = SeriesSpec(orientation=orientation, rows=48, cols=44, n_slices=36, row_spacing=3.0,
                      col_spacing=2.8, slice_step=3.5)
    written = write_series(tmp_path / "series", world_image, spec)
    open_case(qtbot, window, written.folder)
    volume = window.controller.volume
    assert volume.source_metadata and volume.is_oblique == (orientation == "oblique")
    if orientation == "axial":
        assert volume.orientation == "LPS"  # stored as DICOM gives it; shown in RAS
    # The marker is stored as ~900*8 (series_maker scales by 8); show only it as white.
    window.controller.set_window_level(400.0, 6600.0)
    window.controller.set_crosshair(BLOB_RAS)
    for plane, widget in window.slice_views.items():
        found = _bright_centroid(grab(widget))
        assert found is not None, f"marker not visible in {plane}"
        ex, ey = expected_pixel(window, plane, BLOB_RAS)
        assert abs(found[0] - ex) < 4 and abs(found[1] - ey) < 4, (plane, found, (ex, ey))

    session = window.editor.session
    lesion = session.segments.add("lesion", color=(0, 255, 0))
    session.apply("paint", at_ras=tuple(BLOB_RAS), radius_mm=5.0, mode="3d", segment=lesion)
    window.segment_panel.opacity_slider.setValue(100)
    qtbot.waitUntil(lambda: all(
        np.any(np.all(grab(w) == (0, 255, 0), axis=2)) for w in window.slice_views.values()),
        timeout=10000)
    for plane, widget in window.slice_views.items():
        ys, xs = np.nonzero(np.all(grab(widget) == (0, 255, 0), axis=2))
        ex, ey = expected_pixel(window, plane, BLOB_RAS)
        assert abs(xs.mean() + 0.5 - ex) < 4 and abs(ys.mean() + 0.5 - ey) < 4, plane
