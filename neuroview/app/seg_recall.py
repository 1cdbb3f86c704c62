"""A reader's SEG keeps its window name across a crash: *Restore* names it by its series
description and reader again (``io.seg_names``), as before the crash; it read ``file DICOM SEG``,
the name its record keeps, since the window's name was held in memory only (``Segments``).

The workspace keeps, in ``seg-names.json`` (atomic), the label values a SEG named by its SOP
Instance UID gave and a fingerprint of that file's name (``io.seg_names.name_fingerprint``): no
UID, description or reader (README, *Security and privacy*). A restore looks for the file by that
fingerprint where the PACS cache lays out series (a folder per series): the image's folder, the
folder above it and that folder's other folders (:data:`MAX_FOLDERS` at most), names only, then
reads the header of the one file found. A SEG evicted from the cache since keeps its record's name.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Optional

from ..core.atomic import write_text_atomic
from ..core.jsonfile import read_json
from ..io.seg_names import UNNAMED_SEG, name_fingerprint, seg_names
from .shown_path import image_folder

SEG_NAMES_FILE = "seg-names.json"
MAX_FOLDERS = 5000
"""Folders beside the image's looked into at most (a cache of 20 GB holds a few hundred series)."""


def _read(workspace: Path) -> dict[str, str]:
    try:
        data = read_json(workspace / SEG_NAMES_FILE)
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, str) and str(k).isdigit()}


def remember_segs(workspace: Optional[Path], found: dict[int, str]) -> None:
    """Keep ``found`` (label value -> the SEG file that gave it, "" for a file named otherwise:
    forgotten) in ``workspace``. A failed write loses only the name after a restore."""
    if workspace is None or not found:
        return
    before = _read(Path(workspace))
    kept = dict(before)
    for value, path in found.items():
        if path:
            kept[str(int(value))] = name_fingerprint(path)
        else:
            kept.pop(str(int(value)), None)
    if kept == before:   # a label file as any: nothing written
        return
    try:
        write_text_atomic(Path(workspace) / SEG_NAMES_FILE, json.dumps(kept))
    except OSError:
        pass


def forget_segs(workspace: Optional[Path]) -> None:
    """The workspace starts over: no SEG of it is named any more."""
    if workspace is not None:
        (Path(workspace) / SEG_NAMES_FILE).unlink(missing_ok=True)


def _candidates(image) -> list[Path]:
    """The folders a SEG of the image may lie in: its own, the one above, that one's others."""
    own = image_folder(image)
    if not own:
        return []
    own, parent = Path(own), Path(own).parent
    folders = [own, parent]
    try:
        with os.scandir(parent) as entries:
            for entry in entries:
                if len(folders) >= MAX_FOLDERS + 2:
                    break
                if entry.is_dir(follow_symlinks=False) and entry.path != str(own):
                    folders.append(Path(entry.path))
    except OSError:
        pass
    return folders


def _find(fingerprints: set[str], image) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in _candidates(image):
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.lower().endswith(".dcm") and entry.is_file():
                        key = name_fingerprint(entry.name)
                        if key in fingerprints and key not in found:
                            found[key] = Path(entry.path)
        except OSError:
            continue
        if len(found) == len(fingerprints):
            break
    return found


def recall_segs(workspace: Optional[Path], image, segments) -> dict[int, str]:
    """Label value -> the window's name of the SEG that gave it, for the segments of
    ``segments`` (a ``SegmentTable``) still named by their record ``DICOM SEG``, found beside
    ``image`` (its file or folder); a file not found is left out."""
    if workspace is None:
        return {}
    kept = {int(v): key for v, key in _read(Path(workspace)).items()
            if int(v) in segments and segments.get(int(v)).origin == "loaded"
            and segments.get(int(v)).file == UNNAMED_SEG}
    if not kept:
        return {}
    files = _find(set(kept.values()), image)
    shown: dict[Path, str] = {}
    for path in set(files.values()):
        recorded, name = seg_names(path)
        if recorded == UNNAMED_SEG:
            shown[path] = name
    return {value: shown[files[key]] for value, key in kept.items()
            if key in files and files[key] in shown}
