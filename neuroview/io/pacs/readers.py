"""Several readers: every SEG that refers to one series, on the server or on this machine, with
who made it.

Each version keeps the reader (ContentCreatorName; "" where the SEG names none), the model that
proposed it (the contributing equipment ``save_mask_to_pacs`` records), its series description,
number and date, where it was found, and its label map placed on the grid of the open volume,
ready for :mod:`neuroview.dataset.agreement`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ...core.errors import Cancelled, NeuroviewError, private_reason
from ...core.jobs import check
from ...core.labels import LabelMap
from ..dicom.person_name import stored_name
from ..seg import load_seg
from . import find, retrieve
from .cache import SeriesCache
from .config import PacsError, ServerConfig
from .identifiers import image_count
from .payload import read_instance

SEG_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4"
"""SOP Class UID of Segmentation Storage."""
LOCAL = "this computer"


@dataclass
class ReaderVersion:
    reader: str
    model: str
    description: str
    created: str
    seg_series_uid: str
    path: Path
    labels: LabelMap
    found_on: str = LOCAL
    """The server's name, or :data:`LOCAL` for a SEG file on this machine."""
    series_number: str = ""


def _model(ds) -> str:
    for item in ds.get("ContributingEquipmentSequence", []) or []:
        if str(item.get("Manufacturer", "")) == "neuroview" and item.get("ManufacturerModelName"):
            version = str(item.get("SoftwareVersions", "") or "")
            return str(item.ManufacturerModelName) + (f"@{version}" if version else "")
    return ""


def seg_version(file, series_uid: str, volume, found_on: str = LOCAL,
                problems: list | None = None, cancel=None) -> ReaderVersion | None:
    """The reader's version in SEG ``file`` when it refers to ``series_uid`` (else ``None``).

    With a ``problems`` list, a SEG that cannot be read is left out and its one-line error (naming
    the file) appended there; without, the error is raised. ``cancel`` stops its read at once
    (``io.seg.load_seg``)."""
    import pydicom

    try:
        return _seg_version(file, series_uid, volume, found_on, cancel)
    except Cancelled:
        raise
    except NeuroviewError as exc:
        if problems is None:
            raise
        problems.append(str(exc))
    except (pydicom.errors.InvalidDicomError, OSError, ValueError, EOFError) as exc:
        if problems is None:
            raise
        problems.append(f"{file}: not a readable DICOM SEG ({private_reason(exc)})")
    return None


def _seg_version(file, series_uid: str, volume, found_on: str, cancel=None) -> ReaderVersion | None:
    ds = read_instance(file, str(file), stop_before_pixels=True)
    referenced = [str(item.get("SeriesInstanceUID", ""))
                  for item in ds.get("ReferencedSeriesSequence", []) or []]
    if series_uid not in referenced:
        return None
    return ReaderVersion(
        # no ContentCreatorName: "" (``app.unnamed_readers`` names each such SEG apart); a
        # login saved as ``anna^`` (``seg.save_seg``) reads ``anna``, as it was given
        reader=stored_name(ds.get("ContentCreatorName", "") or ""), model=_model(ds),
        description=str(ds.get("SeriesDescription", "")),
        created=f"{ds.get('ContentDate', '')}{ds.get('ContentTime', '')}",
        seg_series_uid=str(ds.SeriesInstanceUID), path=Path(file),
        labels=load_seg(file, volume=volume, cancel=cancel), found_on=found_on,
        series_number=str(ds.get("SeriesNumber", "") or ""))


def reader_versions(config: ServerConfig, study_uid: str, series_uid: str, volume, cache: SeriesCache,
                    protocol: str = "auto", problems: list | None = None,
                    cancel=None) -> list[ReaderVersion]:
    """The SEGs of ``series_uid`` found on the server, oldest first, on the grid of ``volume``.
    ``cancel`` (a ``core.jobs.CancelToken``) stops the search or a retrieval at once (it waited
    for the server's answers, by DICOMweb for each whole request)."""
    def cancelled() -> bool:
        return cancel is not None and cancel.cancelled

    versions = []
    for entry in find(config, "SERIES", protocol, cancel=cancelled, StudyInstanceUID=study_uid,
                      Modality="SEG"):
        if entry.get("Modality", "SEG") != "SEG":
            continue
        folder = retrieve(config, study_uid, entry["SeriesInstanceUID"], cache, protocol,
                          cancel=cancelled, images=image_count(entry))
        for file in sorted(folder.glob("*.dcm")):
            check(cancel)   # (a SEG read: 1.7 s on a 512x512x300 CT)
            version = seg_version(file, series_uid, volume, found_on=config.name, problems=problems)
            if version is not None:
                versions.append(version)
    versions.sort(key=lambda v: v.created)
    return versions


def retrieve_seg_and_image(config: ServerConfig, study_uid: str, seg_series_uid: str,
                           cache: SeriesCache, progress=None, cancel=None) -> tuple[Path, Path]:
    """A SEG series and the image series it was drawn on (its ReferencedSeriesSequence), both
    retrieved into ``cache``: ``(SEG file, image folder)``, to open the image with the SEG as its
    labels, as Slicer's DICOM browser loads a SEG."""
    options = {k: v for k, v in (("progress", progress), ("cancel", cancel)) if v is not None}
    folder = retrieve(config, study_uid, seg_series_uid, cache, **options)
    files = sorted(folder.glob("*.dcm"))
    if not files:
        raise PacsError(f"{config.name} sent no file of that SEG series")
    ds = read_instance(files[0], str(files[0]), stop_before_pixels=True)
    images = [str(item.get("SeriesInstanceUID", "")) for item in ds.get("ReferencedSeriesSequence", []) or []]
    images = [uid for uid in images if uid]
    if not images:
        raise PacsError("the SEG does not say which image series it was drawn on "
                        "(no ReferencedSeriesSequence)", path=files[0])
    try:
        image = retrieve(config, str(ds.get("StudyInstanceUID", "")) or study_uid, images[0], cache,
                         **options)
    except PacsError as exc:   # said as the server's alone, which series was not said (session 50)
        raise PacsError("the SEG was drawn on another series, its image, which could not be "
                        f"retrieved: {exc.message}", exc.path, exc.hint) from None
    return files[0], image


def _is_seg(path: Path) -> bool:
    from pydicom.errors import InvalidDicomError

    try:
        ds = read_instance(path, str(path), stop_before_pixels=True, specific_tags=["SOPClassUID"])
    except (InvalidDicomError, OSError, ValueError, EOFError, PacsError):
        return False
    return str(ds.get("SOPClassUID", "")) == SEG_STORAGE


def unreadable(path, exc: OSError) -> str:
    """One line for a file or folder the search cannot read: ``PATH: permission denied``."""
    if isinstance(exc, PermissionError):
        return f"{path}: permission denied"
    return f"{path}: cannot be read ({exc.strerror or type(exc).__name__})"


def _entries(folder: Path, problems: list | None) -> list | None:
    """The folder's entries by name; ``None`` (its line added to ``problems``) if it cannot be read."""
    try:
        with os.scandir(folder) as listing:
            return sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        if problems is None:
            raise
        problems.append(unreadable(folder, exc))
        return None


def _is_seg_entry(entry, problems: list | None) -> bool:
    """Whether the folder entry is a SEG file. A file that cannot be opened, or a link to one that
    does not exist, is a line in ``problems``; a FIFO or a socket is passed over (opening it would
    wait forever)."""
    try:
        if entry.is_symlink() and not os.path.exists(entry.path):
            if problems is None:
                raise FileNotFoundError(2, "No such file or directory", entry.path)
            problems.append(f"{entry.path}: a link to a file that does not exist")
            return False
        if not entry.is_file():
            return False
        with open(entry.path, "rb"):   # one it cannot open is said (_is_seg passes it over)
            pass
        return _is_seg(Path(entry.path))
    except OSError as exc:
        if problems is None:
            raise
        problems.append(unreadable(entry.path, exc))
        return False


def local_reader_versions(folders: Iterable, series_uid: str, volume, max_files: int = 5000,
                          problems: list | None = None, *, one_readable: bool = False,
                          cancel=None) -> list[ReaderVersion]:
    """The SEG files in ``folders`` (not their sub-folders) that refer to ``series_uid``, oldest
    first. At most ``max_files`` files are looked at (a folder of a whole archive is not scanned).
    ``cancel`` (a ``core.jobs.CancelToken``) is looked at before each SEG read (1.7 s each on a
    512x512x300 CT), and stops one under way at once.

    With a ``problems`` list, a folder or file that cannot be read (no permission, a broken link)
    is left out with its line there (the others are still read); with ``one_readable`` too, a
    :class:`PacsError` says in one line that none of the folders could be read."""
    versions, seen, failed, tried = [], 0, 0, 0
    for folder in map(Path, folders):
        try:
            if not folder.is_dir():
                continue
        except OSError:   # the folder above it not searchable: listing it says why
            pass
        tried += 1
        entries = _entries(folder, problems)
        failed += entries is None
        for entry in entries or []:
            if seen >= max_files:
                break
            if entry.name.startswith("."):
                continue
            seen += 1
            if _is_seg_entry(entry, problems):
                check(cancel)
                version = seg_version(Path(entry.path), series_uid, volume, problems=problems,
                                      cancel=cancel)
                if version is not None:
                    versions.append(version)
    if one_readable and failed and failed == tried:   # their lines are the last ones
        raise PacsError("no folder to look for SEGs in could be read: " + "; ".join(problems[-failed:]))
    versions.sort(key=lambda v: v.created)
    return versions
