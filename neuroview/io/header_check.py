"""What a scan can check without reading voxels: the sizes and geometry a header declares.

A header may lie: dimensions of zero, negative or absurd sizes, more voxel bytes than the file
holds, a data offset past its end, NaN or singular affines, a gzip stream that would have to
inflate more than deflate ever can. These checks compare the header with the file's size and
raise :class:`CorruptFileError` naming the file, so ``neuroview info`` never lists such a file as
valid and ``convert`` never reaches a ``MemoryError`` or ``OverflowError``.
"""

from __future__ import annotations

import errno
import math
import os
import struct
from typing import Optional, Sequence

import numpy as np

from ..core.errors import CorruptFileError, first_line
from ..core.memory import available_bytes, format_byte_pair, format_bytes, require_memory


def path_problem(path) -> str:
    """Why ``path`` cannot be opened at all (``""`` when it can be looked at): a name that is
    not there, a symbolic link to nothing, a loop of symbolic links (``os.path.exists`` says
    False for those too, which read "no such file"), or another failure of the system."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return "is a symbolic link to nothing" if os.path.islink(path) else "no such file or folder"
    except OSError as exc:  # a loop of symbolic links, a name too long, a folder not readable
        return ("is a loop of symbolic links" if exc.errno == errno.ELOOP
                else f"cannot be read ({exc.strerror or type(exc).__name__})")
    return ""


def check_regular_file(path) -> None:
    """Not a pipe, device or socket: opening a named pipe waits for a writer for ever, and a
    device never ends (``/dev/zero``)."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise CorruptFileError("file not found (a link to nothing?)", path=path) from None
    except OSError as exc:  # a loop of symbolic links, a name too long, a failing disk
        reason = ("is a loop of symbolic links" if exc.errno == errno.ELOOP
                  else f"cannot be read ({exc.strerror or type(exc).__name__})")
        raise CorruptFileError(reason, path=path) from None
    if not stat.S_ISREG(mode):
        kind = ("a named pipe" if stat.S_ISFIFO(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a socket" if stat.S_ISSOCK(mode) else "not a file")
        raise CorruptFileError(f"is {kind}, not an image file", path=path)


def check_not_empty(path) -> None:
    """A regular file (:func:`check_regular_file`) of at least one byte."""
    check_regular_file(path)
    if os.path.getsize(path) == 0:
        raise CorruptFileError("file is empty (0 bytes)", path=path)


MAX_DIMENSION = 1 << 20
"""No axis of a medical image is a million voxels long."""
MAX_DEFLATE_RATIO = 1032
"""deflate (gzip, zlib) never inflates more than about 1032 bytes per compressed byte."""


def check_dimensions(shape: Sequence[int], path) -> tuple[int, ...]:
    shape = tuple(int(n) for n in shape)
    if not shape or any(n < 1 for n in shape):
        raise CorruptFileError(f"header declares dimensions {shape}: each must be at least 1",
                               path=path)
    if any(n > MAX_DIMENSION for n in shape):
        raise CorruptFileError(f"header declares absurd dimensions {shape}", path=path)
    return shape


NIFTI_DIMS = {348: ("h", 40), 540: ("q", 16)}
"""Header size -> the type and byte offset of ``dim[8]``: NIfTI-1 and Analyze, NIfTI-2."""


def check_nifti_dim_count(head: bytes, path) -> None:
    """A NIfTI or Analyze header's ``dim[0]`` (the number of dimensions) must be 1 to 7. The
    header's size field gives its byte order; nibabel instead takes a ``dim[0]`` outside 1..7 as
    the sign of the other byte order and reads the header swapped, to fail on some other field
    (``vox offset 0 too low``). Other files (an MGH, a header too short) return at once."""
    for order in "<>":
        if len(head) >= 4 and struct.unpack(order + "i", head[:4])[0] in NIFTI_DIMS:
            kind, at = NIFTI_DIMS[struct.unpack(order + "i", head[:4])[0]]
            if len(head) < at + 8:
                return
            count = struct.unpack_from(order + kind, head, at)[0]
            if not 1 <= count <= 7:
                raise CorruptFileError(f"header's dim[0] (the number of dimensions) is {count}, "
                                       "outside 1 to 7 (damaged header)", path=path)
            return


def check_nifti_numbers(head: bytes, path) -> None:
    """The float fields of a NIfTI/Analyze header that nibabel cannot read past when NaN or
    infinite: ``vox_offset`` (nibabel: ``cannot convert float NaN to integer``), ``scl_inter``
    beside a usable ``scl_slope`` (``Valid slope but invalid intercept nan``) and, with a qform,
    ``quatern_b/c/d`` (``w2 should be positive``). Named here, as a user knows them. A NaN slope
    is read unscaled, a NaN spacing or offset is said as a non-finite qform/sform, TR and
    cal_min/max are not used for geometry: those are left to the later checks."""
    import nibabel as nib

    for order in "<>":
        if len(head) < 4 or struct.unpack(order + "i", head[:4])[0] not in NIFTI_DIMS:
            continue
        size = struct.unpack(order + "i", head[:4])[0]
        if size == 540:
            kind = nib.Nifti2Header
        elif head[344:347] in (b"n+1", b"ni1"):
            kind = nib.Nifti1Header
        else:
            kind = nib.AnalyzeHeader
        dtype = kind.template_dtype.newbyteorder(order)
        if len(head) < dtype.itemsize:
            return
        fields = np.ndarray((), dtype=dtype, buffer=head[:dtype.itemsize])
        names = ["vox_offset"]
        if "scl_slope" in dtype.names and np.isfinite(fields["scl_slope"]) and fields["scl_slope"]:
            names.append("scl_inter")
        if "qform_code" in dtype.names and fields["qform_code"] > 0:
            names += ["quatern_b", "quatern_c", "quatern_d"]
        for name in names:
            value = float(fields[name])
            if not math.isfinite(value):
                what = "not a number" if math.isnan(value) else "infinite"
                raise CorruptFileError(f"{name} is {what} (damaged header)", path=path)
        check_single_file_offset(head, size, float(fields["vox_offset"]), path)
        return


def check_single_file_offset(head: bytes, size: int, offset: float, path) -> None:
    """A single-file NIfTI (``n+1``, ``n+2``) whose ``vox_offset`` puts the voxels inside its
    header (0 means right after it, as nibabel reads it): nibabel's was ``invalid header (vox
    offset -352 too low for single file nifti1)``, or ``header has an invalid data offset
    (-352.0)`` for a ``.nii.gz``."""
    single = head[344:347] == b"n+1" if size == 348 else head[4:7] == b"n+2"
    first = size + 4   # the header and the 4 bytes of the extension flag
    if single and offset != 0 and offset < first:
        raise CorruptFileError(f"header puts the voxels at byte {offset:g}, before the end of "
                               f"its {first}-byte header (damaged header)", path=path)


def check_declared_size(path, shape: Sequence[int], itemsize: int, data_offset: int = 0,
                        compression: Optional[str] = None, data_path=None) -> int:
    """Declared voxel bytes, after checking them against the file that holds them.

    ``compression``: ``None`` (raw bytes from ``data_offset``), ``"deflate"`` (gzip/zlib: a
    bound on the ratio), anything else (no size bound). ``data_path``: the file holding the
    voxels when it is not ``path`` (a detached header).
    """
    shape = check_dimensions(shape, path)
    nbytes = math.prod(shape) * int(itemsize)
    size = os.path.getsize(data_path or path)
    if compression is None:
        if data_offset > size:
            raise CorruptFileError(f"header puts the voxels at byte {data_offset}, past the end "
                                   f"of the file ({size} bytes)", path=path)
        if data_offset + nbytes > size:
            declared, held = format_byte_pair(nbytes, size - data_offset)
            raise CorruptFileError(
                f"file is truncated: the header declares {declared} of voxels "
                f"({'x'.join(map(str, shape))}), the file holds {held}", path=path)
    elif compression == "deflate" and data_offset > MAX_DEFLATE_RATIO * size:
        # vox_offset 1e30 in a .nii.gz: nibabel's seek failed, "cannot fit 'int' into an
        # offset-sized integer"
        raise CorruptFileError(f"header puts the voxels at byte {data_offset}, past what a "
                               f"{format_bytes(size)} compressed file can hold (damaged header)",
                               path=path)
    elif compression == "deflate" and nbytes > MAX_DEFLATE_RATIO * size:
        raise CorruptFileError(
            f"header declares {format_bytes(nbytes)} of voxels ({'x'.join(map(str, shape))}), "
            f"more than a {format_bytes(size)} compressed file can hold (truncated or lying header)",
            path=path)
    return nbytes


MAX_AFFINE_MM = 1e6
"""No voxel side or origin of an image of a body reaches a kilometre: a value beyond it is damage
(a NIfTI-2 affine of 1e300 passed, and writing it as NIfTI-1's float32 failed inside nibabel)."""


def check_affine(affine, path, what: str = "affine") -> np.ndarray:
    affine = np.asarray(affine, dtype=float)
    if affine.shape != (4, 4) or not np.all(np.isfinite(affine)):
        raise CorruptFileError(f"header has a non-finite {what} (NaN or infinity)", path=path)
    if np.abs(affine).max() > MAX_AFFINE_MM:
        raise CorruptFileError(f"header's {what} holds a value of {np.abs(affine).max():.3g} mm "
                               f"(over {MAX_AFFINE_MM:g} mm: damaged)", path=path)
    if abs(np.linalg.det(affine[:3, :3])) < 1e-12:
        raise CorruptFileError(f"header has a singular {what} (zero voxel size or collinear axes)",
                               path=path)
    return affine


def require_voxel_memory(nbytes: int, path) -> None:
    """The voxels must fit in memory before they are read or decompressed."""
    require_memory(nbytes, path, "the image")


def memory_warnings(nbytes: int) -> list[str]:
    """For ``neuroview info``: a warning when the declared voxels would not fit in memory now."""
    available = available_bytes()
    if available is not None and nbytes > available:
        return [f"needs {format_bytes(nbytes)} of memory to load, only {format_bytes(available)} "
                "is available"]
    return []


def header_words(exc, path: str) -> str:
    """nibabel's refusal of a file with no image header, in words, without the path it repeats
    (the message names the file once): ``File PATH is not a gzip file`` and ``Cannot work out
    file type of "PATH"`` (a PNG or a text file under an image's name)."""
    text = first_line(exc)
    if "is not a gzip file" in text:
        return "not gzip-compressed, though its name ends in .gz"
    if text.startswith("Cannot work out file type"):
        return "no NIfTI-1, NIfTI-2 or MGH header at its start"
    return text.replace(path, os.path.basename(path))
