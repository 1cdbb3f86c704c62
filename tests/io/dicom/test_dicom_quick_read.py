"""neuroview's own DICOM header reader (neuroview.io.dicom.quick_read) against pydicom's path.

Every file the DICOM tests scan is cross-checked too (conftest.py); these tests add every file
pydicom and pydicom-data install, the layouts the makers write with defined and undefined lengths,
and hostile files.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pydicom
import pytest
from enhanced_maker import EnhancedSpec, write_enhanced
from pydicom.data import get_testdata_file, get_testdata_files
from quick_check import pydicom_record, quick_record, record, same_as_pydicom

from neuroview.io.dicom import quick_dataset as quick_module
from neuroview.io.dicom import scan, vendor_fields
from neuroview.io.dicom.elements import element_map
from neuroview.io.dicom.quick_dataset import ENCAPSULATED_SYNTAXES, KEYWORDS, PRIVATE_READ
from neuroview.io.dicom.quick_read import UNDEFINED, quick_read


def _installed_files() -> list[str]:
    return [p for p in get_testdata_files("**/*") if Path(p).is_file()]


def test_quick_reader_gives_pydicoms_records_on_every_installed_test_file():
    read = sum(same_as_pydicom(path) for path in _installed_files())  # asserts each file read
    assert read >= 100  # the common case is the quick reader's (136 of 244 files today)


def test_a_misread_value_fails_the_comparison(monkeypatch):
    """The comparison above sees a reader that is wrong in the 7th digit of one number."""
    path = get_testdata_file("CT_small.dcm")
    expected = pydicom_record(path)
    assert quick_record(path) == expected
    original = quick_module._number
    monkeypatch.setattr(quick_module, "_number",
                        lambda kind, text: original(kind, text) * (1 + 1e-7)
                        if kind is float and original(kind, text) else original(kind, text))
    monkeypatch.setattr(quick_module, "_SHARED", {})  # values are converted once per process
    assert quick_record(path) not in (None, expected)


def test_keywords_and_syntaxes_are_pydicoms():
    from pydicom.datadict import dictionary_VR, tag_for_keyword
    from pydicom.uid import UID

    for keyword, (tag, vr) in KEYWORDS.items():
        assert tag_for_keyword(keyword) == tag and dictionary_VR(tag) == vr, keyword
    for uid in ENCAPSULATED_SYNTAXES:
        assert UID(uid).is_transfer_syntax and UID(uid).is_compressed, uid
        assert UID(uid).is_little_endian and not UID(uid).is_implicit_VR, uid
    assert set(PRIVATE_READ) >= {vendor_fields.PHILIPS_SCALE_SLOPE, vendor_fields.PHILIPS_B_VALUE,
                                 vendor_fields.PHILIPS_DIFFUSION_DIRECTION,
                                 vendor_fields.UIH_GRID_SLICES, vendor_fields.UIH_GRID_FRAMES,
                                 vendor_fields.PHILIPS_PRIVATE_FRAME_SEQUENCE}


def _with_sequence_lengths(path: Path, out: Path, undefined: bool) -> Path:
    ds = pydicom.dcmread(path)

    def walk(dataset):
        for element in dataset:
            if element.VR == "SQ":
                element.is_undefined_length = undefined
                for item in element.value:
                    item.is_undefined_length_sequence_item = undefined
                    walk(item)

    walk(ds)
    ds.save_as(out, enforce_file_format=True)
    return out


@pytest.mark.parametrize("undefined", [True, False])
@pytest.mark.parametrize("syntax", ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"])
def test_enhanced_files_with_both_sequence_lengths(tmp_path, mni_volume, undefined, syntax):
    """Philips enhanced (private per-frame scale, explicit VR only) and Siemens XA enhanced
    files, sequences of defined and of undefined length, explicit and implicit VR."""
    for maker in ("PHILIPS", "SIEMENS"):
        if maker == "PHILIPS" and syntax == "1.2.840.10008.1.2":
            continue  # private tags in implicit VR: pydicom's reading (declined)
        spec = EnhancedSpec(manufacturer=maker, n_slices=6, rows=20, cols=18,
                            philips_scale=(0.25, 0.0) if maker == "PHILIPS" else None)
        written = write_enhanced(tmp_path / f"{maker}.dcm", mni_volume, spec)
        ds = pydicom.dcmread(written.path)
        ds.file_meta.TransferSyntaxUID = syntax
        ds.save_as(written.path, implicit_vr=syntax.endswith(".2"), little_endian=True)
        path = _with_sequence_lengths(written.path, tmp_path / f"{maker}-{undefined}.dcm",
                                      undefined)
        quick = quick_read(str(path))
        assert quick is not None, (maker, path)
        per_frame = element_map(quick)[0x52009230]
        assert (per_frame.length == UNDEFINED) == undefined
        assert same_as_pydicom(str(path))
        assert len(scan.read_file(str(path)).frames) == 6


def test_declines_big_endian_deflated_and_files_without_preamble(tmp_path):
    for name in ("MR_small_bigendian.dcm", "image_dfl.dcm"):
        assert quick_read(get_testdata_file(name)) is None, name
    raw = Path(get_testdata_file("CT_small.dcm")).read_bytes()
    headless = tmp_path / "headless.dcm"
    headless.write_bytes(raw[128:].replace(b"DICM", b"XXXX", 1))
    assert quick_read(str(headless)) is None


def _same_outcome(path: Path) -> None:
    """The scan's result (frames, or its one-line note or error) is pydicom's path's."""
    result = scan.read_file(str(path))
    assert record(result) == record(scan.read_with_pydicom(str(path), {}))
    if result.error is not None:
        assert "\n" not in str(result.error)


def test_truncated_files_give_pydicoms_outcome(tmp_path, mni_volume):
    written = write_enhanced(tmp_path / "whole.dcm", mni_volume,
                             EnhancedSpec(manufacturer="PHILIPS", n_slices=4, rows=16, cols=16,
                                          philips_scale=(0.5, 0.0)))
    data = written.path.read_bytes()
    pixel_start = data.index(b"\xe0\x7f\x10\x00")
    cuts = sorted(set(np.linspace(133, pixel_start + 20, 60).astype(int)) | {len(data) - 1})
    for cut in cuts:
        path = tmp_path / f"cut-{cut}.dcm"
        path.write_bytes(data[:cut])
        _same_outcome(path)


def test_lengths_past_the_end_give_pydicoms_outcome(tmp_path):
    data = bytearray(Path(get_testdata_file("CT_small.dcm")).read_bytes())
    series_uid = data.index(b"\x20\x00\x0e\x00UI")  # SeriesInstanceUID: a 2-byte length
    pixel = data.index(b"\xe0\x7f\x10\x00OW")  # PixelData: a 4-byte length
    for offset, fmt, value in ((series_uid + 6, "<H", 0xFFF0), (pixel + 8, "<I", 0x7FFFFFF0),
                               (pixel + 8, "<I", 0xFFFFFFFF)):
        broken = bytearray(data)
        struct.pack_into(fmt, broken, offset, value)
        path = tmp_path / f"len-{offset}-{value}.dcm"
        path.write_bytes(bytes(broken))
        _same_outcome(path)


def test_deeply_nested_sequences_end_quickly(tmp_path):
    """10,000 nested undefined-length sequences: no hang, no traceback, pydicom's outcome."""
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    path = tmp_path / "plain.dcm"
    ds.save_as(path)
    data = path.read_bytes()
    at = data.index(b"\x10\x00\x10\x00PN")  # PatientName: nest a private sequence before it
    depth = 10_000
    nested = (b"\x09\x00\x10\x10SQ\x00\x00\xff\xff\xff\xff" + b"\xfe\xff\x00\xe0\xff\xff\xff\xff"
              ) * depth + (b"\xfe\xff\x0d\xe0\x00\x00\x00\x00"
                           + b"\xfe\xff\xdd\xe0\x00\x00\x00\x00") * depth
    path.write_bytes(data[:at] + nested + data[at:])
    _same_outcome(path)


def test_a_compressed_series_of_64_files_is_parsed_once_by_pydicom(make_series, tmp_path,
                                                                    monkeypatch):
    """Issue 11 (noticed): the scan's worker processes parsed each file with pydicom and the
    loader parsed it again for its compressed bytes. Now the scan reads the headers with
    neuroview's reader; pydicom parses each file once, to decode it."""
    from pydicom.uid import RLELossless

    from neuroview.io import load

    series = make_series("rle_64", n_slices=64, rows=24, cols=20, transfer_syntax=RLELossless)
    log = tmp_path / "parsed.txt"
    real = pydicom.dcmread

    def counting(path, *args, **kwargs):  # forked workers append to the same file
        with open(log, "a") as handle:
            handle.write(f"{path}\n")
        return real(path, *args, **kwargs)

    from neuroview.io.dicom import headers

    monkeypatch.setattr(headers, "read_file", scan.read_file)  # without conftest's cross-check
    monkeypatch.setattr(pydicom, "dcmread", counting)
    volume = load(series.folder)
    assert volume.shape[:3] == series.values.shape[:3]
    np.testing.assert_allclose(np.asarray(volume.array), series.values, atol=1e-3)
    parsed = log.read_text().split()
    assert sorted(parsed) == sorted(str(p) for p in series.files)
