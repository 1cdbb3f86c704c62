"""A CT perfusion run as Siemens, GE and Canon write it (one series, every time point at the same
table positions; the time point told by AcquisitionNumber, TemporalPositionIdentifier or the
AcquisitionTime alone) opens as one 4D image of its time points in acquisition order, each
volume dcm2niix's and the HU written, its time points 1.5 s apart (session 51's walk)."""

from __future__ import annotations

import pytest
from perfusion_maker import write_perfusion
from series_maker import check_4d_against_dcm2niix

from neuroview.app.frames import frame_seconds, time_point_text
from neuroview.io import scan

CLI_FORKED = "what `info` says, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


@pytest.mark.parametrize("vendor", ["siemens", "ge", "canon"])
def test_a_perfusion_run_is_one_4d_image_of_its_time_points(vendor, tmp_path):
    written = write_perfusion(tmp_path / "in", vendor, size=32, n_slices=4, n_times=10)
    check_4d_against_dcm2niix(tmp_path / "in", tmp_path / "dcm2niix",
                              [(written.hu[..., t], written.ijk_to_ras) for t in range(10)])
    (candidate,) = scan(tmp_path / "in").candidates
    volume = candidate.load()
    assert volume.modality == "CT" and volume.intensity_unit == "HU"
    assert time_point_text(volume, 8) == "time point 9 of 10, t = 12 s"


def test_an_unevenly_sampled_run_names_each_time_point_by_its_own_time(tmp_path, cli):
    """A GE-style perfusion run, every second through the bolus and every 3 s after: each time
    point is named by its own acquisition time (``t = 16 s`` for time point 14) and ``info`` says
    the spacing is uneven; until session 51 the average step (1.5625 s) named them all (``t =
    20.312 s``) and the curve's time axis with them."""
    seconds = [*range(12), *range(13, 28, 3)]          # 0..11 s, then 13, 16, ..., 25 s
    write_perfusion(tmp_path / "in", "ge", size=32, n_slices=2, seconds=seconds)
    volume = scan(tmp_path / "in").candidates[0].load()
    assert volume.n_frames == len(seconds) == 17
    assert time_point_text(volume, 13) == "time point 14 of 17, t = 16 s"
    assert [frame_seconds(volume, t) for t in range(17)] == seconds
    info = cli("info", tmp_path / "in").stdout
    assert "17 time points, 1.5625 s apart on average (acquisition times, uneven: 1 to 3 s apart)" in info


def test_info_names_a_dicom_runs_unit_as_it_does_the_same_run_in_nifti(tmp_path, cli):
    """``info`` said ``values in HU`` of a 4D CT in NIfTI (session 51) and nothing of the DICOM
    series it was converted from: the unit the window's readout and curves use is named for both."""
    write_perfusion(tmp_path / "in", "siemens", size=32, n_slices=2, n_times=4)
    info = cli("info", tmp_path / "in").stdout
    assert "4 time points" in info and "    values in HU\n" in info
    cli("convert", tmp_path / "in", tmp_path / "run.nii.gz")
    assert "    values in HU\n" in cli("info", tmp_path / "run.nii.gz").stdout


def test_an_unevenly_sampled_run_converted_keeps_each_time_point_s_time_in_its_sidecar(tmp_path, cli):
    """A NIfTI holds one time between volumes: ``convert`` writes the run's average in
    ``pixdim[4]`` and, since session 52, each time point's start in the JSON sidecar as dcm2niix
    does (``FrameTimesStart``), which neuroview reads back: the NIfTI's time point 14 was named
    by the average step (``t = 20.3 s``) where the DICOM series' was 16 s."""
    import json

    import nibabel as nib

    seconds = [*range(12), *range(13, 28, 3)]
    write_perfusion(tmp_path / "in", "ge", size=32, n_slices=2, seconds=seconds)
    write_perfusion(tmp_path / "even", "ge", size=32, n_slices=2, n_times=4)
    cli("convert", tmp_path / "in", tmp_path / "run.nii.gz")
    cli("convert", tmp_path / "even", tmp_path / "even.nii.gz")
    header = nib.load(tmp_path / "run.nii.gz").header
    assert header.get_data_shape()[3] == 17 and header["pixdim"][4] == pytest.approx(25 / 16)
    sidecar = json.loads((tmp_path / "run.json").read_text())
    assert sidecar["FrameTimesStart"] == seconds and sidecar["Modality"] == "CT"
    assert "FrameTimesStart" not in json.loads((tmp_path / "even.json").read_text())
    volume = scan(tmp_path / "run.nii.gz").candidates[0].load()
    assert [frame_seconds(volume, t) for t in range(17)] == seconds
    assert time_point_text(volume, 13) == "time point 14 of 17, t = 16 s"
