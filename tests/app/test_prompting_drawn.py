"""A segment drawn by hand that gets an AI click object stays recognisably drawn: *From* reads
``drawn + AI click ...``, the sidecar keeps it, and the training set records it as both. Until
session 25 one accepted AI click object turned a drawn segment's provenance into ``AI click``
alone, in the list and in the training set's record."""

import json

from prompt_blobs import blobs  # noqa: F401

from neuroview import Session
from neuroview.ai.interactive.baseline import GrowPromptModel


def _drawn_then_clicked(path):
    session = Session.open(path)
    lesion = session.segments.add("lesion")
    session.apply("paint", at_ras=(20.0, 0.0, 0.0), radius_mm=3.0, mode="3d", segment=lesion)
    drawn = session.labels.array.copy()
    assert drawn.any() and session.segments.get(lesion).made_by == "drawn"
    session.prompt(lesion, point=(0, 0, 0), model=GrowPromptModel())    # the other blob, by AI click
    session.accept_preview()
    return session, lesion, drawn


def test_a_drawn_segment_with_an_ai_click_object_reads_drawn_and_ai_click(blobs):  # noqa: F811
    session, lesion, drawn = _drawn_then_clicked(blobs[0])
    made = session.segments.get(lesion)
    assert made.made_by == "drawn + AI click grow-from-seeds, 1 prompt"
    assert (made.origin, made.drawn, made.prompts) == ("interactive", True, {"point+": 1})
    assert (session.labels.array == lesion.value).sum() > drawn.sum()   # both parts are in it
    session.prompt(lesion, point=(0, 0, 0), include=False, model=GrowPromptModel())   # a second object
    session.accept_preview()
    assert session.segments.get(lesion).made_by == "drawn + AI click grow-from-seeds, 2 prompts"
    session.undo()
    session.undo()                                                      # the first object undone
    first = session.segments.get(lesion)
    assert (first.origin, first.drawn, first.made_by) == ("human", False, "drawn")
    assert (session.labels.array == drawn).all()


def test_an_empty_segment_filled_by_ai_click_is_ai_click_alone(blobs):  # noqa: F811
    session = Session.open(blobs[0])
    lesion = session.segments.add("lesion")
    session.prompt(lesion, point=(0, 0, 0), model=GrowPromptModel())
    session.accept_preview()
    made = session.segments.get(lesion)
    assert made.made_by == "AI click grow-from-seeds, 1 prompt" and not made.drawn


def test_drawn_and_ai_click_survives_save_and_reaches_the_training_set(blobs, tmp_path,  # noqa: F811
                                                                       monkeypatch):
    from neuroview.app.case import Case
    from neuroview.dataset.layout import init_dataset

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    session, _lesion, _drawn = _drawn_then_clicked(blobs[0])
    saved = session.save_labels(tmp_path / "lesion.nii.gz")
    case = Case(Session.open(blobs[0]))
    case.session.load_labels(saved)
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    record = case.send_to_training_set(folder, annotator="a")
    stored = json.loads((folder / "provenance" / f"{record.case}.json").read_text())
    assert [seg["source"] for seg in stored["segments"]] == ["drawn+interactive"]
    assert stored["interaction"]["segments"] == \
        {"lesion": {"model": "grow-from-seeds", "prompts": {"point+": 1}, "drawn": True}}
    reopened = case.session.segments.get("lesion")                     # the sidecar kept it
    assert reopened.made_by == "drawn + AI click grow-from-seeds, 1 prompt"
