"""Output places of the verbs, checked before the work that fills them.

A verb that runs for minutes (``segment`` on a batch, ``convert`` of a study) learned that its
output could not be written only at the end, and a folder that could not be created was an
``internal error: FileNotFoundError`` naming no option. Here each is one line naming the place.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

from ..core.errors import SaveError
from ..core.folders import make_folder


def nifti_or_folder(output: str, verb: str) -> None:
    """Refuse an OUTPUT that names a file in another format (``out.txt``, ``t1.nrrd``): it would
    have become a folder of that name. A folder is an existing one, a name without an ending
    (``out``, ``study.2024``) or any name ending in ``/``."""
    ending = re.search(r"\.[A-Za-z][A-Za-z0-9]{0,5}$", output)
    if ending and not output.lower().endswith((".nii", ".nii.gz")) and not os.path.isdir(output):
        raise SaveError(f"{verb} writes NIfTI, not '{ending.group(0)}': give a file ending in .nii or "
                        ".nii.gz, or a folder (end a new folder's name with '/')", path=output)


def writable_folder(path: str | os.PathLike) -> Path:
    """:func:`make_folder`, then check that a file can be written in it."""
    folder = make_folder(path)
    _try_writing_in(folder, path, "cannot write in this folder")
    return folder


def in_folder(folder: str, name: str) -> str:
    """``name`` in ``folder`` as the user typed the folder, one ``/`` between: ``out/`` and
    ``out//`` gave ``out//case_seg.nii.gz`` in the lines the verbs print."""
    return os.path.join(folder.rstrip("/" + os.sep) or folder, name)


@contextlib.contextmanager
def removed_if_left_empty(folder: str):
    """Within the block, ``folder`` may be created by the verb; if the block ends by an error or
    a stop (Ctrl+C, SIGTERM) with the folder new and empty, it is removed: an interrupted
    ``segment a.nii.gz -o out/`` left ``out/`` behind, empty (and so are the new folders above
    it). A folder that was there before, or holds anything, is left as it is."""
    path = Path(os.path.abspath(folder))
    made = [p for p in (path, *path.parents) if not p.exists()]   # the folder and new parents
    try:
        yield
    except BaseException:
        for new in made:   # innermost first; rmdir removes only an empty one
            try:
                new.rmdir()
            except OSError:
                break
        raise


def check_writable(path: str | os.PathLike) -> None:
    """Check that file ``path`` can be written, by making (and removing) a temporary beside it:
    its folder is created if needed. :class:`SaveError` naming ``path`` when it cannot."""
    if os.path.isdir(path):
        raise SaveError("is a folder, not a file name", path=path)
    _try_writing_in(make_folder(Path(path).parent), path, "cannot be written")


def not_the_input(output: str | os.PathLike, given: str | os.PathLike, what: str) -> None:
    """Refuse an output file that is the input ``given`` by any name (``a.nii.gz``,
    ``./a.nii.gz``, a link): ``segment a.nii.gz -o a.nii.gz`` replaced the image with its label map
    and said it had succeeded (until session 40). ``what``: what would replace it."""
    with contextlib.suppress(OSError):
        if os.path.isfile(given) and os.path.samefile(output, given):
            raise SaveError(f"is the input {os.fspath(given)}: {what} would replace it; give "
                            "another file name", path=output)


def _try_writing_in(folder: Path, path, problem: str) -> None:
    try:
        fd, name = tempfile.mkstemp(prefix=".neuroview-check.", dir=folder)
    except OSError as exc:
        raise SaveError(f"{problem} ({exc.strerror or exc})", path=path) from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(name)
