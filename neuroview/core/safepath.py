"""Strings from users and files that become paths: checked names and joins that stay in their root.

A model card's name, a dataset name or a file named inside a header is data that someone else
may have written. Before any of them becomes part of a path it is either checked against a strict
character set (:func:`check_name`) or joined with :func:`safe_join`, which resolves the result
(symlinks included) and refuses anything outside the root. Files named inside other files (a
detached NRRD's ``data file``, a DICOMDIR's ReferencedFileID, a card's weights file) go through
:func:`file_inside`, which also insists on a regular file, so ``/dev/zero`` or a FIFO is refused.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
from pathlib import Path
from typing import Type

from .errors import NeuroviewError

NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")
"""Names that become one path component: 1-64 characters, no separator, no leading dot."""


def check_name(value: object, what: str, path: str | os.PathLike | None = None,
               error: Type[NeuroviewError] = NeuroviewError) -> str:
    """``value`` if it is a safe single path component, else ``error`` naming ``what`` and saying
    what is wrong, not the name (``model name is not allowed: it goes through '..' (name not
    shown)``): a card's or dataset's name can carry a patient's name (quoted until session 45)."""
    text = value if isinstance(value, str) else ""
    if not NAME_PATTERN.fullmatch(text) or ".." in text:
        raise error(f"{what} is not allowed: {name_fault(value)} (name not shown); use 1-64 "
                    "letters, digits, '.', '_', '+' or '-', starting with a letter or digit",
                    path=path)
    return text


def name_fault(value: object, punctuation: str = "._+-", longest: int | None = 64) -> str:
    """What keeps ``value`` from being a name of letters, digits and ``punctuation`` (at most
    ``longest`` characters, starting with a letter or digit), in words that do not quote it:
    ``it goes through '..'``, ``it is 10000 characters long``, ``it holds a space``. A character
    is quoted only where it is ASCII punctuation, which says nothing of a person."""
    if not isinstance(value, str):
        return "it is missing" if value is None else f"it is not text ({type(value).__name__})"
    if not value:
        return "it is empty"
    if longest is not None and len(value) > longest:
        return f"it is {len(value)} characters long"
    if ".." in value:
        return "it holds '..'"
    odd = next((c for c in value if not (c.isascii() and c.isalnum()) and c not in punctuation),
               None)
    return f"it holds {_character(odd)}" if odd else f"it starts with {value[0]!r}"


def _character(char: str) -> str:
    """A character a name may not hold, as a refusal says it: quoted where it is ASCII
    punctuation (``'/'``), else by its kind."""
    if char == " ":
        return "a space"
    if not char.isprintable():
        return "a control character"
    return "a character that is not ASCII" if not char.isascii() else repr(char)


def safe_join(root: str | os.PathLike, *parts: str | os.PathLike,
              error: Type[NeuroviewError] = NeuroviewError, what: str = "path") -> Path:
    """``root / parts`` resolved; ``error`` when the result is not inside ``root``.

    Absolute parts, ``..`` and symlinks pointing out of ``root`` all end outside and are refused.
    The result need not exist yet. The refusal says which of these it was and names ``root``,
    not the parts (``model folder points outside /models: a symbolic link there leads out (name
    not shown)``): a dataset's folder or a model card's name can carry a patient's name (it was
    quoted, and the joined path was the error's path, until session 45).
    """
    base = Path(root).resolve()
    target = Path(root).joinpath(*parts).resolve()
    if target != base and not target.is_relative_to(base):
        texts = [os.fspath(p) for p in parts]
        how = ("it is an absolute path" if any(os.path.isabs(t) for t in texts) else
               "it goes through '..'" if any(".." in Path(t).parts for t in texts) else
               "a symbolic link there leads out")
        raise error(f"{what} points outside {Path(root)}: {how} (name not shown)")
    return target


def file_inside(folder: str | os.PathLike, name: str | os.PathLike, source: str | os.PathLike,
                what: str = "file", error: Type[NeuroviewError] = NeuroviewError) -> Path:
    """A file that ``source`` names (``name``), which must be a regular file inside ``folder``.

    ``source`` is the file that holds the name (a header, a DICOMDIR, a card) and is the one the
    error names. Refuses absolute names, ``..``, symlinks leaving the folder, devices and FIFOs.
    The error quotes ``name`` only where it is a path inside ``folder`` (``data file 'scan.raw'
    does not exist``): an absolute one or one through ``..`` is said as such, not shown (it was
    quoted until session 45: a folder named after another patient, perhaps). The folder is said
    as ``the folder of NAME`` (``source``'s name; ``the folder`` when ``source`` is it), not by
    its path: the message starts with
    ``source``'s path, and the window's error bar named the folder a second time, in a form
    of its own (``inside case in …/x``)."""
    text = os.fspath(name)
    said = repr(text) if len(text) <= 120 else f"{text[:100]!r}... ({len(text)} characters)"
    inside = ("the folder" if os.path.abspath(source) == os.path.abspath(folder)
              else f"the folder of {Path(source).name}")
    if not text or os.path.isabs(text) or ".." in Path(text).parts:
        names = ("no file" if not text else "an absolute path (not shown)" if os.path.isabs(text)
                 else "a path through '..' (not shown)")
        raise error(f"{what} must be a relative path inside {inside}: it names {names}",
                    path=source)
    base = Path(folder).resolve()
    try:
        target = (base / text).resolve()
        mode = os.stat(target).st_mode if target.is_relative_to(base) else None
    except OSError as exc:   # a name too long for the file system (ENAMETOOLONG) among them
        gone = "is too long a name" if exc.errno == errno.ENAMETOOLONG else "does not exist"
        raise error(f"{what} {said} {gone}", path=source) from None
    if mode is None:
        raise error(f"{what} {said} points outside {inside}", path=source)
    if not stat.S_ISREG(mode):
        raise error(f"{what} {said} is not a regular file", path=source)
    return target


def copy_tree_inside(source: str | os.PathLike, target: str | os.PathLike, what: str = "folder",
                     error: Type[NeuroviewError] = NeuroviewError) -> None:
    """Copy the folder ``source`` to ``target`` (new), refusing what a folder someone handed over
    should not hold: a symlink leaving ``source`` (``shutil.copytree`` follows it and copies
    another folder's files, or ``/dev/zero`` until the disk is full), a symlinked folder (a loop
    copies for ever) and anything that is not a regular file or folder (a named pipe hangs the
    copy). Everything is checked before the first byte is copied; the error names the entry."""
    source, target = Path(source), Path(target)
    base = source.resolve()
    files: list[Path] = []
    for top, folders, names in os.walk(source):
        for name in folders + names:
            entry = Path(top, name)
            shown = entry.relative_to(source)
            if entry.is_symlink():
                resolved = entry.resolve()
                if not resolved.is_relative_to(base):
                    raise error(f"{what} holds {str(shown)!r}, a symbolic link pointing outside it "
                                f"(to {resolved})", path=source)
                if resolved.is_dir():
                    raise error(f"{what} holds {str(shown)!r}, a symbolic link to a folder",
                                path=source)
            try:
                mode = os.stat(entry).st_mode
            except OSError:
                raise error(f"{what} holds {str(shown)!r}, which cannot be read (a broken "
                            "symbolic link?)", path=source) from None
            if stat.S_ISREG(mode):
                files.append(shown)
            elif not stat.S_ISDIR(mode):
                raise error(f"{what} holds {str(shown)!r}, which is not a regular file (a named "
                            "pipe, socket or device)", path=source)
    target.mkdir(parents=True)
    for top, folders, _names in os.walk(source):
        for name in folders:
            (target / Path(top, name).relative_to(source)).mkdir()
    for shown in files:
        copy_with_room(source / shown, target / shown, f"{what}'s {shown}", error, source)


def copy_with_room(source: Path, target: Path, what: str, error: Type[NeuroviewError],
                   path: str | os.PathLike) -> None:
    """``shutil.copy2``, refused (``error`` naming ``path``) when the file would take more than
    half the space free where it goes: a package holding a sparse file of a terabyte (4 kB on
    disk) was copied byte by byte, its holes written as zeros, until the disk was full."""
    from .memory import format_bytes

    info = os.stat(source)
    free = shutil.disk_usage(target.parent).free
    if info.st_size > free // 2:
        blocks = getattr(info, "st_blocks", None)
        sparse = (f", {format_bytes(blocks * 512)} on disk: a sparse file" if blocks is not None
                  and blocks * 512 < info.st_size // 8 else "")
        raise error(f"{what} is {format_bytes(info.st_size)}{sparse}, more than half the "
                    f"{format_bytes(free)} free where it would be copied: not copied", path=path)
    shutil.copy2(source, target)


def copy_tree_with_room(source: str | os.PathLike, target: str | os.PathLike, what: str,
                        error: Type[NeuroviewError] = NeuroviewError) -> None:
    """``shutil.copytree`` of the folder ``source`` (its hidden entries left out) to ``target``
    (new), refused before the first byte when its files take more than the space free there,
    and removed when the copy fails midway (the disk filled meanwhile): one line (``error``
    naming ``target``'s folder), nothing half-written left. A PACS series copied out of the
    cache failed mid-copy on a nearly full disk (``[Errno 28]`` and its file list)."""
    from .commit import describe
    from .memory import format_bytes

    source, target = Path(source), Path(target)
    size = sum(entry.stat().st_size for entry in source.rglob("*") if entry.is_file()
               and not any(part.startswith(".") for part in entry.relative_to(source).parts))
    free = shutil.disk_usage(target.parent).free
    if size > free:
        raise error(f"{what} is {format_bytes(size)}, more than the {format_bytes(free)} free "
                    "there: not copied", path=target.parent)
    try:
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(".*"))
    except OSError as exc:   # shutil.Error too: its first file's reason
        shutil.rmtree(target, ignore_errors=True)
        full = os.strerror(errno.ENOSPC) in str(exc)
        reason = ("the disk is full" if full else str(exc.args[0][0][2])
                  if isinstance(exc, shutil.Error) and exc.args and exc.args[0] else describe(exc))
        raise error(f"{what} not copied ({reason}); nothing of it is left there",
                    path=target.parent) from None
