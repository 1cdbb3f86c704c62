"""Uneven slices by default (issue 11.6): resampled onto an even grid only when most of the grid
is acquired; a series whose grid would be mostly interpolated keeps its acquired slices.

pydicom's DICOMDIR test study holds "Routine Brain", 4 CT files of one series (one orientation,
matrix and thickness 1.25 mm; instances 18 and 180-182 of a head CT, the others left out of the
test data): resampled, it was 165 slices made from 4. dcm2niix makes one 4-slice volume
202.5 mm apart (slices 3 and 4 placed 200 and 401 mm from where they were acquired) plus an
``_Eq`` volume capped at 8 slices.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nibabel as nib
import numpy as np
import pydicom
import pytest
from series_maker import compare_in_world, run_dcm2niix

from neuroview.io import scan
from neuroview.io.dicom import DicomOptions

CLI_FORKED = "what `convert` writes, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _routine_brain_files() -> list[Path]:
    from pydicom.data import get_testdata_file

    try:
        first = get_testdata_file("17106")
    except Exception:  # noqa: BLE001 - any failure to find it: not installed
        first = None
    folder = Path(first).parent if first else None
    if folder is None or folder.parts[-2:] != ("77654033", "CT2"):
        pytest.skip("pydicom's dicomdirtests study (77654033/CT2) is not installed")
    return sorted(folder.iterdir())


@pytest.fixture(scope="module")
def routine_brain(tmp_path_factory):
    folder = tmp_path_factory.mktemp("routine") / "CT2"
    folder.mkdir()
    for path in _routine_brain_files():
        shutil.copy(path, folder / path.name)
    truth = []  # (LPS position, HU values [column, row]) per file, from pydicom alone
    for path in sorted(folder.iterdir()):
        ds = pydicom.dcmread(path)
        hu = ds.pixel_array.T * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
        truth.append((np.array(ds.ImagePositionPatient, float), hu))
    truth.sort(key=lambda item: item[0][2])  # axial: along the normal is along z
    return folder, truth


def _slices(volume):
    """(LPS position of voxel (0, 0, k), values of slice k) for every slice of a 3D volume."""
    corners = volume.ijk_to_ras_points(np.array([[0.0, 0.0, k] for k in range(volume.shape[2])]))
    return [(corner * [-1, -1, 1], np.asarray(volume.array[:, :, k]))
            for k, corner in enumerate(corners)]


def test_routine_brain_keeps_its_four_acquired_slices(routine_brain, tmp_path):
    folder, truth = routine_brain
    candidates = scan(folder).candidates
    # slice 1, 202.5 mm from the others: its own series; slices 2-4, 1.25 mm apart: one series
    assert [c.shape for c in candidates] == [(16, 16, 1), (16, 16, 3)]
    assert all(c.uneven_slices for c in candidates)
    for candidate in candidates:
        (note,) = [w for w in candidate.warnings if w.startswith("uneven slice spacing")]
        assert "kept as acquired in 2 evenly spaced series" in note
        assert "an even grid would make 165 slices from 4" in note and "--uneven resample" in note
    loaded = [s for c in candidates for s in _slices(c.load())]
    assert len(loaded) == 4
    for (corner, values), (position, hu) in zip(loaded, truth):
        np.testing.assert_allclose(corner, position, atol=1e-4)  # where it was acquired
        np.testing.assert_array_equal(values, hu)  # its own values, nothing interpolated
    # dcm2niix: one volume of the same 4 slices in the same order, spaced by the first step
    # (202.5 mm): its slices 1 and 2 lie where ours do, with the same voxels; its slices 3 and
    # 4 hold the same voxels as ours (compared on our slice's position: dcm2niix's is 200 and
    # 401 mm away from where they were acquired)
    outputs = run_dcm2niix(folder, tmp_path / "out")
    reference = nib.load(next(p for p in outputs if "_Eq" not in p.name))
    ref_array = reference.get_fdata()
    assert ref_array.shape == (16, 16, 4)
    ours = [pair for c in candidates for pair in _one_slice_volumes(c.load())]
    for k, (values, affine) in enumerate(ours):
        ref_affine = reference.affine.copy()
        ref_affine[:3, 3] += k * reference.affine[:3, 2]  # dcm2niix's slice k as its own grid
        if k >= 2:
            ref_affine[2, 3] = affine[2, 3]  # axial: z is the slice position
        compare_in_world(values, affine, ref_array[:, :, k:k + 1], ref_affine)


def _one_slice_volumes(volume):
    """Each slice of ``volume`` as (array of one slice, its own ijk_to_ras)."""
    for k in range(volume.shape[2]):
        affine = volume.ijk_to_ras.copy()
        affine[:3, 3] = volume.ijk_to_ras_points(np.array([[0.0, 0.0, k]]))[0]
        yield np.asarray(volume.array[:, :, k:k + 1]), affine


def test_routine_brain_resampled_when_asked(routine_brain):
    folder, truth = routine_brain
    (candidate,) = scan(folder, dicom_options=DicomOptions(uneven="resample")).candidates
    assert candidate.shape == (16, 16, 165)
    volume = candidate.load()
    assert volume.spacing[2] == pytest.approx(1.25)
    grid = _slices(volume)
    for k, (position, hu) in zip((0, 162, 163, 164), truth):  # acquired slices on the grid
        np.testing.assert_allclose(grid[k][0], position, atol=1e-3)
        np.testing.assert_array_equal(grid[k][1], hu)


def test_routine_brain_convert_default_and_resample(routine_brain, cli, tmp_path):
    folder, _ = routine_brain
    proc = cli("convert", folder, tmp_path / "kept")
    assert proc.returncode == 0, proc.stderr
    shapes = sorted(nib.load(p).shape for p in (tmp_path / "kept").glob("*.nii.gz"))
    assert shapes == [(16, 16, 1), (16, 16, 3)]
    assert "kept as acquired" in proc.stderr
    proc = cli("convert", folder, tmp_path / "grid", "--uneven", "resample")
    assert proc.returncode == 0, proc.stderr
    assert [nib.load(p).shape for p in (tmp_path / "grid").glob("*.nii.gz")] == [(16, 16, 165)]


# 20 slices 2 mm apart (thickness 2 mm) with runs of slices left out: gaps of 4, 8, 12 and 40 mm
GAPS = {
    "one-missing": ((9,), "resample"),  # a 4 mm gap: 1 of 20 grid slices interpolated
    "three-missing": ((8, 9, 10), "resample"),  # 8 mm: 4 slice thicknesses, still filled
    "five-missing": ((6, 7, 8, 9, 10), "split"),  # 12 mm: over 4 slice thicknesses
}


@pytest.mark.parametrize("name", list(GAPS))
def test_missing_slices_default_by_gap_size(make_series, name, tmp_path):
    missing, expected = GAPS[name]
    series = make_series(f"gaps-{name}", modality="CT", n_slices=20, slice_step=2.0,
                         missing=missing)
    kept = [k for k in range(20) if k not in missing]
    outputs = run_dcm2niix(series.folder, tmp_path / "out")
    eq = nib.load(next(p for p in outputs if "_Eq" in p.name))  # dcm2niix's even grid
    candidates = scan(series.folder).candidates
    if expected == "resample":
        (candidate,) = candidates
        volume = candidate.load()
        assert volume.shape == (56, 64, 20)
        assert any("resampled (linear)" in w for w in volume.warnings)
        np.testing.assert_array_equal(volume.array[:, :, kept], series.values)
        compare_in_world(volume.array, volume.ijk_to_ras, eq.get_fdata(), eq.affine)
        return
    # split: the slices before and after the gap, each at its acquired position and values
    assert [c.shape[2] for c in candidates] == [6, 9]
    assert all(any("kept as acquired" in w and "a gap of 12 mm" in w for w in c.warnings)
               for c in candidates)
    loaded = [s for c in candidates for s in _slices(c.load())]
    for (corner, values), position, k in zip(loaded, series.positions_lps, range(len(kept))):
        np.testing.assert_allclose(corner, position, atol=1e-4)
        np.testing.assert_array_equal(values, series.values[:, :, k])
    # asked for, the even grid is dcm2niix's _Eq volume (values interpolated at sixths of the
    # gap end in exact halves; dcm2niix rounds those in float32, so a few differ by 1)
    (candidate,) = scan(series.folder, dicom_options=DicomOptions(uneven="resample")).candidates
    volume = candidate.load()
    compare_in_world(volume.array, volume.ijk_to_ras, eq.get_fdata(), eq.affine, atol=1.0)
    np.testing.assert_array_equal(volume.array[:, :, kept], series.values)


def test_many_mid_size_steps_are_kept_when_the_grid_would_triple(make_series):
    # steps 1, then 3.9 mm (under 4x the 1 mm slices): 7 slices, a 1 mm grid of 22 slices
    offsets = (0, 1.0, 4.9, 8.8, 12.7, 16.6, 20.5)
    series = make_series("mid-steps", modality="CT", slice_offsets=offsets, n_slices=7,
                         slice_step=1.0)
    candidates = scan(series.folder).candidates
    # slice 1 alone, then slices 2-7 3.9 mm apart (the longer run keeps slice 2), as acquired
    assert [c.shape[2] for c in candidates] == [1, 6]
    assert all(any("an even grid would make 22 slices from 7" in w for w in c.warnings)
               for c in candidates)
    loaded = [s for c in candidates for s in _slices(c.load())]
    for k, (corner, values) in enumerate(loaded):
        np.testing.assert_allclose(corner, series.positions_lps[k], atol=1e-4)
        np.testing.assert_array_equal(values, series.values[:, :, k])
