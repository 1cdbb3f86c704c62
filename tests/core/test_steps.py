"""``Steps``: one progress over stages that each count from 0 (the follow-up's loading,
registration, brain extraction...), step k of n, never going back."""

from __future__ import annotations

from neuroview.core.jobs import Steps


def test_each_step_fills_its_share_and_says_which_step_it_is():
    seen = []
    steps = Steps(lambda done, total, text: seen.append((done / total, text)), 4)
    first = steps.next("loading the baseline")
    first(1, 2, "baseline: extracting the brain")
    first(2, 2)
    second = steps.next("comparing")
    second(30, 600, "rigid registration, level 1/3")
    assert seen == [(0.0, "step 1 of 4: loading the baseline"),
                    (0.125, "step 1 of 4: baseline: extracting the brain"),
                    (0.25, "step 1 of 4: loading the baseline"),
                    (0.25, "step 2 of 4: comparing"),
                    (0.2625, "step 2 of 4: rigid registration, level 1/3")]


def test_a_stage_counting_from_zero_again_does_not_move_it_back():
    seen = []
    steps = Steps(lambda done, total, text: seen.append(done / total), 2, numbered=False)
    step = steps.next("registration")
    step(600, 600)
    step(0, 1, "matching lesions")   # a new stage within the step, from 0
    step(0, 0, "unknown size")       # a busy stage
    assert seen == [0.0, 0.5, 0.5, 0.5]
    steps.next()(1, 2)
    assert seen[-1] == 0.75
