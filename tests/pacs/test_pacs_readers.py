"""Several readers' SEGs of one series on the server: found with who made them, and their agreement."""

from __future__ import annotations

import numpy as np
from pacs_readers_helpers import adjudicated_series, ann_and_bob, save_readers, series_on_lab
from pacs_series import uids

from neuroview.cli.main import main
from neuroview.dataset.agreement import dice
from neuroview.io.pacs import retrieve
from neuroview.io.pacs.readers import reader_versions


def test_reader_versions_and_agreement(empty_orthanc, small_series, tmp_path, monkeypatch, capsys):
    study, series = uids(small_series)
    config, cache, source, volume = series_on_lab(empty_orthanc, small_series.folder, study, series,
                                                   tmp_path, monkeypatch)
    ann = np.zeros(volume.shape[:3], np.uint8)
    ann[4:12, 4:12, 3:8] = 1
    bob = np.zeros_like(ann)
    bob[6:14, 4:12, 3:8] = 1
    masks = {"Smith^Ann": ann, "Jones^Bob": bob}
    save_readers(config, source, volume, masks, model="wmh-unet@3")
    versions = reader_versions(config, study, series, volume, cache)
    assert sorted(v.reader for v in versions) == sorted(masks)
    for version in versions:
        assert version.model == "wmh-unet@3"
        assert np.array_equal(version.labels.array > 0, masks[version.reader] > 0)

    assert main(["pacs", "readers", "--server", "lab", "--study", study, "--series", series,
                 "--consensus", "majority"]) == 0
    out = capsys.readouterr().out
    expected = dice(ann, bob)  # 6 of 8 rows shared: 0.75
    assert abs(expected - 0.75) < 1e-9
    pair_line = next(line for line in out.splitlines() if "Ann" in line and "Bob" in line and "\t0." in line)
    assert f"\t{expected:.3f}\t" in pair_line
    # the series alone: its study is asked of the server, the same readers and agreement
    assert main(["pacs", "readers", "--server", "lab", "--series", series, "--consensus", "majority"]) == 0
    assert capsys.readouterr().out == out


def test_adjudicate_from_the_command_line(empty_orthanc, small_series, tmp_path, monkeypatch, capsys):
    import json

    from neuroview.io.seg import load_seg

    study, series = uids(small_series)
    config, cache, source, volume = series_on_lab(empty_orthanc, small_series.folder, study, series,
                                                   tmp_path, monkeypatch)
    ann, bob = ann_and_bob(volume.shape)
    for reader, mask, seconds in (("Smith^Ann", ann, 70.0), ("Jones^Bob", bob, 40.0)):   # their time
        save_readers(config, source, volume, {reader: mask}, work=[
            {"annotator": reader.split("^")[1].lower(), "session": reader[:8], "editing_seconds": seconds,
             "hand_edits": 2}])
    base = ["pacs", "adjudicate", "--server", "lab", "--study", study, "--series", series]
    assert main(base) == 0
    listing = capsys.readouterr().out
    assert "lesion 1: voxels" in listing and "lesion 2: voxels Ann Smith 18, Bob Jones 0" in listing
    assert main(["pacs", "adjudicate", "--server", "lab", "--series", series]) == 0   # study asked
    assert capsys.readouterr().out == listing
    record = tmp_path / "adjudication.json"
    from neuroview.dataset.layout import init_dataset

    dataset = init_dataset(tmp_path / "datasets", "Lesions", ["background", "lesion"])
    assert main(base + ["--take", "1=Jones^Bob", "--take", "2=Smith^Ann", "--adjudicator", "Sam Senior",
                        "--provenance", str(record), "--to-dataset", str(dataset)]) == 0
    taken = {item["lesion"]: item["taken_from"] for item in json.loads(record.read_text())["lesions"]}
    assert taken == {1: "Jones^Bob", 2: "Smith^Ann"}
    adjudicated = adjudicated_series(config, study)
    assert [s["SeriesDescription"] for s in adjudicated] == ["Adjudicated lesions - Sam Senior's version"]
    folder = retrieve(config, study, adjudicated[0]["SeriesInstanceUID"], cache)
    (seg_file,) = folder.glob("*.dcm")
    expected = bob > 0  # Bob's outline of the big lesion...
    expected[16:19, 2:5, 9:11] = True  # ...and Ann's small one
    assert np.array_equal(load_seg(seg_file, volume=volume).array > 0, expected)
    import pydicom

    from neuroview.io.seg_work import read_work

    kept = read_work(pydicom.dcmread(seg_file, stop_before_pixels=True))   # none until session 48
    assert [w["annotator"] for w in kept] == ["ann", "bob"]
    # ...and the same mask in the training set, final, with the readers in its provenance
    import nibabel as nib

    case = json.loads((dataset / "provenance" / "nv_0001.json").read_text())
    assert case["status"] == "final" and case["annotator"] == "Sam Senior"
    assert case["annotators"] == [{"annotator": "ann", "editing_seconds": 70.0, "hand_edits": 2},
                                  {"annotator": "bob", "editing_seconds": 40.0, "hand_edits": 2}]
    assert [(s["source"], s["changed_voxels"]) for s in case["segments"]] == [("adjudicated", 0)]
    assert sorted(r["reader"] for r in case["adjudication"]["readers"]) == ["Jones^Bob", "Smith^Ann"]
    assert {x["lesion"]: x["taken_from"] for x in case["adjudication"]["lesions"]} == taken
    labels = np.asarray(nib.load(dataset / "labelsTr" / "nv_0001.nii.gz").dataobj)
    assert np.array_equal(labels == 1, expected)


def test_adjudicate_to_a_dataset_of_another_modality_refuses_unless_allowed(empty_orthanc, small_series,
                                                                             tmp_path, monkeypatch,
                                                                             capsys):
    """An MR series adjudicated into a training set whose channel is CT: refused in one line
    before the SEG is sent (as ``dataset add``), added with ``--allow-modality-mismatch``."""
    from neuroview.dataset.layout import init_dataset
    from neuroview.dataset.store import list_cases

    study, series = uids(small_series)
    config, _, source, volume = series_on_lab(empty_orthanc, small_series.folder, study, series,
                                               tmp_path, monkeypatch)
    mask = np.zeros(volume.shape[:3], np.uint8)
    mask[4:12, 4:12, 3:8] = 1
    save_readers(config, source, volume, {"Smith^Ann": mask, "Jones^Bob": mask})
    dataset = init_dataset(tmp_path / "datasets", "Lesions", ["background", "lesion"], channels=["CT"])
    command = ["pacs", "adjudicate", "--server", "lab", "--study", study, "--series", series,
               "--take", "1=Jones^Bob", "--adjudicator", "Senior^Sam", "--to-dataset", str(dataset)]

    def adjudicated():
        return adjudicated_series(config, study)

    assert main(command) == 1
    error = capsys.readouterr().err
    assert "channel 0 of this training set is 'CT'" in error and "--allow-modality-mismatch" in error
    assert adjudicated() == [] and list_cases(dataset) == []   # nothing sent, nothing added
    assert main(command + ["--allow-modality-mismatch"]) == 0
    assert len(adjudicated()) == 1 and len(list_cases(dataset)) == 1


def test_adjudicate_to_a_dataset_refuses_burned_in_text_before_sending(empty_orthanc, tmp_path,
                                                                        monkeypatch, capsys):
    """A series whose header says its pixels show identifying text (BurnedInAnnotation YES)
    cannot go into a training set: ``--to-dataset`` refuses it in one line before the
    adjudicated SEG is sent (it was sent, and then ``dataset add``'s refusal came)."""
    from neuroview.dataset.layout import init_dataset
    from neuroview.dataset.store import list_cases
    from tests.marked_study import UIDS, write_marked_study

    study, series = UIDS["StudyInstanceUID"], UIDS["SeriesInstanceUID"]
    config, _, source, volume = series_on_lab(empty_orthanc,
                                               write_marked_study(tmp_path / "study", burned_in="YES"),
                                               study, series, tmp_path, monkeypatch)
    mask = np.zeros(volume.shape[:3], np.uint8)
    mask[20:26, 20:28, 8:12] = 1
    save_readers(config, source, volume, {"Smith^Ann": mask, "Jones^Bob": mask})
    dataset = init_dataset(tmp_path / "datasets", "Lesions", ["background", "lesion"], channels=["MRI"])
    command = ["pacs", "adjudicate", "--server", "lab", "--study", study, "--series", series,
               "--take", "1=Jones^Bob", "--adjudicator", "Senior^Sam", "--to-dataset", str(dataset)]
    assert main(command) == 1
    error = capsys.readouterr().err
    assert "BurnedInAnnotation YES" in error and len(error.strip().splitlines()) == 1
    adjudicated = adjudicated_series(config, study)
    assert adjudicated == [] and list_cases(dataset) == []   # nothing sent, nothing added
