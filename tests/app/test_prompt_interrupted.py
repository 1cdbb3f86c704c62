"""Ctrl+C (a Jupyter kernel interrupt) while ``s.prompt`` waits for the network: the interrupted
click stayed in the object (an error was taken back, a KeyboardInterrupt not), so the next click
was answered as two and every later answer carried the one the user had stopped."""

import numpy as np
import pytest

from neuroview.ai.interactive.model import NetworkPromptModel
from neuroview.app.session import Session
from neuroview.core.volume import Volume


class InterruptedOnce(NetworkPromptModel):
    """The bundled network, whose first run is stopped as Ctrl+C stops it (inside torch)."""

    interrupted = False

    def predict(self, inputs):
        if not self.interrupted:
            self.interrupted = True
            raise KeyboardInterrupt
        return super().predict(inputs)


def _session():
    image = np.full((40, 40, 40), 10.0, np.float32)
    image[15:25, 15:25, 15:25] = 100.0
    s = Session(Volume(image, np.eye(4)))
    s.segments.add("lesion")
    return s


def test_an_interrupted_click_is_not_kept():
    model = InterruptedOnce()
    s = _session()
    with pytest.raises(KeyboardInterrupt):
        s.prompt(point=(20.0, 20.0, 20.0), model=model)
    assert s.pending_preview is None and len(s.prompting.prompts) == 0
    preview = s.prompt(point=(20.0, 20.0, 20.0), model=model)
    assert preview.meta["prompts"] == {"point+": 1} and preview.proposal.region.any()
    fresh = _session().prompt(point=(20.0, 20.0, 20.0), model=model)
    assert np.array_equal(preview.full_array(s.labels.array), fresh.full_array(s.labels.array))
