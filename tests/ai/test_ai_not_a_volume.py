"""An ML engineer's first try: a numpy array where the Python API takes a Volume. segment_volume,
flip_probabilities and segment_object failed with AttributeError ('numpy.ndarray' object has no
attribute 'ijk_to_ras' / 'frame_as_shown'); now one line names the argument and how to make a
Volume, before any model is loaded."""

import numpy as np
import pytest

from neuroview.ai import flip_probabilities, segment_volume
from neuroview.ai.interactive import PointPrompt, segment_object
from neuroview.core.volume import Volume

ARRAY = np.zeros((8, 8, 8), np.float32)
HINT = "Volume(array, ijk_to_ras) makes one (neuroview.core.volume)"


@pytest.mark.parametrize("call", [
    lambda v: segment_volume(v, "lesionseg", device="cpu"),
    lambda v: flip_probabilities(v, "lesionseg", device="cpu"),
], ids=["segment_volume", "flip_probabilities"])
@pytest.mark.parametrize("given, named", [
    (ARRAY, "ndarray"), ([Volume(ARRAY, np.eye(4)), ARRAY], "ndarray"), ([], "an empty list")],
    ids=["array", "array-channel", "no-channel"])
def test_the_models_refuse_what_is_not_a_volume_naming_it(call, given, named):
    with pytest.raises(TypeError) as raised:
        call(given)
    assert str(raised.value) == ("volume (or each channel of a list) must be a neuroview Volume, "
                                 f"not {named}: {HINT}")


def test_segment_object_refuses_an_array():
    with pytest.raises(TypeError) as raised:
        segment_object(ARRAY, [PointPrompt((1.0, 1.0, 1.0))])
    assert str(raised.value) == f"volume must be a neuroview Volume, not ndarray: {HINT}"


def test_segment_object_refuses_a_bare_point_as_a_prompt():
    """A tuple among the prompts failed with "'tuple' object has no attribute 'include'"."""
    volume = Volume(ARRAY, np.eye(4))
    with pytest.raises(TypeError) as raised:
        segment_object(volume, [PointPrompt((1.0, 1.0, 1.0)), (2.0, 2.0, 2.0)])
    assert str(raised.value) == ("a prompt must be a PointPrompt, BoxPrompt, ScribblePrompt or "
                                 "LassoPrompt, not tuple ((2.0, 2.0, 2.0)): PointPrompt((x, y, z)) "
                                 "makes a click")


@pytest.mark.parametrize("call", [segment_volume, flip_probabilities],
                         ids=["segment_volume", "flip_probabilities"])
def test_a_threading_event_as_cancel_or_a_number_as_progress_is_refused_at_once(call):
    """An Event failed at the first check, after the brain extraction, with "'Event' object has
    no attribute 'raise_if_cancelled'"."""
    import threading

    volume = Volume(ARRAY, np.eye(4))
    with pytest.raises(TypeError) as raised:
        call(volume, "lesionseg", device="cpu", cancel=threading.Event())
    assert str(raised.value) == ("cancel must be a neuroview.core.jobs.CancelToken (its cancel() "
                                 "stops the job), not Event")
    with pytest.raises(TypeError) as raised:
        call(volume, "lesionseg", device="cpu", progress=5)
    assert str(raised.value) == "progress must be a function progress(done, total, text), not int"
