"""Lesions drawn on a series whose header names another body part (a knee MR, KNEE) are not
located in the brain's regions, and the Lesions list says why: it said "no brain mask: AI >
Segment with a model that extracts the brain makes one", a step that refuses a knee."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from ct_maker import write_ct  # noqa: E402

from neuroview.app.components import segment_components  # noqa: E402
from neuroview.app.lesion_location import UNKNOWN, labels_locations  # noqa: E402
from neuroview.io import load  # noqa: E402


def _locations(volume, brain_value=None):
    labels = np.zeros(volume.shape[:3], np.uint8)
    labels[20:25, 20:25, 1:3] = 1
    if brain_value:
        labels[10:38, 10:38, :][labels[10:38, 10:38, :] == 0] = brain_value
    components, mask, origin = segment_components(labels, 1, volume.ijk_to_ras)
    return labels_locations(components, mask, origin, labels, 1, brain_value, volume)


def test_a_knee_is_not_located_and_says_why(tmp_path):
    write_ct(tmp_path / "knee", modality="MR", body_part="KNEE")
    for brain_value in (None, 2):   # a segment named brain painted by hand changes nothing
        locations, case = _locations(load(tmp_path / "knee"), brain_value)
        assert [where.name for where in locations] == [UNKNOWN]
        assert locations[0].why == case.problem == (
            "a knee (BodyPartExamined KNEE): lesions are located in the brain only")


def test_a_head_without_a_brain_mask_still_says_so(tmp_path):
    write_ct(tmp_path / "head", modality="MR", body_part="HEAD")
    locations, _case = _locations(load(tmp_path / "head"))
    assert locations[0].why.startswith("no brain mask")
