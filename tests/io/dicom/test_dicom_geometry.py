"""Where slices go: files without patient position (issue 10 item 24), uneven slices (issue 11.6)."""

from __future__ import annotations

import shutil

import nibabel as nib
import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file
from series_maker import compare_in_world, run_dcm2niix

from neuroview.io import load

CLI_FORKED = "what `convert` and `info` print and write, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


@pytest.mark.parametrize("gap, thickness, step", [("1.2", None, 1.2), (None, "2.5", 2.5),
                                                  (None, None, 1.0)])
def test_frames_without_position_are_stacked_at_the_slice_spacing(tmp_path, gap, thickness, step):
    # pydicom's enhanced MR test file has no plane positions at all; SpacingBetweenSlices 1.2
    ds = pydicom.dcmread(get_testdata_file("emri_small.dcm"))
    del ds.SpacingBetweenSlices
    if gap is not None:
        ds.SpacingBetweenSlices = gap
    if thickness is not None:
        ds.SliceThickness = thickness
    (tmp_path / "in").mkdir()
    ds.save_as(tmp_path / "in" / "emri.dcm")
    volume = load(tmp_path / "in" / "emri.dcm")
    assert volume.spacing == pytest.approx((1.0, 1.0, step))
    assert any(w.startswith("no patient position") and f"{step:g} mm apart" in w
               for w in volume.warnings)
    reference = nib.load(run_dcm2niix(tmp_path / "in", tmp_path / "out")[0])
    assert reference.header.get_zooms()[2] == pytest.approx(step)  # dcm2niix stacks them so too
    # same frames in the same order (dcm2niix's affine runs j up where its classic images,
    # below, run it down: neuroview keeps one way), both centred on the same point
    np.testing.assert_array_equal(volume.array, reference.get_fdata())
    centre = np.append((np.array(volume.shape) - 1) / 2, 1)
    np.testing.assert_allclose(volume.ijk_to_ras @ centre, reference.affine @ centre, atol=1e-4)


@pytest.mark.parametrize("name", ["RG1_UNCR.dcm", "OBXXXX1A_2frame.dcm", "JPEG-LL.dcm"])
def test_images_without_geometry_lie_where_dcm2niix_puts_them(tmp_path, name):
    """A CR with PixelSpacing 0\\0 (read as 1 mm, as dcm2niix does), a 2-frame ultrasound and a
    nuclear medicine secondary capture: no patient position, so both centre them on the origin."""
    (tmp_path / "in").mkdir()
    shutil.copy(get_testdata_file(name), tmp_path / "in" / name)
    volume = load(tmp_path / "in" / name)
    reference = nib.load(run_dcm2niix(tmp_path / "in", tmp_path / "out")[0])
    compare_in_world(volume.array, volume.ijk_to_ras, reference.get_fdata(), reference.affine)
    if name.startswith("RG1"):
        assert volume.spacing[:2] == (1.0, 1.0)
        assert any("pixel spacing 0 x 0 mm is not usable" in w for w in volume.warnings)


def test_emri_small_as_shipped_uses_spacing_between_slices(tmp_path):
    shutil.copy(get_testdata_file("emri_small.dcm"), tmp_path / "emri.dcm")
    assert load(tmp_path / "emri.dcm").spacing[2] == pytest.approx(1.2)


def _corner_lps(volume, k: int) -> np.ndarray:
    return volume.ijk_to_ras_points(np.array([[0.0, 0.0, k]]))[0] * [-1, -1, 1]


UNEVEN = {
    "on-grid": (0, 2, 6, 8, 14, 16, 18),  # steps 2, 4, 2, 6, 2, 2: every slice on a 2 mm grid
    "off-grid": (0, 4.2, 5.3, 12.7, 16.9, 18.0),  # issue 11's 4.2, 1.1, 7.4 mm steps
}


@pytest.fixture(scope="module")
def uneven(make_series):
    return {name: make_series(f"uneven-{name}", modality="CT", slice_offsets=offsets,
                              n_slices=len(offsets), slice_step=2.0)
            for name, offsets in UNEVEN.items()}


def test_uneven_slices_resampled_like_dcm2niix_eq(uneven, tmp_path):
    series = uneven["on-grid"]
    volume = load(series.folder)
    assert volume.shape == (56, 64, 10) and volume.array.dtype == np.int16
    assert any(w.startswith("3 missing slices (2 gaps of up to 6 mm") and "resampled (linear)" in w
               for w in volume.warnings)
    # every acquired slice is on the grid, at its own RAS position, with its own values
    for k, offset in enumerate(UNEVEN["on-grid"]):
        np.testing.assert_allclose(_corner_lps(volume, offset / 2), series.positions_lps[k],
                                   atol=1e-4)
        np.testing.assert_array_equal(volume.array[:, :, int(offset / 2)], series.values[:, :, k])
    # dcm2niix writes the same even grid as its '_Eq' volume: same voxels at the same RAS
    outputs = run_dcm2niix(series.folder, tmp_path / "out")
    assert [p.name for p in outputs] == ["3_T1_test.nii", "3_T1_test_Eq_1.nii"]
    reference = nib.load(outputs[1])
    compare_in_world(volume.array, volume.ijk_to_ras, reference.get_fdata(), reference.affine)


def test_uneven_slices_off_the_grid_are_interpolated_between_neighbours(uneven):
    series = uneven["off-grid"]
    offsets = np.array(UNEVEN["off-grid"])
    volume = load(series.folder)
    n = volume.shape[2]
    step = volume.spacing[2]
    assert step <= 1.1 + 1e-6 and n == 18  # the smallest acquired step, first to last slice
    np.testing.assert_allclose(_corner_lps(volume, 0), series.positions_lps[0], atol=1e-4)
    np.testing.assert_allclose(_corner_lps(volume, n - 1), series.positions_lps[-1], atol=1e-4)
    # independent reference: np.interp along the slice axis at each grid position
    grid = np.arange(n) * step
    values = series.values.reshape(-1, len(offsets))
    expected = np.array([np.interp(grid, offsets, row) for row in values])
    expected = np.sign(expected) * np.floor(np.abs(expected) + 0.5)
    np.testing.assert_array_equal(volume.array.reshape(-1, n), expected)


def test_uneven_slices_split_into_even_chunks(uneven, cli, tmp_path):
    from neuroview.io import scan
    from neuroview.io.dicom import DicomOptions

    series = uneven["off-grid"]
    result = scan(series.folder, dicom_options=DicomOptions(uneven="split"))
    chunks = result.candidates
    assert len(chunks) == 3  # steps 4.2, 1.1, 7.4, 4.2, 1.1: slices 1-2, 3-4, 5-6
    seen = []
    for candidate in chunks:
        volume = candidate.load()
        assert volume.array.dtype == np.int16
        assert any("split into" in w for w in volume.warnings)
        for k in range(volume.shape[2]):  # each slice at its acquired position, own values
            corner = _corner_lps(volume, k)
            index = int(np.argmin(np.abs(series.positions_lps - corner).sum(axis=1)))
            np.testing.assert_allclose(corner, series.positions_lps[index], atol=1e-4)
            np.testing.assert_array_equal(volume.array[:, :, k], series.values[:, :, index])
            seen.append(index)
    assert sorted(seen) == list(range(len(UNEVEN["off-grid"])))  # every slice, once
    proc = cli("convert", series.folder, tmp_path / "out", "--uneven", "split")
    assert proc.returncode == 0, proc.stderr
    assert len(list((tmp_path / "out").glob("*.nii.gz"))) == len(chunks)
    info = cli("info", series.folder, "--uneven", "split")
    assert info.stdout.count("chunk ") == len(chunks)


@pytest.mark.parametrize("orientation", ["sagittal", "coronal", "oblique"])
def test_uneven_slices_of_any_plane_keep_each_acquired_slice(make_series, orientation, tmp_path):
    """Positions are decimal text, so an oblique series' steps come out a few 1e-6 mm off 2 mm:
    the grid is still 2 mm (it was 1.8 mm, every acquired slice interpolated). dcm2niix's
    '_Eq' volume is the same in the sagittal and coronal planes; in the oblique one it has that
    fault (11 slices 1.8 mm apart)."""
    offsets = UNEVEN["on-grid"]
    series = make_series(f"uneven-{orientation}", modality="CT", slice_offsets=offsets,
                         n_slices=len(offsets), slice_step=2.0, orientation=orientation)
    volume = load(series.folder)
    assert volume.shape == (56, 64, 10) and volume.spacing[2] == pytest.approx(2.0, abs=1e-4)
    for k, offset in enumerate(offsets):
        np.testing.assert_allclose(_corner_lps(volume, offset / 2), series.positions_lps[k],
                                   atol=1e-4)
        np.testing.assert_array_equal(volume.array[:, :, int(offset / 2)], series.values[:, :, k])
    if orientation != "oblique":
        outputs = run_dcm2niix(series.folder, tmp_path / "out")
        reference = nib.load(outputs[1])
        compare_in_world(volume.array, volume.ijk_to_ras, reference.get_fdata(), reference.affine)
