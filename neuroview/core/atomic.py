"""Atomic file writes: temp file in the same folder, flush, fsync, rename.

A crash while saving leaves either the old file or the new one, never half of one. The new file
gets the mode any program would give it (0666 less the umask), unless the caller asks for another
(0600 for private files: link files holding patient identifiers, consent records), or it lies in
neuroview's own data folder (``paths.user_data_path``: workspaces, datasets, models): 0600, and
the folders made there 0700, so that another login on the workstation reads no patient's data.
A folder the user chose elsewhere (an export target) keeps the umask's modes.
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
from pathlib import Path
from typing import Iterator, Optional

from ..paths import user_data_path


def make_parent(folder: str | os.PathLike) -> None:
    """Create ``folder`` (and its parents) for a file to be written in; a file in the way is an
    OSError saying which (mkdir's own said "File exists" or "Not a directory", naming nothing)."""
    folder = Path(folder)
    missing = []
    for path in (folder, *folder.parents):
        if os.path.lexists(path):
            break
        missing.append(path)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700 if in_data_folder(folder) else 0o777)
    except (FileExistsError, NotADirectoryError) as exc:
        in_the_way = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None)
        if in_the_way is None:
            raise
        raise NotADirectoryError(exc.errno, f"{in_the_way} is a file, not a folder") from None
    for path in missing:   # mkdir gives the mode to the last folder only
        if in_data_folder(path):
            os.chmod(path, 0o700)


def fsync_dir(folder: str | os.PathLike) -> None:
    """Make a rename inside ``folder`` durable (no-op where directories cannot be opened)."""
    try:
        fd = os.open(os.fspath(folder), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def current_umask() -> int:
    """The process umask, read without changing it where Linux allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def in_data_folder(path: str | os.PathLike) -> bool:
    """Whether ``path`` lies in neuroview's own data folder (where its files are private). Cheap
    (a lock is taken in a loop): the folder is worked out once per value of the variables naming it."""
    env = os.environ
    root = _data_root(env.get("NEUROVIEW_HOME"), env.get("XDG_DATA_HOME"), env.get("HOME"))
    path = os.path.abspath(path)
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


@functools.lru_cache(maxsize=8)
def _data_root(*environment) -> str:
    """``paths.user_data_path()`` as an absolute path, for these values of its variables."""
    return os.path.abspath(user_data_path())


def private_opener(path, flags) -> int:
    """``open``'s opener for a file created in place (a journal, a lock): 0600 in neuroview's data
    folder, else 0666 less the umask (as ``open`` gives)."""
    return os.open(path, flags, 0o600 if in_data_folder(path) else 0o666)


def default_mode(folder: bool = False, target: Optional[str | os.PathLike] = None) -> int:
    """Mode a plain ``open()`` (0666) or ``mkdir`` (0777) would give under the current umask;
    for a ``target`` in neuroview's data folder, 0600 (0700 for a folder)."""
    if target is not None and in_data_folder(target):
        return 0o700 if folder else 0o600
    return (0o777 if folder else 0o666) & ~current_umask()


def restrict_in_data_folder(folder: str | os.PathLike) -> None:
    """Make a tree copied into neuroview's data folder private (folders 0700, files 0600), as
    what neuroview writes there is; a tree elsewhere is left as it is."""
    if not in_data_folder(folder):
        return
    for root, _dirs, files in os.walk(folder):
        os.chmod(root, 0o700)
        for name in files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, 0o600)


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike, mode: int | None = None,
                durable: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` atomically.

    The code inside the block writes the temporary path by any means (nibabel, pydicom...). The
    suffix of ``target`` is kept (``.nii.gz`` too) so writers that look at the extension still work.
    ``mode``: the file's mode (default: :func:`default_mode` for ``target``). The temporary file is 0600 while
    it is written, so a private file is never readable by others, not even for a moment.
    ``durable=False`` skips the fsyncs (the file and the rename reach the disk when the kernel
    writes them back): still all or nothing under the final name if the process is killed,
    but a power cut may lose the file. Only for derived files the user can make again
    (``neuroview convert``'s NIfTI, as dcm2niix writes them); never for what a user made.
    """
    target = Path(target)
    make_parent(target.parent)
    suffix = "".join(target.suffixes) or ".tmp"
    tmp = None
    try:
        # named before it is made, inside the try: Ctrl+C or SIGTERM (as KeyboardInterrupt)
        # between mkstemp's return and the try left the temporary behind (a loaded test saw it)
        for _attempt in range(100):
            tmp = target.parent / f".{target.stem}.{secrets.token_hex(4)}{suffix}"
            try:
                os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                break
            except FileExistsError:
                tmp = None
        else:
            raise FileExistsError(f"{target.parent}: no free temporary name beside {target.name}")
        yield tmp
        if durable:
            with open(tmp, "rb+") as handle:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, default_mode(target=target) if mode is None else mode)
        os.replace(tmp, target)
        if durable:
            fsync_dir(target.parent)
    except BaseException:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise


def write_bytes_atomic(target: str | os.PathLike, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``target`` atomically (``mode``: see :func:`atomic_path`)."""
    with atomic_path(target, mode) as tmp:
        with open(tmp, "wb") as handle:
            handle.write(data)


def write_text_atomic(target: str | os.PathLike, text: str, mode: int | None = None) -> None:
    """Write ``text`` (UTF-8) to ``target`` atomically (``mode``: see :func:`atomic_path`)."""
    write_bytes_atomic(target, text.encode("utf-8"), mode)
