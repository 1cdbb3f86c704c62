"""The README's Python example of saving a corrected mask to a PACS runs as written: the server
configured once under the name ``hospital`` (``neuroview pacs add``), the mask of the source
series sent as a SEG, found on the server under the name the README gives it."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from orthanc_server import server_config

from neuroview.core.labels import LabelMap, Segment, SegmentTable
from neuroview.io import load
from neuroview.io.pacs import find, store
from neuroview.io.pacs.config import save_server

README = Path(__file__).resolve().parent.parent.parent / "README.md"


def test_the_readme_save_to_pacs_example_runs_as_written(empty_orthanc, small_series):
    blocks = [b for b in re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
              if "save_mask_to_pacs(" in b]
    assert len(blocks) == 1
    save_server(server_config(empty_orthanc, name="hospital"))   # what `neuroview pacs add` keeps
    config = server_config(empty_orthanc)
    store(config, [small_series.folder])
    volume = load(small_series.folder)
    mask = np.zeros(volume.shape[:3], dtype=np.uint8)
    mask[5:12, 6:15, 3:8] = 1
    label_map = LabelMap(mask, volume.ijk_to_ras, SegmentTable({1: Segment(1, "lesion", (255, 0, 0))}))
    code = blocks[0].replace('"/path/to/source/series"', repr(str(small_series.folder)))
    names = {"label_map": label_map}
    exec(compile(code, "README.md", "exec"), names)
    series = find(config, "SERIES", Modality="SEG")
    assert [s["SeriesInstanceUID"] for s in series] == [names["seg_series_uid"]]
    assert series[0]["SeriesDescription"] == "Lesions - Ann Smith's version (from model lesionseg@1.1.0)"
