"""The order of ruler and angle steps among the label steps (``app.measure_history``): Ctrl+Z
takes back the newer of the two, Ctrl+Y the one undone last; a new step of either kind drops
what could be redone."""

from __future__ import annotations

import numpy as np

from neuroview.app.measure_history import MeasureHistory, apply_change
from neuroview.app.view_measure import Ruler


def ruler(x: float) -> Ruler:
    return Ruler("axial", np.array([x, 0.0, 0.0]), np.array([x, 10.0, 0.0]))


def test_undo_and_redo_follow_the_order_of_label_and_measurement_steps():
    history = MeasureHistory()
    history.mask_step(1)                    # a stroke
    history.push(None, ruler(0.0), 0)       # a ruler
    history.mask_step(2)                    # another stroke
    assert not history.measure_first(2), "the stroke is newer: Ctrl+Z undoes it"
    assert history.measure_first(1), "then the ruler, newer than the first stroke"
    history.pop_undo()
    assert history.redo_measure_first(2), "stroke 2 undone first: the ruler is redone first"
    assert history.redo_measure_first(None), "no label step to redo: the ruler"
    assert not history.measure_first(1)


def test_a_label_step_drops_the_measurement_redo_and_restored_steps_are_older():
    history = MeasureHistory()
    history.push(None, ruler(0.0), 0)
    history.pop_undo()
    history.mask_step(1)
    assert not history.can_redo
    history.push(None, ruler(1.0), 0)
    assert history.measure_first(99), "a step of no known time (restored) is older"
    history.forget_mask_steps()
    assert history.measure_first(1)


def test_apply_change_puts_a_deleted_ruler_back_in_its_place_by_identity():
    a, b, c = ruler(0.0), ruler(1.0), ruler(2.0)
    history = MeasureHistory()
    deleted = history.push(b, None, 1)
    items = apply_change([a, b, c], deleted, forward=True)
    assert len(items) == 2 and items[0] is a and items[1] is c
    back = apply_change(items, deleted, forward=False)
    assert [x is y for x, y in zip(back, [a, b, c])] == [True] * 3
    moved = history.push(a, ruler(5.0), 0)
    assert apply_change(back, moved, forward=True)[0] is moved.after
