"""Region statistics and presets against direct numpy computations."""

from __future__ import annotations

import numpy as np
from render_cases import AFFINES, make_case

from neuroview.app.view_measure import rectangle_statistics, segment_statistics, segment_table_rows
from neuroview.app.view_presets import CT_PRESETS, auto_window_level, preset_window_level
from neuroview.app.view_state import ViewerState
from neuroview.core.labels import LabelMap
from neuroview.core.volume import Volume


def test_segment_statistics_same_grid_and_other_grid():
    volume, labels = make_case(AFFINES["ras"])
    stats = segment_statistics(volume, labels, 1)
    values = volume.array[labels.array == 1]
    assert stats.voxels == values.size
    assert np.isclose(stats.mean, values.mean()) and np.isclose(stats.std, values.std())
    assert np.isclose(stats.volume_ml, values.size * 8 / 1000)
    # The same mask stored on an LPS grid (flipped array) gives the same numbers.
    flipped = LabelMap(labels.array[::-1, ::-1], AFFINES["lps"])
    other = segment_statistics(volume, flipped, 1)
    assert other.voxels == stats.voxels and np.isclose(other.mean, stats.mean)
    rows = segment_table_rows(labels)
    assert rows[0][:2] == (1, "lesion") and rows[0][3] == values.size


def test_rectangle_statistics_selects_the_voxels_inside():
    array = np.arange(10 * 12 * 8, dtype=np.float32).reshape(10, 12, 8)
    volume = Volume(array, np.diag([1.0, 1.0, 2.0, 1.0]))
    state = ViewerState(volume.shape, volume.ijk_to_ras)
    right, down, normal = state.axes("axial")
    # Axial rectangle from voxel (2..5, 3..7) on slice k=4 (z = 8 mm); corners are RAS points.
    stats = rectangle_statistics(volume, [2.0, 3.0, 8.0], [5.0, 7.0, 8.0], right, down, normal, 2.0)
    expected = array[2:6, 3:8, 4]
    assert stats.voxels == expected.size
    assert np.isclose(stats.mean, expected.mean()) and stats.maximum == expected.max()
    assert np.isclose(stats.volume_ml, expected.size * 2 / 1000)
    # the area as drawn, 3 x 4 mm, as Horos's ROI gives it (a reader's "area" had no line)
    assert np.isclose(stats.area_mm2, 12.0)
    assert stats.lines()[0] == "20 voxels, area 0.12 cm², 0.040 mL"


def test_window_presets():
    ct = Volume(np.linspace(-1000, 2000, 4000, dtype=np.float32).reshape(10, 20, 20), np.eye(4),
                modality="CT", intensity_unit="HU")
    assert auto_window_level(ct) == CT_PRESETS["Brain"]
    assert preset_window_level("Lung", ct) == (1500.0, -600.0)
    mr = Volume(np.concatenate([np.zeros(2000), np.linspace(100, 300, 2000)]).reshape(10, 20, 20)
                .astype(np.float32), np.eye(4), modality="MR")
    window, level = auto_window_level(mr)
    low, high = level - window / 2, level + window / 2
    assert 100 <= low < 105 and 295 < high <= 300  # percentiles of the foreground, not the zeros


def test_statistics_of_an_adc_map_in_mm2_per_s_are_not_zeros():
    """An ADC map in mm2/s (0-0.003): one decimal wrote its mean, std, min and max as 0.0."""
    rng = np.random.default_rng(5)
    array = (0.0008 + rng.normal(0, 3e-5, (12, 12, 12))).astype(np.float32)
    labels = LabelMap(np.ones((12, 12, 12), np.uint8), np.eye(4))
    stats = segment_statistics(Volume(array, np.eye(4)), labels, 1)
    _, figures, extremes = stats.lines()
    assert figures == f"mean {array.mean():.3g}, std {array.std():.2e}"
    assert extremes == f"min {array.min():.3g}, max {array.max():.3g}"
    assert "0.0," not in figures and float(figures.split()[1].rstrip(",")) > 0.0007
