"""A complex image (a reconstruction's k-space result, a complex NIfTI) given to a model: numpy
dropped the imaginary part with a ComplexWarning from deep inside, and the model answered for the
real part. Now the model functions and the AI click say so in one line, before any model runs."""

import numpy as np
import pytest

from neuroview.ai import segment_volume
from neuroview.ai.interactive import PointPrompt, segment_object
from neuroview.app.session import Session
from neuroview.core.errors import ModelError, ToolError
from neuroview.core.volume import Volume

LINE = ("the image holds complex numbers (complex64): give a model its magnitude, "
        "Volume(np.abs(array), ijk_to_ras)")


def _volume():
    return Volume(np.full((8, 8, 8), 1 + 1j, np.complex64), np.eye(4))


def test_segment_volume_refuses_a_complex_image():
    with pytest.raises(ModelError) as raised:
        segment_volume(_volume(), "lesionseg", device="cpu")
    assert str(raised.value) == LINE


def test_segment_object_and_the_ai_click_refuse_a_complex_image():
    with pytest.raises(ToolError) as raised:
        segment_object(_volume(), [PointPrompt((4.0, 4.0, 4.0))])
    assert str(raised.value) == LINE
    s = Session(_volume())
    s.segments.add("lesion")
    with pytest.raises(ToolError) as raised:
        s.prompt(point=(4.0, 4.0, 4.0))
    assert str(raised.value) == LINE and s.pending_preview is None


def test_segment_volume_refuses_a_boolean_image():
    """A mask passed for its image: the lesion model answered 'brain everywhere, no lesion'."""
    mask = np.zeros((8, 8, 8), bool)
    mask[2:6, 2:6, 2:6] = True
    with pytest.raises(ModelError) as raised:
        segment_volume(Volume(mask, np.eye(4)), "lesionseg", device="cpu")
    assert str(raised.value) == ("the image is a boolean array (a mask?): a model needs the "
                                 "image's intensities")
