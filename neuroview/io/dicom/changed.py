"""Whether a file of a series changed between the folder's scan and the read of its pixels (cut
short by a copy still running, replaced by a sync), said as such: the decoders' reasons for what
they then find (``the Explicit VR Little Endian data are damaged: not a stream a decoder can
read``) blame a file that was whole when scanned.

Asked only once reading a file's pixels failed: a series that reads costs nothing more.
"""

from __future__ import annotations

import os
import warnings

RESCAN = "open the folder again"
REPLACED = "DICOM file was replaced since the folder was scanned"
GONE = "DICOM file is gone since the folder was scanned (moved or deleted)"


def changed_since_scan(ref) -> str:
    """What happened to the file of ``ref`` (a :class:`.refs.FrameRef`) since the scan, or ""
    where nothing is seen to have: its size differs from the scan's, or its SOPInstanceUID is no
    longer the one scanned."""
    try:
        now = os.stat(ref.path).st_size
    except FileNotFoundError:
        return GONE
    except OSError:
        return ""
    then = ref.header.size
    if then is not None and now < then:
        return (f"DICOM file was cut short since the folder was scanned ({now} of its {then} "
                "bytes are left)")
    if then is not None and now != then:
        return f"DICOM file changed since the folder was scanned ({then} bytes then, {now} now)"
    if ref.sop_uid and _sop_uid(ref.path) != ref.sop_uid:
        return f"{REPLACED} (it is not the image scanned)"
    return ""


def identity(info: os.stat_result) -> tuple[int, int, int, int]:
    """What tells a file from the one a scan read: its size, modification and change times and
    inode (a copy over it changes the times; one moved into its place, the inode)."""
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


def _sop_uid(path: str) -> str:
    """The file's SOPInstanceUID as read now ("" where there is none to read)."""
    import pydicom

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds = pydicom.dcmread(path, stop_before_pixels=True, force=True,
                                 specific_tags=["SOPInstanceUID"])
        return str(ds.get("SOPInstanceUID", "") or "")
    except Exception:  # noqa: BLE001 - pydicom's zoo: the file is no longer the one scanned
        return ""
