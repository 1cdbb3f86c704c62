"""Damaged copies of a real DICOM file, made with pydicom: cut short, lying length fields, absurd
image sizes, a transfer syntax that lies about the encoding.

``damaged_copies(source, folder)`` writes one file per damage and returns ``{name: path}``; the
offsets are found by pydicom (the value position of the file's own elements), so the same
damages apply to any file: inside the preamble and the meta header, inside a sequence, at the
start, middle and last byte of the pixel data.
"""

from __future__ import annotations

import struct
import warnings
from pathlib import Path

import pydicom
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_file_meta_info
from pydicom.tag import Tag

PIXEL_DATA = Tag(0x7FE0, 0x0010)
LONG_LENGTH_VRS = {"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"}


def _raw(path: Path, tag) -> tuple[int, int, bool] | None:
    """(value offset, length-field offset, length field is 4 bytes) of a top-level element."""
    ds = pydicom.dcmread(path)
    if tag not in ds:
        return None
    raw = ds.get_item(tag)
    long = ds.original_encoding[0] or raw.VR in LONG_LENGTH_VRS
    return raw.value_tell, raw.value_tell - (4 if long else 2), long


def _first_sequence(path: Path) -> int | None:
    """Value offset of the first top-level sequence (SQ) element past the meta header."""
    from pydicom.datadict import dictionary_has_tag, dictionary_VR

    ds = pydicom.dcmread(path)
    for tag in ds.keys():
        raw = ds.get_item(tag)
        vr = raw.VR or (dictionary_VR(tag) if dictionary_has_tag(tag) else None)
        if vr == "SQ":  # read already (pydicom parses sequences eagerly): the element's start
            return getattr(raw, "value_tell", None) or raw.file_tell + 12
    return None


def _meta_end(data: bytes) -> int:
    """Offset of the first dataset byte: after the preamble, 'DICM' and the group 2 elements."""
    group_length = struct.unpack_from("<I", data, 132 + 8)[0]
    return 132 + 12 + group_length


def _with_syntax(data: bytes, syntax: str) -> bytes:
    """The same dataset bytes under a meta header that names another transfer syntax."""
    meta = pydicom.dcmread(DicomBytesIO(data), stop_before_pixels=True).file_meta
    meta.TransferSyntaxUID = syntax
    buffer = DicomBytesIO()
    write_file_meta_info(buffer, meta)
    return data[:128] + b"DICM" + buffer.getvalue() + data[_meta_end(data):]


def _with_values(path: Path, **values) -> bytes:
    ds = pydicom.dcmread(path)
    for keyword, value in values.items():
        setattr(ds, keyword, value)
    buffer = DicomBytesIO()
    ds.save_as(buffer, enforce_file_format=False)
    return buffer.getvalue()


def damages(source: Path) -> dict[str, bytes]:
    """{damage name: file bytes} for the damages that apply to ``source``."""
    data = Path(source).read_bytes()
    out = {"cut_in_preamble": data[:64], "cut_in_meta": data[:150]}
    pixels = _raw(source, PIXEL_DATA)
    if pixels is not None:
        value, length_at, long = pixels
        out["cut_in_pixel_element_header"] = data[:length_at + 2]
        out["cut_at_pixel_start"] = data[:value + 1]
        out["cut_in_pixel_middle"] = data[:(value + len(data)) // 2]
        out["cut_one_byte_short"] = data[:-1]
        if long:
            out["pixel_length_FFFFFFF0"] = (data[:length_at] + struct.pack("<I", 0xFFFFFFF0)
                                            + data[length_at + 4:])
    rows = _raw(source, Tag(0x0028, 0x0010))
    if rows is not None:
        out["cut_in_rows"] = data[:rows[0] + 1]
    sequence = _first_sequence(source)
    if sequence is not None:
        out["cut_in_sequence"] = data[:sequence + 24]
    description = _raw(source, Tag(0x0008, 0x103E)) or _raw(source, Tag(0x0008, 0x0060))
    if description is not None:  # a short element whose length grows past the end of the file
        value, length_at, long = description
        field = struct.pack("<I" if long else "<H", 0xFFFFFFF0 if long else 0xFFF0)
        out["text_length_huge"] = data[:length_at] + field + data[length_at + len(field):]
    study = _raw(source, Tag(0x0020, 0x000D))
    if study is not None and not pydicom.dcmread(source, stop_before_pixels=True).original_encoding[0]:
        # explicit VR: the Study Instance UID's VR written as 'Ui' (pydicom: NotImplementedError
        # when the value is read, after the pixels have been decoded)
        out["study_uid_vr_garbled"] = data[:study[1] - 2] + b"Ui" + data[study[1]:]
    out["rows_columns_65535"] = _with_values(source, Rows=65535, Columns=65535)
    out["rows_0"] = _with_values(source, Rows=0)
    out["bits_allocated_0"] = _with_values(source, BitsAllocated=0)
    out["bits_allocated_7"] = _with_values(source, BitsAllocated=7)
    out["bits_allocated_64"] = _with_values(source, BitsAllocated=64, BitsStored=64, HighBit=63)
    out["frames_2147483647"] = _with_values(source, NumberOfFrames=2147483647)
    out["frames_minus_1"] = _with_values(source, NumberOfFrames="-1")
    syntax = str(pydicom.dcmread(source, stop_before_pixels=True).file_meta.TransferSyntaxUID)
    lies = {"implicit": "1.2.840.10008.1.2", "big_endian": "1.2.840.10008.1.2.2",
            "jpeg2000": "1.2.840.10008.1.2.4.90", "rle": "1.2.840.10008.1.2.5",
            "deflated": "1.2.840.10008.1.2.1.99", "explicit": "1.2.840.10008.1.2.1"}
    for name, uid in lies.items():
        if uid != syntax:
            out[f"syntax_says_{name}"] = _with_syntax(data, uid)
    if pixels is not None and pydicom.uid.UID(syntax).is_encapsulated:
        # the basic offset table's item says it holds 14 MB: pydicom's struct.unpack of it fails
        value = pixels[0]
        out["offset_table_length_lies"] = (data[:value + 4] + struct.pack("<I", 0x00D80000)
                                           + data[value + 8:])
    siz = data.find(b"\xff\x4f\xff\x51")  # a JPEG 2000 codestream's SIZ marker
    if pixels is not None and siz > pixels[0]:
        # its image height (Ysiz) times 4000: OpenJPEG allocates what the codestream declares
        height = struct.unpack_from(">I", data, siz + 12)[0]
        out["j2k_height_times_4000"] = (data[:siz + 12] + struct.pack(">I", height * 4000)
                                        + data[siz + 16:])
    with warnings.catch_warnings():  # pydicom warns that it is no valid UI value
        warnings.simplefilter("ignore")
        # a control character inside the UID: the line naming it must stay one line
        out["syntax_with_a_carriage_return"] = _with_syntax(data, "1.2.840.10008\r.1.2.1")
    # a UID that is no transfer syntax at all (here CT Image Storage): pydicom raises ValueError
    # on asking whether it is deflated
    out["syntax_not_a_transfer_syntax"] = _with_syntax(data, "1.2.840.10008.5.1.4.1.1.2")
    # the second meta element's number and VR overwritten: pydicom raises BytesLengthException,
    # an Exception of its own outside the usual ValueError/KeyError family
    out["meta_element_garbled"] = data[:146] + b"\xff\xff\x00\x00" + data[150:]
    return out


def damaged_copies(source: Path, folder: Path) -> dict[str, Path]:
    """Write each damage of ``source`` into ``folder`` as ``<stem>_<damage>.dcm``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, data in damages(source).items():
        path = folder / f"{Path(source).stem}_{name}.dcm"
        path.write_bytes(data)
        paths[name] = path
    return paths
