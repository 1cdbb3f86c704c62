"""Siemens MOSAIC files written as the scanners write them (tests/io/dicom/mosaic_maker.py)
against the truth they were written from and against dcm2niix: odd slice counts, fewer slices
than the grid's tiles, a slice normal against row x column, every plane, slice acquisition
orders, 4D runs."""

from __future__ import annotations

import shutil

import nibabel as nib
import numpy as np
import pytest
from mosaic_maker import write_mosaic_run
from series_maker import compare_in_world, run_dcm2niix

from neuroview.core.errors import NoImageFoundError
from neuroview.io import load, scan

CASES = {
    "axial 5 of 9 tiles": dict(n_slices=5),
    "axial normal reversed": dict(n_slices=5, descending_normal=True),
    "interleaved 7, 3 volumes": dict(n_slices=7, slice_order="interleaved", n_volumes=3),
    "sagittal 10 of 16, reversed": dict(n_slices=10, orientation="sagittal",
                                        descending_normal=True),
    "oblique 9 of 9, 2 volumes": dict(n_slices=9, orientation="oblique", n_volumes=2),
    "coronal 3 descending": dict(n_slices=3, orientation="coronal", slice_order="descending"),
}


def _each_volume(array):
    return [array[..., t] for t in range(array.shape[3])] if array.ndim == 4 else [array]


@pytest.mark.parametrize("case", list(CASES))
def test_mosaic_matches_truth_and_dcm2niix(case, tmp_path, mni_volume):
    _, values, ijk_to_ras = write_mosaic_run(tmp_path / "run", mni_volume, **CASES[case])
    (candidate,) = scan(tmp_path / "run").candidates
    volume = candidate.load()
    assert volume.array.shape == (values.shape if values.shape[3] > 1 else values.shape[:3])
    (output,) = run_dcm2niix(tmp_path / "run", tmp_path / "dcm2niix")
    reference = nib.load(output)
    truth = _each_volume(values)
    for mine, theirs, expected in zip(_each_volume(volume.array),
                                      _each_volume(np.asarray(reference.dataobj)), truth):
        compare_in_world(mine, volume.ijk_to_ras, expected, ijk_to_ras)
        compare_in_world(mine, volume.ijk_to_ras, theirs, reference.affine)


def test_mosaic_without_acquisition_matrix_text_is_unpacked(tmp_path, mni_volume):
    """An anonymiser stripped AcquisitionMatrixText from the CSA header: nibabel's own test
    then takes the mosaic for one 24x24 slice; the scan said so and loading raised 'not enough
    values to unpack'. dcm2niix unpacks it from NumberOfImagesInMosaic."""
    _, values, ijk_to_ras = write_mosaic_run(tmp_path / "run", mni_volume, n_slices=5,
                                             matrix_text=False)
    (candidate,) = scan(tmp_path / "run").candidates
    assert candidate.shape == (8, 8, 5)
    volume = candidate.load()
    compare_in_world(volume.array, volume.ijk_to_ras, values[..., 0], ijk_to_ras)
    (output,) = run_dcm2niix(tmp_path / "run", tmp_path / "dcm2niix")
    reference = nib.load(output)
    compare_in_world(volume.array, volume.ijk_to_ras, reference.get_fdata(), reference.affine)


def test_mosaic_without_its_slice_count_is_said_in_one_line(tmp_path, mni_volume):
    """An anonymiser left the CSA image header but stripped NumberOfImagesInMosaic: dcm2niix
    converts nothing ('number of slices not specified'). The line was nibabel's 'Siemens mosaic
    cannot be unpacked (WrapperError: No valid mosaic number in CSA header; is this really
    Siemens mosiac data?)'; it names the field now."""
    import pydicom
    from mosaic_maker import csa_header

    (path,), _, _ = write_mosaic_run(tmp_path / "run", mni_volume, n_slices=7)
    ds = pydicom.dcmread(path)
    ds[0x00291010].value = csa_header({"AcquisitionMatrixText": ("SH", ["8p*8"]),
                                       "SliceNormalVector": ("FD", ["0", "0", "1"])})
    ds.save_as(path)
    with pytest.raises(NoImageFoundError) as raised:
        load(tmp_path / "run")
    assert str(raised.value).endswith(
        f"{path.name}: Siemens mosaic names no slice count: its CSA image header (0029,1010) "
        "holds no NumberOfImagesInMosaic (stripped by an anonymiser?), so its tiles cannot be "
        "told from empty ones (dcm2niix cannot convert it either)")


def test_mosaic_without_its_csa_header_says_it_shows_the_tiles(tmp_path, mni_volume):
    """An anonymiser stripped the private elements, the CSA image header with them: the mosaic
    opened as one 24x24 slice under 'one image' alone. dcm2niix writes the same tiled image;
    a line now says what it is."""
    import pydicom

    (path,), _, _ = write_mosaic_run(tmp_path / "run", mni_volume, n_slices=7)
    ds = pydicom.dcmread(path)
    del ds[0x00291010], ds[0x00290010]
    ds.save_as(path)
    (candidate,) = scan(tmp_path / "run").candidates
    assert candidate.shape == (24, 24, 1)
    assert candidate.warnings[0] == (
        "Siemens mosaic without its CSA image header (0029,1010), stripped by an anonymiser?: its "
        "slices cannot be cut from the tiles and are shown as the one tiled image, as dcm2niix "
        "writes it")
    (output,) = run_dcm2niix(tmp_path / "run", tmp_path / "dcm2niix")
    reference = nib.load(output)
    volume = candidate.load()
    compare_in_world(volume.array, volume.ijk_to_ras, reference.get_fdata(), reference.affine)


def test_a_mosaic_file_copied_twice_is_one_time_point_as_dcm2niix_reads_it(tmp_path, mni_volume):
    """One volume's file copied into a sub-folder (the same SOPInstanceUID): classic series read
    each image once, mosaics made it a fourth time point of a 3-volume run."""
    files, values, ijk_to_ras = write_mosaic_run(tmp_path / "run", mni_volume, n_slices=5,
                                                 n_volumes=3)
    (tmp_path / "run" / "copy").mkdir()
    shutil.copy(files[1], tmp_path / "run" / "copy" / files[1].name)
    (candidate,) = scan(tmp_path / "run").candidates
    volume = candidate.load()
    assert volume.array.shape == (8, 8, 5, 3)
    assert any("read twice" in w for w in volume.warnings)
    (output,) = run_dcm2niix(tmp_path / "run", tmp_path / "dcm2niix")
    reference = nib.load(output)
    for mine, theirs, expected in zip(_each_volume(volume.array),
                                      _each_volume(np.asarray(reference.dataobj)),
                                      _each_volume(values)):
        compare_in_world(mine, volume.ijk_to_ras, expected, ijk_to_ras)
        compare_in_world(mine, volume.ijk_to_ras, theirs, reference.affine)
