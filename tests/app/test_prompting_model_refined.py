"""A model's mask refined with AI click says so: accepting an AI click object on a model's segment
keeps the model as its maker and records the prompts (``Segment.ai_clicked``), in the same undo
step as the voxels. A DICOM SEG then says SEMIAUTOMATIC with the model as algorithm and
AlgorithmParameters ``refined_by=AI click`` (read back by highdicom, pydicom and neuroview), and
the training set's record says ``ai_click``. Until session 27 such a mask went out AUTOMATIC, as
if nobody had touched it."""

import json

import highdicom as hd
import numpy as np
import pydicom
from refined_prompts import MODEL, refined  # noqa: F401  (refined: a fixture)

from neuroview import Session
from neuroview.ai.interactive.baseline import GrowPromptModel
from neuroview.dataset.layout import init_dataset
from neuroview.io.seg import load_seg
from tests.dataset.fake_dicom import make_ct_series


def _seg_of(case, path):
    case.save_seg(path)
    return hd.seg.segread(path).get_segment_description(1)


def test_a_model_mask_refined_by_ai_click_reads_so_and_undo_takes_it_back(refined):  # noqa: F811
    case, _array = refined
    session = case.session
    made = session.segments["lesion"]
    assert (made.origin, made.model, made.prompts, made.drawn) == ("model", MODEL, {"point+": 1}, False)
    assert made.made_by == "lesionnet@1.0 + AI click, 1 prompt"
    session.undo()                                                # Ctrl+Z of the accept
    assert session.segments["lesion"].made_by == MODEL and not session.segments["lesion"].prompts
    session.redo()
    assert session.segments["lesion"].made_by == "lesionnet@1.0 + AI click, 1 prompt"
    session.apply("paint", at_ras=tuple((session.volume.ijk_to_ras @ [10, 14, 4, 1])[:3]),
                  radius_mm=1.0, mode="2d", segment="lesion")     # and a brush stroke after
    assert session.segments["lesion"].made_by == "lesionnet@1.0 + drawn + AI click, 1 prompt"


def test_the_seg_says_semiautomatic_with_the_model_and_ai_click(refined, tmp_path):  # noqa: F811
    case, _array = refined
    description = _seg_of(case, tmp_path / "refined.dcm")
    assert description.algorithm_type.value == "SEMIAUTOMATIC"
    algorithm = description.algorithm_identification
    assert (algorithm.name, algorithm.version) == ("lesionnet", "1.0")
    assert algorithm.parameters == {"proposed_by": "model", "refined_by": "AI click", "prompts": "point+:1"}
    ds = pydicom.dcmread(tmp_path / "refined.dcm")
    assert str(ds.SegmentSequence[0].SegmentAlgorithmType) == "SEMIAUTOMATIC"
    back = load_seg(tmp_path / "refined.dcm", case.session.volume).segments.get(1)
    assert (back.origin, back.prompts, back.made_by) == \
        ("model", {"point+": 1}, "lesionnet@1.0 + AI click, 1 prompt")

    case.session.undo()                                           # the accept taken back
    description = _seg_of(case, tmp_path / "proposed.dcm")
    assert description.algorithm_type.value == "AUTOMATIC"
    assert description.algorithm_identification.parameters is None


def test_the_training_set_records_the_ai_click(refined, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    case, _array = refined
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"], channels=["CT"])
    record = case.send_to_training_set(folder, annotator="a")
    stored = json.loads((folder / "provenance" / f"{record.case}.json").read_text())
    assert [(s["source"], s["ai_click"], s["hand_edited"]) for s in stored["segments"]] == \
        [("model", True, False)]
    item = stored["segments"][0]   # the proposal's 32 voxels all kept, the click's added
    assert item["proposed_voxels"] == 32 and item["changed_voxels"] == item["final_voxels"] - 32 > 0
    assert 0 < item["dice"] < 1
    assert stored["interaction"]["segments"] == {"lesion": {"proposed_by": MODEL, "prompts": {"point+": 1}}}


def test_the_model_run_again_drops_the_mark(refined):  # noqa: F811
    case, _array = refined
    session = case.session
    proposal = np.zeros(session.labels.shape, np.uint8)
    proposal[14:18, 12:16, 3:5] = 1
    session.apply_model_result(proposal, {1: "lesion"}, MODEL)
    assert session.segments["lesion"].made_by == MODEL


def _refined_session(folder, **options):
    session = Session.open(folder, **options)
    proposal = np.zeros(session.labels.shape, np.uint8)
    proposal[14:18, 12:16, 3:5] = 1
    session.apply_model_result(proposal, {1: "lesion"}, MODEL)
    session.prompt("lesion", point=tuple((session.volume.ijk_to_ras @ [16, 14, 4, 1])[:3]),
                   model=GrowPromptModel())
    session.accept_preview()
    return session


def test_the_mark_survives_a_restore_and_save_and_reopen(tmp_path):
    folder = tmp_path / "ct"
    make_ct_series(folder)
    session = _refined_session(folder, workspace=tmp_path / "ws")
    session.journal.close()                                       # killed: the journal restores
    restored = Session.open(folder, workspace=tmp_path / "ws")
    assert restored.segments["lesion"].made_by == "lesionnet@1.0 + AI click, 1 prompt"
    restored.undo()
    assert restored.segments["lesion"].made_by == MODEL
    restored.close()
    saved = _refined_session(folder).save_labels(tmp_path / "lesion.nii.gz")
    reopened = Session.open(folder)
    reopened.load_labels(saved)                                   # the sidecar keeps the prompts
    assert reopened.segments["lesion"].made_by == "lesionnet@1.0 + AI click, 1 prompt"
