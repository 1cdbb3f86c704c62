"""A DICOM SEG written for a model without a version reads back as what was written: the model's
name alone (until session 28: ``name@unknown``). The file still says AlgorithmVersion ``unknown``
(type 1, not empty) with ``version=none`` among the AlgorithmParameters, as highdicom and pydicom
read it; a model with a version keeps it."""

from __future__ import annotations

import highdicom as hd
import pydicom
import pytest

from neuroview.io.seg import load_seg
from tests.io.ct_seg import seg_of_segments

MADE = [  # name, origin, model, drawn, prompts -> list text read back
    ("proposed", "model", "lesionnet", False, {}, "lesionnet"),
    ("corrected", "model", "lesionnet", True, {}, "lesionnet + drawn"),
    ("clicked", "interactive", "grow-from-seeds", False, {"point+": 1}, "AI click grow-from-seeds, 1 prompt"),
    ("versioned", "model", "lesionnet@1.0", False, {}, "lesionnet@1.0"),
]


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    return seg_of_segments(tmp_path_factory.mktemp("ct"), [
        (name, {"origin": origin, "model": model, "drawn": drawn, "prompts": prompts})
        for name, origin, model, drawn, prompts, _text in MADE])


def test_the_file_says_unknown_and_no_version(saved):
    seg = hd.seg.segread(saved[0])
    algorithm = seg.get_segment_description(1).algorithm_identification
    assert (algorithm.name, algorithm.version, algorithm.parameters) == ("lesionnet", "unknown",
                                                                          {"version": "none"})
    assert seg.get_segment_description(3).algorithm_identification.parameters == \
        {"proposed_by": "AI click", "prompts": "point+:1", "version": "none"}
    versioned = seg.get_segment_description(4).algorithm_identification
    assert (versioned.version, versioned.parameters) == ("1.0", None)
    item = pydicom.dcmread(saved[0]).SegmentSequence[0].SegmentationAlgorithmIdentificationSequence[0]
    assert item.AlgorithmVersion == "unknown"


def test_neuroview_reads_back_what_was_written(saved):
    back = load_seg(saved[0], saved[1]).segments
    for value, (name, origin, model, drawn, prompts, text) in enumerate(MADE, start=1):
        segment = back.get(value)
        assert (segment.name, segment.origin, segment.model, segment.drawn, segment.prompts) == \
            (name, origin, model, drawn, prompts)
        assert segment.made_by == text
