"""The models' messages count in words: ``needs 1 input channel (T1), got 2`` (it said
``1 input channel(s)``), ``needs 2 input channels``."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.ai.infer import require_inputs
from neuroview.core.errors import ModelError
from tests.ai.model_cards import make_card


def test_input_channels_counted_in_words():
    image = np.zeros((8, 8, 8), np.float32)
    with pytest.raises(ModelError) as one:
        require_inputs(make_card(), [image, image])
    assert "needs 1 input channel (T1), got 2" in str(one.value)
    with pytest.raises(ModelError) as two:
        require_inputs(make_card(input_channels=["T1", "FLAIR"]), [image])
    assert "needs 2 input channels (T1, FLAIR), got 1" in str(two.value)
    assert "(s)" not in str(one.value) + str(two.value)
