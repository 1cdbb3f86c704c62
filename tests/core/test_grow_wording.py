"""Grow from seeds names its seed segments in words: it said 'seed segment(s) [3] have no voxels'
for one segment."""

from __future__ import annotations

import dataclasses

import pytest

from neuroview.core.errors import ToolError
from tests.core.edit_tool_cases import make_target, make_volume, run_tool


def test_grow_names_its_seed_segments_in_words():
    volume = make_volume("isotropic")
    target = make_target(volume, names=("lesion", "background", "edema"))
    centre = volume.center_ras
    run_tool(target, "paint", [centre], segment=1, radius_mm=2)
    run_tool(target, "paint", [centre + [15, 0, 0]], segment=2, radius_mm=2)
    with pytest.raises(ToolError, match="^seed segment 3 has no voxels: paint seeds first$"):
        run_tool(target, "grow", segments=[1, 2, 3])
    table = target.labels.segments
    table.put(dataclasses.replace(table.get(1), locked=True))
    with pytest.raises(ToolError, match="^seed segment 1 is locked$"):
        run_tool(target, "grow", segments=[1, 2])
    table.put(dataclasses.replace(table.get(2), locked=True))
    with pytest.raises(ToolError, match="^seed segments 1, 2 are locked$"):
        run_tool(target, "grow", segments=[1, 2])
