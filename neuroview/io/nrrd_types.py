"""The numpy dtype of a NRRD's voxels, from its header's ``type`` and ``endian`` fields.

The type names are the NRRD format's (http://teem.sourceforge.net/nrrd/format.html#type), each
C spelling of the ten scalar types (``block`` aside), as pynrrd reads them (``nrrd.read`` gives
the same dtype: ``tests/io/test_nrrd_types.py``). pynrrd's own mapping is private
(``nrrd.reader._determine_datatype``), so it is written out here from the spec, not called.
"""

from __future__ import annotations

import numpy as np

from ..core.errors import CorruptFileError, shown_value

_SPELLINGS = {
    "i1": ("signed char", "int8", "int8_t"),
    "u1": ("uchar", "unsigned char", "uint8", "uint8_t"),
    "i2": ("short", "short int", "signed short", "signed short int", "int16", "int16_t"),
    "u2": ("ushort", "unsigned short", "unsigned short int", "uint16", "uint16_t"),
    "i4": ("int", "signed int", "int32", "int32_t"),
    "u4": ("uint", "unsigned int", "uint32", "uint32_t"),
    "i8": ("longlong", "long long", "long long int", "signed long long", "signed long long int",
           "int64", "int64_t"),
    "u8": ("ulonglong", "unsigned long long", "unsigned long long int", "uint64", "uint64_t"),
    "f4": ("float",),
    "f8": ("double",),
}
NRRD_TYPES = {name: code for code, names in _SPELLINGS.items() for name in names}
"""NRRD type name -> numpy type code without byte order."""

TEXT_ENCODINGS = ("ascii", "text", "txt")
"""Encodings whose values are written as text: no byte order."""

_ENDIAN = {"little": "<", "big": ">"}


def nrrd_dtype(header: dict, path: str) -> np.dtype:
    """The voxels' dtype; a type the format does not define (or ``block``, which has no numpy
    counterpart), or a multi-byte binary type without a usable ``endian``, is a
    :class:`CorruptFileError` naming ``path``."""
    name = str(header.get("type", ""))
    code = NRRD_TYPES.get(name)
    if code is None:
        said = "block is not supported" if name == "block" else \
            f"{shown_value(name)} is not a NRRD type"
        raise CorruptFileError(f"NRRD type {said}", path=path)
    if np.dtype(code).itemsize == 1 or \
            str(header.get("encoding", "raw")).lower() in TEXT_ENCODINGS:
        return np.dtype(code)
    endian = header.get("endian")
    if endian is None:
        raise CorruptFileError(f"NRRD header has no endian field for its {name} voxels",
                               path=path)
    order = _ENDIAN.get(str(endian))
    if order is None:
        raise CorruptFileError(f"NRRD endian {shown_value(endian)} is neither little nor big",
                               path=path)
    return np.dtype(order + code)


NRRD_KINDS = frozenset((
    "domain", "space", "time", "list", "point", "vector", "covariant-vector", "normal", "stub",
    "scalar", "complex", "2-vector", "3-color", "rgb-color", "hsv-color", "xyz-color", "4-color",
    "rgba-color", "3-vector", "3-gradient", "3-normal", "4-vector", "quaternion",
    "2d-symmetric-matrix", "2d-masked-symmetric-matrix", "2d-matrix", "2d-masked-matrix",
    "3d-symmetric-matrix", "3d-masked-symmetric-matrix", "3d-matrix", "3d-masked-matrix", "none",
    "???"))
"""The axis kinds the format defines (http://teem.sourceforge.net/nrrd/format.html#kinds), lower
case."""


def shown_kinds(kinds: list[str]) -> str:
    """A header's ``kinds`` (lower case) as a message says them: each kind the format defines
    quoted, another word ``(value not shown)`` (a hostile header's kinds can hold a name)."""
    return ", ".join(repr(k) if k in NRRD_KINDS else "(value not shown)" for k in kinds)
