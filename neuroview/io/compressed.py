"""Reading compressed image data with a bound: a small file must not inflate without limit.

A gzip or bzip2 stream can inflate a thousand (deflate) to millions (bzip2) of times its size, and
a header can lie about what follows it. Every compressed path reads with these rules:

- the header is read first, through a bounded read of the stream's first bytes, and what it
  declares (voxel bytes, data offset) is checked against the compressed size and the memory
  available *before* any library reads further (:func:`check_compressed_header`: nibabel would
  otherwise inflate a ``.mgz``'s whole data to reach its footer, or a ``.nii.gz``'s extensions up
  to any ``vox_offset``);
- voxels are inflated into one buffer of exactly the declared size, and reading stops as soon as
  the stream holds more (:func:`inflate_exactly`);
- a deflated DICOM (whose dataset is one deflate stream with no declared size) is inflated once,
  discarding the output, to count its size, and refused when it exceeds the memory available
  (:func:`check_deflated_dicom`), before pydicom inflates it whole.
"""

from __future__ import annotations

import bz2
import gzip
import io
import logging
import math
import os
import struct
import warnings
import zlib
from typing import BinaryIO, Optional

import numpy as np

from ..core.errors import CorruptFileError, LoadError
from ..core.jobs import check, report
from ..core.memory import available_bytes, format_bytes, require_memory
from .gzip_length import cut_stream_error, raise_if_cut_short
from .header_check import check_declared_size, check_dimensions

log = logging.getLogger(__name__)

CHUNK = 1 << 20
"""Inflate 1 MiB at a time: the temporaries of a read stay this small."""
REPORT_BYTES = 8 << 20
"""Loading reports its progress every 8 MiB of voxels, and looks at Cancel every chunk: a
512x512x1000 CT read 25-70 s under load with the bar at 0 and Cancel unheard."""
NIFTI1_SIZE, NIFTI2_SIZE, MGH_SIZE = 348, 540, 284
DEFLATED_UID = b"1.2.840.10008.1.2.1.99"
META_PEEK = 8192
"""A DICOM file meta group (preamble, DICM, group 2) fits in this many bytes."""
MAX_EXTENSION_BYTES = 256 << 20
"""NIfTI header extensions (CIFTI XML, DICOM headers, AFNI attributes) take kilobytes to a few
megabytes; nibabel reads them all into memory before the voxels."""


def peek(path: str, nbytes: int) -> bytes:
    """The first ``nbytes`` inflated bytes of a gzip file (fewer if the stream is shorter)."""
    try:
        with gzip.open(path, "rb") as stream:
            return stream.read(nbytes)
    except (OSError, EOFError, zlib.error):
        return b""  # a broken stream is reported by the reader itself


def nifti_header(head: bytes):
    import nibabel as nib

    for klass, size in ((nib.Nifti1Header, NIFTI1_SIZE), (nib.Nifti2Header, NIFTI2_SIZE)):
        if len(head) < size:
            continue
        if size in (int.from_bytes(head[:4], "little"), int.from_bytes(head[:4], "big")):
            return klass(head[:size], check=False)  # (nibabel guesses the byte order)
    return None


def _mgh_header(head: bytes):
    from nibabel.freesurfer.mghformat import MGHHeader

    if len(head) < MGH_SIZE:
        return None
    fields = np.ndarray((), dtype=MGHHeader._hdrdtype, buffer=head[:MGHHeader._hdrdtype.itemsize])
    code = int(fields["type"])
    if code not in MGHHeader._data_type_codes.value_set():
        return None
    itemsize = int(MGHHeader._data_type_codes.bytespervox[code])
    return tuple(int(n) for n in fields["dims"]), itemsize


def check_compressed_header(path: str, loading: bool = False) -> None:
    """For a ``.nii.gz`` or ``.mgz``: what the header declares (voxel bytes from the data offset,
    extensions up to ``vox_offset``) must fit in the compressed file's bound and, when
    ``loading``, in memory. Read from the first inflated bytes only, before nibabel reads
    anything (a scan that only lists the file warns instead). Headers this cannot parse are left
    to nibabel's own errors."""
    declared = _declared(path)
    if declared is None:
        return
    shape, itemsize, offset = declared
    shape = check_dimensions(shape, path)
    try:
        nbytes = check_declared_size(path, shape, itemsize, offset, "deflate")
    except CorruptFileError:   # more than the file can hold: a stream cut short reads as cut
        cut = cut_stream_error(path, offset + math.prod(shape) * itemsize)
        if cut is not None:
            raise cut from None
        raise   # a whole stream: the header lies
    if loading:
        require_memory(nbytes, path, "the image")


def raise_if_cut(path: str) -> None:
    """For a reader (nibabel) that failed on a ``.nii.gz``/``.mgz``: raise the "file is
    truncated" line when its stream ends within its first bytes (:func:`raise_if_cut_short`) or,
    its header read here, inside a gzip member before what the header declares
    (:func:`cut_stream_error`: a stream cut just past its header read "Cannot work out file
    type"); return otherwise, the caller's own error standing."""
    raise_if_cut_short(path)
    try:
        declared = _declared(path)
    except CorruptFileError:
        return
    if declared is not None and all(n >= 1 for n in declared[0]):
        shape, itemsize, offset = declared
        cut = cut_stream_error(path, offset + math.prod(shape) * itemsize)
        if cut is not None:
            raise cut


def _declared(path: str) -> tuple[tuple[int, ...], int, int] | None:
    """``(shape, itemsize, data offset)`` a ``.nii.gz``/``.mgz`` header declares, None when it
    cannot be parsed here; an offset or extensions no reader should follow raise."""
    lower = path.lower()
    if lower.endswith(".mgz"):
        parsed = _mgh_header(peek(path, MGH_SIZE))
        if parsed is None:
            return None
        shape, itemsize = parsed
        offset = MGH_SIZE
    elif lower.endswith(".nii.gz"):
        head = peek(path, NIFTI2_SIZE + 4)
        header = nifti_header(head)
        if header is None:
            return None
        dims = header["dim"]
        ndim = int(dims[0])
        if not 1 <= ndim <= 7:
            return None  # nibabel names it
        shape = tuple(int(n) for n in dims[1:ndim + 1])
        try:
            itemsize = header.get_data_dtype().itemsize
        except KeyError:
            return None  # a data type code nibabel does not know: nibabel names it
        offset = float(header["vox_offset"])
        if not np.isfinite(offset) or offset < 0:
            raise CorruptFileError(f"header has an invalid data offset ({offset})", path=path)
        offset = int(offset)
        flag = head[len(header.binaryblock):len(header.binaryblock) + 1]
        extensions = offset - len(header.binaryblock) - 4
        if flag not in (b"", b"\0") and extensions > MAX_EXTENSION_BYTES:
            raise CorruptFileError(f"header declares {format_bytes(extensions)} of extensions "
                                   f"before the voxels (vox_offset {offset}), more than the "
                                   f"{format_bytes(MAX_EXTENSION_BYTES)} neuroview reads",
                                   path=path)
    else:
        return None
    return shape, itemsize, offset


def inflate_exactly(stream: BinaryIO, nbytes: int, path: str, skip: int = 0,
                    progress=None, cancel=None) -> bytearray:
    """Exactly ``nbytes`` from a decompressing ``stream`` (after ``skip`` inflated bytes), read
    into one buffer 1 MiB at a time: a stream holding less, or one byte more, is refused without
    inflating further. ``progress`` hears the bytes read every 8 MiB, ``cancel`` (``core.jobs``)
    is looked at every MiB."""
    buffer = bytearray(nbytes)
    view, filled = memoryview(buffer), 0
    text = f"Loading {os.path.basename(path)}"
    report(progress, 0, nbytes, text)
    try:
        while skip > 0:
            count = len(stream.read(min(skip, CHUNK)))
            if not count:
                raise EOFError("the data ends inside the byte skip")
            skip -= count
        while filled < nbytes:
            check(cancel)
            count = stream.readinto(view[filled:filled + CHUNK])
            if not count:
                break
            filled += count
            if filled % REPORT_BYTES < count:
                report(progress, filled, nbytes, text)
        extra = stream.read(1)
    except (OSError, EOFError, ValueError, zlib.error) as exc:
        raise CorruptFileError(f"compressed voxel data is broken or truncated ({stream_words(exc)})",
                               path=path) from None
    if filled != nbytes or extra:
        relation = "less" if filled < nbytes else "more"
        raise CorruptFileError(f"compressed voxel data holds {relation} than the "
                               f"{format_bytes(nbytes)} the header declares", path=path)
    return buffer


def open_stream(raw: BinaryIO, compression: str) -> BinaryIO:
    """A decompressing reader over ``raw`` for ``"gzip"`` or ``"bzip2"`` (multi-member streams
    included)."""
    if compression == "gzip":
        return gzip.GzipFile(fileobj=raw)
    if compression == "bzip2":
        return bz2.BZ2File(raw)
    raise ValueError(f"unknown compression {compression!r}")


def check_deflated_dicom(path: str, limit: Optional[int] = None) -> bool:
    """Refuse a Deflated Explicit VR Little Endian DICOM whose dataset inflates to more than
    ``limit`` (default: half the memory available, as pydicom holds the compressed and the
    inflated bytes at once). Other files return at once. The stream is inflated 1 MiB at a time
    into nothing, stopping as soon as the bound is passed. True for a deflated file within the
    bound (pydicom may inflate it), False for any other file."""
    try:
        with open(path, "rb") as handle:
            return check_deflated_stream(handle, path, limit)
    except OSError:
        return False  # pydicom reports a file it cannot open


def check_deflated_stream(handle: BinaryIO, path: str, limit: Optional[int] = None) -> bool:
    """:func:`check_deflated_dicom` for an open binary file (a file, or a PACS answer held in a
    ``BytesIO``) positioned at its start; ``path`` names it in the error."""
    import pydicom
    from pydicom.filereader import _read_file_meta_info, read_preamble

    try:
        start = handle.tell()
        if DEFLATED_UID not in handle.read(META_PEEK):  # most files: one small read, no parse
            return False
        handle.seek(start)
        if read_preamble(handle, False) is None:
            return False
        syntax = _read_file_meta_info(handle).get("TransferSyntaxUID")
        if syntax != pydicom.uid.DeflatedExplicitVRLittleEndian:
            return False
        if limit is None:
            available = available_bytes()
            limit = available // 2 if available is not None else None
        _count_inflated(handle, limit, path)
        return True
    except LoadError:
        raise
    except Exception:  # noqa: BLE001 - not a readable DICOM meta header: pydicom reports it
        return False


HEAD_BYTES = 4 << 20
"""The dataset's elements before its pixels are looked for in its first 4 MiB inflated."""
AFTER_PIXELS = 16 << 20
"""What a deflated dataset may hold past the pixels its header needs: elements after them
(a signature, padding), a pixel element longer than its frames."""
PIXEL_TAGS = (0x7FE00008, 0x7FE00009, 0x7FE00010)
"""Float, Double Float and (integer) Pixel Data."""


def _count_inflated(handle: BinaryIO, limit: Optional[int], path: str) -> int:
    """Inflate the raw deflate stream after the meta header into nothing, 1 MiB at a time, and
    count it; through ISA-L's inflate where ``isal`` is installed (a dependency): 9x faster than
    zlib's on a bomb of zeros here (1.9 GB in 2.4 s against 22 s at load 7), which is the time a
    user waits before a hostile file is refused. Once the elements before the pixels are
    inflated, the stream may hold no more than those, the pixels Rows x Columns x frames x
    samples x bits need, and 16 MiB (:func:`_pixel_bound`): a bomb stops there, not at the
    memory available."""
    try:
        from isal import isal_zlib as inflate_lib
    except ImportError:  # pragma: no cover - isal is a dependency
        inflate_lib = zlib
    inflater, total = inflate_lib.decompressobj(-zlib.MAX_WBITS), 0
    head, bound = bytearray(), None
    while not inflater.eof:
        data = inflater.unconsumed_tail or handle.read(CHUNK)
        if not data:
            break
        try:
            out = inflater.decompress(data, CHUNK)
        except (zlib.error, inflate_lib.error) as exc:
            raise CorruptFileError(f"deflated DICOM dataset cannot be inflated ({stream_words(exc)}): "
                                   "damaged, or its transfer syntax is not the real one",
                                   path=path) from None
        total += len(out)
        if bound is None and len(head) < HEAD_BYTES:
            head += out[:HEAD_BYTES - len(head)]
            bound = _pixel_bound(bytes(head))
        if bound is not None and total > bound[0]:
            raise CorruptFileError(f"deflated DICOM dataset inflates to more than "
                                   f"{format_bytes(bound[0])}, where {bound[1]}: damaged, or a "
                                   "deflate bomb", path=path)
        if limit is not None and total > limit:
            raise LoadError(f"deflated DICOM dataset inflates to more than {format_bytes(limit)}, "
                            "more than the memory available", path=path,
                            hint="if the file is right, open it on a machine with more memory")
    return total


def _pixel_bound(head: bytes) -> tuple[int, str] | None:
    """``(bytes, what the pixels need in words)``: the most an inflated explicit VR little
    endian dataset starting with ``head`` can hold, when ``head`` reaches the header of its
    pixel element: the elements before it, the bytes its Rows, Columns, frames, samples and bits
    allocated need (none without Rows or Columns: no reader makes pixels of it) and
    :data:`AFTER_PIXELS`. None when ``head`` ends before that element or cannot be parsed (the
    memory bound stands)."""
    from pydicom.filereader import read_dataset

    stream, last = io.BytesIO(head), [0]

    def stop(tag, vr, length) -> bool:
        """At the pixels, or at a tag not after the one before (zeros, noise: not a dataset)."""
        stop_here, last[0] = tag in PIXEL_TAGS or tag <= last[0], tag
        return stop_here

    try:
        with warnings.catch_warnings():  # pydicom's warnings on bytes that are not elements
            warnings.simplefilter("ignore")
            ds = read_dataset(stream, False, True, stop_when=stop)
        at = stream.tell()
        if len(head) < at + 12:
            return None
        group, element = struct.unpack_from("<HH", head, at)
        if group << 16 | element not in PIXEL_TAGS:
            return None
        rows, columns = int(ds.get("Rows") or 0), int(ds.get("Columns") or 0)
        frames = max(1, int(ds.get("NumberOfFrames") or 1))
        samples = max(1, int(ds.get("SamplesPerPixel") or 1))
        bits = max(1, int(ds.get("BitsAllocated") or 16))
    except Exception:  # noqa: BLE001 - elements pydicom cannot parse: the memory bound stands
        return None
    need = math.ceil(rows * columns * frames * samples * bits / 8)
    words = (f"its pixels need {format_bytes(need)} ({rows}x{columns}, {frames} frame"
             f"{'s' if frames > 1 else ''}, {samples} sample{'s' if samples > 1 else ''} of "
             f"{bits} bits)" if rows and columns else "it declares no Rows or Columns (no pixels)")
    return at + 12 + need + AFTER_PIXELS, words


def stream_words(exc: Exception) -> str:
    """What is wrong with a compressed stream, in words: zlib's ``Error -5 while decompressing
    data: incomplete or truncated stream``, isal's ``Error -1 Invalid deflate block found``,
    gzip's ``Compressed file ended before the end-of-stream marker was reached`` are not. Their
    text goes to the log."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    log.info("compressed stream: %s", text)
    low = text.lower()
    if isinstance(exc, EOFError) or "error -5 " in low or "truncated" in low or "ended before" in low:
        return "the stream ends before its end: cut short"
    if "crc" in low or "length check" in low:
        return "its checksum does not match: damaged"
    if "incorrect length" in low:
        return "its length does not match the length its trailer records: damaged"
    if "not a gzipped file" in low or "invalid data stream" in low:
        return "it is not a compressed stream of its kind"
    if isinstance(exc, zlib.error) or "error -" in low or "invalid" in low:
        return "a block of the stream is damaged"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return text
