"""Telling an archive (zip, tar, gzipped tar) from an image by its first bytes, so that a study
handed over packed is refused with what to do, not as "not a DICOM, NIfTI, MGH or NRRD file".
neuroview never unpacks one itself: a zip's names may point outside the folder it is unpacked in,
and its members may inflate past the disk."""

from __future__ import annotations

import gzip
import os
import zlib

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
TAR_MAGIC_AT = 257


def archive_kind(path: str | os.PathLike) -> str:
    """``"zip archive"``, ``"tar archive"``, ``"gzipped tar archive"`` or '' (not one, or
    unreadable): the first 512 bytes, after gzip's for the last, tell."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(512)
    except OSError:
        return ""
    if head.startswith(ZIP_MAGICS):
        return "zip archive"
    if _is_tar(head):
        return "tar archive"
    if head.startswith(b"\x1f\x8b"):
        try:
            with gzip.open(path, "rb") as handle:
                inner = handle.read(512)
        except (OSError, EOFError, zlib.error):
            return ""
        if _is_tar(inner):
            return "gzipped tar archive"
    return ""


def _is_tar(block: bytes) -> bool:
    return block[TAR_MAGIC_AT:TAR_MAGIC_AT + 5] == b"ustar"


def archive_problem(path: str | os.PathLike) -> str:
    """The one line's text for an archive given as an image, or ''."""
    kind = archive_kind(path)
    return f"a {kind}, not an image: unpack it and open the folder it holds" if kind else ""
