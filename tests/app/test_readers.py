"""Compare readers and adjudicate without Qt or a server: local SEGs of a series, their agreement
checked against independent computations, the adjudicated case with its provenance."""

from __future__ import annotations

import json

import numpy as np
import pydicom
import pytest
from scipy.spatial import cKDTree

from neuroview.app.case import Case
from neuroview.app.readers import (
    AdjudicationPlan,
    apply_adjudication,
    compare_readers,
    provenance_path,
    save_adjudicated_seg,
)
from neuroview.core.labels import LabelMap
from neuroview.dataset.adjudication import CONSENSUS, NOTHING
from neuroview.io.seg import load_seg, save_seg
from tests.app.readers_series import readers_series, save_reader


def _surface_points_mm(mask, spacing):
    """Voxels of ``mask`` with a face neighbour outside it, in mm (a loop, not scipy's erosion)."""
    padded = np.pad(mask, 1)
    inside = padded[1:-1, 1:-1, 1:-1]
    border = np.zeros_like(inside)
    for axis in range(3):
        for step in (-1, 1):
            border |= ~np.roll(padded, step, axis=axis)[1:-1, 1:-1, 1:-1]
    return np.argwhere(inside & border) * np.asarray(spacing)


def _hd95_brute_force(a, b, spacing) -> float:
    pa, pb = _surface_points_mm(a, spacing), _surface_points_mm(b, spacing)
    a_to_b = cKDTree(pb).query(pa)[0]
    b_to_a = cKDTree(pa).query(pb)[0]
    return max(np.percentile(a_to_b, 95), np.percentile(b_to_a, 95))


@pytest.fixture
def three_readers(tmp_path, mni_volume):
    """A series in study/series/, three readers' SEGs: two beside the folder, one inside it, and
    an adjudicated SEG that is not a reader's."""
    volume, headers = readers_series(tmp_path, mni_volume)
    folder = tmp_path / "study" / "series"
    ann = np.zeros(volume.shape, bool)
    ann[4:12, 4:12, 3:8] = True
    bob = np.zeros_like(ann)
    bob[6:14, 4:12, 3:8] = True
    cat = ann.copy()
    cat[16:19, 2:5, 9:11] = True  # a small lesion only Cat saw
    masks = {"Smith^Ann": ann, "Jones^Bob": bob, "Lee^Cat": cat}
    places = {"Smith^Ann": tmp_path / "study" / "ann.dcm", "Jones^Bob": tmp_path / "study" / "bob.dcm",
              "Lee^Cat": folder / "zz-cat-seg.dcm"}
    for reader, mask in masks.items():
        save_reader(volume, headers, mask, places[reader], reader)
    save_seg(LabelMap(np.ones(volume.shape, np.uint8), volume.ijk_to_ras), headers,
             tmp_path / "study" / "old-adjudication.dcm",
             series_description="Adjudicated lesions - Boss^B's version", content_creator="Boss^B")
    return volume, masks


def test_local_readers_and_their_agreement(three_readers):
    volume, masks = three_readers
    comparison = compare_readers(volume, None, "majority")
    assert comparison.readers == list(masks)  # the adjudicated SEG is not a reader's
    assert {v.found_on for v in comparison.versions} == {"this computer"}
    for reader, mask in masks.items():
        assert np.array_equal(comparison.masks[reader], mask)
    spacing = np.linalg.norm(volume.ijk_to_ras[:3, :3], axis=0)
    voxel_ml = np.prod(spacing) / 1000
    pairs = {(p.reader_a, p.reader_b): p for p in comparison.pairs}
    assert len(pairs) == 3
    for (name_a, name_b), pair in pairs.items():
        a, b = masks[name_a], masks[name_b]
        assert pair.dice == pytest.approx(2 * np.sum(a & b) / (a.sum() + b.sum()))
        assert pair.volume_difference_ml == pytest.approx((b.sum() - a.sum()) * voxel_ml)
        assert pair.hausdorff95_mm == pytest.approx(_hd95_brute_force(a, b, spacing))
    assert pairs["Smith^Ann", "Jones^Bob"].dice == pytest.approx(0.75)
    # Ann's one lesion is found by Cat; Cat's two lesions: one found -> recall 1, precision 1/2
    assert pairs["Smith^Ann", "Lee^Cat"].lesion_f1 == pytest.approx(2 * 1 * 0.5 / 1.5)
    vote = (masks["Smith^Ann"].astype(int) + masks["Jones^Bob"] + masks["Lee^Cat"]) >= 2
    assert np.array_equal(comparison.consensus.mask, vote)
    assert comparison.consensus.sensitivity["Jones^Bob"] == pytest.approx(
        np.sum(masks["Jones^Bob"] & vote) / vote.sum())
    assert comparison.consensus.specificity["Lee^Cat"] == pytest.approx(
        np.sum(~masks["Lee^Cat"] & ~vote) / np.sum(~vote))
    outlines = comparison.outlines()
    for n, reader in enumerate(comparison.readers):
        assert np.array_equal((outlines.bits >> n) & 1, masks[reader])


def test_adjudicated_case_keeps_its_provenance(three_readers, tmp_path):
    from neuroview.dataset.layout import init_dataset

    volume, masks = three_readers
    comparison = compare_readers(volume, None, "staple")
    plan = AdjudicationPlan(comparison)
    assert [sorted(n for n, v in g.voxels.items() if v) for g in plan.groups] == [
        sorted(masks), ["Lee^Cat"]]
    assert plan.options == list(masks) + [CONSENSUS, NOTHING]
    plan.choose(1, "Jones^Bob")
    assert plan.undecided() == [2]
    plan.choose(2, "Lee^Cat")
    case = Case.open(volume, workspace=tmp_path / "ws")
    apply_adjudication(case, plan, "Senior^Sam")
    expected = masks["Jones^Bob"] | (masks["Lee^Cat"] & ~masks["Smith^Ann"])
    lesion = next(s for s in case.labels.segments if s.name == "lesion")
    assert np.array_equal(case.labels.array == lesion.value, expected)
    case.session.undo()  # one undo step
    assert not case.labels.array.any()
    case.session.redo()
    # the adjudicator erases a corner of lesion 1 by hand
    ijk_to_ras = volume.ijk_to_ras
    corner_ras = ijk_to_ras[:3, :3] @ np.array([6.0, 4.0, 3.0]) + ijk_to_ras[:3, 3]
    case.session.apply("erase", at_ras=corner_ras, radius_mm=1.0, mode="2d")
    assert not case.labels.array[6, 4, 3]
    edited = int(expected.sum() - (case.labels.array == lesion.value).sum())
    assert edited > 0

    seg_path = save_adjudicated_seg(case, tmp_path / "adjudicated.dcm")
    head = pydicom.dcmread(seg_path, stop_before_pixels=True)
    assert str(head.ContentCreatorName) == "Senior^Sam"
    assert head.SeriesDescription == "Adjudicated lesions - Sam Senior's version"
    assert np.array_equal(load_seg(seg_path, volume=volume).array > 0, case.labels.array > 0)
    beside = json.loads(provenance_path(seg_path).read_text())
    assert [(x["lesion"], x["taken_from"]) for x in beside["lesions"]] == [(1, "Jones^Bob"), (2, "Lee^Cat")]

    dataset = init_dataset(tmp_path / "datasets", "Lesions", ["background", "lesion"])
    record = case.send_to_training_set(dataset)
    assert record.status == "final" and record.annotator == "Sam Senior"
    adjudication = json.loads((dataset / "provenance" / f"{record.case}.json").read_text())["adjudication"]
    assert adjudication["adjudicator"] == "Sam Senior" and adjudication["consensus"] == "STAPLE"
    assert [r["reader"] for r in adjudication["readers"]] == list(masks)
    lesions = {x["lesion"]: x for x in adjudication["lesions"]}
    assert lesions[1]["taken_from"] == "Jones^Bob" and lesions[1]["edited_voxels"] == edited
    assert lesions[2]["taken_from"] == "Lee^Cat" and lesions[2]["edited_voxels"] == 0
    assert adjudication["voxels_drawn_outside_readers_lesions"] == 0
    (segment,) = record.segments   # the adjudicator's mask, their erasure counted against it
    assert (segment.source, segment.hand_edited, segment.changed_voxels, segment.dice) == (
        "adjudicated", True, edited, None)
    case.close()


def test_an_adjudicated_lesion_drops_the_marks_of_the_edits_it_replaced(three_readers, tmp_path, capsys):
    """A model's lesion corrected by hand, then adjudicated (no edit after): the record says
    ``adjudicated``, nothing changed, no model, no Dice. It kept the marks of the edits it
    replaced: ``dataset list`` read "corrected by hand ... dice 1.000 changed 0" in the walk."""
    from neuroview.cli.main import main
    from neuroview.dataset.layout import init_dataset

    volume, masks = three_readers
    plan = AdjudicationPlan(compare_readers(volume, None, "staple"))
    plan.choose(1, "Jones^Bob")
    plan.choose(2, NOTHING)
    case = Case.open(volume, workspace=tmp_path / "ws")
    case.apply_model_result(masks["Smith^Ann"].astype(np.uint8), {1: "lesion"}, "tiny@1.0")
    case.session.active_segment = 1
    case.session.apply("paint", at_ras=volume.center_ras, radius_mm=8.0, mode="2d")   # corrected
    assert next(s for s in case.labels.segments if s.name == "lesion").drawn
    apply_adjudication(case, plan, "Sam Senior")
    dataset = init_dataset(tmp_path / "datasets", "Lesions", ["background", "lesion"])
    record = case.send_to_training_set(dataset)
    case.close()
    (segment,) = record.segments
    assert (segment.source, segment.hand_edited, segment.changed_voxels, segment.dice) == (
        "adjudicated", False, 0, None)
    assert segment.final_voxels == int(masks["Jones^Bob"].sum()) and record.model is None
    assert main(["dataset", "list", str(dataset)]) == 0
    line = capsys.readouterr().out.splitlines()[1]
    assert f"  model -  by Sam Senior  lesion (adjudicated) {segment.final_voxels} vox changed 0  (" in line


def test_a_broken_seg_is_left_out_with_one_line(three_readers, tmp_path):
    volume, masks = three_readers
    whole = (tmp_path / "study" / "ann.dcm").read_bytes()
    (tmp_path / "study" / "broken.dcm").write_bytes(whole[: len(whole) - 200])  # cut short
    comparison = compare_readers(volume, None, "staple")
    assert comparison.readers == list(masks)
    (problem,) = comparison.problems
    assert "broken.dcm" in problem and "\n" not in problem


def test_an_image_that_is_not_dicom_has_its_label_files_for_readers(mni_volume):
    """No SEG refers to a NIfTI image: its readers are its label files (``app.label_readers``,
    ``tests/app/test_label_file_readers.py``); the demo's ground truth has no sidecar, no reader."""
    assert compare_readers(mni_volume, None).readers == []


def test_a_seg_declaring_more_than_memory_is_left_out_with_one_line(three_readers, tmp_path):
    """What ``pacs readers`` prints and the readers window shows under 'Left out:'."""
    volume, masks = three_readers
    ds = pydicom.dcmread(tmp_path / "study" / "ann.dcm")
    ds.Rows, ds.Columns, ds.NumberOfFrames = 4096, 4096, 1_000_000
    ds.save_as(tmp_path / "study" / "huge.dcm")
    comparison = compare_readers(volume, None, "staple")
    (problem,) = comparison.problems
    assert problem.startswith(f"{tmp_path / 'study' / 'huge.dcm'}: the DICOM SEG's frames needs ")
    assert "\n" not in problem
