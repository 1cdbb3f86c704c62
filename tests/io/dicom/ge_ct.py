"""Real GE LightSpeed Ultra CT slices: pydicom's DICOMDIR test study 98892001/CT5N (5 axial
16x16 slices 2.5 mm apart, AcquisitionNumber 1, 1, 1, 2, 2)."""

from __future__ import annotations

from pathlib import Path

import pytest


def ct5n_files() -> list[Path]:
    """The study's 5 files in name order (skips the test where pydicom's data lack them)."""
    from pydicom.data import get_testdata_file

    try:
        first = get_testdata_file("2062")
    except Exception:  # noqa: BLE001 - any failure to find it: not installed
        first = None
    if not first or "CT5N" not in first:
        pytest.skip("pydicom's dicomdirtests study (98892001/CT5N) is not installed")
    return sorted(Path(first).parent.iterdir())
