"""Compressed data is read with a bound (#16.5): the memory cap a user sets, bzip2 NRRDs read into
one buffer of the declared size, deflated DICOM counted before pydicom inflates it whole."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from neuroview.core.errors import CorruptFileError, LoadError
from neuroview.io import load
from neuroview.io.nifti import save_nifti


def test_memory_limit_variable_caps_what_a_load_may_allocate(tmp_path, monkeypatch):
    path = save_nifti(np.zeros((32, 32, 32), np.int16), np.eye(4), tmp_path / "v.nii.gz")
    monkeypatch.setenv("NEUROVIEW_MEMORY_LIMIT", "60K")
    with pytest.raises(LoadError, match="needs 64.0 kB of memory, only 60.0 kB") as caught:
        load(path)
    assert str(path) in str(caught.value)
    monkeypatch.setenv("NEUROVIEW_MEMORY_LIMIT", "1M")
    assert load(path).shape == (32, 32, 32)
    monkeypatch.setenv("NEUROVIEW_MEMORY_LIMIT", "lots")
    with pytest.raises(LoadError, match="NEUROVIEW_MEMORY_LIMIT: 'lots' is not a size"):
        load(path)


def test_memory_limit_variable_is_one_clean_line_from_the_cli(tmp_path):
    from tests.io.limited_cli import run_limited

    path = save_nifti(np.zeros((64, 64, 64), np.int16), np.eye(4), tmp_path / "v.nii.gz")
    out = tmp_path / "out.nii.gz"
    (result,) = run_limited([["convert", str(path), str(out)]],
                            env={"NEUROVIEW_MEMORY_LIMIT": "100K"})
    assert result["rc"] == 1, result
    assert result["stderr"].strip().splitlines() == [
        f"neuroview: error: {path}: the image needs 512.0 kB of memory, only 100.0 kB is "
        "available (if the header is right, open it on a machine with more memory)"]
    assert not out.exists()


@pytest.mark.parametrize("encoding", ["bzip2", "gzip"])
def test_compressed_nrrd_reads_what_was_written(tmp_path, encoding):
    import nrrd

    from neuroview.io.nrrd import load_nrrd

    data = np.random.default_rng(2).integers(-900, 900, size=(7, 6, 5)).astype(np.int16)
    path = tmp_path / "v.nrrd"
    nrrd.write(str(path), data, {"encoding": encoding}, index_order="F")
    np.testing.assert_array_equal(nrrd.read(str(path), index_order="F")[0], data)
    np.testing.assert_array_equal(load_nrrd(path).array, data)


def test_bzip2_nrrd_holding_more_than_declared_is_refused(tmp_path):
    import bz2

    from neuroview.io.nrrd import load_nrrd

    path = tmp_path / "more.nrrd"
    header = b"NRRD0004\ntype: uint8\ndimension: 3\nsizes: 2 2 2\nencoding: bzip2\n\n"
    path.write_bytes(header + bz2.compress(bytes(9)))
    with pytest.raises(CorruptFileError, match="holds more than the 8 bytes the header declares"):
        load_nrrd(path)
    path.write_bytes(header + bz2.compress(bytes(7)))
    with pytest.raises(CorruptFileError, match="holds less than the 8 bytes"):
        load_nrrd(path)


def test_deflated_dicom_inflated_size_is_counted_against_a_bound(tmp_path):
    """(Loading deflated series within the bound: tests/io/dicom/test_dicom_deflated.py.)"""
    from pydicom.data import get_testdata_file

    from neuroview.io.compressed import check_deflated_dicom

    path = tmp_path / "deflated.dcm"
    shutil.copy(get_testdata_file("image_dfl.dcm"), path)
    check_deflated_dicom(str(path), limit=1 << 20)  # inflates to ~262 kB: within the bound
    with pytest.raises(LoadError, match="deflated DICOM dataset inflates to more than 100.0 kB"):
        check_deflated_dicom(str(path), limit=100 << 10)
    check_deflated_dicom(get_testdata_file("CT_small.dcm"), limit=1)  # not deflated: not read


def test_deflated_dicom_with_a_broken_stream_is_one_clean_error(tmp_path):
    """The dataset after the meta header is not a deflate stream: refused naming the file (the
    count runs through ISA-L's inflate, whose error is not zlib's)."""
    from pydicom.data import get_testdata_file
    from pydicom.filereader import _read_file_meta_info, read_preamble

    from neuroview.io.compressed import check_deflated_dicom

    source = get_testdata_file("image_dfl.dcm")
    with open(source, "rb") as handle:
        read_preamble(handle, False)
        _read_file_meta_info(handle)
        meta_end = handle.tell()
    path = tmp_path / "broken.dcm"
    path.write_bytes(open(source, "rb").read()[:meta_end] + b"\xff" * 4096)
    with pytest.raises(CorruptFileError, match="deflated DICOM dataset cannot be inflated") as caught:
        check_deflated_dicom(str(path), limit=1 << 20)
    assert str(path) in str(caught.value)


def test_nifti_extensions_past_the_bound_are_refused_before_nibabel_reads_them(tmp_path):
    import gzip

    from tests.io.hostile_corpus import _nifti

    header = bytearray(_nifti((2, 2, 2))[:352])
    header[108:112] = np.float32(352 + 16 + (300 << 20)).tobytes()
    header[348] = 1
    extension = (16 + (300 << 20)).to_bytes(4, "little") + (0).to_bytes(4, "little")
    path = tmp_path / "ext.nii.gz"
    path.write_bytes(gzip.compress(bytes(header) + extension + bytes((300 << 20) + 8 + 16)))
    with pytest.raises(CorruptFileError, match="300.0 MB of extensions before the voxels"):
        load(path)


@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.float32])
def test_mgz_reads_as_nibabel_does_without_inflating_to_the_footer(tmp_path, dtype):
    """A .mgz is read from its header alone (nibabel seeks past all voxels to its footer): the
    same affine and voxels as ``nib.load``."""
    import nibabel as nib

    data = (np.random.default_rng(3).random((9, 8, 7)) * 100).astype(dtype)
    affine = np.array([[-0.9, 0.1, 0, 10], [0, 0, 1.2, -20], [0.05, -1.1, 0, 30], [0, 0, 0, 1]])
    path = tmp_path / "v.mgz"
    nib.save(nib.MGHImage(data, affine), path)
    volume = load(path)
    reference = nib.load(path)
    np.testing.assert_allclose(volume.ijk_to_ras, reference.affine, atol=1e-5)
    np.testing.assert_array_equal(volume.array, np.asanyarray(reference.dataobj))


def test_deflated_bomb_named_as_a_seg_is_refused_before_pydicom_inflates_it(tmp_path, monkeypatch):
    """``load_seg`` (highdicom's ``segread``, i.e. pydicom) would inflate the whole dataset."""
    from neuroview.io.seg import load_seg
    from tests.io.hostile_corpus import dicom_deflated_bomb

    path = dicom_deflated_bomb(tmp_path)
    monkeypatch.setattr("neuroview.io.compressed.available_bytes", lambda: 512 << 20)
    with pytest.raises(LoadError, match="inflates to more than 256.0 MB") as caught:
        load_seg(path)
    assert str(path) in str(caught.value)
