"""An accepted AI click object records where its segment came from: origin ``"interactive"``,
the model that answered and the prompts given, in the same undo step as its voxels, in the
segment sidecar (save and reopen), in a DICOM SEG (SEMIAUTOMATIC) and in the training-set
provenance. (The crash journal: tests/app/test_prompting.py, the SIGKILL test.)"""

import dataclasses
import json

import pytest
from prompt_blobs import blobs  # noqa: F401

from neuroview import Session
from neuroview.ai.interactive.baseline import GrowPromptModel


def test_accept_records_model_and_prompts_and_undo_restores_drawn(blobs):  # noqa: F811
    session = Session.open(blobs[0])
    lesion = session.segments.add("lesion")
    assert session.segments.get(lesion).made_by == "drawn"
    model = GrowPromptModel()
    session.prompt(lesion, point=(0, 0, 0), model=model)
    session.prompt(lesion, point=(20, 0, 0), model=model)
    session.accept_preview()
    made = session.segments.get(lesion)
    assert (made.origin, made.model, made.prompts) == ("interactive", "grow-from-seeds", {"point+": 2})
    assert made.made_by == "AI click grow-from-seeds, 2 prompts"
    session.prompt(lesion, point=(20, 0, 0), include=False, model=model)   # a second object
    session.accept_preview()
    assert session.segments.get(lesion).prompts == {"point+": 2, "point-": 1}
    session.undo()                                                          # Ctrl+Z after Enter
    assert session.segments.get(lesion).prompts == {"point+": 2}
    session.undo()
    first = session.segments.get(lesion)
    assert (first.origin, first.model, first.prompts, first.made_by) == ("human", "", {}, "drawn")
    assert not session.labels.array.any()
    session.redo()
    assert session.segments.get(lesion).prompts == {"point+": 2}


def test_a_model_proposal_corrected_with_ai_click_stays_the_models(blobs):  # noqa: F811
    session = Session.open(blobs[0])
    lesion = session.segments.add("lesion")
    session.labels.segments.put(dataclasses.replace(lesion, origin="model", model="unet@1"))  # as a run
    session.prompt(lesion, point=(0, 0, 0), model=GrowPromptModel())
    session.accept_preview()
    kept = session.segments.get(lesion)
    assert (kept.origin, kept.model, kept.prompts) == ("model", "unet@1", {"point+": 1})  # and refined
    assert kept.made_by == "unet@1 + AI click, 1 prompt"


def test_the_source_survives_save_and_reopen_and_reaches_the_training_set(blobs, tmp_path,  # noqa: F811
                                                                          monkeypatch):
    from neuroview.app.case import Case
    from neuroview.dataset.layout import init_dataset

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    session = Session.open(blobs[0])
    lesion = session.segments.add("lesion")
    session.prompt(lesion, point=(0, 0, 0), model=GrowPromptModel())
    session.prompt(lesion, box=((-6, -6, 0), (6, 6, 0)), plane="axial", model=GrowPromptModel())
    session.accept_preview()
    saved = session.save_labels(tmp_path / "lesion.nii.gz")
    sidecar = json.loads(saved.with_name("lesion.segments.json").read_text())
    assert any(s.get("origin") == "interactive" and s.get("prompts") == {"point+": 1, "box+": 1}
               for s in (sidecar if isinstance(sidecar, list) else sidecar["segments"]))

    case = Case(Session.open(blobs[0]))          # a new session: no AI click step in its history
    case.session.load_labels(saved)
    reopened = case.session.segments.get("lesion")
    assert (reopened.origin, reopened.model, reopened.prompts) == \
        ("interactive", "grow-from-seeds", {"point+": 1, "box+": 1})
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    record = case.send_to_training_set(folder, annotator="a")
    stored = json.loads((folder / "provenance" / f"{record.case}.json").read_text())
    assert stored["interaction"]["segments"] == \
        {"lesion": {"model": "grow-from-seeds", "prompts": {"point+": 1, "box+": 1}}}
    assert [seg["source"] for seg in stored["segments"]] == ["interactive"]


@pytest.mark.parametrize("origin, kind", [("interactive", "SEMIAUTOMATIC"), ("model", "AUTOMATIC")])
def test_a_dicom_seg_says_semiautomatic_for_an_ai_click_segment(origin, kind):
    pytest.importorskip("highdicom")
    from neuroview.core.labels import Segment
    from neuroview.io.seg import _description

    segment = Segment(1, "lesion", (230, 25, 75), origin=origin, model="nnint@2")
    description = _description(1, segment)
    assert description.SegmentAlgorithmType == kind
    assert description.SegmentationAlgorithmIdentificationSequence[0].AlgorithmName == "nnint"


def test_a_sidecar_with_odd_prompts_reads_as_none():
    from neuroview.core.labels import Segment

    for odd in (None, [1, 2], "3"):
        segment = Segment.from_dict({"value": 1, "name": "a", "color": [1, 2, 3], "origin": "interactive",
                                     "model": "m@1", "prompts": odd})
        assert segment.prompts == {} and segment.made_by == "AI click m@1, 0 prompts"


def test_a_sidecar_with_odd_prompt_counts_keeps_the_good_ones(tmp_path):
    """A count that is not a whole number >= 0 (text, null, 1e999, -3, true) is left out; it made
    the whole segment table unreadable (or, 1e999, an OverflowError: 'internal error')."""
    import json

    from neuroview.app.label_files import read_sidecar

    odd = {"point+": 2, "box+": "two", "scribble+": None, "point-": 1e999, "box-": -3, "lasso+": True}
    path = tmp_path / "mask.segments.json"
    path.write_text(json.dumps([{"value": 1, "name": "a", "color": [1, 2, 3], "origin": "interactive",
                                 "model": "m@1", "prompts": odd}]).replace("1e+999", "1e999"))
    segment = read_sidecar(path)[1]
    assert segment.prompts == {"point+": 2} and segment.made_by == "AI click m@1, 2 prompts"
