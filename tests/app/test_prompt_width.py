"""``s.prompt(scribble=..., width_mm=-1)`` (or NaN, or "2") was taken without a word and drew a
stroke of its points only; now it is refused in one line naming width_mm, before the model runs."""

import numpy as np
import pytest

from neuroview.ai.interactive import ScribblePrompt
from neuroview.app.session import Session
from neuroview.core.errors import ToolError
from neuroview.core.volume import Volume

STROKE = [(4.0, 4.0, 4.0), (8.0, 6.0, 4.0)]


@pytest.mark.parametrize("width", [-1.0, 0, float("nan"), "2", True])
def test_a_scribble_width_that_is_not_a_positive_number_is_refused(width):
    s = Session(Volume(np.zeros((12, 12, 12), np.float32), np.eye(4)))
    s.segments.add("lesion")
    with pytest.raises(ToolError) as raised:
        s.prompt(scribble=STROKE, plane="axial", width_mm=width)
    assert str(raised.value) == f"a scribble's width_mm must be a number above 0 (mm), not {width!r}"
    assert s.pending_preview is None and not s.labels.array.any()


def test_a_positive_width_is_kept():
    assert ScribblePrompt(STROKE, width_mm=np.float32(3.5)).width_mm == 3.5
