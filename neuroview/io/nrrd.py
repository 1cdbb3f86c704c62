"""NRRD (.nrrd, .nhdr) through pynrrd.

NRRD stores ``space directions`` and ``space origin`` in a named space (usually
``left-posterior-superior`` from Slicer/ITK); we convert to RAS here.
"""

from __future__ import annotations

import io
import os
import re
import warnings

import numpy as np

from ..core.ct_padding import padding_read_as_air
from ..core.errors import Cancelled, CorruptFileError, LoadError, shown_value, without_values
from ..core.geometry import LPS_TO_RAS
from ..core.safepath import file_inside
from ..core.volume import Volume
from .compressed import inflate_exactly, open_stream
from .header_check import (
    check_affine,
    check_declared_size,
    check_not_empty,
    path_problem,
    require_voxel_memory,
)
from .nrrd_types import nrrd_dtype, shown_kinds
from .slicer_seg import slicer_segments

NRRD_SUFFIXES = (".nrrd", ".nhdr")
COMPRESSIONS = {"raw": None, "gzip": "gzip", "gz": "gzip", "bzip2": "bzip2", "bz2": "bzip2"}

# Sign flips from each NRRD space to RAS.
_SPACE_TO_RAS = {
    "right-anterior-superior": np.eye(4),
    "ras": np.eye(4),
    "left-posterior-superior": LPS_TO_RAS,
    "lps": LPS_TO_RAS,
    "left-anterior-superior": np.diag([-1.0, 1.0, 1.0, 1.0]),
    "las": np.diag([-1.0, 1.0, 1.0, 1.0]),
    "scanner-xyz": LPS_TO_RAS,
}


def is_nrrd_path(path: str | os.PathLike) -> bool:
    return os.fspath(path).lower().endswith(NRRD_SUFFIXES)


def _check_file(path: str) -> None:
    problem = path_problem(path)
    if problem:
        raise LoadError(problem, path=path)
    check_not_empty(path)


def _data_file(header: dict, path: str) -> str | None:
    """A detached header's data file, which must be a regular file in the header's own folder: a
    header naming ``../../etc/passwd``, an absolute path or ``/dev/zero`` is refused before
    reading. ``None`` for an attached header."""
    for key in ("data file", "datafile"):
        if key in header:
            name = str(header[key]).strip()
            if name.upper().startswith("LIST") or " " in name:
                raise CorruptFileError("NRRD data file lists are not supported", path=path)
            return os.fspath(file_inside(os.path.dirname(os.path.abspath(path)), name, path,
                                         "data file", CorruptFileError))
    return None


MAX_HEADER_BYTES = 1 << 20
"""A NRRD header is text of a few hundred bytes; one that does not end within 1 MB is refused (a
20 GB file without a line break was read whole as one header line, into 20 GB of memory)."""


def _header_bytes(path: str) -> bytes:
    """The header's bytes, up to and with its first empty line (a detached header may end at the
    end of its file instead)."""
    with open(path, "rb") as handle:
        head = handle.read(MAX_HEADER_BYTES + 1)
    if not head.startswith(b"NRRD"):
        raise CorruptFileError("not a NRRD file (it does not begin with NRRD)", path=path)
    end = head.find(b"\n\n")
    if end >= 0:
        return head[:end + 2]
    if len(head) > MAX_HEADER_BYTES:
        raise CorruptFileError("NRRD header does not end within its first 1 MB (no empty line)",
                               path=path)
    return head


def _header_length(path: str) -> int:
    """Bytes before an attached NRRD's data: up to the first empty line."""
    return len(_header_bytes(path))


def _read_header(path: str) -> tuple[dict, int, tuple]:
    """The header, its data file and declared sizes checked: ``(header, declared voxel bytes,
    (file holding the voxels, their offset, compression))``."""
    import nrrd

    head = _header_bytes(path)
    if re.search(rb"^data file:[ \t]*LIST", head, re.MULTILINE):  # pynrrd: not field: value
        raise CorruptFileError("NRRD data file lists are not supported", path=path)
    try:
        with warnings.catch_warnings():  # numpy's cast warning on a size past 2^63: said below
            warnings.simplefilter("ignore", RuntimeWarning)
            header = nrrd.read_header(io.BytesIO(head))
    except Exception as exc:  # pynrrd raises NRRDError, ValueError, OSError...
        raise CorruptFileError(f"cannot read NRRD header ({_header_reason(head, exc)})",
                               path=path) from None
    data_path = _data_file(header, path)
    itemsize = nrrd_dtype(header, path).itemsize
    encoding = str(header.get("encoding", "raw")).lower()
    compression = COMPRESSIONS.get(encoding, "other")
    try:
        skip = int(header.get("byte skip", 0))
    except (TypeError, ValueError):
        skip = 0
    if skip < -1:   # pynrrd's "Invalid byteskip, allowed values are greater than or equal to -1"
        raise CorruptFileError(f"NRRD header's byte skip {skip} is negative (only -1 is allowed: "
                               "the data end the file; damaged header)", path=path)
    skip = max(0, skip)  # -1: data at the end, a lower bound of 0
    _check_line_skip(header, data_path or path, path)
    # a byte skip counts in the file for raw data, in the inflated bytes for compressed data
    offset = (0 if data_path else _header_length(path)) + (skip if compression is None else 0)
    if header.get("sizes") is None:
        raise CorruptFileError("NRRD header has no sizes", path=path)
    sizes = _written_sizes(head, path)
    nbytes = check_declared_size(path, sizes, itemsize, offset,
                                 "deflate" if compression == "gzip" else compression, data_path)
    header["sizes"] = np.array(sizes)
    return header, nbytes, (data_path or path, offset, compression, skip)


SIZES_LINE = re.compile(rb"^sizes:[ \t]*(.*?)[ \t\r]*$", re.MULTILINE)


def _written_sizes(head: bytes, path: str) -> list[int]:
    """The ``sizes`` as the header writes them: pynrrd reads them through floats, so ``10.5``
    became 10 and 2^63-1 became -2^63 (which then read as a negative size)."""
    found = SIZES_LINE.search(head)
    text = found.group(1).decode("latin-1") if found else ""
    words = text.split()
    if not words or not all(re.fullmatch(r"[+-]?[0-9]+", word) for word in words):
        raise CorruptFileError(f"NRRD sizes must be whole numbers of voxels, not {shown_value(text, 80)}",
                               path=path)
    longest = max(words, key=len)
    if len(longest.lstrip("+-")) > 20:   # past int64; Python's int() stops at 4300 digits
        raise CorruptFileError(f"NRRD sizes hold a number of {len(longest.lstrip('+-'))} digits "
                               "(damaged header)", path=path)
    return [int(word) for word in words]


def _check_line_skip(header: dict, data_path: str, path: str) -> None:
    """A ``line skip`` of more lines than the data file has bytes is damage: pynrrd reads that
    many lines one by one, past the end as empty ones (``line skip: 99999999999`` in a 1 kB file
    kept ``convert`` busy for hours)."""
    value = header.get("line skip", 0)
    try:
        lines = int(value)
    except (TypeError, ValueError):
        raise CorruptFileError(f"NRRD header's line skip {shown_value(value)} is not a number",
                               path=path) from None
    size = os.path.getsize(data_path)
    if not 0 <= lines <= size:
        raise CorruptFileError(f"NRRD header's line skip {lines} is more lines than the "
                               f"{size}-byte data file holds (damaged)", path=path)


def _inflate_voxels(header: dict, source: tuple, nbytes: int, path: str, progress=None,
                    cancel=None) -> np.ndarray:
    """A gzip or bzip2 NRRD's voxels, inflated into one buffer of exactly the declared size: a
    stream holding more (a bomb behind a small header) or less is refused, and never more than
    the declared bytes plus one are inflated. Same array as ``nrrd.read(index_order="F")``."""
    data_path, offset, compression, skip = source
    try:
        with open(data_path, "rb") as raw:
            raw.seek(offset)
            with open_stream(raw, compression) as stream:
                buffer = inflate_exactly(stream, nbytes, path, skip, progress, cancel)
    except OSError as exc:
        raise CorruptFileError(f"cannot read compressed voxel data ({_reason(exc)})",
                               path=path) from None
    sizes = tuple(int(n) for n in header["sizes"])
    return np.frombuffer(buffer, dtype=nrrd_dtype(header, path)).reshape(sizes, order="F")


NOT_A_NUMBER = re.compile(r"could not convert string to \w+: (.*)|invalid literal for \w+\(\) "
                          r"with base \d+: (.*)")
"""Python's words for a header value that is not a number (pynrrd parses fields with float/int)."""
COUNT_DIFFERS = re.compile(r"Size of the data does not equal the product of all the dimensions: "
                           r"(\d+)-(\d+)=")
"""pynrrd's arithmetic for data that hold more or fewer values than the sizes make."""
TOO_MANY_DIGITS = re.compile(r"Exceeds the limit \(\d+ digits\) for integer string conversion.*?"
                             r"value has (\d+) digits")
"""Python's refusal to read a number of over 4300 digits."""


UNQUOTED = re.compile(r"(Unsupported encoding|Invalid endian value in header|Duplicate header "
                      r"field): (.*)")
"""pynrrd's words that end with a header's text as it is (a field's value or name)."""
UNQUOTED_WORDS = {"Unsupported encoding": "its encoding {} is not one NRRD defines",
                  "Invalid endian value in header": "its endian {} is neither little nor big",
                  "Duplicate header field": "its field {} is given twice: damaged header"}
NRRD_FIELDS = frozenset((
    "dimension", "type", "encoding", "endian", "sizes", "spacings", "thicknesses", "axis mins",
    "axismins", "axis maxs", "axismaxs", "centers", "centerings", "labels", "units", "kinds",
    "space", "space dimension", "space units", "space origin", "space directions",
    "measurement frame", "min", "max", "old min", "oldmin", "old max", "oldmax", "content",
    "sample units", "data file", "datafile", "line skip", "lineskip", "byte skip", "byteskip",
    "block size", "blocksize", "number"))
"""The fields the NRRD format defines (teem's nrrd0004 list): a field's name said as it is."""


VECTOR_WORDS = {"Vector should be enclosed by parentheses.": "is not a vector in parentheses",
                "string index out of range": "is not a vector in parentheses",
                "Matrix should have same number of elements in each row":
                    "is not vectors of one length"}
"""pynrrd's words (and Python's, for an empty vector) for a vector or matrix field it cannot parse."""


def _header_reason(head: bytes, exc: Exception) -> str:
    """:func:`_reason`, but a vector or matrix pynrrd cannot parse, or a value that is not a
    number, is said with its field (pynrrd names none: "string index out of range" for an empty
    ``space origin``) and its value only where it looks like one (:func:`shown_value`)."""
    import nrrd

    text = str(exc).splitlines()[0] if str(exc) else ""
    words = VECTOR_WORDS.get(text) or ("is not a number" if NOT_A_NUMBER.search(text) else None)
    if words is None:
        return _reason(exc)
    for line in head.split(b"\n")[1:]:
        if b":" not in line or line.startswith(b"#"):
            continue
        try:
            nrrd.read_header(io.BytesIO(b"NRRD0004\n" + line + b"\n\n"))
        except Exception:  # noqa: BLE001 - the line pynrrd failed on, alone
            field, _, value = line.decode("latin-1").partition(":")
            value = value.lstrip("=").strip()
            return f"its {field.strip()[:40]} {shown_value(value)} {words}: damaged header"
    return _reason(exc)


def _reason(exc: Exception) -> str:
    """pynrrd's reason in words: Python's own messages for a line without ``field: value``
    (``not enough values to unpack``) or a value that is not a number are said as such."""
    text = str(exc).splitlines()[0] if str(exc) else ""
    number = NOT_A_NUMBER.search(text)
    if number:
        return f"{shown_value((number.group(1) or number.group(2)).strip(chr(39)))} is not a number"
    if "values to unpack" in text:
        return "a header line is not 'field: value'"
    said = UNQUOTED.match(text)   # pynrrd's words that end with a header's text, unquoted
    if said:
        words, value = said.groups()
        shown = value if value in NRRD_FIELDS else shown_value(value)
        return UNQUOTED_WORDS[words].format(shown)
    if text.startswith("Invalid NRRD magic line"):   # pynrrd's, for NRRD followed by no number
        return "its first line is not NRRD and a version number: damaged header"
    version = re.match(r"Unsupported NRRD file version \(version: (\d+)\)", text)
    if version:
        return f"NRRD version {version.group(1)}: neuroview reads versions 1 to 5"
    digits = TOO_MANY_DIGITS.search(text)
    if digits:
        return f"a number of {digits.group(1)} digits: damaged header"
    count = COUNT_DIFFERS.search(text)
    if count:
        declared, held = int(count.group(1)), int(count.group(2))
        return (f"the data hold {held} values where the header's sizes make {declared}: "
                f"{'extra data' if held > declared else 'data cut short'} or a damaged header")
    text = without_values(text)   # pynrrd's words can quote a header's value
    return (text if len(text) <= 120 else f"{text[:100]}... ({len(text)} characters)") or "damaged header"


def _geometry(header: dict, path: str) -> tuple[list[int], list[int], np.ndarray, str]:
    """``(spatial axes, other axes, ijk_to_ras, space)`` from a NRRD header; a header whose
    fields disagree (no dimension, fewer sizes or directions than axes, an origin of two values)
    is one line naming the file."""
    try:
        return _header_geometry(header, path)
    except KeyError as exc:
        raise CorruptFileError(f"NRRD header has no {exc.args[0]!r} field", path=path) from None
    except (IndexError, ValueError, TypeError) as exc:
        raise CorruptFileError(f"NRRD header is inconsistent ({_reason(exc)[:120]})",
                               path=path) from None


def _header_geometry(header: dict, path: str) -> tuple[list[int], list[int], np.ndarray, str]:
    dimension = int(header["dimension"])   # checked before a list of that many (2^63: Overflow)
    kinds = [str(k).lower() for k in header.get("kinds", ["domain"] * min(dimension, 16))]
    for axes in (dimension, len(kinds)):
        if len(header["sizes"]) != axes:
            raise CorruptFileError(f"NRRD header gives {len(header['sizes'])} sizes for "
                                   f"{axes} axes", path=path)
    spatial = [n for n, kind in enumerate(kinds) if kind in ("domain", "space")]
    other = [n for n in range(len(kinds)) if n not in spatial]
    if len(spatial) != 3 or len(other) > 1:
        raise CorruptFileError(f"expected 3 spatial axes (+1 optional), got kinds {shown_kinds(kinds)}",
                               path=path)
    directions = header.get("space directions")
    if directions is None:
        spacings = header.get("spacings", [1.0] * len(kinds))
        directions = np.diag([float(spacings[n]) for n in spatial])
    else:
        directions = np.asarray([directions[n] for n in spatial], dtype=float)
    origin = np.asarray(header.get("space origin", np.zeros(3)), dtype=float)
    affine = np.eye(4)
    affine[:3, :3] = np.asarray(directions, dtype=float).T  # rows of 'space directions' are axes
    affine[:3, 3] = origin
    space = str(header.get("space", "left-posterior-superior")).lower()
    with np.errstate(invalid="ignore", over="ignore"):  # inf * 0: check_affine says it, once
        affine = _SPACE_TO_RAS.get(space, LPS_TO_RAS) @ affine
    return spatial, other, check_affine(affine, path), space


def read_nrrd_header(path: str | os.PathLike) -> tuple[tuple[int, ...], np.ndarray, int]:
    """``(shape, ijk_to_ras, declared voxel bytes)`` from the header alone (no voxel data is
    read, sizes checked against the file); the shape lists the spatial axes first, as
    :func:`load_nrrd` orders the array."""
    path = os.fspath(path)
    _check_file(path)
    header, nbytes, _source = _read_header(path)
    spatial, other, affine, _ = _geometry(header, path)
    sizes = [int(n) for n in header["sizes"]]
    return tuple(sizes[n] for n in spatial + other), affine, nbytes


def nrrd_voxel_source(path: str | os.PathLike) -> tuple[dict, int, tuple]:
    """``(header, declared voxel bytes, (file holding the voxels, their offset, compression,
    byte skip))`` of a NRRD, its header and sizes checked, no voxel read (the offset counts the
    byte skip for raw data only: a compressed stream skips it once inflated)."""
    path = os.fspath(path)
    _check_file(path)
    return _read_header(path)


def load_nrrd(path: str | os.PathLike, progress=None, cancel=None) -> Volume:
    """A NRRD's :class:`Volume`, spatial axes first; a 3D CT's padding outside its field of view
    (the image's minimum far below air, on the slices' borders) reads as air, as a CT NIfTI's
    does (:mod:`neuroview.core.ct_padding`), and is written back by ``Volume.file_array``.
    A compressed one reports ``progress`` and hears ``cancel`` as it inflates."""
    import nrrd

    path = os.fspath(path)
    _check_file(path)
    header, nbytes, source = _read_header(path)
    require_voxel_memory(nbytes, path)
    try:
        if source[2] in ("gzip", "bzip2"):  # inflated here, bounded (pynrrd inflates it whole)
            data = _inflate_voxels(header, source, nbytes, path, progress, cancel)
        else:
            data, header = nrrd.read(path, index_order="F")
    except (CorruptFileError, Cancelled):
        raise
    except Exception as exc:  # pynrrd raises NRRDError, ValueError, OSError, zlib errors...
        raise CorruptFileError(f"cannot read NRRD ({_reason(exc)})", path=path) from None
    spatial, other, affine, space = _geometry(header, path)
    data = np.moveaxis(data, spatial + other, list(range(data.ndim)))
    padding = padding_read_as_air(data, affine)   # a CT's -3024 outside its field of view: air
    name = os.path.basename(path)
    metadata = {"format": "NRRD", "space": space}
    segments = slicer_segments(header)   # a 3D Slicer .seg.nrrd: its segments' names and colours
    if segments:
        metadata["segments"] = segments
    return Volume(
        array=data,
        ijk_to_ras=affine,
        description=name.rsplit(".", 1)[0],
        axis4="channel" if data.ndim == 4 else "",
        source_path=path,
        source_metadata=metadata,
        padding=padding,
    )
