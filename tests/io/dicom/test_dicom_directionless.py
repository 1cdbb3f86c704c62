"""A GE DWI series holding its combined (trace) image: b = 1000 with the gradient direction
(0, 0, 0). dcm2niix writes that volume as b = 0 (its issue 245); neuroview keeps the b-value
the header gives and says so, in one line, on ``convert``'s stderr and in the window's notice
(the 4D file's ``.bvec`` column is 0 0 0: FSL and MRtrix take a b > 0 without direction for
neither a b = 0 nor a direction). It was written unsaid."""

from __future__ import annotations

import pydicom
from dwi_maker import B_VALUES, write_classic_dwi
from series_maker import run_dcm2niix

from neuroview.io import scan

CLI_FORKED = "what `convert` writes, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

NOTE = ("volume 6 of 6: b = 1000 with no gradient direction (0 0 0 in the .bvec): the scanner's "
        "combined (trace) image, or a b = 0 volume (dcm2niix writes it as b = 0)")


def test_a_ge_trace_volume_without_direction_is_said(cli, mni_volume, tmp_path):
    written = write_classic_dwi(tmp_path / "in", mni_volume, "ge-col")
    assert B_VALUES[5] == 1000
    for path in written[5].files:   # the last volume: GE's combined image, no direction
        ds = pydicom.dcmread(path)
        for element in (0x001910BB, 0x001910BC, 0x001910BD):
            ds[element].value = "0"
        ds.save_as(path)
    [reference] = run_dcm2niix(tmp_path / "in", tmp_path / "dcm2niix")
    assert reference.with_suffix(".bval").read_text().split()[5] == "0"

    proc = cli("convert", tmp_path / "in", tmp_path / "out" / "dwi.nii.gz")
    assert proc.returncode == 0, proc.stderr
    assert f"neuroview convert: warning: series [1]: {NOTE}\n" in proc.stderr
    assert (tmp_path / "out" / "dwi.bval").read_text().split()[5] == "1000"
    assert scan(tmp_path / "in").candidates[0].load().warnings[-1] == NOTE   # the notice's


def test_a_dwi_whose_volumes_all_have_directions_says_nothing(cli, mni_volume, tmp_path):
    write_classic_dwi(tmp_path / "in", mni_volume, "ge-col")
    proc = cli("convert", tmp_path / "in", tmp_path / "out" / "dwi.nii.gz")
    assert proc.returncode == 0 and "gradient direction" not in proc.stderr, proc.stderr
