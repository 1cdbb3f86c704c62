"""From Python, as in the window: a box or lasso round another lesion (or an exclude click on
another lesion of the segment) accepts the AI click object in progress, one undo step, and
begins a new one. Until session 37 ``Session.prompt`` added it to the object: a lasso joined the
second lesion to it, a box emptied it of the first. A click, or a box round the object itself,
still refines it. Grow-from-seeds answers; the blobs fixture's spheres at 0 and 20 mm R."""

import numpy as np
import pytest
from prompt_blobs import blobs  # noqa: F401

from neuroview import Session
from neuroview.ai.interactive.baseline import GrowPromptModel
from neuroview.ai.interactive.simulate import dice

ROUND_OTHER = {
    "box": dict(box=((13.0, -7.0, 0.0), (27.0, 7.0, 0.0)), plane="axial"),
    "lasso": dict(lasso=[(20 + 7 * np.cos(t), 7 * np.sin(t), 0.0)
                         for t in np.linspace(0, 2 * np.pi, 12, endpoint=False)], plane="axial"),
}


def _clicked(path):
    session = Session.open(path)
    lesion = session.segments.add("lesion")
    session.prompt(lesion, point=(0.0, 0.0, 0.0), model=GrowPromptModel())
    return session, lesion


@pytest.mark.parametrize("kind", ["box", "lasso"])
def test_a_box_or_lasso_round_another_lesion_accepts_the_object_and_begins_a_new_one(
        blobs, kind):  # noqa: F811
    path, first, second = blobs
    session, lesion = _clicked(path)
    assert not session.labels.array.any()                                  # in progress only
    session.prompt(lesion, **ROUND_OTHER[kind], model=GrowPromptModel())
    assert dice(session.labels.array == lesion.value, first) > 0.7          # the first, accepted
    assert session.prompting.prompts.counts() == {f"{kind}+": 1}           # a new object
    session.accept_preview()
    both = session.labels.array == lesion.value
    assert dice(both & second, second) > 0.7 and dice(both & first, first) > 0.7
    session.undo()                                                          # the new one only
    assert dice(session.labels.array == lesion.value, first) > 0.7
    assert not (session.labels.array == lesion.value)[second].any()


def test_an_exclude_click_on_another_lesion_of_the_segment_begins_a_new_object(blobs):  # noqa: F811
    path, first, second = blobs
    session, lesion = _clicked(path)
    session.prompt(lesion, point=(20.0, 0.0, 0.0), model=GrowPromptModel())   # joins: both lesions
    session.accept_preview()
    session.prompt(lesion, point=(0.0, 0.0, 0.0), model=GrowPromptModel())   # a new object
    session.prompt(lesion, point=(20.0, 0.0, 0.0), include=False, model=GrowPromptModel())
    assert session.prompting.prompts.counts() == {"point-": 1}


@pytest.mark.parametrize("prompt", [dict(point=(20.0, 0.0, 0.0)),
                                    dict(box=((-8.0, -8.0, 0.0), (8.0, 8.0, 0.0)), plane="axial")])
def test_a_click_elsewhere_or_a_box_round_the_object_still_refines_it(blobs, prompt):  # noqa: F811
    session, lesion = _clicked(blobs[0])
    session.prompt(lesion, **prompt, model=GrowPromptModel())
    assert len(session.prompting.prompts) == 2
    assert not session.labels.array.any()                                   # nothing accepted
