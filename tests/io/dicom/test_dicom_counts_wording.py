"""The DICOM reader's warnings count in words: "1 image read twice", "3 images read twice"; they
said "1 image(s)", "3 slice(s)" for any count. Each case here reads a real series with one and
with several of the same oddity and checks the line a user sees."""

from __future__ import annotations

import shutil

import pytest
from raw_series import write_raw_series

from neuroview.io import scan


def _warnings(folder) -> list[str]:
    (candidate,) = scan(folder).candidates
    return candidate.warnings


@pytest.mark.parametrize("copies, said", [(1, "1 image read twice"), (3, "3 images read twice")])
def test_copies_read_twice(tmp_path, copies, said):
    paths = write_raw_series(tmp_path / "s", n=5)
    for path in paths[:copies]:
        shutil.copy(path, path.with_name(f"copy of {path.name}"))
    assert any(w.startswith(f"{said} (copies: same SOPInstanceUID") for w in _warnings(tmp_path / "s"))


def _repeated(folder, n, extra):
    """``n`` positions 2 mm apart, then ``extra`` slices (later instances) at the first positions
    again."""
    write_raw_series(folder, n=n + extra, per_slice=lambda k: (
        {"ImagePositionPatient": (0.0, 0.0, 2.0 * (k - n))} if k >= n else {}))


@pytest.mark.parametrize("extra, said", [
    (1, "duplicate positions: 1 image repeats the position of another and was left out"),
    (3, "duplicate positions: 3 images repeat the position of another and were left out")])
def test_duplicate_positions(tmp_path, extra, said):
    """A few positions acquired twice: the first acquired kept at each."""
    _repeated(tmp_path / "s", 10, extra)
    assert any(w.startswith(said) for w in _warnings(tmp_path / "s")), _warnings(tmp_path / "s")


@pytest.mark.parametrize("extra, said", [
    (4, "1 slice missing from its time point (left out or absent; time points told apart by "
        "InstanceNumber)"),
    (3, "2 slices missing from their time point (left out or absent; time points told apart by "
        "InstanceNumber)")])
def test_slices_missing_from_a_time_point(tmp_path, extra, said):
    """A second run over most of the 5 positions: a second time point, its gaps filled."""
    _repeated(tmp_path / "s", 5, extra)
    (warning,) = _warnings(tmp_path / "s")
    assert warning.startswith(said) and warning.endswith("; 2 time points kept"), warning


@pytest.mark.parametrize("damaged, said", [((2,), "of 1 image are not usable"),
                                           ((0, 1, 2, 3, 4), "of 5 images are not usable")])
def test_unusable_rescale(tmp_path, damaged, said):
    write_raw_series(tmp_path / "s", per_slice=lambda k: {"RescaleSlope": "NaN"} if k in damaged else {})
    assert any(w.startswith(f"rescale slope nan and intercept 0 {said}") for w in _warnings(tmp_path / "s"))


@pytest.mark.parametrize("n, damaged, said", [(2, 1, "1 image"), (4, 2, "2 images")])
def test_unusable_positions_stack_in_acquisition_order(tmp_path, n, damaged, said):
    """Half of the positions NaN: too many to leave out, the series stacked in acquisition order."""
    write_raw_series(tmp_path / "s", n=n, per_slice=lambda k: (
        {"ImagePositionPatient": (0, 0, "NaN")} if k < damaged else {}))
    (warning,) = _warnings(tmp_path / "s")
    assert warning.startswith(f"ImagePositionPatient of {said} is not usable")
