"""One pattern of neuroview's case ids (``layout.CASE_NAME``), read by the dataset's listing and by
the staged-commit plans' check (``replan``): it was written twice, and the two could drift."""

from __future__ import annotations

from neuroview.dataset import layout, replan


def test_one_case_name_pattern_for_listing_and_plans():
    assert replan.CASE_NAME is layout.CASE_NAME
    assert [n for n in ("nv_0001", "nv_12345", "nv_001", "nv_0001\n", "xnv_0001", "nv_0001.json")
            if layout.CASE_NAME.fullmatch(n)] == ["nv_0001", "nv_12345"]
