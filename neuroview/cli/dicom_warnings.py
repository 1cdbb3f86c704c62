"""pydicom's warnings and log lines without the values they quote.

pydicom says what it finds odd with the value itself: ``Invalid value for VR DA: '2026'.`` for a
birth date, ``Invalid value for VR UI: '1.2.840...'`` for a UID, and it says it twice, as a Python
warning (printed on the terminal) and on its ``pydicom`` logger (in any log a program or its user
sets up). Neither names the file or the attribute, so the line helped no one and could identify a
patient. :func:`install` (called by the ``neuroview`` command, the window's too, before any verb)
rewrites both: the file's name (or ``DICOM data`` for a query answer), the attribute's keyword,
pydicom's words with every quoted value left out::

    neuroview: IM0001.dcm: PatientBirthDate: Invalid value for VR DA (value not shown)

(on the terminal; a log record reads the same without ``neuroview:``)

highdicom's warnings are rewritten alike (they quote the names they check). Nothing here imports
pydicom: the warning's own stack says which element and which file it was about.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings

from ..core.errors import without_values

LIBRARIES = ("pydicom", "highdicom")
_installed: dict = {}


def _from_library(frame) -> bool:
    """Whether a frame of the current stack (from ``frame`` outwards) runs pydicom or highdicom."""
    while frame is not None:
        if frame.f_globals.get("__name__", "").split(".")[0] in LIBRARIES:
            return True
        frame = frame.f_back
    return False


def _about(frame) -> tuple[str, str]:
    """(file name, attribute keyword) the warning raised below ``frame`` is about, from the
    pydicom objects on the stack: a data element (raw or not) and the dataset read from a file."""
    dataset = sys.modules.get("pydicom.dataset")
    datadict = sys.modules.get("pydicom.datadict")
    keyword = name = ""
    while frame is not None and not (keyword and name):
        for value in frame.f_locals.values():
            tag = getattr(value, "tag", None) if type(value).__name__ in (
                "DataElement", "RawDataElement") else None
            if not keyword and tag is not None and datadict is not None:
                keyword = datadict.keyword_for_tag(tag) or f"({tag >> 16:04X},{tag & 0xFFFF:04X})"
            if not name and dataset is not None and isinstance(value, dataset.Dataset):
                filename = value.__dict__.get("filename")
                if isinstance(filename, (str, os.PathLike)):
                    name = os.path.basename(os.fspath(filename))
        frame = frame.f_back
    return name, keyword


def private_line(text: str, frame) -> str:
    """What is said of a pydicom or highdicom warning ``text`` raised below ``frame``."""
    name, keyword = _about(frame)
    return ": ".join(part for part in (name or "DICOM data", keyword, without_values(text)) if part)


def _showwarning(message, category, filename, lineno, file=None, line=None):
    frame = sys._getframe(1)
    if _from_library(frame):
        stream = file if file is not None else sys.stderr
        if stream is not None:
            try:
                stream.write(f"neuroview: {private_line(message, frame)}\n")
            except (OSError, ValueError):   # a closed or missing terminal
                pass
        return
    _installed["showwarning"](message, category, filename, lineno, file, line)


def _record(*args, **kwargs) -> logging.LogRecord:
    """A log record as the factory before makes it; one of a ``pydicom`` or ``highdicom`` logger
    (``pydicom.pixels.utils``...) rewritten as :func:`private_line`."""
    record = _installed["record"](*args, **kwargs)
    if record.name.split(".")[0] in LIBRARIES:
        record.msg, record.args = private_line(record.getMessage(), sys._getframe(1)), None
    return record


def install() -> None:
    """Rewrite pydicom's and highdicom's warnings and log records from now on, in this process
    (again: nothing more). Their loggers are many and made as their modules load: the records
    are rewritten as they are made (``logging.setLogRecordFactory``), whoever handles them."""
    if warnings.showwarning is not _showwarning:
        _installed["showwarning"] = warnings.showwarning
        warnings.showwarning = _showwarning
    if logging.getLogRecordFactory() is not _record:
        _installed["record"] = logging.getLogRecordFactory()
        logging.setLogRecordFactory(_record)
