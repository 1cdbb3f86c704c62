"""Cancel reaches the save of a DICOM SEG (*Save labels as DICOM SEG*, *Save to PACS*) at once:
the SEG is built (highdicom: one call of seconds for a CT, 3.0 s in all in session 43) and
written to a temporary on a thread of its own that the caller stops waiting for, and is renamed
into place by the caller only when it is whole and not cancelled. Cancelled, the SEG saved
before is left as it was and no temporary stays beside it. The work left behind is stopped
where it stands (``core.stoppable``, ``test_seg_left_stops.py``): until session 45 it went on to
write its temporary again after the caller removed it, and removed it then."""

from __future__ import annotations

import threading

import highdicom as hd
import pytest

from neuroview.core.errors import Cancelled
from neuroview.core.jobs import CancelToken, wait_abandoned
from neuroview.io import seg as seg_io
from tests.held_call import hold
from tests.io.seg_axial import saved_seg


@pytest.fixture
def saved(tmp_path):
    """A case's label map, its headers and the SEG saved of it before."""
    return saved_seg(tmp_path, 6, 24, 20)


@pytest.mark.parametrize("held", ["the build", "the write"])
def test_cancel_returns_at_once_and_keeps_the_seg_saved_before(saved, monkeypatch, held):
    labels, headers, path, before = saved
    labels.array[labels.array == 1] = 2   # an edit since
    owner, name = (hd.seg, "Segmentation") if held == "the build" else (hd.seg.Segmentation, "save_as")
    started, release, ended = hold(monkeypatch, owner, name)
    token = CancelToken()
    threading.Thread(target=lambda: started.wait(30) and token.cancel(), daemon=True).start()
    try:
        with pytest.raises(Cancelled):
            seg_io.save_seg(labels, headers, path, cancel=token)
        assert started.is_set() and not ended.is_set()   # it did not wait for the work
    finally:
        release.set()
        assert wait_abandoned(30)
    assert not ended.is_set()   # stopped as it was let go: the build or write never ran
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    assert path.read_bytes() == before


def test_without_cancel_the_seg_is_replaced(saved):
    labels, headers, path, before = saved
    labels.array[labels.array == 1] = 2
    seg_io.save_seg(labels, headers, path, cancel=CancelToken())
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    assert 1 not in seg_io.load_seg(path).array
