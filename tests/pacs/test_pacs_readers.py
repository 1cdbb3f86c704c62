"""Several readers' SEGs of one series on the server: found with who made them, and their agreement."""

from __future__ import annotations

import numpy as np
import pydicom
from orthanc_server import server_config

from neuroview.cli.main import main
from neuroview.core.labels import LabelMap
from neuroview.dataset.agreement import dice
from neuroview.io import load
from neuroview.io.pacs import SeriesCache, retrieve, save_server, store
from neuroview.io.pacs.readers import reader_versions
from neuroview.io.pacs.save_mask import save_mask_to_pacs


def test_reader_versions_and_agreement(empty_orthanc, small_series, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    config = server_config(empty_orthanc, name="lab")
    store(config, [small_series.folder])
    head = pydicom.dcmread(small_series.files[0], stop_before_pixels=True)
    study, series = str(head.StudyInstanceUID), str(head.SeriesInstanceUID)
    cache = SeriesCache(tmp_path / "cache")
    source = retrieve(config, study, series, cache)
    volume = load(source)
    ann = np.zeros(volume.shape[:3], np.uint8)
    ann[4:12, 4:12, 3:8] = 1
    bob = np.zeros_like(ann)
    bob[6:14, 4:12, 3:8] = 1
    masks = {"Smith^Ann": ann, "Jones^Bob": bob}
    for reader, mask in masks.items():
        save_mask_to_pacs(config, LabelMap(mask, volume.ijk_to_ras), source, reader=reader,
                          model="wmh-unet@3")
    versions = reader_versions(config, study, series, volume, cache)
    assert sorted(v.reader for v in versions) == sorted(masks)
    for version in versions:
        assert version.model == "wmh-unet@3"
        assert np.array_equal(version.labels.array > 0, masks[version.reader] > 0)

    save_server(config)
    assert main(["pacs", "readers", "--server", "lab", "--study", study, "--series", series,
                 "--consensus", "majority"]) == 0
    out = capsys.readouterr().out
    expected = dice(ann, bob)  # 6 of 8 rows shared: 0.75
    assert abs(expected - 0.75) < 1e-9
    pair_line = next(line for line in out.splitlines() if "Ann" in line and "Bob" in line and "\t0." in line)
    assert f"\t{expected:.3f}\t" in pair_line
