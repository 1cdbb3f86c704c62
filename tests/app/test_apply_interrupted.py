"""Ctrl+C (a Jupyter kernel interrupt) inside a tool that ``s.apply`` runs: an error closed the
stroke and restored the labels, a KeyboardInterrupt left the stroke open (``s.stroke_open``), to
be committed by the next edit's press. The interrupt is raised where Ctrl+C lands, inside scipy."""

import numpy as np
import pytest
from scipy import ndimage

from neuroview.app.session import Session
from neuroview.core.volume import Volume


def test_an_interrupted_tool_leaves_no_stroke_open(monkeypatch):
    s = Session(Volume(np.zeros((30, 30, 30), np.float32), np.eye(4)))
    lesion = s.segments.add("lesion")
    s.apply("paint", at_ras=(15.0, 15.0, 15.0), radius_mm=6.0, segment=lesion)
    labels, steps = s.labels.array.copy(), len(s.history)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(ndimage, "median_filter", interrupted)
        with pytest.raises(KeyboardInterrupt):
            s.apply("smoothing", method="median", kernel_mm=5.0, segment=lesion)
    assert not s.stroke_open
    assert np.array_equal(s.labels.array, labels) and len(s.history) == steps
    assert s.apply("margin", margin_mm=2.0, segment=lesion).name == "margin"
    assert len(s.history) == steps + 1
