"""nibabel's reasons for refusing a NIfTI or MGH header, put as the field they are about with its
value: ``Unknown MGH format version``, ``data code 99 not recognized``, ``EOL check not 0 or 13,
10, 26, 10; data may be corrupted by EOL conversion``, ``magic string '' is not valid`` and a bare
``KeyError: 99`` reached users as the reason (``bench/fuzz_readers.py``, session 39)."""

from __future__ import annotations

import gzip
import re
import struct
import zlib

HEAD = 548
DATA_CODE = re.compile(r"data code (-?\d+) not recognized")
MAGIC = re.compile(r"magic string (.*) is not valid")
EOL = (13, 10, 26, 10)
MGH_TYPES = "0 (uint8), 1 (int32), 3 (float32), 4 (int16) or 10 (uint16)"
"""nibabel's ``mghformat.data_type_codes``."""


def header_head(path: str) -> bytes:
    """The first bytes of the file's header, inflated for a ``.gz`` or ``.mgz``."""
    try:
        if path.lower().endswith((".gz", ".mgz")):
            with gzip.open(path, "rb") as stream:
                return stream.read(HEAD)
        with open(path, "rb") as handle:
            return handle.read(HEAD)
    except (OSError, EOFError, zlib.error):
        return b""


def _nifti_layout(head: bytes):
    """(NIfTI version, byte order) from ``sizeof_hdr``, or (None, "")."""
    for order in "<>":
        if len(head) >= 4:
            size = struct.unpack_from(order + "i", head)[0]
            if size in (348, 540):
                return (1 if size == 348 else 2), order
    return None, ""


def nibabel_words(text: str, path: str) -> str:
    """``text`` (nibabel's reason, one line) in words naming the field, where it is one of those
    nibabel gives; else ""."""
    head = header_head(path)
    if text == "Unknown MGH format version" and len(head) >= 4:
        version = struct.unpack_from(">i", head)[0]
        return f"MGH header's version field is {version}, not 1 (damaged header, or not an MGH file)"
    version, order = _nifti_layout(head)
    code = DATA_CODE.search(text)
    if code and version:
        return (f"NIfTI header's datatype field is {code[1]}, not a type NIfTI defines "
                "(damaged header)")
    if text.startswith("EOL check") and version == 2 and len(head) >= 12:
        found = " ".join(str(b) for b in head[8:12])
        return (f"NIfTI-2 header's line-end check bytes (8-11) are {found}, not "
                f"{' '.join(map(str, EOL))}: the file went through a transfer that changes line "
                "ends, and its voxels may be damaged")
    magic = MAGIC.search(text)
    if magic and version:
        wanted = "'n+1' or 'ni1'" if version == 1 else "'n+2' or 'ni2'"
        return f"NIfTI-{version} header's magic field is {magic[1]}, not {wanted} (damaged header)"
    return ""


def mgh_type_words(code) -> str:
    """The reason for an MGH ``type`` field nibabel has no data type for (a bare ``KeyError``)."""
    return f"MGH header's type field is {code}, not {MGH_TYPES} (damaged header)"
