"""segment_volume's ``segments`` handed straight to ``Session.apply_model_result``, as a script
does: ``[(1, "lesion", (255, 64, 0)), (2, "brain", (70, 130, 180))]`` was taken as a list of names,
so the segments were named by the tuples, and the first Ctrl+Z failed with "segment 1's name is
not text". Now the triples give the names and colours; a name that is not text is refused in one
line before anything is written."""

import numpy as np
import pytest

from neuroview.app.session import Session
from neuroview.core.errors import ToolError
from neuroview.core.volume import Volume

SEGMENTS = [(1, "lesion", (255, 64, 0)), (2, "brain", (70, 130, 180))]


def _result():
    volume = Volume(np.zeros((12, 12, 12), np.float32), np.diag([2.0, 2.0, 2.0, 1.0]))
    labels = np.zeros(volume.shape, np.uint8)
    labels[2:10, 2:10, 2:10] = 2
    labels[4:6, 4:6, 4:6] = 1
    return volume, labels


def test_segment_volumes_list_names_and_colours_the_segments_and_undoes(tmp_path):
    volume, labels = _result()
    s = Session(volume, workspace=tmp_path / "ws")
    s.apply_model_result(labels, SEGMENTS, model="lesionseg@2.5.1")
    assert [(seg.name, seg.color, seg.origin) for seg in s.segments] == [
        ("lesion", (255, 64, 0), "model"), ("brain", (70, 130, 180), "model")]
    assert np.count_nonzero(s.labels.array == s.segments["lesion"].value) == 8
    assert s.undo().name == "model" and not s.labels.array.any() and not list(s.segments)
    s.redo()
    again = Session(volume, workspace=tmp_path / "ws")   # the journal restores it, names as text
    assert [seg.name for seg in again.segments] == ["lesion", "brain"]
    assert np.array_equal(again.labels.array, s.labels.array)


@pytest.mark.parametrize("segments, shown", [({1: 7}, "7"), ([("lesion", 1)], "('lesion', 1)"),
                                             ({1: ""}, "''")], ids=["number", "pair", "empty"])
def test_a_name_that_is_not_text_is_refused_before_anything_is_written(segments, shown):
    volume, labels = _result()
    s = Session(volume)
    with pytest.raises(ToolError) as raised:
        s.apply_model_result(labels, segments, model="m@1")
    assert str(raised.value) == (f"segments: the name of model value 1 must be text, got {shown} "
                                 "(give {value: name}, a list of names, or segment_volume's "
                                 "(value, name, colour) list)")
    assert not s.labels.array.any() and not list(s.segments) and s.undo() is None
