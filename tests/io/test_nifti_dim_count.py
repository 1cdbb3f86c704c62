"""A NIfTI or Analyze header whose ``dim[0]`` (the number of dimensions) is outside 1..7 is said
as such. nibabel takes such a ``dim[0]`` as the sign of the other byte order and reads the header
swapped: ``dim[0]=9`` was refused as ``vox offset 0 too low for single file nifti1`` (until
session 36, ``bench/kinds_fuzz.py --only nifti1``). The header's size field gives the byte order."""

from __future__ import annotations

import gzip

import nibabel as nib
import numpy as np
import pytest

from neuroview.cli.main import main
from neuroview.io import load

DATA = (np.arange(10 * 9 * 6) % 300).reshape(10, 9, 6).astype(np.int16)


def _write(tmp_path, klass, suffix, dim0=None, order="<"):
    image = klass(DATA, np.diag([1.5, 1.5, 2.0, 1.0]), klass.header_class(endianness=order))
    path = tmp_path / f"scan{suffix}"
    nib.save(image, path)
    header_path = path.with_suffix(".hdr") if suffix == ".img" else path
    if dim0 is not None:
        header = klass.header_class.from_fileobj(open(header_path, "rb"))
        header["dim"][0] = dim0
        data = header_path.read_bytes()
        header_path.write_bytes(header.binaryblock + data[len(header.binaryblock):])
    if suffix == ".nii.gz":  # written plain above, gzipped here
        plain = tmp_path / "plain.nii"
        path.rename(plain)
        path.write_bytes(gzip.compress(plain.read_bytes()))
    return header_path


KINDS = [(nib.Nifti1Image, ".nii"), (nib.Nifti2Image, ".nii"), (nib.AnalyzeImage, ".img")]


@pytest.mark.parametrize("klass, suffix", KINDS, ids=["nifti1", "nifti2", "analyze"])
@pytest.mark.parametrize("dim0", [9, 0, -1])
def test_dim0_outside_1_to_7_is_said(tmp_path, capsys, klass, suffix, dim0):
    path = _write(tmp_path, klass, suffix, dim0)
    assert main(["info", str(path)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"neuroview: error: {path}: header's dim[0] (the number of dimensions) is {dim0}, "
        "outside 1 to 7 (damaged header)")


def test_a_gzipped_nifti_is_said_the_same(tmp_path, capsys):
    path = tmp_path / "scan.nii.gz"
    plain = _write(tmp_path, nib.Nifti1Image, ".nii", 9)
    path.write_bytes(gzip.compress(plain.read_bytes()))
    assert main(["info", str(path)]) == 1
    assert "dim[0] (the number of dimensions) is 9" in capsys.readouterr().err


@pytest.mark.parametrize("klass, suffix", KINDS, ids=["nifti1", "nifti2", "analyze"])
def test_big_endian_headers_still_read(tmp_path, klass, suffix):
    path = _write(tmp_path, klass, suffix, order=">")
    np.testing.assert_array_equal(load(str(path)).array.astype(np.int16), DATA)
