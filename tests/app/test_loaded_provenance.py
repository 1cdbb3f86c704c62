"""Labels loaded from a file are recorded as loaded, not as drawn by hand: sent with no edit they
are ``source: loaded`` (the segment list names the file; the dataset does not), not hand edited,
0 changed voxels; a brush stroke after the load makes them hand edited with that stroke's voxels
as the changed ones. A model's mask loaded from its file (``neuroview segment``'s output, whose
``.segments.json`` names the model) is measured against the mask as loaded: proposal voxels, Dice
and changed voxels, as after *AI > Segment with a model...*; until session 42 every figure was
``null``, so the lead's segment-then-correct workflow had none in ``dataset list``."""

import numpy as np
import pytest

from neuroview.app.case import Case
from neuroview.app.label_files import save_label_files
from neuroview.app.session import Session
from neuroview.cli import main as cli_main
from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.core.volume import Volume
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.provenance import read_record
from neuroview.io.nifti import save_nifti

SHAPE = (32, 32, 16)
AFFINE = np.diag([1.0, 1.0, 2.0, 1.0])


@pytest.fixture
def case(tmp_path):
    image = np.random.default_rng(0).normal(100, 5, SHAPE).astype(np.float32)
    c = Case(Session(Volume(image, AFFINE), tmp_path / "ws"), tmp_path / "ws")
    yield c
    c.close()


@pytest.fixture
def truth(tmp_path):
    mask = np.zeros(SHAPE, np.uint8)
    mask[4:14, 4:14, 4:10] = 1          # 600 voxels
    path = tmp_path / "colleague" / "case_truth.nii.gz"
    path.parent.mkdir()
    save_nifti(mask, AFFINE, path)
    return path, mask


def sent(case, tmp_path):
    dataset = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    record = case.send_to_training_set(dataset, "dr.a", label_for={"Segment 1": "lesion"})
    on_disk = read_record(dataset / "provenance" / f"{record.case}.json")
    assert on_disk == record
    return {s.name: s for s in on_disk.segments}["lesion"], on_disk


def listed(tmp_path, capsys) -> str:
    capsys.readouterr()
    assert cli_main.main(["dataset", "list", str(next(tmp_path.glob("Dataset*")))]) == 0
    return capsys.readouterr().out


def test_loaded_labels_sent_unedited_are_loaded_not_drawn(case, truth, tmp_path, capsys):
    path, mask = truth
    case.clock.seconds = 0.0
    case.clock._last -= 30.0   # 30 s since opening the case: choosing the file, reading it
    case.session.load_labels(path)
    segment = case.session.segments.get(1)
    assert segment.origin == "loaded" and segment.made_by == "file case_truth.nii.gz"

    lesion, record = sent(case, tmp_path)
    assert lesion.source == "loaded"
    assert not lesion.hand_edited
    assert lesion.changed_voxels == 0
    assert lesion.final_voxels == 600
    assert record.editing_seconds < 5   # loading is no editing (it counted the 30 s)
    assert "case_truth" not in record.to_json()   # a source file name may name the patient
    assert "lesion (loaded) 600 vox changed 0" in listed(tmp_path, capsys)


def test_a_stroke_after_loading_counts_only_its_own_voxels(case, truth, tmp_path, capsys):
    path, mask = truth
    case.session.load_labels(path)
    before = case.session.labels.array.copy()
    far = case.session.volume.ijk_to_ras @ np.array([24.0, 24.0, 8.0, 1.0])
    case.session.apply("paint", at_ras=far[:3], radius_mm=3, segment=1, mode="3d")
    stroke = int(np.count_nonzero(case.session.labels.array != before))
    assert stroke > 0
    assert case.session.segments.get(1).made_by == "file case_truth.nii.gz + drawn"

    lesion, _ = sent(case, tmp_path)
    assert lesion.source == "loaded" and lesion.hand_edited
    assert lesion.changed_voxels == stroke
    assert lesion.final_voxels == 600 + stroke
    assert f"lesion (loaded, corrected by hand) {600 + stroke} vox changed {stroke}" in \
        listed(tmp_path, capsys)


@pytest.fixture
def model_mask(tmp_path):
    """The model's mask as ``neuroview segment`` writes it: 600 voxels of 'lesion', the sidecar
    naming lesionseg@2.5.1."""
    mask = np.zeros(SHAPE, np.uint8)
    mask[4:14, 4:14, 4:10] = 1
    table = SegmentTable()
    table.add("lesion", color=(255, 64, 0), value=1, origin="model", model="lesionseg@2.5.1")
    path = tmp_path / "proposals" / "case_seg.nii.gz"
    path.parent.mkdir()
    save_label_files(LabelMap(mask, AFFINE, table), AFFINE, path)
    return path, mask


def test_a_loaded_model_mask_corrected_is_measured_against_the_mask_as_loaded(case, model_mask, tmp_path,
                                                                              capsys):
    path, mask = model_mask
    case.session.load_labels(path)
    assert case.session.segments.get(1).origin == "model"
    far = AFFINE @ np.array([24.0, 24.0, 8.0, 1.0])
    case.session.apply("paint", at_ras=far[:3], radius_mm=3, segment=1, mode="3d")
    final = case.session.labels.array == 1
    added = int(np.count_nonzero(final & (mask == 0)))
    assert added > 0 and np.all(final[mask == 1])

    lesion, record = sent(case, tmp_path)
    assert lesion.source == "model" and lesion.hand_edited
    assert lesion.proposed_voxels == 600
    assert lesion.changed_voxels == added
    assert lesion.dice == pytest.approx(2 * 600 / (600 + 600 + added), abs=1e-6)
    assert record.model == {"name": "lesionseg", "version": "2.5.1"}
    assert f"lesion (model, corrected by hand) {600 + added} vox dice {lesion.dice:.3f} changed {added}" \
        in listed(tmp_path, capsys)


def test_a_loaded_model_mask_sent_as_it_is_has_dice_one(case, model_mask, tmp_path):
    path, _ = model_mask
    case.session.load_labels(path)
    lesion, _ = sent(case, tmp_path)
    assert lesion.source == "model" and not lesion.hand_edited
    assert (lesion.proposed_voxels, lesion.changed_voxels, lesion.dice) == (600, 0, 1.0)


def test_the_edits_by_hand_are_counted_for_the_effort_report(case, model_mask, tmp_path, capsys):
    """The strokes kept are counted (``hand_edits``; a load, a model's result or a stroke taken
    back with Ctrl+Z is none) and ``dataset list`` says it beside the editing time: until session
    42 nothing recorded how many corrections a case took."""
    path, _ = model_mask
    case.session.load_labels(path)
    for i, at in enumerate(([24.0, 24.0, 8.0], [26.0, 4.0, 8.0], [6.0, 6.0, 6.0])):
        far = AFFINE @ np.array([*at, 1.0])
        case.session.apply("paint" if i < 2 else "erase", at_ras=far[:3], radius_mm=2, segment=1, mode="3d")
    case.session.apply("paint", at_ras=(AFFINE @ np.array([28.0, 28.0, 4.0, 1.0]))[:3], radius_mm=2,
                       segment=1, mode="3d")
    case.session.undo()                               # taken back: no correction kept
    _, record = sent(case, tmp_path)
    assert record.hand_edits == 3
    assert "3 edits by hand" in listed(tmp_path, capsys)
