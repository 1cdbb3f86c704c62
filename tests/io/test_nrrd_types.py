"""NRRD voxel types as the format names them (``type`` and ``endian``), read back against
pynrrd's public ``nrrd.read``: the same values and dtype for every scalar type, several C
spellings, both byte orders, raw and gzip data (gzip is inflated by neuroview, raw by pynrrd).
The dtype no longer comes from pynrrd's private ``nrrd.reader._determine_datatype``."""

from __future__ import annotations

import gzip

import nrrd
import numpy as np
import pytest

from neuroview.core.errors import CorruptFileError
from neuroview.io import load
from neuroview.io.nrrd import read_nrrd_header

SIZES = (3, 4, 5)
# NRRD type name (as written in the header) -> the numpy type it stores, from the NRRD spec
TYPES = {
    "int8": "i1", "signed char": "i1", "int8_t": "i1",
    "uint8": "u1", "uchar": "u1", "unsigned char": "u1",
    "int16": "i2", "short": "i2", "short int": "i2", "signed short int": "i2",
    "uint16": "u2", "ushort": "u2", "unsigned short": "u2",
    "int32": "i4", "int": "i4", "signed int": "i4",
    "uint32": "u4", "uint": "u4", "unsigned int": "u4",
    "int64": "i8", "longlong": "i8", "long long int": "i8",
    "uint64": "u8", "ulonglong": "u8", "unsigned long long": "u8",
    "float": "f4", "double": "f8",
}


def _values(code: str) -> np.ndarray:
    """Values spanning the type: its extremes and a ramp (negative where it is signed)."""
    dtype = np.dtype(code)
    ramp = np.arange(np.prod(SIZES), dtype=np.float64) - (10 if dtype.kind != "u" else 0)
    values = ramp.astype(dtype)
    limits = np.finfo(dtype) if dtype.kind == "f" else np.iinfo(dtype)
    values[:2] = limits.min, limits.max
    if dtype.kind == "f":
        values[2] = 0.1
    return values.reshape(SIZES, order="F")


def _write(path, type_name: str, values: np.ndarray, endian: str | None, encoding: str) -> None:
    header = (f"NRRD0004\ntype: {type_name}\ndimension: 3\nsizes: {' '.join(map(str, SIZES))}\n"
              "space: left-posterior-superior\nspace directions: (1,0,0) (0,2,0) (0,0,3)\n"
              "space origin: (5,6,7)\nkinds: domain domain domain\n"
              f"encoding: {encoding}\n" + (f"endian: {endian}\n" if endian else "") + "\n")
    order = {"little": "<", "big": ">", None: "<"}[endian]
    data = values.astype(values.dtype.newbyteorder(order)).tobytes(order="F")
    path.write_bytes(header.encode() + (gzip.compress(data) if encoding == "gzip" else data))


@pytest.mark.parametrize("encoding", ["raw", "gzip"])
@pytest.mark.parametrize("endian", ["little", "big"])
@pytest.mark.parametrize("type_name", list(TYPES))
def test_each_type_reads_back_as_pynrrd_reads_it(tmp_path, type_name, endian, encoding):
    values = _values(TYPES[type_name])
    path = tmp_path / "v.nrrd"
    _write(path, type_name, values, endian, encoding)
    volume = load(path)
    theirs, _ = nrrd.read(str(path), index_order="F")
    assert volume.array.dtype.kind == theirs.dtype.kind == values.dtype.kind
    assert volume.array.dtype.itemsize == theirs.dtype.itemsize == values.dtype.itemsize
    np.testing.assert_array_equal(volume.array, theirs)
    np.testing.assert_array_equal(volume.array, values)
    shape, affine, nbytes = read_nrrd_header(path)
    assert shape == SIZES and nbytes == values.nbytes
    np.testing.assert_allclose(affine[:3, 3], [-5, -6, 7])


def test_a_single_byte_type_needs_no_endian(tmp_path):
    values = _values("i1")
    _write(tmp_path / "v.nrrd", "signed char", values, None, "gzip")
    np.testing.assert_array_equal(load(tmp_path / "v.nrrd").array, values)


def test_pynrrd_private_type_map_is_not_used(tmp_path, monkeypatch):
    """pynrrd 1.1's private function gone (as a private name may go in any release): a gzip
    file, which neuroview inflates itself, still loads, and a header is still sized (with the
    function gone a gzip load said 'cannot read NRRD (... _determine_datatype)', and every
    header was sized as 1 byte a voxel). Raw data is read by pynrrd's public ``nrrd.read``."""
    values = _values("u2")
    for encoding in ("raw", "gzip"):
        _write(tmp_path / f"{encoding}.nrrd", "unsigned short", values, "big", encoding)
    monkeypatch.delattr(nrrd.reader, "_determine_datatype")
    np.testing.assert_array_equal(load(tmp_path / "gzip.nrrd").array, values)
    for encoding in ("raw", "gzip"):
        assert read_nrrd_header(tmp_path / f"{encoding}.nrrd")[2] == values.nbytes


@pytest.mark.parametrize("type_name, endian, encoding, message", [
    ("quaternion", "little", "raw", "NRRD type (value not shown) is not a NRRD type"),
    ("block", "little", "gzip", "NRRD type block is not supported"),
    ("short", None, "raw", "NRRD header has no endian field for its short voxels"),
    ("float", None, "gzip", "NRRD header has no endian field for its float voxels"),
])
def test_an_unusable_type_or_endian_is_one_line_naming_the_file(tmp_path, type_name, endian,
                                                                encoding, message):
    path = tmp_path / "bad.nrrd"
    _write(path, type_name, _values("i2"), endian, encoding)
    for read in (load, read_nrrd_header):
        with pytest.raises(CorruptFileError) as caught:
            read(path)
        assert message in str(caught.value) and str(path) in str(caught.value)
        assert "\n" not in str(caught.value)


def test_an_endian_that_is_neither_is_named(tmp_path):
    path = tmp_path / "bad.nrrd"
    _write(path, "int16", _values("i2"), "little", "raw")
    path.write_bytes(path.read_bytes().replace(b"endian: little", b"endian: middle"))
    with pytest.raises(CorruptFileError,
                       match=r"NRRD endian \(value not shown\) is neither little nor big"):
        load(path)
