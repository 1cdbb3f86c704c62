"""MetaImage (``.mha``, or ``.mhd`` with its data file), as ITK-SNAP, 3D Slicer and the
grand-challenge.org data sets use it.

ITK (SimpleITK) reads the geometry, the voxels are read here; the header (``Key = value`` text
lines up to ``ElementDataFile``) is read first, so that a damaged or hostile one is refused in
one line naming the file before ITK opens or anything is allocated: the data file must be a
regular file in the header's folder (no ``..``, absolute path, ``/dev/zero``, ``LIST`` or
numbered-file pattern), the voxels must fit in memory, and raw voxels must all be in the file.
ITK's geometry is LPS, turned into RAS here.
"""

from __future__ import annotations

import io
import math
import os
import zlib

import numpy as np

from ..core.ct_padding import padding_read_as_air
from ..core.errors import CorruptFileError, LoadError, shown_value
from ..core.geometry import LPS_TO_RAS
from ..core.safepath import file_inside
from ..core.volume import Volume
from .compressed import inflate_exactly
from .header_check import (
    check_affine,
    check_declared_size,
    check_dimensions,
    check_not_empty,
    path_problem,
    require_voxel_memory,
)

SUFFIXES = (".mha", ".mhd")
MAX_HEADER_BYTES = 1 << 16
"""A MetaImage header is a few hundred bytes of text; one not ended by ``ElementDataFile`` within
64 KiB is refused."""

ITEM_DTYPES = {"MET_CHAR": "i1", "MET_UCHAR": "u1", "MET_SHORT": "i2", "MET_USHORT": "u2",
               "MET_INT": "i4", "MET_UINT": "u4", "MET_LONG": "i4", "MET_ULONG": "u4",
               "MET_LONG_LONG": "i8", "MET_ULONG_LONG": "u8", "MET_FLOAT": "f4",
               "MET_DOUBLE": "f8"}
"""Each ``ElementType``'s numbers (MetaIO's ``MET_ValueTypeSize``: a LONG is 4 bytes)."""
DIRECTION_KEYS = ("TransformMatrix", "Rotation", "Orientation")
MODALITIES = {"MET_MOD_CT": "CT", "MET_MOD_MR": "MR", "MET_MOD_NM": "NM", "MET_MOD_US": "US"}


def is_metaimage_path(path: str | os.PathLike) -> bool:
    return os.fspath(path).lower().endswith(SUFFIXES)


def header_naming(data_path: str | os.PathLike) -> str:
    """The ``.mhd`` header beside ``data_path`` whose ``ElementDataFile`` names it (a MetaImage's
    voxels, ``flair.raw``, picked instead of its header), or ''. At most 50 headers are read."""
    folder, name = os.path.split(os.path.abspath(os.fspath(data_path)))
    try:
        headers = sorted(f for f in os.listdir(folder) if f.lower().endswith(".mhd"))[:50]
    except OSError:
        return ""
    for header in headers:
        try:
            fields, _ = read_header(os.path.join(folder, header))
        except (LoadError, OSError):
            continue
        if fields.get("ElementDataFile") == name:
            return header
    return ""


def read_header(path: str) -> tuple[dict[str, str], int]:
    """The header's fields (keys as written) and the byte where its text ends."""
    problem = path_problem(path)
    if problem:
        raise LoadError(problem, path=path)
    check_not_empty(path)
    with open(path, "rb") as f:
        head = f.read(MAX_HEADER_BYTES)
    fields: dict[str, str] = {}
    end = 0
    for raw in head.splitlines(keepends=True):
        end += len(raw)
        line = raw.decode("latin-1").strip()
        if not line:
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip() or not key.isascii() or not key.isprintable():
            # ITK writes a NIfTI's fields under their own names too: ``dim[1] = 197``
            raise CorruptFileError("not a MetaImage header (a line without 'Key = value' before "
                                   "ElementDataFile)", path=path)
        fields[key.strip()] = value.strip()
        if key.strip() == "ElementDataFile":
            return fields, end
    raise CorruptFileError("not a MetaImage header (no ElementDataFile line in its first "
                           f"{MAX_HEADER_BYTES // 1024} KiB)", path=path)


def _numbers(fields: dict, key: str, path: str, count: int, kind=float) -> list:
    try:
        values = [kind(v) for v in fields[key].split()]
    except KeyError:
        raise CorruptFileError(f"header has no {key}", path=path) from None
    except ValueError:
        said = "a number" if count == 1 else f"{count} numbers"
        raise CorruptFileError(f"header's {key} is not {said}", path=path) from None
    if len(values) < count or not all(math.isfinite(v) for v in values):
        raise CorruptFileError(f"header's {key} is not {count} finite numbers", path=path)
    return values


def _data_source(fields: dict, path: str, header_end: int) -> tuple[str, int]:
    """The file holding the voxels and where they start (``-1``: the last bytes of the file)."""
    name = fields["ElementDataFile"]
    form = ("a LIST of files" if name.upper().startswith("LIST") else
            "a numbered file pattern ('%')" if "%" in name else "several names" if " " in name
            else "")
    if form:   # its words not quoted: a file or folder may be named after a patient
        raise CorruptFileError("MetaImage voxels spread over several files are not read: its "
                               f"ElementDataFile {shown_value(name)} is {form}; save it as one "
                               ".mha", path=path)
    skip = int(_numbers(fields, "HeaderSize", path, 1)[0]) if "HeaderSize" in fields else 0
    if name.upper() == "LOCAL":
        return path, header_end if skip == 0 else -1 if skip < 0 else header_end + skip
    data = os.fspath(file_inside(os.path.dirname(os.path.abspath(path)), name, path,
                                 "data file", CorruptFileError))
    return data, -1 if skip < 0 else skip


def read_geometry(path: str | os.PathLike) -> tuple[tuple[int, ...], np.ndarray, int, dict]:
    """``(shape, RAS affine, voxel bytes, header fields)``, all checked, no voxel read; the shape
    as the loaded array's (x, y, z first; a 2D image's z of 1; then time or channels)."""
    path = os.fspath(path)
    fields, header_end = read_header(path)
    ndims = int(_numbers(fields, "NDims", path, 1)[0])
    if ndims not in (2, 3, 4):
        raise CorruptFileError(f"header declares {ndims} dimensions (2, 3 or 4 are read)",
                               path=path)
    shape = check_dimensions(_numbers(fields, "DimSize", path, ndims, int)[:ndims], path)
    element = fields.get("ElementType", "")
    if element not in ITEM_DTYPES:
        raise CorruptFileError(f"header's ElementType {shown_value(element)} is not one of MetaIO's "
                               "number types", path=path)
    channels = int(_numbers(fields, "ElementNumberOfChannels", path, 1)[0]
                   ) if "ElementNumberOfChannels" in fields else 1
    if not 1 <= channels <= 64:
        raise CorruptFileError(f"header declares {channels} channels a voxel", path=path)
    for key in ("ElementSpacing", "Offset", "Origin", "Position", "TransformMatrix", "Rotation",
                "Orientation"):
        if key in fields:   # ITK reads NaN, or too few numbers, without a word
            _numbers(fields, key, path, ndims * ndims if key in DIRECTION_KEYS else ndims)
    data_path, offset = _data_source(fields, path, header_end)
    compressed = fields.get("CompressedData", "False").lower() == "true"
    raw = fields.get("BinaryData", "True").lower() == "true" and not compressed
    full = shape + ((channels,) if channels > 1 else ())
    nbytes = check_declared_size(path, full, np.dtype(ITEM_DTYPES[element]).itemsize, max(offset, 0),
                                 compression=None if raw else "deflate" if compressed else "text",
                                 data_path=data_path)
    spatial = shape[:3] if ndims > 2 else shape + (1,)
    return (spatial + shape[3:] + ((channels,) if channels > 1 else ()), _affine(path), nbytes,
            fields)


def _affine(path: str) -> np.ndarray:
    """ITK's spacing, origin and direction of the header (read by ITK, no voxel), in RAS."""
    import SimpleITK as sitk

    sitk.ProcessObject.SetGlobalWarningDisplay(False)   # ITK's own lines on stderr
    reader = sitk.ImageFileReader()
    reader.SetFileName(path)
    try:
        reader.ReadImageInformation()
    except RuntimeError:
        raise CorruptFileError("ITK cannot read its MetaImage header", path=path) from None
    ndims = min(reader.GetDimension(), 3)
    full = np.array(reader.GetDirection()).reshape(reader.GetDimension(), -1)
    lps = np.eye(4)
    lps[:ndims, :ndims] = full[:ndims, :ndims] @ np.diag(reader.GetSpacing()[:ndims])
    lps[:ndims, 3] = reader.GetOrigin()[:ndims]
    return check_affine(LPS_TO_RAS @ lps, path)


class _Inflating(io.RawIOBase):
    """MetaIO's zlib stream as a file to read, at most 1 MiB inflated a call (a bomb behind a
    small header is never inflated whole: :func:`inflate_exactly` stops one byte past the
    declared size)."""

    def __init__(self, raw):
        self.raw, self.inflater, self.pending = raw, zlib.decompressobj(), b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self.pending and not self.inflater.eof:
            data = self.inflater.unconsumed_tail or self.raw.read(1 << 16)
            if not data:
                raise EOFError("the compressed data end early")
            self.pending = self.inflater.decompress(data, 1 << 20)
        count = min(len(buffer), len(self.pending))
        buffer[:count], self.pending = self.pending[:count], self.pending[count:]
        return count


def _voxel_bytes(fields: dict, path: str, nbytes: int, progress, cancel) -> bytes:
    data_path, offset = _data_source(fields, path, read_header(path)[1])
    size = os.path.getsize(data_path)
    if fields.get("CompressedData", "False").lower() == "true":
        with open(data_path, "rb") as raw:
            raw.seek(max(offset, 0))
            return inflate_exactly(_Inflating(raw), nbytes, path, 0, progress, cancel)
    with open(data_path, "rb") as raw:
        raw.seek(size - nbytes if offset < 0 else offset)
        return raw.read(nbytes)


def load_metaimage(path: str | os.PathLike, progress=None, cancel=None) -> Volume:
    """A MetaImage's :class:`Volume`, spatial axes first (a 4D one's fourth axis is time, a
    vector one's channels); a 3D CT's padding outside its field of view reads as air, as a CT
    NIfTI's does. The voxels are read here (ITK's reader printed MetaIO's complaints about a cut
    file on stderr, could not be cancelled and said nothing of its progress)."""
    path = os.fspath(path)
    shape, affine, nbytes, fields = read_geometry(path)
    require_voxel_memory(nbytes, path)
    element = fields["ElementType"]
    big = any(fields.get(k, "").lower() == "true"
              for k in ("BinaryDataByteOrderMSB", "ElementByteOrderMSB"))
    dtype = np.dtype(ITEM_DTYPES[element]).newbyteorder(">" if big else "<")
    if fields.get("BinaryData", "True").lower() != "true":   # numbers written as text
        data_path, offset = _data_source(fields, path, read_header(path)[1])
        with open(data_path, "rb") as raw:
            raw.seek(max(offset, 0))
            words = raw.read().split()
        count = nbytes // dtype.itemsize
        if len(words) < count:
            raise CorruptFileError(f"file is truncated: {len(words)} of the {count} values its "
                                   "header declares", path=path)
        try:
            values = np.array(words[:count], dtype=float).astype(dtype)
        except ValueError:
            raise CorruptFileError("its voxel values are not all numbers", path=path) from None
    else:
        values = np.frombuffer(_voxel_bytes(fields, path, nbytes, progress, cancel), dtype)
    channels = len(shape) > 3 and shape[-1] > 1 and "ElementNumberOfChannels" in fields \
        and int(fields["ElementNumberOfChannels"]) > 1
    if channels:   # each voxel's channels together, x fastest after them
        data = np.moveaxis(values.reshape((shape[-1],) + shape[:-1], order="F"), 0, -1)
    else:
        data = values.reshape(shape, order="F")
    data = data.astype(dtype.newbyteorder("="))
    padding = padding_read_as_air(data, affine) if data.ndim == 3 else None
    name = os.path.basename(path)
    modality = MODALITIES.get(fields.get("Modality", ""), "")
    return Volume(
        array=data,
        ijk_to_ras=affine,
        modality=modality,
        intensity_unit="HU" if modality == "CT" else "",
        description=name.rsplit(".", 1)[0],
        axis4="channel" if channels else "time" if data.ndim == 4 else "",
        source_path=path,
        source_metadata={"format": "MetaImage"},
        padding=padding,
    )
