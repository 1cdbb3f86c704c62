"""The line after *Send to training set* says what was sent per origin: a segment loaded from a
file and refined with AI click is listed as loaded from a file (until session 28 it was left
out), beside the model's (with Dice) and the drawn ones."""

import numpy as np
import pytest

from neuroview import Session
from neuroview.app.case import Case
from neuroview.app.sent_notes import sent_notes
from neuroview.dataset.layout import init_dataset
from tests.app.loaded_clicks import _loaded_then_clicked
from tests.dataset.fake_dicom import make_ct_series


@pytest.fixture()
def case(tmp_path, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    make_ct_series(tmp_path / "ct")
    return Case(Session.open(tmp_path / "ct"))


def _paint(session, ijk, segment) -> None:
    at = session.volume.ijk_to_ras @ np.array([*ijk, 1.0])
    session.apply("paint", at_ras=at[:3], radius_mm=1.0, mode="2d", segment=segment)


def _record(case, tmp_path):
    folder = init_dataset(tmp_path / f"d{len(list(tmp_path.glob('d*')))}", "Lesions",
                          ["background", "lesion", "edema", "cyst"], channels=["CT"])
    return case.send_to_training_set(folder, annotator="a")


def test_each_origin_is_named_loaded_from_a_file_too(case, tmp_path):
    session = case.session
    _loaded_then_clicked(session, tmp_path)             # value 1: a file's, refined with AI click
    session.segments.rename(1, "lesion")
    proposal = np.zeros(session.labels.shape, np.uint8)
    proposal[2:5, 2:5, 1:3] = 1
    case.apply_model_result(proposal, {1: "edema"}, "lesionnet@1.0")
    session.segments.add("cyst")
    _paint(session, (28, 28, 5), "cyst")
    record = _record(case, tmp_path)
    dice = {s.name: s.dice for s in record.segments}["edema"]
    assert dice is not None
    assert sent_notes(record) == [f"model: edema Dice {dice:.3f}", "loaded from a file: lesion + AI click",
                                  "drawn: cyst"]


def test_a_loaded_segment_sent_as_loaded(case, tmp_path):
    session = case.session
    _loaded_then_clicked(session, tmp_path)
    session.undo()                                      # the AI click's accept
    session.segments.rename(1, "lesion")
    _paint(session, (15, 13, 4), "lesion")               # inside it: no voxel changes, no step
    assert sent_notes(_record(case, tmp_path)) == ["loaded from a file: lesion"]
    _paint(session, (28, 28, 4), "lesion")
    assert sent_notes(_record(case, tmp_path)) == ["loaded from a file: lesion + drawn"]


def test_unknown_corrections_are_said_unknown():
    """A record whose model segment cannot say how it was corrected (``hand_edited`` and
    ``ai_click`` ``null``: ``dataset add`` of bare files) reads "unknown", not "+ drawn" nor
    nothing (``None`` raised TypeError in the note)."""
    from types import SimpleNamespace

    from neuroview.dataset.provenance import SegmentComparison

    unknown = SegmentComparison(label=1, name="lesion", final_voxels=10, final_ml=0.01, source="model",
                                dice=0.9, hand_edited=None, ai_click=None)
    drawn = SegmentComparison(label=2, name="edema", final_voxels=5, final_ml=0.005, source="model",
                              dice=0.8, hand_edited=True, ai_click=False)
    record = SimpleNamespace(segments=[unknown, drawn], interaction=None, annotators=None, annotator="a")
    assert sent_notes(record)[0] == ("model: lesion Dice 0.900 (by hand: unknown) (AI click: unknown), "
                                     "edema Dice 0.800 + drawn")
