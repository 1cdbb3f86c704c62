"""An ellipse's statistics (*Ellipse statistics*, F7): the voxels whose centres lie in the ellipse
inside the rectangle dragged, as a PACS viewer's elliptical ROI, its area pi * a * b; checked
against numpy on a CT's voxels in HU, on a grid of 0.8 x 0.6 mm."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.view_measure import Ellipse, Rectangle, drawn_on_slice
from neuroview.app.view_state import ViewerState
from neuroview.core.volume import Volume

SPACING = (0.8, 0.6, 2.0)


def _ct() -> Volume:
    hu = np.random.default_rng(7).integers(-1000, 1500, (60, 70, 5)).astype(np.int16)
    affine = np.diag([*SPACING, 1.0])
    affine[:3, 3] = (-20.0, -15.0, -4.0)
    return Volume(hu, affine, modality="CT", intensity_unit="HU")


def test_an_ellipse_reads_the_voxels_inside_it():
    volume = _ct()
    state = ViewerState.for_volume(volume)
    centre, radii = np.array([3.1, 2.3, 0.0]), np.array([9.5, 6.2])   # mm, on slice k = 2
    start, end = centre - [*radii, 0.0], centre + [*radii, 0.0]
    drawn = drawn_on_slice(Ellipse, volume, state, "axial", start, end)

    i, j = np.mgrid[0:60, 0:70]
    x, y = -20.0 + 0.8 * i, -15.0 + 0.6 * j
    inside = ((x - centre[0]) / radii[0]) ** 2 + ((y - centre[1]) / radii[1]) ** 2 <= 1
    values = volume.array[:, :, 2][inside].astype(float)
    stats = drawn.stats
    assert drawn.kind == "Ellipse" and stats.voxels == inside.sum() > 300
    assert stats.mean == pytest.approx(values.mean()) and stats.std == pytest.approx(values.std())
    assert (stats.minimum, stats.maximum) == (values.min(), values.max())
    assert stats.area_mm2 == pytest.approx(np.pi * 9.5 * 6.2)
    assert stats.lines()[0] == "384 voxels, area 1.85 cm², 0.369 mL"   # 0.8 x 0.6 x 2 mm voxels
    assert stats.lines()[1].endswith(" HU, std " + f"{values.std():.1f}")
    rectangle = drawn_on_slice(Rectangle, volume, state, "axial", start, end).stats   # around it
    assert rectangle.voxels > stats.voxels and rectangle.area_mm2 == pytest.approx(4 * 9.5 * 6.2)
