"""A CT perfusion run as Siemens, GE and Canon write it (one series, every time point at the same
table positions; the time point told by AcquisitionNumber, TemporalPositionIdentifier or the
AcquisitionTime alone) opens as one 4D image of its time points in acquisition order, each
volume dcm2niix's and the HU written, its time points 1.5 s apart (session 51's walk)."""

from __future__ import annotations

import pytest
from perfusion_maker import write_perfusion
from series_maker import check_4d_against_dcm2niix

from neuroview.app.frames import time_point_text
from neuroview.io import scan


@pytest.mark.parametrize("vendor", ["siemens", "ge", "canon"])
def test_a_perfusion_run_is_one_4d_image_of_its_time_points(vendor, tmp_path):
    written = write_perfusion(tmp_path / "in", vendor, size=32, n_slices=4, n_times=10)
    check_4d_against_dcm2niix(tmp_path / "in", tmp_path / "dcm2niix",
                              [(written.hu[..., t], written.ijk_to_ras) for t in range(10)])
    (candidate,) = scan(tmp_path / "in").candidates
    volume = candidate.load()
    assert volume.modality == "CT" and volume.intensity_unit == "HU"
    assert time_point_text(volume, 8) == "time point 9 of 10, t = 12 s"
