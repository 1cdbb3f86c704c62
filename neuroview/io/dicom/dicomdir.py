"""DICOMDIR: the index file of a DICOM File-set (CDs, DVDs, USB exports from PACS)."""

from __future__ import annotations

import os
from pathlib import Path

from ...core.errors import CorruptFileError
from ...core.plural import plural


def referenced_files(ds, path: str) -> tuple[list[str], list[str], str]:
    """``(files, refused, damage)``: the instances a DICOMDIR lists, through
    ``pydicom.fileset.FileSet``.

    A File-set lives in one folder tree: a ReferencedFileID that leads outside the DICOMDIR's
    folder (``..``, a symlink out) or to something that is not a regular file is refused, so a
    crafted DICOMDIR cannot make neuroview read other files or devices. A file named on disk in
    other case is found (:func:`_on_disk`); missing files are kept in ``files`` (the caller notes
    them as missing; pydicom's FileSet leaves them out). Where pydicom refuses the record hierarchy (a
    patient record of an unknown type, as in pydicom's ``DICOMDIR-nopatient``) but the records
    still name their files, those files are read (dcm2niix reads every file of the folder, never
    the index) and ``damage`` says what was wrong; otherwise ``damage`` is ``""``."""
    from pydicom.fileset import FileSet

    damage = ""
    try:
        _check_record_links(ds)
        fileset = FileSet(ds)
        files = [os.fspath(instance.path) for instance in fileset]
        listed = _listed_files(ds, path)
        if len(files) < len(listed):  # pydicom left out the instances whose files are not there
            found = {os.path.normcase(os.path.abspath(file)) for file in files}
            files += [file for file in listed
                      if os.path.normcase(os.path.abspath(file)) not in found]
    except PermissionError as exc:  # pydicom's own check: a ReferencedFileID leads outside
        raise CorruptFileError(f"DICOMDIR lists a file outside its folder; nothing read ({exc})",
                               path=path) from None
    except (ValueError, KeyError, AttributeError, TypeError, NotImplementedError, OSError) as exc:
        problem = _record_problem(exc)
        files = _listed_files(ds, path)
        if not files:
            raise CorruptFileError(f"DICOMDIR cannot be read ({problem})", path=path) from None
        damage = (f"{path}: DICOMDIR record hierarchy is damaged ({problem}); the "
                  f"{plural(len(files), 'file')} its records name "
                  f"{'was' if len(files) == 1 else 'were'} read")
    if not files:   # it said "no image in this file"
        raise CorruptFileError("DICOMDIR lists no files (no directory record names one)",
                               path=path)
    root = Path(path).resolve().parent
    inside, refused = [], []
    names: dict[str, dict[str, list[str]]] = {}
    for file in files:
        file = _on_disk(file, os.path.dirname(path), names)
        target = Path(os.path.normpath(os.path.join(root, file))).resolve()
        if not target.is_relative_to(root) or (target.exists() and not target.is_file()):
            refused.append(file)
        else:
            inside.append(os.path.normpath(file))
    return inside, refused, damage


def _on_disk(file: str, folder: str, names: dict) -> str:
    """``file`` (under the DICOMDIR's ``folder``) as it is named on disk: where it is missing,
    each name after ``folder`` matched without regard to case, where one name only matches (a
    CD's ISO 9660 names, PT000000/IM000000, read on Linux as pt000000/im000000: the DICOMDIR
    said 'lists no files'). ``names`` caches each folder's names, lower-cased; ``file`` itself
    where nothing matches (noted as missing by the caller)."""
    if os.path.lexists(file):
        return file
    relative = os.path.relpath(file, folder)
    parts = relative.split(os.sep)
    if relative.startswith(os.pardir) or os.path.isabs(relative):
        return file
    here = folder
    for part in parts:
        if not os.path.lexists(os.path.join(here, part)):
            if here not in names:
                try:
                    listed = os.listdir(here)
                except OSError:
                    return file
                names[here] = {}
                for name in listed:
                    names[here].setdefault(name.lower(), []).append(name)
            matches = names[here].get(part.lower(), [])
            if len(matches) != 1:
                return file
            part = matches[0]
        here = os.path.join(here, part)
    return here


def _check_record_links(ds) -> None:
    """A ``ValueError`` where the records' offsets (next record, first child) do not make a tree:
    a record reached twice, as a record naming itself or an earlier one makes it. pydicom's
    ``FileSet`` follows such a chain for ever (session 35: a DICOMDIR whose records all point
    at the first one hung ``neuroview info`` until killed)."""
    records = {getattr(record, "seq_item_tell", None): record
               for record in ds.get("DirectoryRecordSequence") or []}
    seen: set[int] = set()
    chains = [ds.get("OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity")]
    while chains:
        offset = chains.pop()
        while offset and offset in records:
            if offset in seen:
                raise ValueError(f"the directory records loop (the record at byte {offset} is "
                                 "reached twice)")
            seen.add(offset)
            record = records[offset]
            chains.append(record.get("OffsetOfReferencedLowerLevelDirectoryEntity"))
            offset = record.get("OffsetOfTheNextDirectoryRecord")


def _listed_files(ds, path: str) -> list[str]:
    """The ReferencedFileID of every directory record that has one, as paths under the
    DICOMDIR's folder (checked by the caller like FileSet's), or [] where they cannot be read."""
    folder = os.path.dirname(path)
    files = []
    try:
        for record in ds.get("DirectoryRecordSequence") or []:
            file_id = record.get("ReferencedFileID")
            if file_id:
                parts = [file_id] if isinstance(file_id, str) else list(file_id)
                files.append(os.path.join(folder, *map(str, parts)))
    except (ValueError, KeyError, AttributeError, TypeError, OSError):
        return []
    return files


def _record_problem(exc: Exception) -> str:
    """pydicom's reason for refusing a DICOMDIR's records, as a user reads it: its KeyError is
    the offset a record points to (first, next or lower-level record) where none starts (it was
    said as ``KeyError: 1054``)."""
    if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], int):
        return f"a record points to byte {exc.args[0]}, where no record starts"
    if isinstance(exc, (AttributeError, TypeError)) or not str(exc).strip():
        return "its records do not link up"
    return str(exc).strip().splitlines()[0]
