"""Paths found anywhere in a message and named by file and folder (no Qt, no app): the finder
behind the notices' and the logs' names for files (``app.error_paths.short_error`` names them as
the saved-file notices do, beside the image or under ``~``); a log record of a lower layer names
them ``NAME in …/FOLDER`` (:func:`named_in_folder`), never by the whole path (a folder such as
``/home/ana/cases/doe_john`` names a patient)::

    paths_named("pump fault in /data/cases/doe_john/head.nii.gz")
    # 'pump fault in head.nii.gz in …/doe_john'

Every absolute path in the text is found, in one pass (a name said is never read again as a path):
in quotes (``'/a b/c.nii'``, ``"C:\\Users\\ana\\c.nii"``, as an ``OSError`` or a ``Path``'s repr
prints it; the quotes go), a ``file://`` URL, a Windows drive or UNC path, and a bare POSIX path:
one that starts a message or follows ``": "`` runs to the next ``": "`` (``PATH: problem``,
``core.errors.NeuroviewError``'s form, spaces and all), another to the next white space (a space
inside it is taken when the next word goes on with a ``/``: ``/tmp/nv home/pacs``), a sentence's
full stop or bracket left after it. Until session 39 a path was found only before ``": "`` or
quoted after it: ``pump fault in /home/ana/cases/doe/head.nii.gz`` went to the notice bar and the
log whole.
"""

from __future__ import annotations

import ntpath
import os
import re
import traceback
from typing import Callable, Optional
from urllib.parse import unquote, urlsplit

from .errors import NeuroviewError, without_values

_AFTER = r"(?<![^\s(\[{=,;<>'\"])"
"""A path starts the text or follows white space, a bracket, ``=``, ``,``, ``;``, ``<``, ``>`` or a
quote (a URL's ``//`` follows a colon, a fraction's ``/`` a digit: neither is taken)."""

_BEGIN = r"(?:/|[A-Za-z]:[\\/](?![\\/])|\\\\|file://)"
"""How an absolute path (or a ``file://`` URL) begins. (``~/...`` is not taken: it is how a
name said short reads, ``in ~/cases``.)"""

_CHARS = r"[^\s'\"<>|]"
_WORD_ON = r"(?: [^\s/\\'\"<>|]+[\\/]" + _CHARS + r"*)*"
"""Words after a space that go on with a ``/`` or ``\\`` belong to the path (``nv home/pacs``)."""

_FOUND = re.compile(
    _AFTER + r"(?:'(?P<single>" + _BEGIN + r"[^'\n]*)'"
    r"|\"(?P<double>" + _BEGIN + r"[^\"\n]*)\""
    r"|(?P<url>file://" + _CHARS + r"+)"
    r"|(?:(?<=^)|(?<=: ))(?P<colon>/(?:(?! /)(?!: )[^\n])*)(?=: )"
    r"|(?P<bare>(?:/" + _CHARS + r"*/|[A-Za-z]:[\\/](?![\\/])|\\\\" + _CHARS + r"+\\)"
    + _CHARS + r"*" + _WORD_ON + r"))", re.MULTILINE)

_TAIL = re.compile(r"[.,;:!?)\]}]+$")
"""What ends a sentence or a bracket after a bare path, left in the text."""


def named_in_folder(path: str) -> str:
    """A POSIX path as a log names it: ``NAME in …/FOLDER`` (``in /`` at the root)."""
    path = os.path.abspath(path)
    name, parent = os.path.basename(path), os.path.basename(os.path.dirname(path))
    return f"{name} in {os.sep}" if not parent else f"{name} in …{os.sep}{parent}"


def paths_named(text: str, name: Optional[Callable[[str], str]] = None) -> str:
    """``text`` with each path in it said by ``name`` (a POSIX path; :func:`named_in_folder` when
    None), a Windows one as ``NAME in …\\FOLDER``."""
    name = name or named_in_folder

    def named(match: re.Match) -> str:
        quoted = match.group("single") or match.group("double")
        if quoted is not None:
            return _short(quoted, name)
        colon = match.group("colon")
        if colon is not None:               # (one '/' alone: no folder, not taken)
            return _short(colon, name) if colon.count("/") > 1 else colon
        found = match.group("url") or match.group("bare")
        tail = _TAIL.search(found)
        tail = tail.group(0) if tail else ""
        while tail.startswith(")") and found.count("(") > found.count(")") - tail.count(")"):
            tail = tail[1:]                     # file(1).nii's own bracket
        path = found[:len(found) - len(tail)]
        if path.count("/") + path.count("\\") < 2:
            return found                        # '/' alone or 'C:\' is no file
        return _short(path, name) + tail
    return _FOUND.sub(named, text)


def _short(path: str, name: Callable[[str], str]) -> str:
    if path.startswith("file://"):
        path = unquote(urlsplit(path).path)
        if re.match(r"/[A-Za-z]:/", path):      # file:///C:/Users/...
            path = path[1:]
    if re.match(r"[A-Za-z]:[\\/]|\\\\", path):   # a Windows path, on any system
        path = path.rstrip("\\/")
        file, folder = ntpath.basename(path), ntpath.dirname(path)
        parent = ntpath.basename(folder)
        return f"{file} in {folder}" if not parent else f"{file} in …\\{parent}"
    return name(path.rstrip("/") or "/")


def _shown(each: traceback.TracebackException, message: str) -> str:
    """An exception's message as a log keeps it: a library's without the values it quotes
    (``errors.private_reason``), neuroview's own and an ``OSError`` as they are."""
    kind = each.exc_type
    if kind is None or issubclass(kind, (NeuroviewError, OSError)) or not str(each).strip():
        return message
    return f"{kind.__qualname__}: {without_values(str(each))}\n"


def logged_traceback(error: BaseException) -> str:
    """``error``'s traceback as the log keeps it, the lines of each exception's message (and of
    the exceptions it was raised from) with their paths named short; the frames (neuroview's own
    code files) as Python prints them."""
    whole = traceback.TracebackException.from_exception(error)
    text = "".join(whole.format())
    seen, todo = set(), [whole]
    while todo:
        each = todo.pop()
        if id(each) in seen:
            continue
        seen.add(id(each))
        message = "".join(each.format_exception_only())
        text = text.replace(message, paths_named(_shown(each, message)))
        todo += [x for x in (each.__cause__, each.__context__) if x is not None]
    return text.rstrip("\n")
