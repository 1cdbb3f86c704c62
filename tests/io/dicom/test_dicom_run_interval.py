"""A DICOM run's time between volumes, as dcm2niix writes it in ``pixdim[4]`` (units mm and s):
the RepetitionTime, or the volumes' acquisition times where they differ from it by more than
0.05 s (a dynamic contrast run: TR 4.1 ms, volumes 5 s apart; dcm2niix's issue 560). ``convert``
wrote ``pixdim[4] = 1`` with no unit (FSL, SPM and AFNI read the TR there; ``neuroview info`` on
the file said ``no TR``) and the window named the time points without their time, where a NIfTI
run's say ``t = 4 s``; ``info`` on the series said ``16x16x4x3`` alone."""

from __future__ import annotations

import nibabel as nib
import pytest
from dwi_maker import write_classic_dwi
from pydicom.uid import generate_uid
from series_maker import SeriesSpec, run_dcm2niix, write_series

from neuroview.app.frames import time_point_text
from neuroview.io import scan

CLI_FORKED = "what `convert` writes, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _write_run(folder, mni_volume, repetition_ms: str, step_s: float):
    """Three volumes of 4 slices 16 x 16, each volume's slices at one acquisition time."""
    uid = generate_uid()
    for t in range(3):
        seconds = 10 + step_s * t
        write_series(folder / f"t{t}", mni_volume, SeriesSpec(
            rows=16, cols=16, n_slices=4, series_uid=uid, first_instance=1 + 4 * t, seed=t,
            value_scale=1 - 0.1 * t, description="run", extra=(
                ("RepetitionTime", repetition_ms), ("AcquisitionTime", f"1015{seconds:09.6f}"))))


@pytest.mark.parametrize("repetition_ms, step_s, expected, said", [
    ("2000", 2.0, 2.0, "TR 2 s (RepetitionTime)"),     # an fMRI run: its TR
    ("2000", 2.04, 2.0, "TR 2 s (RepetitionTime)"),    # times within 0.05 s: the TR, as dcm2niix
    ("4.1", 5.0, 5.0, "5 s apart (acquisition times)"),  # a dynamic run: not the 4.1 ms TR
])
def test_a_runs_time_between_volumes_is_dcm2niixs(cli, mni_volume, tmp_path, repetition_ms,
                                                  step_s, expected, said):
    _write_run(tmp_path / "in", mni_volume, repetition_ms, step_s)
    info = cli("info", tmp_path / "in")   # from the headers, before the voxels are read
    assert f"\n    3 time points, {said}\n" in info.stdout
    [reference] = run_dcm2niix(tmp_path / "in", tmp_path / "dcm2niix")
    reference = nib.load(reference).header
    assert reference["pixdim"][4] == pytest.approx(expected)

    proc = cli("convert", tmp_path / "in", tmp_path / "out" / "run.nii.gz")
    assert proc.returncode == 0, proc.stderr
    header = nib.load(tmp_path / "out" / "run.nii.gz").header
    assert header["pixdim"][4] == pytest.approx(reference["pixdim"][4])
    assert header.get_xyzt_units() == reference.get_xyzt_units() == ("mm", "sec")
    info = cli("info", tmp_path / "out" / "run.nii.gz")
    assert f"3 time points, TR {expected:g} s (pixdim[4] = {expected:g} sec)" in info.stdout

    volume = scan(tmp_path / "in").candidates[0].load()   # what the window's notice says
    assert time_point_text(volume, 2) == f"time point 3 of 3, t = {2 * expected:g} s"


def test_one_time_point_and_a_3d_series_keep_no_time(cli, mni_volume, tmp_path):
    """``--frame 2`` writes a 3D file: no 4th dimension to give a time (its header as before)."""
    _write_run(tmp_path / "in", mni_volume, "2000", 2.0)
    proc = cli("convert", tmp_path / "in", tmp_path / "out" / "one.nii.gz", "--frame", "2")
    assert proc.returncode == 0, proc.stderr
    header = nib.load(tmp_path / "out" / "one.nii.gz").header
    assert header["dim"][0] == 3 and header.get_xyzt_units() == ("unknown", "unknown")


def test_a_dwi_keeps_its_tr_as_dcm2niix_writes_it(cli, mni_volume, tmp_path):
    """A DWI's 4D file gets the TR too (dcm2niix's); the window names its volumes by b-value."""
    write_classic_dwi(tmp_path / "in", mni_volume, "siemens")
    [reference] = run_dcm2niix(tmp_path / "in", tmp_path / "dcm2niix")
    reference = nib.load(reference).header
    proc = cli("convert", tmp_path / "in", tmp_path / "out" / "dwi.nii.gz")
    assert proc.returncode == 0, proc.stderr
    header = nib.load(tmp_path / "out" / "dwi.nii.gz").header
    assert header["pixdim"][4] == reference["pixdim"][4] == 2.0
    assert header.get_xyzt_units() == reference.get_xyzt_units() == ("mm", "sec")
    volume = scan(tmp_path / "in").candidates[0].load()
    assert time_point_text(volume, 1) == "volume 2 of 6, b = 1000"
