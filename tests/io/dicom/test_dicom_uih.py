"""UIH (United Imaging) grid mosaics without ImagePositionPatient (issue 11.5), against dcm2niix."""

from __future__ import annotations

import nibabel as nib
import pytest
from series_maker import check_4d_against_dcm2niix, compare_in_world, run_dcm2niix
from uih_maker import write_uih_mosaic

from neuroview.io import scan


@pytest.mark.parametrize("n_slices", [10, 5, 4])  # 4x3 tiles, 3x2 (partial last row), 2x2
def test_uih_grid_is_unpacked_where_the_scanner_put_the_slices(tmp_path, mni_volume, n_slices):
    values, ijk_to_ras = write_uih_mosaic(tmp_path / "in" / "grid.dcm", mni_volume,
                                          n_slices=n_slices)
    candidate = scan(tmp_path / "in").candidates[0]
    assert candidate.shape == (32, 32, n_slices) and candidate.warnings == []
    volume = candidate.load()
    compare_in_world(volume.array, volume.ijk_to_ras, values, ijk_to_ras)  # the written truth
    reference = nib.load(run_dcm2niix(tmp_path / "in", tmp_path / "out")[0])
    compare_in_world(volume.array, volume.ijk_to_ras, reference.get_fdata(), reference.affine)


def test_uih_grid_without_positions_is_a_note_and_the_rest_loads(tmp_path, mni_volume,
                                                                  make_series):
    import shutil

    import pydicom

    write_uih_mosaic(tmp_path / "study" / "grid.dcm", mni_volume, n_slices=4)
    ds = pydicom.dcmread(tmp_path / "study" / "grid.dcm")
    for item in ds[0x00651051].value:
        del item.ImagePositionPatient
    ds.save_as(tmp_path / "study" / "grid.dcm")
    series = make_series("beside-uih", n_slices=4)
    shutil.copytree(series.folder, tmp_path / "study" / "t1")
    result = scan(tmp_path / "study")
    assert [c.shape for c in result.candidates] == [(56, 64, 4)]
    assert any("grid.dcm" in n and "UIH grid mosaic without slice positions" in n
               for n in result.notes)


@pytest.mark.parametrize("orientation", ["sagittal", "coronal", "oblique"])
@pytest.mark.parametrize("slice_step", [6.0, -6.0])  # slices stored from either end
def test_uih_grid_in_any_plane_is_placed_as_dcm2niix_places_it(tmp_path, mni_volume, orientation,
                                                              slice_step):
    tile_rows = 24 if slice_step < 0 else 32  # 32x24 tiles: a rectangular matrix
    values, ijk_to_ras = write_uih_mosaic(tmp_path / "in" / "grid.dcm", mni_volume, n_slices=7,
                                          orientation=orientation, slice_step=slice_step,
                                          tile_rows=tile_rows)
    assert values.shape == (32, tile_rows, 7) and values.std() > 0
    volume = scan(tmp_path / "in").candidates[0].load()
    compare_in_world(volume.array, volume.ijk_to_ras, values, ijk_to_ras)
    reference = nib.load(run_dcm2niix(tmp_path / "in", tmp_path / "out")[0])
    compare_in_world(volume.array, volume.ijk_to_ras, reference.get_fdata(), reference.affine)


def test_uih_grids_of_one_run_are_one_4d_series_in_dcm2niixs_order(tmp_path, mni_volume):
    from pydicom.uid import generate_uid

    uid = generate_uid()
    truth = [write_uih_mosaic(tmp_path / "in" / f"{'cab'[t]}.dcm", mni_volume, n_slices=5,
                              orientation="oblique", series_uid=uid, instance=t + 1,
                              value_scale=1.0 - 0.2 * t) for t in range(3)]
    check_4d_against_dcm2niix(tmp_path / "in", tmp_path / "out", truth)
