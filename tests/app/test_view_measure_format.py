"""Volumes in mL as a radiologist reads them (the AI notice, the Segments list, statistics)."""

from neuroview.app.view_measure import RegionStats, format_ml, format_ras_side


def test_volumes_are_rounded_as_read():
    assert format_ml(1927.8) == "1928"          # a brain: whole mL
    assert format_ml(100.4) == "100"
    # a head CT's bleed: the ICH score counts 30 mL or more; 29.6 mL read "30" until session 36
    assert format_ml(29.6) == "29.6" and format_ml(30.04) == "30.0"
    assert format_ml(10.04) == "10.0" and format_ml(99.94) == "99.9"
    assert format_ml(3.449) == "3.4"            # one decimal below 100 mL
    assert format_ml(1.0) == "1.0"
    assert format_ml(0.0123) == "0.012"         # a small lesion keeps its size
    assert format_ml(0.0) == "0.000"


def test_statistics_line_uses_the_same_rounding():
    line = RegionStats(240975, 1927.8, 80.0, 5.0, 1.0, 99.0, "").describe()
    assert line.startswith("240975 voxels, 1928 mL, mean 80.0")
    assert RegionStats(1, 0.001, 80.0, 0.0, 80.0, 80.0, "").describe().startswith("1 voxel, 0.001 mL")


def test_a_ras_coordinate_reads_as_its_side_and_distance():
    assert format_ras_side(-29.34, 0) == "L 29.3"      # a left-hemisphere lesion read "R -29.3"
    assert format_ras_side(12.0, 0) == "R 12.0"
    assert format_ras_side(-4, 1) == "P 4.0" and format_ras_side(7.26, 1) == "A 7.3"
    assert format_ras_side(-0.5, 2) == "I 0.5" and format_ras_side(30, 2) == "S 30.0"
    assert format_ras_side(-0.04, 0) == "0.0"          # no side for a point on the plane
