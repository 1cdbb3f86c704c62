"""Two reconstructions of one head CT in two series of one description (GE's "HEAD 0.625",
kernels STANDARD and BONE): the series chooser and ``neuroview info`` name each one's kernel, as
a reader asks for "the bone kernel". They listed two lines alike but for the series number."""

from __future__ import annotations

from pydicom.uid import generate_uid
from series_maker import SeriesSpec, write_series

from neuroview.io import scan

CLI_FORKED = "what `info` prints, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _thin(folder, mni_volume, kernel, number, **fields):
    return write_series(folder, mni_volume, SeriesSpec(
        rows=8, cols=8, n_slices=4, modality="CT", intercept=-1024, series_number=number,
        description="HEAD 0.625", extra=(("ConvolutionKernel", kernel),), **fields))


def test_two_series_of_one_description_are_told_apart_by_their_kernels(tmp_path, mni_volume, cli):
    for kernel, number in (("STANDARD", 3), ("BONE", 4)):
        _thin(tmp_path / "study" / kernel, mni_volume, kernel, number)
    listed = [c.origin() for c in scan(tmp_path / "study").candidates]
    assert listed == ["study 2024-01-02, time 10:10:10, kernel STANDARD",
                      "study 2024-01-02, time 10:10:10, kernel BONE"]
    lines = cli("info", str(tmp_path / "study")).stdout.splitlines()
    assert [line.strip() for line in lines if "kernel" in line] == listed


def test_a_kernel_the_description_names_is_not_said_twice(tmp_path, mni_volume):
    """One series of two kernels is split, each named by its kernel in its description."""
    uid = generate_uid()
    for kernel, first, seed in (("FC13", 1, 1), ("FC51", 5, 2)):
        _thin(tmp_path / "ct", mni_volume, kernel, 2, series_uid=uid, first_instance=first,
              seed=seed)
    candidates = scan(tmp_path / "ct").candidates
    assert [(c.description, c.origin()) for c in candidates] == [
        ("HEAD 0.625 (FC13)", "study 2024-01-02, time 10:10:10"),
        ("HEAD 0.625 (FC51)", "study 2024-01-02, time 10:10:10")]
