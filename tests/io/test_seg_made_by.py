"""A DICOM SEG says honestly who made each segment (SegmentAlgorithmType): MANUAL for one drawn by
hand only, AUTOMATIC for a model's mask nobody changed, SEMIAUTOMATIC with the model identified for
an AI click segment and for a model's mask a person corrected by hand (with AlgorithmParameters
``proposed_by=...`` and ``drawn=yes``), as highdicom and pydicom read it; neuroview reads the same
provenance back. Until session 26 a model's mask corrected by hand went out as AUTOMATIC, and no
SEG said that an AI click segment was drawn in by hand too; until session 27 a model's mask refined
with AI click went out AUTOMATIC, and the prompts were not kept."""

from __future__ import annotations

import highdicom as hd
import pydicom
import pytest

from neuroview.io.seg import load_seg
from tests.io.ct_seg import seg_of_segments

MADE = [  # name, origin, model, drawn -> type, parameters, list text read back
    ("painted", "human", "", False, "MANUAL", None, "drawn"),
    ("proposed", "model", "lesionnet@1.0", False, "AUTOMATIC", None, "lesionnet@1.0"),
    ("corrected", "model", "lesionnet@1.0", True, "SEMIAUTOMATIC",
     {"proposed_by": "model", "drawn": "yes"}, "lesionnet@1.0 + drawn"),
    ("clicked", "interactive", "clickseg@1.9.0", False, "SEMIAUTOMATIC",
     {"proposed_by": "AI click"}, "AI click clickseg@1.9.0, 0 prompts"),
    ("clicked and painted", "interactive", "clickseg@1.9.0", True, "SEMIAUTOMATIC",
     {"proposed_by": "AI click", "drawn": "yes"}, "drawn + AI click clickseg@1.9.0, 0 prompts"),
]
REFINED = [  # name, origin, model, drawn, prompts -> type, parameters, list text read back
    ("refined", "model", "lesionnet@1.0", False, {"point+": 2, "box-": 1}, "SEMIAUTOMATIC",
     {"proposed_by": "model", "refined_by": "AI click", "prompts": "point+:2;box-:1"},
     "lesionnet@1.0 + AI click, 3 prompts"),
    ("refined and painted", "model", "lesionnet@1.0", True, {"point+": 1}, "SEMIAUTOMATIC",
     {"proposed_by": "model", "refined_by": "AI click", "drawn": "yes", "prompts": "point+:1"},
     "lesionnet@1.0 + drawn + AI click, 1 prompt"),
    ("clicked twice", "interactive", "clickseg@1.9.0", False, {"point+": 2}, "SEMIAUTOMATIC",
     {"proposed_by": "AI click", "prompts": "point+:2"}, "AI click clickseg@1.9.0, 2 prompts"),
]


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    return seg_of_segments(tmp_path_factory.mktemp("ct"), [
        (name, {"origin": origin, "model": model, "drawn": drawn})
        for name, origin, model, drawn, *_ in MADE])


def test_highdicom_reads_who_made_each_segment(saved):
    seg = hd.seg.segread(saved[0])
    for number, (name, _origin, model, _drawn, kind, parameters, _text) in enumerate(MADE, start=1):
        description = seg.get_segment_description(number)
        assert (description.segment_label, description.algorithm_type.value) == (name, kind)
        algorithm = description.algorithm_identification
        if kind == "MANUAL":
            assert algorithm is None
            continue
        assert f"{algorithm.name}@{algorithm.version}" == model
        assert algorithm.parameters == parameters


def test_pydicom_reads_the_algorithm_types(saved):
    ds = pydicom.dcmread(saved[0])
    assert [str(item.SegmentAlgorithmType) for item in ds.SegmentSequence] == [m[4] for m in MADE]


def test_neuroview_reads_the_provenance_back(saved):
    loaded = load_seg(*saved)
    assert [(s.name, s.origin, s.drawn, s.made_by) for s in loaded.segments] == \
        [(name, origin, drawn, text) for name, origin, _model, drawn, _kind, _parameters, text in MADE]


def test_a_model_mask_refined_by_ai_click_is_semiautomatic_and_reads_back(tmp_path):
    path, volume = seg_of_segments(tmp_path / "ct", [
        (name, {"origin": origin, "model": model, "drawn": drawn, "prompts": prompts})
        for name, origin, model, drawn, prompts, *_ in REFINED])
    seg = hd.seg.segread(path)
    for number, (name, _o, model, _d, _p, kind, parameters, _text) in enumerate(REFINED, start=1):
        description = seg.get_segment_description(number)
        assert (description.segment_label, description.algorithm_type.value) == (name, kind)
        algorithm = description.algorithm_identification
        assert (f"{algorithm.name}@{algorithm.version}", algorithm.parameters) == (model, parameters)
    loaded = load_seg(path, volume)
    assert [(s.origin, s.drawn, s.prompts, s.made_by) for s in loaded.segments] == \
        [(origin, drawn, prompts, text) for _n, origin, _m, drawn, prompts, _k, _p, text in REFINED]
