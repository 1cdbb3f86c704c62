"""An image that cannot be placed in a series of several stacks side by side (a two-stack
spine, stacks acquired one after the other or interleaved), or an image whose
ImageOrientationPatient cannot orient it: the series gives the same volumes as the same folder
without that file (shapes, ``ijk_to_ras``, voxels), plus one warning naming the file.

Before: the damaged position kept the stacks together (split_stacks gave up on the series),
so after the file was left out the two stacks were stacked as one (the second stack's slices
as time points, or left out as duplicates); a damaged orientation made a one-slice part of its
own, or, sorted first, sent the series to acquisition order (NaN: the other slices silently
placed).
"""

from __future__ import annotations

import shutil

import nibabel as nib
import numpy as np
import pytest
from raw_series import write_raw_series
from series_maker import compare_in_world, run_dcm2niix

from neuroview.io import scan

CLI_FORKED = "what `convert` writes, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

N = 10  # two stacks of 5 axial slices 2 mm apart; the second 100 mm further along LPS y
BAD_POSITION = {"NaN": (0, 0, "NaN"), "infinite": (0, "inf", 4), "1e300": (0, 0, 1e300)}
BAD_ORIENTATION = {"NaN": ("NaN", 0, 0, 0, 1, 0), "zero": (0, 0, 0, 0, 0, 0),
                   "60 degrees": (1, 0, 0, 0.5, 0.866, 0), "five values": (1, 0, 0, 0, 1)}
REASONS = {"NaN": "not usable (not finite)", "zero": "not usable (a direction of length 0)",
           "60 degrees": "not usable (the row and column directions are 60 degrees apart, not 90)",
           "five values": "missing (or not six numbers)"}


def _stack_of(k: int, interleaved: bool) -> tuple[int, int]:
    """(stack, slice in stack) of file ``k``: 0-4 then 5-9, or alternating."""
    return (k % 2, k // 2) if interleaved else (k // 5, k % 5)


def _spine(folder, interleaved: bool, damaged: int, fields: dict):
    def per_slice(k):
        stack, index = _stack_of(k, interleaved)
        values = {"ImagePositionPatient": (0.0, 100.0 * stack, 2.0 * index)}
        return {**values, **(fields if k == damaged else {})}

    return write_raw_series(folder, n=N, per_slice=per_slice)


def _volumes(folder):
    candidates = scan(folder).candidates
    return candidates, sorted((c.load() for c in candidates), key=lambda v: v.ijk_to_ras[1, 3])


def _without(paths, left_out: int, folder):
    folder.mkdir()
    for k, path in enumerate(paths):
        if k != left_out:
            shutil.copy(path, folder / path.name)
    return folder


def _assert_same(volumes, expected) -> None:
    assert len(volumes) == len(expected)
    for got, want in zip(volumes, expected):
        assert got.array.shape == want.array.shape
        np.testing.assert_allclose(got.ijk_to_ras, want.ijk_to_ras, atol=1e-9)
        np.testing.assert_array_equal(got.array, want.array)


@pytest.mark.parametrize("interleaved", [False, True], ids=["one after the other", "interleaved"])
@pytest.mark.parametrize("damaged", [1, 4], ids=["inside a stack", "a stack's last"])
@pytest.mark.parametrize("damage", list(BAD_POSITION))
def test_a_bad_position_in_one_of_two_stacks_gives_the_stacks_of_the_good_files(
        tmp_path, interleaved, damaged, damage):
    paths = _spine(tmp_path / "s", interleaved, damaged,
                   {"ImagePositionPatient": BAD_POSITION[damage]})
    candidates, volumes = _volumes(tmp_path / "s")
    _, expected = _volumes(_without(paths, damaged, tmp_path / "good"))
    assert [v.array.shape[2] for v in volumes] == [v.array.shape[2] for v in expected]
    assert len(volumes) == 2 and all(v.axis4 == "" for v in volumes)  # two stacks, not a 4D
    _assert_same(volumes, expected)
    name = paths[damaged].name
    for candidate in candidates:  # each part of the series names the file
        assert [w for w in candidate.warnings if name in w] == [
            "ImagePositionPatient missing or not usable (not finite, or beyond 1e+06 mm) in "
            f"{name}: left out, the other 9 images placed by their positions"]


def test_a_missing_position_in_one_of_two_stacks(tmp_path):
    import pydicom

    paths = _spine(tmp_path / "s", False, 7, {})
    ds = pydicom.dcmread(paths[7])
    del ds.ImagePositionPatient
    ds.save_as(paths[7])
    candidates, volumes = _volumes(tmp_path / "s")
    _assert_same(volumes, _volumes(_without(paths, 7, tmp_path / "good"))[1])
    assert all(any("IM0007.dcm: left out" in w for w in c.warnings) for c in candidates)


@pytest.mark.parametrize("damaged", [0, 3], ids=["sorted first", "inside"])
@pytest.mark.parametrize("damage", list(BAD_ORIENTATION))
def test_a_bad_orientation_is_left_out_and_named(tmp_path, damaged, damage):
    """One stack of 8 slices (instance numbers against the positions): slice ``damaged``'s
    orientation NaN, of length 0, not perpendicular or five values."""
    paths = write_raw_series(tmp_path / "s", n=8, per_slice=lambda k: {
        "InstanceNumber": 8 - k,
        **({"ImageOrientationPatient": BAD_ORIENTATION[damage]} if k == damaged else {})})
    (candidate,), volumes = _volumes(tmp_path / "s")
    _, expected = _volumes(_without(paths, damaged, tmp_path / "good"))
    _assert_same(volumes, expected)
    name = paths[damaged].name
    assert [w for w in candidate.warnings if name in w] == [
        f"ImageOrientationPatient {REASONS[damage]} in {name}: left out, the other 7 images "
        "placed by their positions"]
    assert not any("acquisition order" in w or "series split" in w for w in candidate.warnings)


@pytest.mark.parametrize("damage", ["NaN", "zero"])
def test_a_bad_orientation_in_one_of_two_stacks(tmp_path, damage):
    paths = _spine(tmp_path / "s", True, 6,
                   {"ImageOrientationPatient": BAD_ORIENTATION[damage]})
    candidates, volumes = _volumes(tmp_path / "s")
    _assert_same(volumes, _volumes(_without(paths, 6, tmp_path / "good"))[1])
    assert len(candidates) == 2
    assert all(any("in IM0006.dcm: left out, the other 9" in w for w in c.warnings)
               for c in candidates)


def test_converted_as_dcm2niix_converts_the_oriented_files_alone(tmp_path, cli):
    """The first slice's orientation of length 0: the NIfTI nibabel reads back holds the same
    voxels at the same places as dcm2niix's conversion of the seven undamaged files (dcm2niix,
    given the damaged file too, converts it alone as a second series)."""
    paths = write_raw_series(tmp_path / "s", n=8, per_slice=lambda k: {
        "InstanceNumber": 8 - k,
        **({"ImageOrientationPatient": BAD_ORIENTATION["zero"]} if k == 0 else {})})
    done = cli("convert", tmp_path / "s", tmp_path / "out.nii.gz")
    assert done.returncode == 0, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "IM0000.dcm: left out, the other 7 images placed by their positions" in line
    ours = nib.load(tmp_path / "out.nii.gz")
    assert ours.shape == (12, 16, 7)
    (theirs,) = [nib.load(p) for p in run_dcm2niix(_without(paths, 0, tmp_path / "good"),
                                                   tmp_path / "dcm2niix")]
    compare_in_world(np.asarray(ours.dataobj), ours.affine, np.asarray(theirs.dataobj),
                     theirs.affine)


def test_when_half_the_orientations_are_bad_nothing_is_left_out(tmp_path):
    write_raw_series(tmp_path / "s", n=4, per_slice=lambda k: (
        {"ImageOrientationPatient": BAD_ORIENTATION["NaN"]} if k % 2 else {}))
    candidates = scan(tmp_path / "s").candidates
    assert sum(c.shape[2] for c in candidates) == 4
    assert not any("left out" in w for c in candidates for w in c.warnings)


def test_each_stack_as_dcm2niix_converts_its_good_files_alone(tmp_path):
    """The first stack's last slice NaN (no gap): each part holds the voxels, at the same places,
    of dcm2niix's conversion of that stack's undamaged files (dcm2niix, given the whole folder,
    stacks both stacks as one volume: no reference)."""
    paths = _spine(tmp_path / "s", False, 4, {"ImagePositionPatient": BAD_POSITION["NaN"]})
    _, volumes = _volumes(tmp_path / "s")
    # sorted by RAS y: the second stack (LPS y 100 mm, RAS y -100 mm) first
    assert [v.array.shape for v in volumes] == [(12, 16, 5), (12, 16, 4)]
    for number, (volume, files) in enumerate(zip(volumes, (paths[5:], paths[:4]))):
        folder = tmp_path / f"stack{number}"
        folder.mkdir()
        for path in files:
            shutil.copy(path, folder / path.name)
        (theirs,) = [nib.load(p) for p in run_dcm2niix(folder, tmp_path / f"dcm2niix{number}")]
        compare_in_world(volume.array, volume.ijk_to_ras, np.asarray(theirs.dataobj),
                         theirs.affine)
