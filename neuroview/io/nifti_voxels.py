"""The voxels of an opened NIfTI/MGH image (:func:`neuroview.io.nifti.open_nifti`), read with one
copy of the image in memory: memory-mapped when the file is uncompressed and unscaled, inflated
straight into their array from a ``.nii.gz`` or ``.mgz``, scaled to float32 (:mod:`.nifti_scaling`).
A ``.mgz``'s footer (TR, flip angle, TE, TI, FoV), which lies after its voxels, is read from the
same stream into its header: nibabel reaches it by inflating the whole file once more."""

from __future__ import annotations

import gzip
import os

import numpy as np

from ..core.errors import CorruptFileError
from ..core.jobs import check, report
from .compressed import REPORT_BYTES
from .gzip_trailer import check_trailer, mismatch, trailer_error
from .mgh_footer import FOOTER_LIMIT, footer_problem, footer_words
from .nifti_scaling import scaled_voxels
from .nifti_stream import gzip_voxels_at


def read_voxels(img, path: str, progress=None, cancel=None) -> np.ndarray:
    """The scaled voxel data, memory-mapped when the file is uncompressed and unscaled.
    ``progress(done, total, text)`` while a ``.nii.gz`` or ``.mgz`` inflates (in bytes) or a
    scaled image is scaled (in voxels), and ``cancel`` (``core.jobs``):
    :class:`~neuroview.core.errors.Cancelled` stops either midway."""
    slope, inter = (None, None)
    try:
        slope, inter = img.dataobj.slope, img.dataobj.inter
    except AttributeError:
        pass
    unscaled = slope in (None, 1.0) and inter in (None, 0.0)
    if unscaled and not path.lower().endswith((".gz", ".mgz")):
        return np.asanyarray(img.dataobj)  # memory-mapped by nibabel
    if unscaled:
        array = _read_gzip_into(img, path, progress, cancel)
        return np.asanyarray(img.dataobj) if array is None else array
    # Scaled data: float32 is exact enough for images and half the size of float64, unless the
    # scaled values would pass float32's range (an scl_slope of 1e38: voxels of infinity)
    return scaled_voxels(img, slope, inter, path, progress, cancel)


def _read_gzip_into(img, path: str, progress=None, cancel=None) -> np.ndarray | None:
    """Decompress a ``.nii.gz``'s or ``.mgz``'s voxels straight into their array (nibabel reads
    the whole decompressed bytes first and then copies them: twice the image at the peak, 1 GB
    for a 512x512x1000 CT). Never reads more than the header declares, and a ``.mgz``'s footer
    after it. None where it does not apply."""
    at = gzip_voxels_at(img, path) or _mgz_voxels_at(img, path)
    if at is None:
        return None
    dtype, offset = at
    array = np.empty(img.shape, dtype=dtype, order="F")
    flat = memoryview(array.reshape(-1, order="F")).cast("B")
    text = f"Loading {os.path.basename(path)}"
    with gzip.open(path, "rb") as handle:
        handle.seek(offset)
        done = 0
        report(progress, 0, flat.nbytes, text)
        while done < flat.nbytes:
            check(cancel)
            n = handle.readinto(flat[done:done + (1 << 20)])  # gzip decompresses a read into a
            # bytes object before copying it: 1 MiB at a time bounds that temporary
            if not n:
                raise EOFError(f"the data ends after {done} of {flat.nbytes} bytes")
            done += n
            if done % REPORT_BYTES < n or done == flat.nbytes:
                report(progress, done, flat.nbytes, text)
        if path.lower().endswith(".mgz"):   # its footer: the next bytes of this stream
            _read_mgh_footer(handle, img.header, path)
        check_trailer(handle, path)
    if not dtype.isnative:
        array = array.byteswap(inplace=True).view(dtype.newbyteorder("="))
    return array


def _mgz_voxels_at(img, path: str):
    """``(stored dtype, offset)`` of a ``.mgz``'s voxels (big-endian, right after its header)."""
    from nibabel.freesurfer.mghformat import DATA_OFFSET, MGHImage

    if not (isinstance(img, MGHImage) and path.lower().endswith(".mgz")):
        return None
    return img.header.get_data_dtype(), DATA_OFFSET


def _read_mgh_footer(handle, header, path: str) -> None:
    """Set ``header``'s scan parameters (``tr`` in ms, ``flip_angle``, ``te``, ``ti``, ``fov``)
    from the bytes that follow the voxels in ``handle``, as ``nib.load`` reads them; left at 0
    where the file ends sooner. A stream whose gzip trailer does not match what it held is
    damaged, voxels included (:mod:`.gzip_trailer`; until session 41 it was read
    as whole)."""
    import zlib

    from nibabel.freesurfer.mghformat import footer_dtype

    try:
        block = handle.read(FOOTER_LIMIT + 1)
    except (OSError, EOFError, zlib.error) as exc:
        if mismatch(exc):   # voxels included: the stream is damaged
            raise trailer_error(exc, path) from None
        return
    problem = footer_problem(block[:FOOTER_LIMIT], len(block) <= FOOTER_LIMIT)
    if problem:
        extra = len(block) if len(block) <= FOOTER_LIMIT else f"over {FOOTER_LIMIT}"
        raise CorruptFileError(footer_words(problem, extra, header.get_data_shape()), path=path)
    block = block[:footer_dtype.itemsize]
    block += bytes(footer_dtype.itemsize - len(block))
    fields = np.frombuffer(block, dtype=footer_dtype)[0]
    for name in footer_dtype.names:
        header[name] = fields[name]


def complex_note(dtype, path: str) -> str:
    """The load note of an image of voxels of ``dtype`` that :func:`complex_as_magnitude` reads
    as their magnitude (``""`` for real ones): said by ``neuroview info`` and ``convert`` from the
    header, and in the window's notice bar."""
    dtype = np.dtype(dtype)
    if dtype.kind != "c":
        return ""
    return f"{os.path.basename(path)}: complex voxels ({dtype}): read as their magnitude"


def complex_as_magnitude(data: np.ndarray, path: str) -> tuple[np.ndarray, str]:
    """A complex image (a reconstruction's output saved as complex64) as its magnitude, the
    picture ITK-SNAP shows first for one, with the load note that says so (``""`` when the voxels
    are real). Every view and tool had cast it to float and shown the real part alone, with only
    a ComplexWarning on the console."""
    note = complex_note(data.dtype, path)
    return (np.abs(data) if note else data), note
