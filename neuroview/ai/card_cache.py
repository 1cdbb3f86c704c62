"""The registry's model cards, read once per version of their file.

Building a main window listed the registry three times (the AI click picker's default, its label
and its promptable models), each reading and checking every card (about 0.3 ms of CPU a card);
every window of a process did it again. A card is read again only when its file changed (its
modification time, size or inode): a model added, removed, replaced or edited is seen at the next
listing. A card that could not be read gives the same error until its file changes.
"""

from __future__ import annotations

import copy
import os
import threading
from pathlib import Path

from ..core.errors import ModelError
from .api import CARD_FILE, ModelCard
from .package import read_card

_LOCK = threading.Lock()
_CARDS: dict[Path, dict[str, tuple[tuple, ModelCard | ModelError]]] = {}
"""folder -> package name -> (its card file's signature, the card or the error reading it)."""


def _signature(card_path: Path) -> tuple | None:
    try:
        info = os.stat(card_path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino, info.st_ctime_ns


def folder_cards(folder: Path) -> list[tuple[Path, ModelCard | ModelError]]:
    """``(package, card or error)`` for each package of ``folder`` with a card, by name (hidden
    folders left out). Each card is a copy: a caller may set its fields; its dicts and lists are
    the cached card's, not to be changed in place."""
    known = _CARDS.get(folder, {})
    now: dict[str, tuple[tuple, ModelCard | ModelError]] = {}
    out = []
    for package in sorted(folder.iterdir()):
        if package.name.startswith("."):
            continue
        signature = _signature(package / CARD_FILE)
        if signature is None:
            continue
        cached = known.get(package.name)
        if cached is None or cached[0] != signature:
            try:
                cached = (signature, read_card(package))
            except ModelError as exc:
                cached = (signature, exc)
        now[package.name] = cached
        card = cached[1]
        out.append((package, card if isinstance(card, ModelError) else copy.copy(card)))
    with _LOCK:
        _CARDS[folder] = now   # the packages gone since are forgotten
    return out
