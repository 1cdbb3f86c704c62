"""JSON files that may come from anywhere (a model card, a dataset's dataset.json, a segment
sidecar): read within bounds, every way they can be wrong a ``ValueError`` of one line.

``json.loads`` of ``[[[[...`` raises ``RecursionError``, not ``ValueError``; a named pipe waits
for a writer for ever; a file of gigabytes is read whole. None of these is a JSON file a user
meant to give.
"""

from __future__ import annotations

import json
import os
import stat

from .errors import first_line

MAX_JSON_BYTES = 64 << 20
"""The largest JSON file neuroview reads from outside: 65,535 segments take some 13 MB."""


def read_json_text(path: str | os.PathLike, max_bytes: int = MAX_JSON_BYTES) -> str:
    """The file's text. ``OSError`` when it cannot be opened (missing: ``FileNotFoundError``),
    ``ValueError`` when it is not a regular file, is larger than ``max_bytes`` or not UTF-8."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("it is not a regular file (a named pipe, device or folder)")
    if info.st_size > max_bytes:
        raise ValueError(f"it is {info.st_size / (1 << 20):.0f} MB, more than such a file holds "
                         f"(at most {max_bytes >> 20} MB)")
    with open(path, "rb") as handle:
        # the size it has, not the bound: read(64 MB) sets 64 MB aside for a 1 kB file
        data = handle.read(min(info.st_size, max_bytes) + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:   # Python's "'utf-8' codec can't decode byte 0xff in ..."
        raise ValueError(not_utf8(exc)) from None


def not_utf8(exc: UnicodeDecodeError) -> str:
    """Bytes that are not UTF-8, said as a user can look for them."""
    if exc.start < len(exc.object):
        return f"not UTF-8 text: byte 0x{exc.object[exc.start]:02x} at offset {exc.start}"
    return f"not UTF-8 text: it ends inside a character at offset {exc.start}"


EXPECTED = {"Expecting value": "a value", "Expecting ',' delimiter": "a ',' or a closing bracket",
            "Expecting ':' delimiter": "a ':'",
            "Expecting property name enclosed in double quotes": "a name in double quotes"}
"""What the json module's "Expecting ..." found missing, in words."""
FOUND = {"Extra data": "more text after the JSON's end",
         "Unterminated string starting at": "a string that is never closed",
         "Invalid control character at": "a control character (a line break or tab) in a string",
         "Invalid \\escape": "a backslash escape JSON does not know",
         "Invalid \\uXXXX escape": "a \\u escape that is not 4 hex digits"}
"""Other faults the json module names, in words."""


class CutShort(ValueError):
    """A JSON text that ends before its value does: empty, or cut short (a write killed half-way
    by a program that does not write atomically, or an older neuroview)."""


def cut_short(exc: json.JSONDecodeError) -> bool:
    """Whether the fault of a JSON text is that it ends too soon (an unclosed string runs to its end)."""
    return not exc.doc[exc.pos:].strip() or exc.msg.startswith("Unterminated string")


def json_words(exc: json.JSONDecodeError) -> str:
    """Where and what a JSON text's fault is, as a user would look for it: ``a value is missing
    at line 1, column 51`` or ``it ends at line 1, column 51, where a value belongs: cut short?``
    (the json module's was ``Expecting value: line 1 column 51 (char 50)``)."""
    if not exc.doc.strip():   # a file emptied by a crash or a full disk
        return "it is empty"
    where = f"line {exc.lineno}, column {exc.colno}"
    if exc.msg in EXPECTED:
        if not exc.doc[exc.pos:].strip():
            return f"it ends at {where}, where {EXPECTED[exc.msg]} belongs: cut short?"
        return f"{EXPECTED[exc.msg]} is missing at {where}"
    return f"{FOUND.get(exc.msg, exc.msg)} at {where}"


def parse_json(text: str):
    """``json.loads``, with nesting too deep to parse a ``ValueError`` too, and its faults said
    in words (:func:`json_words`): :class:`CutShort` for a text that ends too soon."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("it is nested too deeply to read") from None
    except json.JSONDecodeError as exc:
        raise (CutShort if cut_short(exc) else ValueError)(json_words(exc)) from None


def read_json(path: str | os.PathLike, max_bytes: int = MAX_JSON_BYTES):
    """:func:`parse_json` of :func:`read_json_text`."""
    return parse_json(read_json_text(path, max_bytes))


def said_json(value, limit: int = 40) -> str:
    """A JSON value as an error line quotes it: at most ``limit`` characters, with the length of
    the rest said (a 5000-character value was printed whole)."""
    text = json.dumps(value)
    return text if len(text) <= limit else f"{text[:limit - 10]}... ({len(text)} characters)"


def read_json_object(path, error: type, name: str = "") -> dict:
    """:func:`read_json` of a file that must hold one JSON object; what it cannot be read as is an
    ``error`` naming the file (``name``: how the line calls it, by default the file's name)."""
    name = name or os.path.basename(path)
    try:
        data = read_json(path)
    except (OSError, ValueError) as exc:
        raise error(f"cannot read {name} ({first_line(exc, 200)})", path=path) from None
    if not isinstance(data, dict):
        raise error(f"{name} is not a JSON object", path=path)
    return data
