"""Helpers of the readers' tests against the tests' Orthanc: a series stored on the saved server
'lab', two readers' masks of it, each reader's mask sent to it as a SEG, the adjudicated SEGs
found on it."""

from __future__ import annotations

import numpy as np
from orthanc_server import server_config

from neuroview.core.labels import LabelMap
from neuroview.io import load
from neuroview.io.pacs import SeriesCache, retrieve, save_server, store
from neuroview.io.pacs.save_mask import save_mask_to_pacs


def series_on_lab(orthanc, folder, study, series, tmp_path, monkeypatch):
    """The series in ``folder`` stored on the saved server 'lab' and retrieved from it:
    (config, cache, retrieved folder, its volume)."""
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    config = server_config(orthanc, name="lab")
    save_server(config)
    store(config, [folder])
    cache = SeriesCache(tmp_path / "cache")
    source = retrieve(config, study, series, cache)
    return config, cache, source, load(source)


def ann_and_bob(shape):
    """Two readers' masks on a grid of ``shape``: Ann's box and a small lesion only she saw, Bob's
    box 2 voxels along i from hers."""
    ann = np.zeros(shape[:3], np.uint8)
    ann[4:12, 4:12, 3:8] = 1
    ann[16:19, 2:5, 9:11] = 1
    bob = np.zeros_like(ann)
    bob[6:14, 4:12, 3:8] = 1
    return ann, bob


def save_readers(config, source, volume, masks, **kwargs) -> None:
    """Each reader's mask saved to the server as a SEG of the series."""
    for reader, mask in masks.items():
        save_mask_to_pacs(config, LabelMap(mask, volume.ijk_to_ras), source, reader=reader, **kwargs)


def adjudicated_series(config, study) -> list:
    from neuroview.io.pacs import find

    return [s for s in find(config, "SERIES", StudyInstanceUID=study, Modality="SEG")
            if s["SeriesDescription"].startswith("Adjudicated")]
