"""Several readers: every SEG on the server that refers to one series, with who made it.

Each version keeps the reader (ContentCreatorName), the model that proposed it (the contributing
equipment ``save_mask_to_pacs`` records), its series description and date, and its label map
placed on the grid of the open volume, ready for :mod:`neuroview.dataset.agreement`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...core.labels import LabelMap
from ..seg import load_seg
from . import find, retrieve
from .cache import SeriesCache
from .config import ServerConfig


@dataclass
class ReaderVersion:
    reader: str
    model: str
    description: str
    created: str
    seg_series_uid: str
    path: Path
    labels: LabelMap


def _model(ds) -> str:
    for item in ds.get("ContributingEquipmentSequence", []) or []:
        if str(item.get("Manufacturer", "")) == "neuroview" and item.get("ManufacturerModelName"):
            version = str(item.get("SoftwareVersions", "") or "")
            return str(item.ManufacturerModelName) + (f"@{version}" if version else "")
    return ""


def reader_versions(config: ServerConfig, study_uid: str, series_uid: str, volume, cache: SeriesCache,
                    protocol: str = "auto") -> list[ReaderVersion]:
    """The SEGs of ``series_uid`` found on the server, oldest first, on the grid of ``volume``."""
    import pydicom

    versions = []
    for entry in find(config, "SERIES", protocol, StudyInstanceUID=study_uid, Modality="SEG"):
        if entry.get("Modality", "SEG") != "SEG":
            continue
        folder = retrieve(config, study_uid, entry["SeriesInstanceUID"], cache, protocol)
        for file in sorted(folder.glob("*.dcm")):
            ds = pydicom.dcmread(file, stop_before_pixels=True)
            referenced = [str(item.get("SeriesInstanceUID", ""))
                          for item in ds.get("ReferencedSeriesSequence", []) or []]
            if series_uid not in referenced:
                continue
            versions.append(ReaderVersion(
                reader=str(ds.get("ContentCreatorName", "") or "(unknown reader)"), model=_model(ds),
                description=str(ds.get("SeriesDescription", "")),
                created=f"{ds.get('ContentDate', '')}{ds.get('ContentTime', '')}",
                seg_series_uid=str(ds.SeriesInstanceUID), path=file,
                labels=load_seg(file, volume=volume)))
    versions.sort(key=lambda v: v.created)
    return versions
