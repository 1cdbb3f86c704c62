"""A label file saved with a locked segment loads with its voxels (and its lock): the file's lock
protects the segment from later edits, not from its own voxels. Until session 40 the segment was put
into the table locked before the voxels were written, the write skipped the locked value, and the
segment came back empty (a walk through adjudication: 554 voxels saved, 0 loaded)."""

from __future__ import annotations

import numpy as np

from neuroview.app.session import Session
from tests.app.paint_steps import paint


def _saved_locked(volume, tmp_path):
    source = Session(volume)
    source.segments.add("lesion")
    paint(source, 3)
    source.segments.add("other")
    paint(source, 5)
    source.segments.lock("lesion")
    path = tmp_path / "locked.nii.gz"
    source.save_labels(path)
    return source, path


def test_a_locked_segment_of_the_file_loads_with_its_voxels(volume, tmp_path):
    source, path = _saved_locked(volume, tmp_path)
    assert (source.labels.array == 1).sum() > 0
    s = Session(volume, tmp_path / "ws")
    s.load_labels(path)
    assert np.array_equal(s.labels.array, source.labels.array)
    assert s.segments.get(1).name == "lesion" and s.segments.get(1).locked
    s.undo()
    assert not s.labels.array.any()
    s.redo()
    assert np.array_equal(s.labels.array, source.labels.array) and s.segments.get(1).locked


def test_the_loaded_lock_then_guards_the_segment(volume, tmp_path):
    source, path = _saved_locked(volume, tmp_path)
    s = Session(volume, tmp_path / "ws")
    s.load_labels(path)
    s.segments.select("other")
    before = (s.labels.array == 1).sum()
    paint(s, 3)          # over the locked lesion's voxels
    assert (s.labels.array == 1).sum() == before


def test_a_lock_of_the_session_still_keeps_its_voxels_from_the_file(volume, tmp_path):
    source, path = _saved_locked(volume, tmp_path)
    s = Session(volume, tmp_path / "ws")
    s.segments.add("mine")
    s.segments.lock("mine")
    s.load_labels(path)
    assert s.segments.get(1).name == "mine" and not (s.labels.array == 1).any()
    assert np.array_equal(s.labels.array == 2, source.labels.array == 2)


def test_the_windows_worker_step_is_used_and_keeps_the_voxels(volume, tmp_path):
    """The window reads the file and makes the step in a worker (``labels_step``, with the
    session's locks then): the file's own lock must not make the step unfit or empty it."""
    from neuroview.app.label_files import labels_step, prepare_labels, read_label_file

    source, path = _saved_locked(volume, tmp_path)
    s = Session(volume, tmp_path / "ws")
    prepared = prepare_labels(read_label_file(path), volume, str(path))
    step = labels_step(prepared, s.labels.array.copy(), s.labels.segments.locked_values(), s.version)
    made = s.apply_labels(prepared, step)
    assert made.diff is step.diff
    assert np.array_equal(s.labels.array, source.labels.array) and s.segments.get(1).locked
