"""A few axial slices of a 3D NRRD, read without reading the rest: what the CT guess of ``info``
and the series chooser judges (``io.modality_guess``), as a NIfTI's is judged by 16 slices.

A NRRD stores its voxels with the first axis fastest, so a slice along the last axis is one run
of bytes: raw data is read by seeking to each slice; gzip or bzip2 data is inflated in order up
to the centre slice (where the anatomy is), the slices before it kept only where sampled, so
half the file is inflated and about one slice held beside the sample.
"""

from __future__ import annotations

import os

import numpy as np

from ..core.errors import CorruptFileError
from .compressed import open_stream
from .nrrd import nrrd_voxel_source
from .nrrd_types import TEXT_ENCODINGS, nrrd_dtype

CHUNK = 1 << 20


def sampled_nrrd_slices(path: str | os.PathLike, count: int) -> np.ndarray | None:
    """Up to ``count`` slices of a 3D NRRD (raw, gzip or bzip2), evenly spaced along its last
    axis (a compressed file's from its first half, up to the centre), as ``[i, j, n]`` values;
    ``None`` for a file whose voxels cannot be reached so (text encodings, a ``line skip``, not
    three axes): the caller reads it whole. A file shorter than its header declares is a
    :class:`CorruptFileError` naming it."""
    path = os.fspath(path)
    header, nbytes, (data_path, offset, compression, skip) = nrrd_voxel_source(path)
    sizes = [int(n) for n in header["sizes"]]
    encoding = str(header.get("encoding", "raw")).lower()
    if len(sizes) != 3 or encoding in TEXT_ENCODINGS or compression == "other" \
            or str(header.get("line skip", 0)).strip() not in ("0", ""):
        return None
    dtype = nrrd_dtype(header, path)
    per_slice = sizes[0] * sizes[1] * dtype.itemsize
    if compression is None:
        if str(header.get("byte skip", 0)).strip() == "-1":   # the voxels end the data file
            offset = os.path.getsize(data_path) - nbytes
        picks = np.unique(np.linspace(0, sizes[2] - 1, min(sizes[2], count)).round().astype(int))
        slices = _raw_slices(data_path, offset, per_slice, picks, path)
    else:
        end = sizes[2] // 2 + 1
        picks = np.arange(end - 1, -1, -max(1, -(-end // count)))[::-1]
        slices = _inflated_slices(data_path, offset, compression, skip, per_slice, picks, path)
    out = np.empty((sizes[0], sizes[1], len(picks)), dtype=dtype, order="F")
    for n, raw in enumerate(slices):
        out[:, :, n] = np.frombuffer(raw, dtype=dtype).reshape(sizes[:2], order="F")
    return out


def _raw_slices(data_path: str, offset: int, per_slice: int, picks, path: str) -> list[bytes]:
    out = []
    with open(data_path, "rb") as handle:
        for k in picks:
            handle.seek(offset + int(k) * per_slice)
            out.append(_exactly(handle, per_slice, path))
    return out


def _inflated_slices(data_path: str, offset: int, compression: str, skip: int, per_slice: int,
                     picks, path: str) -> list[bytes]:
    wanted = {int(k) for k in picks}
    out = []
    with open(data_path, "rb") as raw:
        raw.seek(offset)
        with open_stream(raw, compression) as stream:
            _discard(stream, skip, path)
            for k in range(max(wanted) + 1):
                if k in wanted:
                    out.append(_exactly(stream, per_slice, path))
                else:
                    _discard(stream, per_slice, path)
    return out


def _discard(stream, nbytes: int, path: str) -> None:
    while nbytes > 0:
        nbytes -= len(_exactly(stream, min(nbytes, CHUNK), path))


def _exactly(stream, nbytes: int, path: str) -> bytes:
    """``nbytes`` from ``stream`` (a read may return fewer: a decompressor's does)."""
    parts, left = [], nbytes
    while left > 0:
        part = stream.read(left)
        if not part:
            raise CorruptFileError("NRRD voxel data ends before the slices its header declares",
                                   path=path)
        parts.append(part)
        left -= len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)
