"""Volumes in mL as a radiologist reads them (the AI notice, the Segments list, statistics)."""

from neuroview.app.view_measure import RegionStats, format_ml


def test_volumes_are_rounded_as_read():
    assert format_ml(1927.8) == "1928"          # a brain: whole mL
    assert format_ml(10.04) == "10"
    assert format_ml(3.449) == "3.4"            # one decimal below 10 mL
    assert format_ml(1.0) == "1.0"
    assert format_ml(0.0123) == "0.012"         # a small lesion keeps its size
    assert format_ml(0.0) == "0.000"


def test_statistics_line_uses_the_same_rounding():
    line = RegionStats(240975, 1927.8, 80.0, 5.0, 1.0, 99.0, "").describe()
    assert line.startswith("240975 voxels, 1928 mL, mean 80.0")
