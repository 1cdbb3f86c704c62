"""A deflated DICOM whose pixel element inflates far past what its Rows x Columns x frames x
samples x bits need is refused once the inflated dataset passes that (and 16 MiB more), not when
it passes half the memory available: a folder of five 4 GiB bombs took 5 x 3.4 s to refuse until
session 36 (``bench/kinds_fuzz.py --only deflate``). Small bombs here, against a tight bound."""

from __future__ import annotations

import io
import struct
import zlib

import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.filereader import _read_file_meta_info, read_preamble
from pydicom.uid import DeflatedExplicitVRLittleEndian, ExplicitVRLittleEndian

from neuroview.cli.main import main
from neuroview.core.errors import CorruptFileError, LoadError
from neuroview.io.compressed import check_deflated_dicom

MIB = 1 << 20


def _split(data: bytes) -> int:
    """Where the dataset starts after the meta group of a Part 10 file's bytes."""
    stream = io.BytesIO(data)
    read_preamble(stream, False)
    _read_file_meta_info(stream)
    return stream.tell()


def _bomb(path, pixel_bytes: int, rows: bool = True):
    """CT_small (128x128, 16 bits) deflated, its pixel element ``pixel_bytes`` of zeros."""
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    del ds.PixelData
    if not rows:
        del ds.Rows, ds.Columns
    plain, deflated = io.BytesIO(), io.BytesIO()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.save_as(plain, enforce_file_format=True)
    ds.file_meta.TransferSyntaxUID = DeflatedExplicitVRLittleEndian
    ds.save_as(deflated, enforce_file_format=True)
    elements = plain.getvalue()[_split(plain.getvalue()):]
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = compressor.compress(elements + b"\xe0\x7f\x10\x00OW\0\0" + struct.pack("<I", pixel_bytes))
    head += compressor.flush(zlib.Z_FULL_FLUSH)
    zeros = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    body = head + zeros * (pixel_bytes // MIB) + compressor.flush()
    path.write_bytes(deflated.getvalue()[:_split(deflated.getvalue())] + body)
    return path


def test_a_bomb_stops_at_what_its_pixels_need_not_at_the_memory_bound(tmp_path):
    path = _bomb(tmp_path / "bomb.dcm", 256 * MIB)
    with pytest.raises(CorruptFileError) as caught:
        check_deflated_dicom(str(path), limit=64 * MIB)  # stopped near 16 MB, under this bound
    assert str(caught.value) == (
        f"{path}: deflated DICOM dataset inflates to more than 16.0 MB, where its pixels need "
        "32.0 kB (128x128, 1 frame, 1 sample of 16 bits): damaged, or a deflate bomb")


def test_a_bomb_without_rows_is_refused_in_one_line(tmp_path, capsys):
    path = _bomb(tmp_path / "bomb.dcm", 64 * MIB, rows=False)
    assert main(["info", str(path)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"neuroview: error: {path}: deflated DICOM dataset inflates to more than 16.0 MB, where it "
        "declares no Rows or Columns (no pixels): damaged, or a deflate bomb")


def test_a_pixel_element_a_little_long_is_left_to_the_reader_and_the_memory_bound(tmp_path):
    """Within 16 MiB past its pixels a file is inflated (pydicom reads it), and the memory bound
    still holds below that."""
    path = _bomb(tmp_path / "long.dcm", 8 * MIB)
    assert check_deflated_dicom(str(path), limit=64 * MIB) is True
    with pytest.raises(LoadError, match="more than the memory available"):
        check_deflated_dicom(str(path), limit=4 * MIB)
