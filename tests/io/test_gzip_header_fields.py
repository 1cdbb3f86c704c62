"""A ``.nii.gz`` or ``.mgz`` whose gzip header holds a file name (or comment) field longer than
64 kB is refused in one line before any reader parses it. Python's gzip reads the field a byte at a
time at every open (an 8 MB name took 9.4 s of processor time to convert, 36 s at load 9) and
ISA-L's reader raised ``OverflowError`` past 512 kB, which ``info`` printed as an internal error
(session 46's hostile campaign, ``bench/hostile_campaign.py``). Ordinary fields still read."""

from __future__ import annotations

import gzip
import struct
import zlib

import nibabel as nib
import numpy as np
import pytest

from neuroview.cli.main import main
from neuroview.io.nifti import load_nifti

VOXELS = (np.arange(10 * 9 * 6) % 300).reshape(10, 9, 6).astype(np.int16)


def _raw(tmp_path, suffix: str) -> bytes:
    plain = tmp_path / f"plain{suffix}"
    klass = nib.MGHImage if suffix == ".mgz" else nib.Nifti1Image
    nib.save(klass(VOXELS, np.diag([1.5, 1.5, 2.0, 1.0])), plain)
    data = gzip.decompress(plain.read_bytes())
    plain.unlink()
    return data


def _gzip(raw: bytes, flags: int, fields: bytes) -> bytes:
    deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = deflate.compress(raw) + deflate.flush()
    return (b"\x1f\x8b\x08" + bytes([flags]) + bytes(6) + fields + body
            + struct.pack("<II", zlib.crc32(raw), len(raw)))


@pytest.mark.parametrize("suffix", [".nii.gz", ".mgz"])
@pytest.mark.parametrize("flag, words", [(8, "file name"), (16, "comment")])
def test_a_gzip_name_field_over_64_kb_is_one_line(tmp_path, capsys, suffix, flag, words):
    path = tmp_path / f"scan{suffix}"
    path.write_bytes(_gzip(_raw(tmp_path, suffix), flag, b"n" * (100 << 10) + b"\x00"))
    assert main(["info", str(path)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"neuroview: error: {path}: its gzip header's {words} field runs past 64 kB (a file name "
        "is at most 4 kB): damaged, or not written by an imaging program")


@pytest.mark.parametrize("suffix", [".nii.gz", ".mgz"])
def test_ordinary_extra_name_and_comment_fields_still_read(tmp_path, suffix):
    """FEXTRA (4), FNAME (8) and FCOMMENT (16) of everyday sizes, as gzip tools write them."""
    fields = struct.pack("<H", 6) + b"AB\x02\x00xy" + b"scan.nii" + b"\x00" + b"c" * 4000 + b"\x00"
    path = tmp_path / f"scan{suffix}"
    path.write_bytes(_gzip(_raw(tmp_path, suffix), 4 | 8 | 16, fields))
    assert np.array_equal(np.asarray(load_nifti(path).array), VOXELS)


def _with_extension(path, esize: int) -> None:
    """``path``'s NIfTI-1 header with one extension of ``esize`` bytes (code 6, comment)."""
    data = path.read_bytes()
    header = bytearray(data[:348])
    struct.pack_into("<f", header, 108, 352 + esize)
    extension = struct.pack("<ii", esize, 6) + b"x" * (esize - 8)
    path.write_bytes(bytes(header) + b"\x01\x00\x00\x00" + extension + data[352:])


def test_an_extension_size_not_a_multiple_of_16_says_nothing_of_nibabel(tmp_path, recwarn):
    """nibabel warned 'Extension size is not a multiple of 16 bytes; Assuming size is correct and
    hoping for the best' (two lines on the terminal) above the volume opened or the line refusing
    it."""
    path = tmp_path / "scan.nii"
    nib.save(nib.Nifti1Image(VOXELS, np.diag([1.5, 1.5, 2.0, 1.0])), path)
    _with_extension(path, 20)
    assert np.array_equal(np.asarray(load_nifti(path).array), VOXELS)
    assert [str(w.message) for w in recwarn.list] == []


def test_an_extension_past_the_file_is_one_line(tmp_path, capsys, recwarn):
    path = tmp_path / "scan.nii"
    nib.save(nib.Nifti1Image(VOXELS, np.diag([1.5, 1.5, 2.0, 1.0])), path)
    data = bytearray(path.read_bytes())
    struct.pack_into("<f", data, 108, 368.0)
    path.write_bytes(bytes(data[:348]) + b"\x01\x00\x00\x00" + struct.pack("<ii", 2 ** 31 - 8, 6)
                     + bytes(8) + bytes(data[352:]))
    assert main(["info", str(path)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"neuroview: error: {path}: invalid header (failed to read extension content)")
    assert [str(w.message) for w in recwarn.list] == []
