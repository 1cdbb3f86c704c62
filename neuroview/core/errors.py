"""One hierarchy for every error neuroview raises on purpose.

Each message names the file (when there is one), says what was wrong and, where it helps, what to
do. The CLI prints ``str(error)`` on one line and exits non-zero; the GUI shows it in its message
bar. Nothing here imports Qt, VTK or torch.
"""

from __future__ import annotations

import os
import re
import sys

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def printable(text: str) -> str:
    """``text`` with control characters and undecodable file-name bytes written as escapes
    (``\\n``, ``\\x1b``, ``\\xe9``), as ``ls -b`` shows names: a file name or header value
    holding a line break, a terminal escape sequence or Latin-1 bytes stays one printable line
    (a name's line break made two lines of one message, an escape sequence could clear the
    terminal or fake a line, and a Latin-1 byte ended ``info`` in a UnicodeEncodeError)."""
    return _UNPRINTABLE.sub(_escaped, text)


class NeuroviewError(Exception):
    """Base class. ``path`` is the file or folder the problem is about, if any."""

    def __init__(self, message: str, path: str | os.PathLike | None = None, hint: str = ""):
        self.message = message
        self.path = os.fspath(path) if path is not None else None
        self.hint = hint
        super().__init__(str(self))

    def __reduce__(self):
        # pickled with its fields (a DICOM scan sends its errors back from worker processes)
        return (self.__class__, (self.message, self.path, self.hint))

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}" if self.path else self.message
        if self.hint:
            text += f" ({self.hint})"
        return printable(text)


class LoadError(NeuroviewError):
    """A file or folder could not be read as an image."""


class UnsupportedFormatError(LoadError):
    """The path is not in any format neuroview reads."""


class CorruptFileError(LoadError):
    """The file is in a known format but its content is broken or truncated."""


class DicomError(LoadError):
    """A DICOM file or series cannot be turned into a volume."""


class ChangedSinceScanError(DicomError):
    """A file of the series was cut, replaced or rewritten since the folder was scanned: the
    folder has to be scanned again."""


class NoImageFoundError(LoadError):
    """A folder or file holds nothing neuroview can show as an image."""


class SaveError(NeuroviewError):
    """A file could not be written."""


class GeometryError(NeuroviewError):
    """Affines, shapes or grids do not fit together (e.g. a mask of the wrong size)."""


class LabelMapError(NeuroviewError):
    """A label map is invalid (float values, wrong shape, unknown segment)."""


class ToolError(NeuroviewError):
    """An editing tool was given parameters it cannot work with."""


class ToolOptionError(ToolError, ValueError):
    """A tool's option set to a value it does not take (``Session.set_params``): an unknown
    option, a choice not offered, a number out of range or not a number."""


class ModelError(NeuroviewError):
    """A model package or weights file is missing, corrupt or does not fit the input."""


class OutsideDomainError(ModelError):
    """A model was asked to run on an image outside what its card says it was made for (a knee
    for a head model, a CT for an MR model): refused unless the user says to run it anyway
    (``neuroview segment --allow-domain-mismatch``, the dialogs' *Run anyway*)."""

    NOT_RUN = ": not run on it"
    """How each such refusal ends (``ai.domain``)."""


class CodeConsentError(ModelError):
    """A model file would run its own code and the user has not consented to that file."""


class DatasetError(NeuroviewError):
    """A training-set folder is missing, inconsistent or would receive invalid data."""


class Cancelled(NeuroviewError):
    """Long work was cancelled by the user; not an error to report loudly."""

    def __init__(self, message: str = "cancelled", path=None, hint: str = ""):
        super().__init__(message, path, hint)


_QUOTED = re.compile(r"""\s*(:\s*)?('[^']*'|"[^"]*")""")


_VALUE_QUOTED = re.compile(r"""\b(value(?: of| is)?|interpretation)\s+('[^']*'|"[^"]*")""",
                           re.IGNORECASE)


def values_left_out(text: str) -> str:
    """``text`` with each value pydicom's decoders quote as one said ``(not shown)``: ``Unknown
    (0028,0004) 'Photometric Interpretation' value 'Doe^Jane'`` is ``... value (not shown)``; the
    names they quote (``GDCM does not support 'JPEG Extended'``) and the rest are kept."""
    return _VALUE_QUOTED.sub(r"\1 (not shown)", text)


def without_values(text: str) -> str:
    """A library's first sentence with every quoted value left out: ``could not convert string
    to float: 'Doe^Jane'`` (a DS holding a name) is ``could not convert string to float (value not
    shown)``; pydicom's and highdicom's words quote a header's value, which can be a patient's
    name, birth date or ID. What follows the first sentence (a link to the standard) is left out."""
    first = (str(text).strip().splitlines() or [""])[0]
    words = re.sub(r"\s+([.,;:])", r"\1", _QUOTED.sub("", first)).strip()
    words = re.split(r"\.\s", words, maxsplit=1)[0].rstrip(" .:;,")
    return f"{words} (value not shown)".strip() if _QUOTED.search(first) else words


def shown_uid(value) -> str:
    """A UID as a message quotes it: as it is when it is one (digits and dots), else ``not a UID,
    value not shown``: a damaged or hostile header's UID element can hold a patient's name."""
    text = str(value).strip()
    return text if re.fullmatch(r"[0-9.]{1,64}", text) else "not a UID, value not shown"


def shown_value(value, limit: int = 40) -> str:
    """A header field's value as a message quotes it: as it is, quoted, when it is written with
    what numbers and vectors are (digits, signs, points, parentheses, commas), the first ``limit``
    characters of a longer one; else ``(value not shown)``: a damaged or hostile NRRD or MetaImage
    header's field can hold a patient's name, as a DICOM header's number element can."""
    text = str(value).strip()
    if not re.fullmatch(r"[-+0-9.eE(),\s]*", text):
        return "(value not shown)"
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}... ({len(text)} characters)"


def private_reason(exc: BaseException, limit: int | None = None) -> str:
    """:func:`first_line` of an exception whose text reaches a user or a log, without the values a
    library quotes in it (:func:`without_values`): neuroview's own errors, an ``OSError`` (it
    quotes a file's path, named short where shown) and Python's errors about the code (a type's or
    an argument's name quoted) are as they are; a ``ValueError`` or ``KeyError`` quotes a value."""
    if isinstance(exc, (NeuroviewError, OSError, TypeError, AttributeError, NameError, ImportError)):
        return first_line(exc, limit)   # these quote a path, a type, a name in the code
    datadict = sys.modules.get("pydicom.datadict")
    if isinstance(exc, KeyError) and type(exc.args[0]).__name__ == "BaseTag" and datadict:
        return f"it has no {_keyword(exc.args[0])}"   # pydicom's KeyError: (0020,9056)
    text = without_values(str(exc))   # a KeyError's text is its key, quoted: a value, maybe
    text = "value not shown" if text.startswith("(") else text or type(exc).__name__
    keyword = element_keyword(exc.__traceback__)
    return (f"{keyword}: {text}" if keyword and keyword not in text else text)[:limit]


def element_keyword(tb) -> str:
    """The keyword of the DICOM element (pydicom's ``DataElement`` or ``RawDataElement``) that the
    innermost frame of traceback ``tb`` holding one was reading, as ``NumberOfFrames`` or
    ``(0011,1010)`` for a private one; ``""`` for none. pydicom itself is not imported here."""
    if "pydicom.datadict" not in sys.modules:
        return ""
    frames = []
    while tb is not None:   # pydicom's and highdicom's frames only: reading a frame's f_locals
        # keeps its locals, and a Qt override's (an active QPainter) freed later crashed
        if tb.tb_frame.f_globals.get("__name__", "").split(".")[0] in ("pydicom", "highdicom"):
            frames.append(tb.tb_frame)
        tb = tb.tb_next
    for frame in reversed(frames):
        for value in frame.f_locals.values():
            if type(value).__name__ in ("DataElement", "RawDataElement"):
                return _keyword(value.tag)
    return ""


def _keyword(tag: int) -> str:
    """A DICOM tag's keyword (pydicom's dictionary, loaded by then), ``(0011,1010)`` for none."""
    return sys.modules["pydicom.datadict"].keyword_for_tag(tag) or f"({tag >> 16:04X},{tag & 0xFFFF:04X})"


def first_line(exc: BaseException, limit: int | None = None) -> str:
    """The first line of an exception's text (its type's name when it has none), cut at
    ``limit`` characters: libraries raise texts of many lines, a user's message is one."""
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:limit]


PYTHON_INTERNAL = re.compile(r"NoneType|object has no attribute|object is not \w+|Traceback|"
                             r"positional argument|unexpected keyword|index out of range|"
                             r"object at 0x|^'[^']*'$")
"""Python's own words for a bug in a library (``'NoneType' object has no attribute 'encode'``,
``list index out of range``; a KeyError's text is the bare key): no reason a user can act on."""


def plain_reason(exc: BaseException, limit: int = 160) -> str:
    """An exception's first line as a reason for a user, without its class name or the values it
    quotes (:func:`private_reason`); ``""`` when it is empty or Python's words for a library's bug
    (:data:`PYTHON_INTERNAL`)."""
    text = (str(exc).strip().splitlines() or [""])[0][:limit]
    if PYTHON_INTERNAL.search(text) or isinstance(exc, (AttributeError, TypeError)):
        return ""
    return private_reason(exc, limit)


_KIND_WORDS = ((NoImageFoundError, "no image found"),
               (CorruptFileError, "a damaged file, or not an image"),
               (UnsupportedFormatError, "not a format neuroview reads"),
               (ChangedSinceScanError, "a file was changed or removed since the folder was scanned"),
               (DicomError, "its DICOM files make no image"),
               (LoadError, "it could not be read"))


def short_reason(exc: BaseException) -> str:
    """Why something could not be opened, in a few words with no path in them (a status bar's
    line; a file or folder may bear the patient's name): the error's message when it names no
    file, else what its kind says. ``str(exc)`` (in the message bar) keeps the whole story."""
    if isinstance(exc, MemoryError):
        return "not enough memory"
    if not isinstance(exc, NeuroviewError):
        return f"internal error ({type(exc).__name__})"
    lines = exc.message.strip().splitlines()
    if len(lines) == 1 and not any(mark in lines[0] for mark in ("/", "\\")) and len(lines[0]) <= 60:
        return lines[0]
    return next((words for kind, words in _KIND_WORDS if isinstance(exc, kind)),
                "it could not be opened")
