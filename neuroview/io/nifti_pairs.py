"""NIfTI/Analyze 7.5 pairs: a ``.hdr`` header and its ``.img`` voxels, named by either file. The
voxels must be a regular file beside the header, as for every file another file leads to; a folder
scan lists the pair once, by its header."""

from __future__ import annotations

import os

from ..core.errors import CorruptFileError, LoadError
from ..core.safepath import file_inside


def _sibling(path: str, suffix: str) -> str:
    """``path`` with its 4-character suffix replaced by ``suffix`` in the case the folder has
    (``scan.HDR`` beside ``scan.IMG``); the lower-case name when neither exists."""
    stem = path[:-4]
    for candidate in (stem + suffix, stem + suffix.upper()):
        if os.path.lexists(candidate):
            return candidate
    return stem + suffix


def pair_files(path: str | os.PathLike) -> tuple[str, str] | None:
    """``(header, voxels)`` of a NIfTI/Analyze pair named by its ``.hdr`` or ``.img``; None for
    single-file formats. The voxels must be a regular file beside the header (no link out of
    the folder, no device): else :class:`CorruptFileError` naming the header."""
    path = os.fspath(path)
    lower = path.lower()
    if not lower.endswith((".hdr", ".img")):
        return None
    header = path if lower.endswith(".hdr") else _sibling(path, ".hdr")
    if not os.path.exists(header):
        raise LoadError(f"an Analyze/NIfTI .img is read with its header, and "
                        f"{os.path.basename(header)} is not beside it", path=path)
    folder, name = os.path.dirname(os.path.abspath(header)), os.path.basename(_sibling(header, ".img"))
    file_inside(folder, name, header, what="image file (.img)", error=CorruptFileError)
    matrix = matrix_file(header)  # nibabel's SPM reader also opens a .mat beside the pair
    if os.path.lexists(matrix):
        file_inside(folder, os.path.basename(matrix), header, what="SPM orientation file (.mat)",
                    error=CorruptFileError)
    return header, os.path.join(os.path.dirname(header), name)


def matrix_file(header: str) -> str:
    """SPM's orientation file beside the pair's ``header`` (``scan.mat``, or ``scan.MAT`` when
    only that exists), whether or not it exists."""
    return _sibling(header, ".mat")


def is_pair_voxels(path: str | os.PathLike) -> bool:
    """An ``.img`` whose ``.hdr`` is beside it (a folder scan lists the pair once, by its header)."""
    path = os.fspath(path)
    return path.lower().endswith(".img") and os.path.exists(_sibling(path, ".hdr"))
