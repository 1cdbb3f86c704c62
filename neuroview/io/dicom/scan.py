"""Read DICOM headers once into one :class:`FrameRef` per image frame (:mod:`.headers` reads
many files at a time).

Each file is read as its differences from a file of the same run read before
(:mod:`.templates`), else by neuroview's own header reader (:mod:`.quick_read`) where it applies,
else by ``pydicom.dcmread(defer_size=...)``; either way the pixel data stays on disk, and
:mod:`.dataset_frames` makes the parsed file's frames. A frame keeps the values the grouping
needs and, for uncompressed little-endian pixels, where they lie in the file (``pixel_layout``):
the loader (:mod:`.load`) reads those straight into the volume. A pydicom
dataset stays with the frames in the process that parsed it; otherwise the file is parsed by
pydicom only if its dataset is needed (compressed pixels, a mosaic's private tags). The values
themselves are converted by :mod:`.fields`.
"""

from __future__ import annotations

import logging
import os
import re
import struct
import zlib
from typing import Optional

from ...core.errors import (
    CorruptFileError,
    LoadError,
    NoImageFoundError,
    UnsupportedFormatError,
    plain_reason,
)
from ...core.plural import plural
from ..compressed import check_deflated_dicom
from ..header_check import check_not_empty
from . import templates
from .changed import identity
from .codecs import ensure_pydicom
from .cut_short import ends_inside_pixel_data, read_with_delimiter
from .cut_short import note as delimiter_note
from .dataset_frames import frames_of_dataset
from .fields import (
    header_value,
)
from .no_meta import looks_like_dataset_without_meta, name_syntax, read_forced
from .quick_read import quick_read
from .refs import DEFER_SIZE, FileScan, FrameRef, element_past_end

log = logging.getLogger(__name__)

__all__ = ["FileScan", "FrameRef", "read_file"]

DICOMDIR_SOP_CLASS = "1.2.840.10008.1.3.10"


def read_file(path: str, cache: Optional[dict] = None) -> FileScan:
    """Parse one file into frame references, or say why it holds no image: as its differences
    from a file of the same run read before (:mod:`.templates`), else with neuroview's own
    header reader where it applies (:mod:`.quick_read`), else with pydicom."""
    try:
        like = templates.read_like_template(path)
        if like is not None:
            return frames_of_dataset(like.ds, path, like.size, cache, like.groups, like.stamp)
    except Exception:  # noqa: BLE001 - as below: the file is read in full
        pass
    quick = quick_read(path)
    if quick is not None:
        try:
            info = os.stat(path)
            size = info.st_size
            scan = frames_of_dataset(quick, path, size, cache, stamp=identity(info))
        except Exception:  # noqa: BLE001 - anything unexpected: pydicom reads the file
            pass
        else:
            if scan.frames:
                templates.remember(quick, path, size, scan.frames[0].n_frames_in_file)
            return scan
    try:
        return read_with_pydicom(path, cache)
    except Exception as exc:  # noqa: BLE001 - one damaged file must not end the folder's scan
        return FileScan(error=CorruptFileError(f"DICOM file is damaged ({damage_reason(exc)})",
                                               path=path))


def read_with_pydicom(path: str, cache: Optional[dict] = None) -> FileScan:
    """:func:`read_file` by pydicom alone."""
    ensure_pydicom()
    import pydicom
    from pydicom.errors import BytesLengthException, InvalidDicomError

    try:
        try:
            check_not_empty(path)
        except CorruptFileError as exc:
            return FileScan(error=exc)
        info = os.stat(path)
        size = info.st_size
        try:
            # pydicom inflates a deflated dataset whole (checked against a bound first) and
            # reads it from memory: nothing can be left on disk at a file offset
            deflated = check_deflated_dicom(path)
            ds = name_syntax(pydicom.dcmread(path, defer_size=None if deflated else DEFER_SIZE))
        except LoadError as exc:
            return FileScan(error=exc)
        except InvalidDicomError:
            with open(path, "rb") as handle:
                head = handle.read(8)
            if not looks_like_dataset_without_meta(head):
                return FileScan(note=f"{path}: not a DICOM file")
            ds = read_forced(path, defer_size=DEFER_SIZE)
    except (EOFError, OSError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            NotImplementedError, UnicodeError, OverflowError, struct.error,
            RecursionError, BytesLengthException, zlib.error) as exc:
        # pydicom raises a zoo of exceptions on damaged files; all mean "cannot parse".
        if isinstance(exc, EOFError):
            return FileScan(error=CorruptFileError("DICOM file is truncated", path=path))
        if isinstance(exc, struct.error):  # an element's tag, VR or length cut short at the end
            return FileScan(error=CorruptFileError("DICOM file is truncated (it ends inside an "
                                                   "element's header)", path=path))
        if isinstance(exc, BytesLengthException) and (damage := meta_group_length_damage(path)):
            return FileScan(error=CorruptFileError(f"DICOM file is damaged ({damage})", path=path))
        if isinstance(exc, RecursionError):  # its text depends on where the stack ran out
            return FileScan(error=CorruptFileError("DICOM file is damaged (sequences nested too "
                                                   "deeply to read)", path=path))
        return FileScan(error=CorruptFileError(f"DICOM file is damaged ({damage_reason(exc)})",
                                               path=path))
    if not ds.keys() and (damage := meta_group_length_damage(path)):
        return FileScan(error=CorruptFileError(f"DICOM file is damaged ({damage})", path=path))
    cut_short = ""
    if not ds.keys() and (whole := read_with_delimiter(path, force=True)) is not None:
        ds, cut_short = name_syntax(whole), delimiter_note(path)
    if not ds.keys():
        if ends_inside_pixel_data(path):
            return FileScan(error=CorruptFileError(
                "DICOM file is truncated (it ends inside its compressed pixel data)", path=path))
        return FileScan(error=CorruptFileError(
            "DICOM file holds no readable data elements (truncated or damaged)", path=path))
    if problem := element_past_end(ds, size):
        return FileScan(error=CorruptFileError(problem, path=path))
    meta = getattr(ds, "file_meta", None)
    sop_class = str(header_value(ds, "SOPClassUID", cache)
                    or (meta.get("MediaStorageSOPClassUID", "") if meta else ""))
    if sop_class == DICOMDIR_SOP_CLASS or "DirectoryRecordSequence" in ds:
        from .dicomdir import referenced_files

        try:
            files, refused, damage = referenced_files(ds, path)
        except CorruptFileError as exc:
            return FileScan(error=exc)
        note = (f"{path}: {plural(len(refused), 'file')} not read (listed outside the "
                f"DICOMDIR's folder, or not a regular file; e.g. {refused[0]})") if refused else ""
        return FileScan(dicomdir_files=files, note="; ".join(filter(None, (damage, note))))
    scan = frames_of_dataset(ds, path, size, cache, stamp=identity(info))
    if cut_short and scan.frames:
        scan.note = cut_short
    return scan


def single_file_error(path: str, scan: FileScan) -> Exception:
    """The error for a file the user named on its own that holds no loadable image."""
    if scan.error is not None:
        return scan.error
    if "not a DICOM file" in scan.note:
        from ..archives import archive_problem
        from ..metaimage import header_naming

        header = header_naming(path)
        return UnsupportedFormatError(
            archive_problem(path) or (f"the voxels of the MetaImage {header}: open {header}"
                                      if header else "not a DICOM, NIfTI, MGH, NRRD or MetaImage file"),
            path=path)
    reason = scan.note.split(": ", 1)[-1] if scan.note else "no image in this file"
    return NoImageFoundError(reason, path=path)


def damage_reason(exc: BaseException) -> str:
    """Why pydicom could not parse a file, in words: no exception class (it led the reason, as
    ``error: Error -5 while decompressing data``, zlib's class), no Python internals."""
    if isinstance(exc, zlib.error):   # zlib's words in the log: Error -5 ... truncated stream
        log.info("%s", exc)
        if "Error -5 " in str(exc):   # Z_BUF_ERROR: the stream ends before its end
            return "its deflated dataset is cut short"
        return "its deflated dataset is damaged: not a deflate stream zlib can read"
    if _raised_in_charset(exc):   # Python's codecs.lookup: "embedded null character"
        return "its Specific Character Set names no character set: its length or value is damaged"
    uneven = UNEVEN_LENGTH.search(str(exc))
    if uneven:   # pydicom's "Expected total bytes to be an even multiple of bytes per value..."
        count, size = int(uneven.group(1)), struct.calcsize("<" + uneven.group(2))
        return (f"an element of {count} bytes holds numbers of {size} bytes each: its length is "
                "damaged")
    return plain_reason(exc) or "its elements cannot be parsed"


META_GROUP_LENGTH = b"DICM\x02\x00\x00\x00UL"
"""The prefix and the file meta group length's tag and VR, where every Part 10 file has them."""


def meta_group_length_damage(path: str) -> str:
    """Why the file's meta group length (0002,0000) is damaged, or "": its 2-byte length field
    says other than the 4 bytes of its one number. Such an element swallows the file's next
    bytes, up to the whole dataset: pydicom raised on them when their count is no multiple of 4
    and read them as numbers, leaving an empty dataset, when it is, so the same damage was said
    two ways by the file's size (a random UID's length chose which in a test)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(140)   # preamble, prefix, tag, VR, length
    except OSError:
        return ""
    if head[128:138] != META_GROUP_LENGTH or len(head) < 140:
        return ""
    length = int.from_bytes(head[138:140], "little")
    return "" if length == 4 else (f"its file meta group length (0002,0000) declares {length} "
                                   "bytes where 4 belong: its length is damaged")


def _raised_in_charset(exc: BaseException) -> bool:
    """Whether pydicom raised ``exc`` looking up the file's character set by the name it gives."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and frames[-1].filename.endswith(os.path.join("pydicom", "charset.py"))


UNEVEN_LENGTH = re.compile(r"even multiple of bytes per value\. Instead received bytes with length "
                           r"(\d+) and struct format '(\w)'")
