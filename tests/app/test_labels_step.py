"""Load labels' undo step made in a worker (``label_files.labels_step``) gives the same label map
and diff as the step made on the GUI thread, and is not used once the labels changed meanwhile."""

from __future__ import annotations

import os

import numpy as np

from neuroview.app.label_files import labels_step, prepare_labels
from neuroview.app.session import Session
from neuroview.core.errors import Cancelled
from neuroview.core.volume import Volume
from tests.cancel_after import CancelAfter

AFFINE = np.diag([2.0, 2.0, 2.0, 1.0])


def _case():
    volume = Volume(np.zeros((20, 18, 16), np.int16), AFFINE)
    mask = np.zeros(volume.shape, np.uint8)
    mask[2:10, 2:12, 3:9] = 1
    mask[12:18, 4:10, 5:12] = 2
    return volume, mask, prepare_labels(Volume(mask, AFFINE), volume, "mask.nii.gz")


def test_the_worker_step_equals_the_gui_thread_step():
    volume, mask, prepared = _case()
    here, there = Session(volume), Session(volume)
    for session in (here, there):
        session.segments.add("kept", value=3)
        session.segments.lock("kept")
    step = labels_step(prepared, there.labels.array.copy(), there.labels.segments.locked_values(),
                       there.version)
    made_here, made_there = here.apply_labels(prepared), there.apply_labels(prepared, step)
    assert made_there.diff is step.diff                     # the worker's diff is the step's
    assert np.array_equal(here.labels.array, there.labels.array) and np.array_equal(there.labels.array, mask)
    for a, b in ((made_here.diff, made_there.diff),):
        assert a.box == b.box and np.array_equal(a.old, b.old) and np.array_equal(a.new, b.new)
    there.undo()
    assert not there.labels.array.any()


def test_a_step_made_before_an_edit_is_not_used():
    volume, mask, prepared = _case()
    session = Session(volume)
    step = labels_step(prepared, session.labels.array.copy(), [], session.version)
    session.segments.add("drawn", value=2)
    session.apply_labels(prepare_labels(Volume(np.where(mask == 2, 2, 0).astype(np.uint8), AFFINE),
                                        volume, "edit.nii.gz"))     # an edit while the file loads
    assert not step.fits(session.labels, session.version)
    made = session.apply_labels(prepared, step)
    assert made.diff is not step.diff and np.array_equal(session.labels.array, mask)


def test_a_cancel_at_each_look_leaves_nothing_in_the_workspace(tmp_path):
    """Cancelled at its n-th look at the token (n = 1, 2, ...: before the map after it, before
    the diff, before the diff's voxels are written, as the labels as loaded are written), the
    step raises Cancelled and leaves no file in the workspace; past its last look it is made."""
    volume, mask, prepared = _case()
    current = Session(volume).labels.array.copy()
    cancelled = 0
    for n in range(1, 20):
        token = CancelAfter(n)
        try:
            step = labels_step(prepared, current, [], 0, tmp_path, cancel=token)
        except Cancelled:
            cancelled += 1
            assert os.listdir(tmp_path) == [], f"cancelled at look {n}"
            continue
        assert sorted(os.listdir(tmp_path)) == sorted([step.blob["blob"], step.loaded])
        assert np.array_equal(step.result, mask) and token.looks < n
        break
    assert cancelled >= 4
