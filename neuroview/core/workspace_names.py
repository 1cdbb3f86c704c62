"""How messages name a workspace and its files: by the workspace folder's own name (a key made
from the image, naming no patient) and the file's name inside it, never by the absolute path,
which lies in the user's home folder (README, "Security and privacy"). An ``OSError``'s own text
names the absolute path too: :func:`os_reason` keeps its reason only."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from .jsonfile import not_utf8


def shown_path(folder: str | os.PathLike, path: Optional[str | os.PathLike] = None) -> str:
    """``workspace KEY`` for the folder, ``workspace KEY/journal-0.bin`` for a file in it (a file
    elsewhere by its own name only)."""
    folder = Path(folder)
    if path is None or Path(path) == folder:
        return f"workspace {folder.name}"
    try:
        inside = Path(path).relative_to(folder).as_posix()
    except ValueError:
        inside = Path(path).name
    return f"workspace {folder.name}/{inside}"


def os_reason(exc: BaseException) -> str:
    """An error's reason without the path an ``OSError`` names (``Permission denied``), and a
    file that is not UTF-8 said so (Python's ``'utf-8' codec can't decode byte 0xff in position
    23: invalid start byte``)."""
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    if isinstance(exc, UnicodeDecodeError):
        return not_utf8(exc)
    return str(exc)
