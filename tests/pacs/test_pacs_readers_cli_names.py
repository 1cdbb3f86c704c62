"""`pacs readers` and `pacs adjudicate` name readers as people write them (Ann Smith, was
Smith^Ann) and `--take` takes any spelling of one (Ann Smith, Smith, Ann, Smith^Ann); the
provenance JSON keeps DICOM's form. Against the tests' Orthanc, as test_pacs_readers.py."""

from __future__ import annotations

import json
import re

import numpy as np
from pacs_readers_helpers import adjudicated_series, ann_and_bob, save_readers, series_on_lab
from pacs_series import uids

from neuroview.cli.main import main
from neuroview.io.pacs import retrieve
from neuroview.io.seg import load_seg


def _two_readers(orthanc, small_series, tmp_path, monkeypatch):
    study, series = uids(small_series)
    config, cache, source, volume = series_on_lab(orthanc, small_series.folder, study, series,
                                                  tmp_path, monkeypatch)
    ann, bob = ann_and_bob(volume.shape)
    save_readers(config, source, volume, {"Smith^Ann": ann, "Jones^Bob": bob})
    return config, cache, volume, study, series, ann, bob


def test_readers_and_adjudicate_name_readers_as_people_write_them(empty_orthanc, small_series, tmp_path,
                                                                  monkeypatch, capsys):
    config, cache, volume, study, series, ann, bob = _two_readers(empty_orthanc, small_series, tmp_path,
                                                                  monkeypatch)
    assert main(["pacs", "readers", "--server", "lab", "--series", series]) == 0
    out = capsys.readouterr().out
    assert "^" not in out
    rows = [line.split("\t") for line in out.splitlines()]
    assert sorted(row[0] for row in rows[:2]) == ["Ann Smith", "Bob Jones"]   # one line per reader
    # when each SEG was made, as the CLI says times (it printed DICOM's 20261207060310.170640)
    assert all(re.fullmatch(r"\d\d:\d\d today|yesterday \d\d:\d\d", row[2]) for row in rows[:2]), rows[:2]
    pair = next(row for row in rows if len(row) == 6 and row[0] != "reader A")
    assert sorted(pair[:2]) == ["Ann Smith", "Bob Jones"]
    assert {line.split("\t")[0].split(": ", 1)[1] for line in out.splitlines() if "\tsensitivity " in line} \
        == {"Ann Smith", "Bob Jones"}

    base = ["pacs", "adjudicate", "--server", "lab", "--series", series]
    assert main(base) == 0
    listing = capsys.readouterr().out
    assert "^" not in listing and "lesion 2: voxels Ann Smith 18, Bob Jones 0" in listing

    record = tmp_path / "adjudication.json"
    assert main(base + ["--take", "1=Bob Jones", "--take", "2=Smith, Ann", "--adjudicator", "Sam Senior",
                        "--provenance", str(record)]) == 0
    capsys.readouterr()
    provenance = json.loads(record.read_text())   # a machine reads it: DICOM's form
    assert {item["lesion"]: item["taken_from"] for item in provenance["lesions"]} == \
        {1: "Jones^Bob", 2: "Smith^Ann"}
    (sent,) = adjudicated_series(config, study)
    (seg_file,) = retrieve(config, study, sent["SeriesInstanceUID"], cache).glob("*.dcm")
    expected = bob > 0   # Bob's outline of the big lesion and Ann's small one
    expected[16:19, 2:5, 9:11] = True
    assert np.array_equal(load_seg(seg_file, volume=volume).array > 0, expected)


def test_take_refuses_a_name_of_no_reader_in_one_line_listing_the_readers(empty_orthanc, small_series,
                                                                          tmp_path, monkeypatch, capsys):
    config, _cache, _volume, study, series, _ann, _bob = _two_readers(empty_orthanc, small_series,
                                                                      tmp_path, monkeypatch)
    base = ["pacs", "adjudicate", "--server", "lab", "--series", series, "--adjudicator", "Sam Senior"]
    assert main(base + ["--take", "1=Ann Jones", "--take", "2=consensus"]) == 1
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert "'Ann Jones'" in error and "Ann Smith, Bob Jones" in error and "^" not in error
    assert adjudicated_series(config, study) == []   # nothing sent
    # Smith^Ann, as DICOM writes her, is taken too
    assert main(base + ["--take", "1=Smith^Ann", "--take", "2=NONE"]) == 0
    assert len(adjudicated_series(config, study)) == 1


def test_take_names_a_reader_called_consensus_with_reader_prefix(empty_orthanc, small_series, tmp_path,
                                                                  monkeypatch, capsys):
    """A reader named Consensus: '--take 2=Consensus' took the STAPLE consensus (the word, in any
    case), and no spelling named the reader. 'reader:Consensus' does; 'consensus' stays the
    consensus, and the listing says how to name such a reader."""
    study, series = uids(small_series)
    config, cache, source, volume = series_on_lab(empty_orthanc, small_series.folder, study, series,
                                                  tmp_path, monkeypatch)
    ann = np.zeros(volume.shape[:3], np.uint8)
    ann[4:12, 4:12, 3:8] = 1
    called_consensus = ann.copy()
    called_consensus[16:19, 2:5, 9:11] = 1   # a small lesion only the reader Consensus saw
    save_readers(config, source, volume, {"Smith^Ann": ann, "Consensus": called_consensus})
    base = ["pacs", "adjudicate", "--server", "lab", "--series", series]
    assert main(base) == 0
    assert "the reader Consensus: --take N=reader:Consensus" in capsys.readouterr().out
    record = tmp_path / "adjudication.json"
    assert main(base + ["--take", "1=consensus", "--take", "2=reader:Consensus",
                        "--adjudicator", "Sam Senior", "--provenance", str(record)]) == 0
    capsys.readouterr()
    provenance = json.loads(record.read_text())
    assert {item["lesion"]: (item["taken_from"], item["from_reader"]) for item in provenance["lesions"]} == \
        {1: ("consensus", False), 2: ("Consensus", True)}
    (sent,) = adjudicated_series(config, study)
    (seg_file,) = retrieve(config, study, sent["SeriesInstanceUID"], cache).glob("*.dcm")
    # lesion 1 drawn alike by both (the consensus), lesion 2 the reader Consensus' own outline
    assert np.array_equal(load_seg(seg_file, volume=volume).array > 0, called_consensus > 0)
