"""`pacs readers` and `pacs adjudicate` with SEGs on the server that name no reader: until session
35 they were one reader "(unknown reader)", the latest alone listed and compared. Now each is a
reader of its own, named apart (``unnamed: 2026-12-01 14:30``), and
``--take`` takes one by that name. Against the tests' Orthanc, as test_pacs_readers.py."""

from __future__ import annotations

import json

import numpy as np
import pydicom
from pacs_readers_helpers import series_on_lab
from pacs_series import uids

from neuroview.cli.main import main
from neuroview.core.labels import LabelMap
from neuroview.io.pacs import store
from neuroview.io.seg import read_series_headers, save_seg

WHEN = {"unnamed: 2026-12-01 10:15": ("20261201", "101500"),
        "unnamed: 2026-12-01 14:30": ("20261201", "143000"),
        "unnamed: 2026-12-02 09:00": ("20261202", "090000")}


def test_unnamed_segs_on_the_server_are_readers_of_their_own(empty_orthanc, small_series, tmp_path,
                                                             monkeypatch, capsys):
    study, series = uids(small_series)
    config, _cache, source, volume = series_on_lab(empty_orthanc, small_series.folder, study, series,
                                                   tmp_path, monkeypatch)
    masks = {}
    for n, (name, (day, time)) in enumerate(WHEN.items()):
        mask = np.zeros(volume.shape[:3], np.uint8)
        mask[4 + n:12 + n, 4:12, 3:8] = 1
        path = tmp_path / f"unnamed{n}.dcm"
        save_seg(LabelMap(mask, volume.ijk_to_ras), read_series_headers([source]), path)
        ds = pydicom.dcmread(path)
        ds.ContentDate, ds.ContentTime = day, time
        ds.save_as(path)
        masks[name] = mask > 0
    store(config, [tmp_path / f"unnamed{n}.dcm" for n in range(3)])

    assert main(["pacs", "readers", "--server", "lab", "--series", series]) == 0
    out = capsys.readouterr().out
    assert [line.split("\t")[0] for line in out.splitlines()[:3]] == list(WHEN)
    assert "unknown reader" not in out
    assert sum(1 for line in out.splitlines() if "\tsensitivity " in line) == 3

    record = tmp_path / "adjudication.json"
    taken = "unnamed: 2026-12-01 14:30"
    assert main(["pacs", "adjudicate", "--server", "lab", "--series", series, "--take", f"1={taken}",
                 "--adjudicator", "Sam Senior", "--provenance", str(record)]) == 0
    provenance = json.loads(record.read_text())
    assert [item["taken_from"] for item in provenance["lesions"]] == [taken]
    assert [r["reader"] for r in provenance["readers"]] == list(WHEN)
