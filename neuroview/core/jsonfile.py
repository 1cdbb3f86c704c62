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
        return handle.read(min(info.st_size, max_bytes) + 1).decode("utf-8")


def parse_json(text: str):
    """``json.loads``, with nesting too deep to parse a ``ValueError`` too."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("it is nested too deeply to read") from None


def read_json(path: str | os.PathLike, max_bytes: int = MAX_JSON_BYTES):
    """:func:`parse_json` of :func:`read_json_text`."""
    return parse_json(read_json_text(path, max_bytes))
