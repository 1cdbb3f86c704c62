"""Several readers: every SEG that refers to one series, on the server or on this machine, with
who made it.

Each version keeps the reader (ContentCreatorName), the model that proposed it (the contributing
equipment ``save_mask_to_pacs`` records), its series description and date, where it was found,
and its label map placed on the grid of the open volume, ready for :mod:`neuroview.dataset.agreement`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ...core.errors import NeuroviewError
from ...core.labels import LabelMap
from ..seg import load_seg
from . import find, retrieve
from .cache import SeriesCache
from .config import PacsError, ServerConfig
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


def _model(ds) -> str:
    for item in ds.get("ContributingEquipmentSequence", []) or []:
        if str(item.get("Manufacturer", "")) == "neuroview" and item.get("ManufacturerModelName"):
            version = str(item.get("SoftwareVersions", "") or "")
            return str(item.ManufacturerModelName) + (f"@{version}" if version else "")
    return ""


def seg_version(file, series_uid: str, volume, found_on: str = LOCAL,
                problems: list | None = None) -> ReaderVersion | None:
    """The reader's version in SEG ``file`` when it refers to ``series_uid`` (else ``None``).

    With a ``problems`` list, a SEG that cannot be read is left out and its one-line error (naming
    the file) appended there; without, the error is raised."""
    import pydicom

    try:
        return _seg_version(file, series_uid, volume, found_on)
    except NeuroviewError as exc:
        if problems is None:
            raise
        problems.append(str(exc))
    except (pydicom.errors.InvalidDicomError, OSError, ValueError, EOFError) as exc:
        if problems is None:
            raise
        problems.append(f"{file}: not a readable DICOM SEG ({str(exc).splitlines()[0] if str(exc) else exc})")
    return None


def _seg_version(file, series_uid: str, volume, found_on: str) -> ReaderVersion | None:
    ds = read_instance(file, str(file), stop_before_pixels=True)
    referenced = [str(item.get("SeriesInstanceUID", ""))
                  for item in ds.get("ReferencedSeriesSequence", []) or []]
    if series_uid not in referenced:
        return None
    return ReaderVersion(
        reader=str(ds.get("ContentCreatorName", "") or "(unknown reader)"), model=_model(ds),
        description=str(ds.get("SeriesDescription", "")),
        created=f"{ds.get('ContentDate', '')}{ds.get('ContentTime', '')}",
        seg_series_uid=str(ds.SeriesInstanceUID), path=Path(file),
        labels=load_seg(file, volume=volume), found_on=found_on)


def reader_versions(config: ServerConfig, study_uid: str, series_uid: str, volume, cache: SeriesCache,
                    protocol: str = "auto", problems: list | None = None) -> list[ReaderVersion]:
    """The SEGs of ``series_uid`` found on the server, oldest first, on the grid of ``volume``."""
    versions = []
    for entry in find(config, "SERIES", protocol, StudyInstanceUID=study_uid, Modality="SEG"):
        if entry.get("Modality", "SEG") != "SEG":
            continue
        folder = retrieve(config, study_uid, entry["SeriesInstanceUID"], cache, protocol)
        for file in sorted(folder.glob("*.dcm")):
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
    image = retrieve(config, str(ds.get("StudyInstanceUID", "")) or study_uid, images[0], cache,
                     **options)
    return files[0], image


def _is_seg(path: Path) -> bool:
    from pydicom.errors import InvalidDicomError

    try:
        ds = read_instance(path, str(path), stop_before_pixels=True, specific_tags=["SOPClassUID"])
    except (InvalidDicomError, OSError, ValueError, EOFError, PacsError):
        return False
    return str(ds.get("SOPClassUID", "")) == SEG_STORAGE


def local_reader_versions(folders: Iterable, series_uid: str, volume, max_files: int = 5000,
                          problems: list | None = None) -> list[ReaderVersion]:
    """The SEG files in ``folders`` (not their sub-folders) that refer to ``series_uid``, oldest
    first. At most ``max_files`` files are looked at (a folder of a whole archive is not scanned)."""
    versions, seen = [], 0
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if seen >= max_files:
                break
            if not entry.is_file() or entry.name.startswith("."):
                continue
            seen += 1
            path = Path(entry.path)
            if _is_seg(path):
                version = seg_version(path, series_uid, volume, problems=problems)
                if version is not None:
                    versions.append(version)
    versions.sort(key=lambda v: v.created)
    return versions
