"""Send to training set records, per segment, what the model proposed and what a person changed
(issue #10, item 2): a hand-drawn segment is "drawn", never a model proposal with Dice 1.0."""

import json

import numpy as np
import pytest

from neuroview.app.case import Case
from neuroview.app.proposal import PROPOSAL_FILE
from neuroview.app.session import Session
from neuroview.core.volume import Volume
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.provenance import read_record

SHAPE = (32, 32, 16)


@pytest.fixture
def case(tmp_path):
    image = np.random.default_rng(0).normal(100, 5, SHAPE).astype(np.float32)
    c = Case(Session(Volume(image, np.diag([1.0, 1.0, 2.0, 1.0])), tmp_path / "ws"), tmp_path / "ws")
    yield c
    c.close()


@pytest.fixture
def dataset(tmp_path):
    return init_dataset(tmp_path, "Lesions", ["background", "lesion", "vessel"])


def model_output():
    out = np.zeros(SHAPE, np.uint8)
    out[4:14, 4:14, 4:10] = 1          # 600 voxels of "lesion"
    return out


def draw_vessel(case):
    vessel = case.session.segments.add("vessel")
    case.session.labels.array[20:26, 20:26, 2:6] = vessel.value   # 144 voxels, by hand
    case.session.counts.invalidate()
    return vessel


def record_of(case, dataset, tmp_path):
    record = case.send_to_training_set(dataset, "dr.a")
    on_disk = read_record(dataset / "provenance" / f"{record.case}.json")
    assert on_disk == record
    return {s.name: s for s in on_disk.segments}


def dice(a, b):
    return 2 * np.count_nonzero(a & b) / (np.count_nonzero(a) + np.count_nonzero(b))


def correct_lesion(case):
    """The person erases two slices of the model's lesion and adds a strip next to it."""
    lesion = case.session.segments["lesion"].value
    case.session.labels.array[4:14, 4:14, 8:10] = 0
    case.session.labels.array[14:16, 4:14, 4:8] = lesion
    case.session.counts.invalidate()
    return case.session.labels.array == lesion


@pytest.mark.parametrize("drawn_first", [True, False], ids=["drawn-before-model", "drawn-after-model"])
def test_hand_drawn_segment_is_drawn_and_the_model_segment_is_compared(case, dataset, tmp_path,
                                                                       drawn_first):
    if drawn_first:
        draw_vessel(case)
    case.apply_model_result(model_output(), {1: "lesion"}, model="lesionseg@1.1.0")
    if not drawn_first:
        draw_vessel(case)
    final_lesion = correct_lesion(case)
    segments = record_of(case, dataset, tmp_path)

    vessel = segments["vessel"]
    assert vessel.source == "drawn"
    assert vessel.dice is None and vessel.proposed_voxels is None
    assert vessel.final_voxels == vessel.changed_voxels == 144   # every voxel drawn by a person

    lesion = segments["lesion"]
    proposed = model_output() == 1
    assert lesion.source == "model"
    assert lesion.proposed_voxels == 600
    assert lesion.final_voxels == int(final_lesion.sum()) == 480
    assert lesion.changed_voxels == int(np.count_nonzero(proposed ^ final_lesion)) == 280
    assert lesion.dice == pytest.approx(dice(proposed, final_lesion), abs=1e-6)


def test_uncorrected_model_result_has_dice_one_and_nothing_changed(case, dataset, tmp_path):
    case.apply_model_result(model_output(), {1: "lesion"}, model="lesionseg@1.1.0")
    segments = record_of(case, dataset, tmp_path)
    assert segments["lesion"].source == "model" and segments["lesion"].dice == 1.0
    assert segments["lesion"].changed_voxels == 0
    assert segments["vessel"].source == "drawn" and segments["vessel"].final_voxels == 0


def test_a_second_model_run_replaces_its_proposal_and_keeps_drawn_segments_out(case, dataset, tmp_path):
    draw_vessel(case)
    case.apply_model_result(model_output(), {1: "lesion"}, model="lesionseg@1.1.0")
    second = np.zeros(SHAPE, np.uint8)
    second[4:8, 4:8, 4:8] = 1
    case.apply_model_result(second, {1: "lesion"}, model="lesionseg@1.1.0")
    assert set(np.unique(case.proposal.array)) == {0, case.session.segments["lesion"].value}
    segments = record_of(case, dataset, tmp_path)
    assert segments["lesion"].proposed_voxels == 64 and segments["lesion"].dice == 1.0
    assert segments["vessel"].source == "drawn"


def test_an_older_snapshot_holding_drawn_voxels_is_read_as_the_model_part_only(case, dataset, tmp_path):
    draw_vessel(case)
    case.apply_model_result(model_output(), {1: "lesion"}, model="lesionseg@1.1.0")
    # The snapshot the earlier version wrote: the whole label map and table, vessel included.
    labels = case.session.labels
    meta = json.dumps({"model": "lesionseg@1.1.0", "proposed_at": "2026-12-01T10:00:00Z",
                       "segments": labels.segments.to_list()})
    np.savez_compressed(tmp_path / "ws" / PROPOSAL_FILE, labels=labels.array.copy(), meta=np.array(meta))
    reopened = Case(Session(case.volume, tmp_path / "ws2"), tmp_path / "ws")
    reopened.session.labels.array[...] = labels.array
    reopened.session.labels.segments = labels.segments
    segments = record_of(reopened, dataset, tmp_path)
    assert segments["vessel"].source == "drawn" and segments["vessel"].dice is None
    assert segments["lesion"].source == "model" and segments["lesion"].proposed_voxels == 600
    reopened.close()


def test_a_model_result_taken_back_is_no_proposal_of_what_was_drawn_instead(case, dataset, tmp_path):
    """Ctrl+Z of the model's result, then the lesion drawn by hand: the case was sent as a model
    correction (model lesionseg@1.1.0, lesion 'model', Dice 0.0, 744 changed voxels)."""
    case.apply_model_result(model_output(), {1: "lesion"}, model="lesionseg@1.1.0")
    case.session.undo()
    lesion = case.session.segments.add("lesion")
    case.session.labels.array[20:26, 20:26, 2:6] = lesion.value     # 144 voxels, by hand
    case.session.counts.invalidate()
    record = case.send_to_training_set(dataset, "dr.a")
    assert record.model is None
    (segment,) = [s for s in record.segments if s.name == "lesion"]
    assert segment.source == "drawn" and segment.dice is None
    assert segment.final_voxels == segment.changed_voxels == 144
