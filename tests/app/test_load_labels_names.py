"""Load labels names its segments as the file's sidecar does, also where the session already has a
segment of that value: on a walk through the demo case, the ground truth (value 1, `lesion` in its
`.segments.json`) loaded over a segment drawn by hand showed its lesions as "Segment 1"."""

from __future__ import annotations

import numpy as np

from neuroview.app.session import Session
from tests.app.paint_steps import paint


def test_the_files_names_replace_those_of_the_values_it_holds(volume, tmp_path):
    source = Session(volume)
    source.segments.add("lesion", color=(10, 200, 30))
    paint(source, 3)
    source.save_labels(tmp_path / "truth.nii.gz")
    s = Session(volume, tmp_path / "ws")
    s.segments.add("Segment 1")
    s.segments.add("other")
    paint(s, 5)
    s.load_labels(tmp_path / "truth.nii.gz")
    assert np.array_equal(s.labels.array, source.labels.array)
    assert s.segments.get(1).name == "lesion" and s.segments.get(1).color == (10, 200, 30)
    assert s.segments.get(2).name == "other"       # a value the file does not hold: as it was
    s.undo()
    assert s.segments.get(1).name == "Segment 1"


def test_a_locked_segment_keeps_its_name(volume, tmp_path):
    source = Session(volume)
    source.segments.add("lesion")
    paint(source, 3)
    source.save_labels(tmp_path / "truth.nii.gz")
    s = Session(volume, tmp_path / "ws")
    s.segments.add("mine")
    s.segments.lock("mine")
    s.load_labels(tmp_path / "truth.nii.gz")
    assert s.segments.get(1).name == "mine" and s.segments.get(1).locked
