"""DICOMDIR: the index file of a DICOM File-set (CDs, DVDs, USB exports from PACS)."""

from __future__ import annotations

import os
from pathlib import Path

from ...core.errors import CorruptFileError


def referenced_files(ds, path: str) -> tuple[list[str], list[str]]:
    """``(files, refused)``: the instances a DICOMDIR lists, through ``pydicom.fileset.FileSet``.

    A File-set lives in one folder tree: a ReferencedFileID that leads outside the DICOMDIR's
    folder (``..``, a symlink out) or to something that is not a regular file is refused, so a
    crafted DICOMDIR cannot make neuroview read other files or devices. Missing files are kept in
    ``files`` (the caller notes them as missing)."""
    from pydicom.fileset import FileSet

    try:
        fileset = FileSet(ds)
        files = [os.fspath(instance.path) for instance in fileset]
    except PermissionError as exc:  # pydicom's own check: a ReferencedFileID leads outside
        raise CorruptFileError(f"DICOMDIR lists a file outside its folder; nothing read ({exc})",
                               path=path) from None
    except (ValueError, KeyError, AttributeError, TypeError, NotImplementedError, OSError) as exc:
        raise CorruptFileError(f"DICOMDIR cannot be read ({type(exc).__name__}: {exc})",
                               path=path) from None
    root = Path(path).resolve().parent
    inside, refused = [], []
    for file in files:
        target = Path(os.path.normpath(os.path.join(root, file))).resolve()
        if not target.is_relative_to(root) or (target.exists() and not target.is_file()):
            refused.append(file)
        else:
            inside.append(os.path.normpath(file))
    return inside, refused


def is_dicomdir_name(path: str) -> bool:
    return os.path.basename(path).upper() == "DICOMDIR"
