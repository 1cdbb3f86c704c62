"""DICOMDIR: the index file of a DICOM File-set (CDs, DVDs, USB exports from PACS)."""

from __future__ import annotations

import os

from ...core.errors import CorruptFileError


def referenced_files(ds, path: str) -> list[str]:
    """Paths of the instances a DICOMDIR lists (that exist), through ``pydicom.fileset.FileSet``."""
    from pydicom.fileset import FileSet

    try:
        fileset = FileSet(ds)
        files = [os.fspath(instance.path) for instance in fileset]
    except (ValueError, KeyError, AttributeError, TypeError, NotImplementedError) as exc:
        raise CorruptFileError(f"DICOMDIR cannot be read ({type(exc).__name__}: {exc})",
                               path=path) from None
    return [os.path.normpath(f) for f in files]


def is_dicomdir_name(path: str) -> bool:
    return os.path.basename(path).upper() == "DICOMDIR"
