"""The folder *Save labels* proposes (no Qt): the last folder the user saved to, else the image's
own folder when it is writable, else the user's Documents folder; never a folder inside
neuroview's own installation (the demo image lives in ``resources/demo/``). A worklist case's
labels go beside the case, where the worklist's readers are looked for (``app.label_readers``),
never to the last folder saved to (another worklist's), else to Documents."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Optional

from ..core.settings_file import read_setting, write_setting
from ..paths import resources_dir, user_data_dir

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _remembered_file() -> Path:
    return user_data_dir() / "last-save-folder.json"


def _usable(folder: Optional[Path]) -> bool:
    if folder is None or not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        return False
    folder = folder.resolve()
    inside = (PACKAGE_DIR, PACKAGE_DIR.parent / "resources", resources_dir().resolve())
    return not any(folder == p or folder.is_relative_to(p) for p in inside)


def image_folder(source_path: str) -> Optional[Path]:
    """The folder holding the image (for a DICOM folder, the folder that holds it)."""
    if not source_path:
        return None
    path = Path(source_path.rstrip(os.sep))
    return path.parent


def proposed_folder(source_path: str, documents: str | os.PathLike | None = None,
                    worklist_case: bool = False) -> Path:
    """Where a save dialog starts. ``documents``: the user's Documents folder (the GUI asks Qt).
    ``worklist_case``: the image is a worklist's case; the last folder saved to is passed over
    (with two worklists, anna's labels of the second went into the first's folder)."""
    remembered = None if worklist_case else remembered_folder()
    for folder in (remembered, image_folder(source_path), Path(documents) if documents else None):
        if _usable(folder):
            return folder
    return Path.home()


def case_folder_refused(source_path: str, proposed: Path, what: str = "labels") -> str:
    """The line said when a worklist case's folder (a worklist on a read-only share) cannot take
    ``what`` is being saved (``labels``, or ``the picture`` of *Export view as PNG*, which read
    "labels cannot be saved" until session 49) and ``proposed`` is proposed instead; for labels,
    saying that
    the lead's watch mode and *Adjudicate* (which look beside the case) will not find them there;
    "" when it can."""
    folder = image_folder(source_path)
    if folder is None or proposed == folder or not folder.is_dir() or \
            os.access(folder, os.W_OK | os.X_OK):
        return ""
    unseen = ", where the lead's watch mode and Adjudicate do not look" if what == "labels" else ""
    return (f"{folder} is read-only: {what} cannot be saved beside this worklist case; "
            f"proposed in {proposed} instead{unseen}.")


def safe_file_name(text: str) -> str:
    """``text`` with only letters, digits, ``.``, ``_`` and ``-`` (runs of others become ``_``),
    at most 60 characters: ``T2 FLAIR (tra)`` -> ``T2_FLAIR_tra``."""
    text = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")
    return text[:60] or "series"


IMAGE_ENDINGS = (".nii.gz", ".nii", ".mgz", ".mgh", ".nrrd", ".nhdr", ".mha", ".mhd", ".hdr",
                 ".img", ".dcm")
"""The endings of the image files the window opens, taken off their name for the files saved from
them (a MetaImage's were kept: ``case.mha-labels.nii.gz``)."""


def image_stem(volume) -> str:
    """The name files saved from ``volume`` start with: its file's name without the ending, and
    for a DICOM series its folder's name with its series number (``study_005``): a folder of
    several series gave every series the folder's name, so *Save labels* on a second series
    proposed (and *Load labels* opened) the first one's file. Never a DICOM description, which a
    PACS may fill with patient text: not the series' (``study_005_t2_flair`` until session 46),
    nor a NIfTI's name that a converter made of it (``io.nifti_sidecar.named_by_description``):
    ``labels`` then."""
    from ..io.nifti_sidecar import named_by_description

    source = os.fspath(volume.source_path or "") if volume is not None else ""
    name = os.path.basename(source.rstrip(os.sep))
    ending = next((e for e in IMAGE_ENDINGS if name.lower().endswith(e)), "")
    if name and series_number(volume) == "" and named_by_description(source):
        return "labels"
    name = name[: len(name) - len(ending)]
    return "_".join(part for part in (name, series_number(volume)) if part) or "labels"


def series_number(volume) -> str:
    """``005`` for DICOM series 5; empty for other images."""
    meta = (volume.source_metadata or {}) if volume is not None else {}
    number = str(meta.get("SeriesNumber", "")).strip()
    if meta.get("format") != "DICOM" or not number.lstrip("-").isdigit():
        return ""
    return f"{int(number):03d}"


def series_suffix(volume) -> str:
    """``005_t2_flair`` for DICOM series 5 described ``t2 flair``, as ``convert`` and ``segment``
    name their files; empty for other images."""
    number = series_number(volume)
    if not number:
        return ""
    described = safe_file_name(volume.description) if volume.description else ""
    return "_".join(part for part in (number, described) if part)


def remembered_folder() -> Optional[Path]:
    data = read_setting(_remembered_file(), "Save labels proposes the image's own folder",
                        lambda d: isinstance(d, dict) and isinstance(d.get("folder"), str),
                        'a JSON object with a "folder"')
    return Path(data["folder"]) if data else None


def remember_folder(path: str | os.PathLike) -> None:
    """Remember the folder of a file just saved (proposed first next time)."""
    try:
        write_setting(_remembered_file(), json.dumps({"folder": os.fspath(Path(path).parent)}))
    except OSError:
        pass  # a read-only home only loses the suggestion
