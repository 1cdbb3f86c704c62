"""The DICOM sweep (bench/dicom_sweep.py) names how two grids differ: for the CR files with
ImagerPixelSpacing only (0.1 mm pixels, dcm2niix's 1 mm) its line said "voxel centres differ by
0.05 mm", where it is the spacing that differs."""

from __future__ import annotations

import importlib.util
import shutil

import nibabel as nib
import numpy as np
import pytest
from pydicom.data import get_testdata_file
from series_maker import run_dcm2niix

from tests.checkout import REPO

CLI_FORKED = "what `convert` writes, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


@pytest.fixture(scope="module")
def sweep():
    spec = importlib.util.spec_from_file_location("dicom_sweep", REPO / "bench" / "dicom_sweep.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_cr_at_0_1_mm_against_dcm2niix_s_1_mm_is_named_a_spacing_difference(sweep, cli, tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    cr = get_testdata_file("dicomdirtests/77654033/CR1/6154")
    if cr is None:
        pytest.skip("pydicom's dicomdirtests are not installed")
    shutil.copy(cr, source / "image.dcm")
    proc = cli("convert", source, tmp_path / "nv", "--no-gzip")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ours = sorted((tmp_path / "nv").glob("*.nii"))
    theirs = run_dcm2niix(source, tmp_path / "d2n")
    kind, how = sweep.compare(ours, theirs)
    assert kind == "differs"
    assert "geometry: spacing 0.1 x 0.1 x 1 mm (neuroview) vs 1 x 1 x 1 mm (dcm2niix)" in how, how
    assert "voxel centres differ" not in how


def test_each_kind_of_grid_difference_is_named(sweep):
    affine = np.diag([2.0, 2.0, 3.0, 1.0])
    shape = (16, 16, 8)
    assert sweep.grid_difference(shape, affine, shape, affine) is None
    flipped = affine.copy()
    flipped[0, 0], flipped[0, 3] = -2.0, 30.0        # the same voxels, the first axis run backwards
    assert sweep.grid_difference(shape, affine, shape, flipped) is None
    swapped = np.array([[0, 2.0, 0, 0], [2.0, 0, 0, 0], [0, 0, 3.0, 0], [0, 0, 0, 1]])
    assert sweep.grid_difference(shape, affine, shape, swapped) is None   # axes in another order
    fine = np.diag([0.2, 0.2, 3.0, 1.0])
    assert sweep.grid_difference(shape, affine, shape, fine) == (
        "spacing 2 x 2 x 3 mm (neuroview) vs 0.2 x 0.2 x 3 mm (dcm2niix)")
    shifted = affine.copy()
    shifted[:3, 3] = [1.0, 0.0, -1.5]
    assert sweep.grid_difference(shape, affine, shape, shifted) == (
        "dcm2niix's grid lies (1, 0, -1.5) mm off neuroview's")
    angle = np.radians(5.0)
    turn = np.eye(4)
    turn[:2, :2] = [[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]]
    assert sweep.grid_difference(shape, affine, shape, turn @ affine) == (
        "axis directions differ by up to 5 degrees")
    assert sweep.grid_difference(shape, affine, (8, 16, 16), affine).startswith("extent ")


def test_the_sweep_still_finds_equal_grids_equal(sweep, tmp_path):
    values = np.arange(16 * 16 * 8, dtype=np.int16).reshape(16, 16, 8)
    affine = np.diag([2.0, 2.0, 3.0, 1.0])
    nib.save(nib.Nifti1Image(values, affine), tmp_path / "a.nii")
    flipped = affine.copy()
    flipped[0, 0], flipped[0, 3] = -2.0, 30.0
    nib.save(nib.Nifti1Image(values[::-1].copy(), flipped), tmp_path / "b.nii")
    assert sweep.compare([tmp_path / "a.nii"], [tmp_path / "b.nii"])[0] == "same"
