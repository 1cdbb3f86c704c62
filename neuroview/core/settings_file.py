"""Settings neuroview keeps for the user in its data folder (the recent-files list, the last
dataset, the last save folder, ...): one that cannot be read is said once, in one line naming the
file, what was wrong and what neuroview does instead, and is kept aside as ``NAME.bad`` (the next
write would have replaced it). They fell back to their defaults in silence: a user's recent list
was gone without a word.

They are written atomically (:func:`write_setting`); a write killed half-way leaves a temporary
beside the file (``.views.k2j4x8ab.json``), which the next write deletes once it is an hour old.

The line goes to whoever listens (:func:`listen`): the command line prints it, the window shows
it in its notice bar; lines said before a window listens wait for it (and are logged as warnings).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from pathlib import Path
from typing import Callable, Iterator, Optional

from .atomic import write_text_atomic
from .commit import stale_temporaries
from .file_lock import exclusive_lock
from .jsonfile import read_json, read_json_text
from .named_paths import paths_named
from .workspace_names import os_reason

log = logging.getLogger("neuroview.settings")
_lock = threading.Lock()
_waiting: list[str] = []
_listener: Optional[Callable[[str], None]] = None
_said: set[str] = set()


def listen(listener: Optional[Callable[[str], None]]) -> list[str]:
    """Send each line from now on to ``listener`` (None: keep them waiting); returns the lines said
    before, not yet taken."""
    global _listener
    with _lock:
        _listener = listener
        waiting = list(_waiting)
        _waiting.clear()
    return waiting


def say_broken(path: str | os.PathLike, problem: str, instead: str) -> str:
    """Say once that the settings file ``path`` cannot be used (``problem``), what neuroview does
    ``instead``, and keep the file aside as ``NAME.bad`` (a ``NAME.bad`` of before replaced)."""
    path = Path(path)
    aside = path.with_name(path.name + ".bad")
    try:
        os.replace(path, aside)
        kept = f"the file kept as {aside.name}"
    except FileNotFoundError:
        kept = ""
    except OSError as exc:
        kept = f"the file left as it is ({os_reason(exc)})"
    line = "; ".join(part for part in (f"{path}: {problem}", instead, kept) if part)
    with _lock:
        if line in _said:   # left in place (a read-only folder): said once, not at every read
            return line
        if kept.startswith("the file left"):   # set aside, it is not read again: a file damaged
            _said.add(line)                     # again later is said again
        listener = _listener
        if listener is None:
            _waiting.append(line)
    if listener is None:   # no window or command listens (yet): Python prints a warning
        log.warning(paths_named(line))
    else:
        log.info(paths_named(line))
        listener(line)
    return line


def _problem(exc: BaseException, kind: str) -> str:
    """What is wrong with a settings file, in words: ``not JSON (a value is missing at line 3,
    column 1)``, ``it is empty``, ``it is not a regular file ...``, ``cannot be read (Permission
    denied)``."""
    if isinstance(exc, OSError):
        return f"cannot be read ({os_reason(exc)})"
    text = str(exc)
    if text.startswith(("it is not a regular", "it is empty", "not UTF-8")) or "MB, more than" in text:
        return text   # said by jsonfile in words already: the file itself, not its JSON
    return f"not {kind} ({text})"


def read_setting(path: str | os.PathLike, instead: str, valid: Callable[[object], bool] = None,
                 shape: str = "", max_bytes: int = 16 << 20):
    """The JSON in ``path``; ``None`` when it is missing, and when it cannot be read, is not JSON
    or (``valid``) not the ``shape`` it should have: then said and kept aside (:func:`say_broken`,
    ``instead`` what neuroview does without it)."""
    try:
        data = read_json(path, max_bytes=max_bytes)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        say_broken(path, _problem(exc, "JSON"), instead)
        return None
    if valid is not None and not valid(data):
        say_broken(path, f"not {shape}", instead)
        return None
    return data


def read_setting_text(path: str | os.PathLike, instead: str, max_bytes: int = 1 << 20) -> str:
    """The text in ``path`` (bounded, UTF-8); "" when it is missing, and when it cannot be read
    (said and kept aside as by :func:`read_setting`)."""
    try:
        return read_json_text(path, max_bytes)
    except FileNotFoundError:
        return ""
    except (OSError, ValueError) as exc:
        say_broken(path, _problem(exc, "text"), instead)
        return ""


STALE_S = 3600
"""A temporary of a settings file this old is a killed write's (a write takes milliseconds; a
younger one may be another window's, still being written)."""


def write_setting(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to the settings file ``path`` atomically, deleting first the temporaries of
    it that killed writes left (:data:`STALE_S` old or more): they stayed in the data folder for
    good, one per kill (a 60 kB ``views.json`` each). OSError as ``write_text_atomic`` raises it."""
    now = time.time()
    for stale in stale_temporaries(path):
        with contextlib.suppress(OSError):
            if now - stale.lstat().st_mtime >= STALE_S:
                stale.unlink()
    write_text_atomic(path, text)


@contextlib.contextmanager
def changing(path: str | os.PathLike) -> Iterator[None]:
    """Hold the settings file ``path`` for a read, change and write (an exclusive lock on
    ``.NAME.lock`` beside it): another window's change waits for this one. A lock the filesystem
    refuses (an NFS home without a lock daemon: ENOLCK), or a folder not made yet, is not held; a
    lock file that is not a file is :class:`~.errors.NeuroviewError`."""
    path = Path(path)
    with contextlib.ExitStack() as held:
        with contextlib.suppress(OSError):
            held.enter_context(exclusive_lock(path.with_name(f".{path.name}.lock")))
        yield


def update_setting(path: str | os.PathLike, change: Callable, instead: str,
                   shape: str = "a JSON object", kind: type = dict) -> None:
    """Write back ``change(records)``, ``records`` the JSON object (``kind=list``: the JSON list) in
    ``path`` as it is now (empty when missing, or damaged: said and kept aside as
    :func:`read_setting` does), read and written under an exclusive lock (``.NAME.lock`` beside
    it): two windows open at once each read the file, added their own record and wrote, so the
    last one's write dropped what the other had added meanwhile (a view, a follow-up's marks, a
    recent file or the labels saved for an image, remembered for another study). OSError (and
    :class:`~.errors.NeuroviewError` for a lock file that is not a file) as the write raises it;
    a lock the filesystem refuses (an NFS home without a lock daemon: ENOLCK) writes unlocked, as
    before."""
    with changing(path):
        records = read_setting(path, instead, lambda d: isinstance(d, kind), shape)
        write_setting(path, json.dumps(change(records if isinstance(records, kind) else kind()),
                                       indent=1 if kind is list else None))


__all__ = ["changing", "listen", "read_setting", "read_setting_text", "say_broken", "update_setting",
           "write_setting"]
