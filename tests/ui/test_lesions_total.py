"""The Lesions list's line under the table gives the lesions' total volume to the rows' three
decimals: it gave two, so a list of 0.800 and 0.064 mL read `2 lesions, 0.86 mL`, a lesion of
2.175 mL `2.17 mL`, and one voxel of a 1 mm image `0.00 mL` (session 40's annotator walk)."""

from __future__ import annotations

import numpy as np
from lesion_lists import list_of_two


def test_the_total_is_the_sum_of_the_rows_as_shown(qtbot, window, tmp_path):
    volume, _session, _segment, big, small, panel = list_of_two(qtbot, window, tmp_path)
    voxel_ml = abs(float(np.linalg.det(volume.ijk_to_ras[:3, :3]))) / 1000
    rows = sorted(float(panel.table.item(row, 1).text()) for row in range(2))
    assert rows == [round(small.sum() * voxel_ml, 3), round(big.sum() * voxel_ml, 3)] == [0.064, 0.8]
    assert panel.summary.text() == ("2 lesions, 0.864 mL (26-connected)\nlocation unknown: no brain "
                                    "mask: AI > Segment with a model that extracts the brain makes one")
