"""A mask a person corrected by hand says so: painting, erasing or filling into a segment made by
AI click or by a model sets its ``drawn`` mark, in the same undo step as the voxels (Ctrl+Z takes
it back), kept by the journal's restore and recorded in the training set's provenance. Until
session 26 only a segment drawn *before* its AI click object was marked: one corrected by hand
after (or a model's) read ``AI click`` (or the model alone) and went to the training set as such."""

import json

import numpy as np
from prompt_blobs import blobs  # noqa: F401

from neuroview import Session
from neuroview.ai.interactive.baseline import GrowPromptModel
from neuroview.app.case import Case
from neuroview.dataset.layout import init_dataset

SMALL_BLOB_RAS = (20.0, 0.0, 0.0)


def _clicked(session):
    """An empty segment filled by one AI click on the big blob."""
    lesion = session.segments.add("lesion")
    session.prompt(lesion, point=(0, 0, 0), model=GrowPromptModel())
    session.accept_preview()
    made = session.segments.get(lesion)
    assert made.made_by == "AI click grow-from-seeds, 1 prompt" and not made.drawn
    return lesion


def test_painting_into_an_ai_click_segment_marks_it_drawn_and_undo_takes_it_back(blobs):  # noqa: F811
    session = Session.open(blobs[0])
    lesion = _clicked(session)
    clicked = session.labels.array.copy()
    session.apply("paint", at_ras=SMALL_BLOB_RAS, radius_mm=3.0, mode="3d", segment=lesion)
    assert (session.labels.array == lesion.value).sum() > (clicked == lesion.value).sum()
    made = session.segments.get(lesion)
    assert made.made_by == "drawn + AI click grow-from-seeds, 1 prompt"
    assert (made.origin, made.drawn, made.prompts) == ("interactive", True, {"point+": 1})
    session.undo()                                             # the only hand stroke
    assert np.array_equal(session.labels.array, clicked)
    assert session.segments.get(lesion).made_by == "AI click grow-from-seeds, 1 prompt"
    session.redo()
    assert session.segments.get(lesion).drawn


def test_erasing_part_of_a_models_segment_marks_it_corrected(blobs):  # noqa: F811
    session = Session.open(blobs[0])
    result = np.zeros(session.labels.shape, np.uint8)
    result[blobs[1]] = 1
    session.apply_model_result(result, {1: "lesion"}, "lesionnet@1.0")
    assert session.segments["lesion"].made_by == "lesionnet@1.0"
    session.apply("erase", at_ras=(0.0, 0.0, 0.0), radius_mm=2.0, mode="3d")
    assert (session.labels.array == 1).sum() < blobs[1].sum()
    corrected = session.segments["lesion"]
    assert (corrected.origin, corrected.drawn, corrected.made_by) == \
        ("model", True, "lesionnet@1.0 + drawn")
    session.undo()
    assert session.segments["lesion"].made_by == "lesionnet@1.0"
    session.redo()
    session.apply_model_result(result, {1: "lesion"}, "lesionnet@1.0")   # the model again: its own
    assert np.array_equal(session.labels.array == 1, blobs[1])
    assert session.segments["lesion"].made_by == "lesionnet@1.0"


def test_painting_over_a_models_segment_marks_the_segment_that_lost_voxels(blobs):  # noqa: F811
    session = Session.open(blobs[0])
    result = np.zeros(session.labels.shape, np.uint8)
    result[blobs[1]] = 1
    session.apply_model_result(result, {1: "lesion"}, "m@1")
    mine = session.segments.add("mine")
    session.apply("paint", at_ras=(0.0, 0.0, 0.0), radius_mm=2.0, mode="3d", segment=mine)
    assert session.segments["lesion"].drawn and session.segments["mine"].made_by == "drawn"
    assert not session.segments["mine"].drawn                  # a person's own: nothing to mark


def test_a_restore_keeps_the_mark(blobs, tmp_path):  # noqa: F811
    session = Session.open(blobs[0], workspace=tmp_path / "ws")
    lesion = _clicked(session)
    session.apply("paint", at_ras=SMALL_BLOB_RAS, radius_mm=3.0, mode="3d", segment=lesion)
    session.journal.close()                                    # killed: nothing saved
    restored = Session.open(blobs[0], workspace=tmp_path / "ws")
    assert restored.segments["lesion"].made_by == "drawn + AI click grow-from-seeds, 1 prompt"
    restored.undo()
    assert restored.segments["lesion"].made_by == "AI click grow-from-seeds, 1 prompt"
    restored.close()


def test_the_training_set_records_the_hand_corrections(blobs, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    case = Case(Session.open(blobs[0]))
    session = case.session
    result = np.zeros(session.labels.shape, np.uint8)
    result[blobs[1]] = 1
    case.apply_model_result(result, {1: "lesion"}, "lesionnet@1.0")
    edema = _clicked_on(session, "edema", SMALL_BLOB_RAS)
    session.apply("paint", at_ras=(20.0, 0.0, 6.0), radius_mm=2.0, mode="3d", segment=edema)
    session.apply("erase", at_ras=(0.0, 0.0, 0.0), radius_mm=2.0, mode="3d", segment="lesion")
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion", "edema"])
    record = case.send_to_training_set(folder, annotator="a")
    stored = json.loads((folder / "provenance" / f"{record.case}.json").read_text())
    by_name = {s["name"]: s for s in stored["segments"]}
    assert (by_name["lesion"]["source"], by_name["lesion"]["hand_edited"]) == ("model", True)
    assert by_name["lesion"]["dice"] < 1.0
    assert (by_name["edema"]["source"], by_name["edema"]["hand_edited"]) == ("drawn+interactive", True)
    assert stored["interaction"]["segments"]["edema"]["drawn"] is True


def test_an_uncorrected_model_segment_is_not_hand_edited(blobs, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    case = Case(Session.open(blobs[0]))
    result = np.zeros(case.session.labels.shape, np.uint8)
    result[blobs[1]] = 1
    case.apply_model_result(result, {1: "lesion"}, "lesionnet@1.0")
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    record = case.send_to_training_set(folder, annotator="a")
    (lesion,) = record.segments
    assert (lesion.source, lesion.hand_edited, lesion.dice) == ("model", False, 1.0)


def _clicked_on(session, name, point):
    segment = session.segments.add(name)
    session.prompt(segment, point=point, model=GrowPromptModel())
    session.accept_preview()
    assert session.segments.get(segment).origin == "interactive"
    return segment
