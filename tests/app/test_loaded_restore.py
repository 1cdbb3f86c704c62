"""The labels as loaded survive a crash: the workspace keeps them (``app.session_loaded``), so
after a restore a loaded segment edited by hand is sent with the same ``changed_voxels`` as
without the crash (until session 28 it read unknown: ``null``), also after a save compacted the
journal, and when the kill came between the load's journal record and ``loaded.json``."""

import numpy as np
import pytest

from neuroview.app.label_files import labels_step, prepare_label_file
from neuroview.app.session import Session
from neuroview.core.volume import Volume
from neuroview.io.nifti import save_nifti
from tests.app.loaded_labels import AFFINE, IMAGE, SHAPE, new_session, paint, sent_lesion
from tests.app.loaded_labels import killed as _killed


@pytest.fixture
def truth(tmp_path):
    mask = np.zeros(SHAPE, np.uint8)
    mask[4:14, 4:14, 4:10] = 1          # 600 voxels
    save_nifti(mask, AFFINE, tmp_path / "truth.nii.gz")
    return tmp_path / "truth.nii.gz"


def _changed(session: Session, tmp_path, name: str):
    lesion = sent_lesion(session, tmp_path, name)
    assert lesion["source"] == "loaded"
    return lesion["changed_voxels"]


def test_a_restore_counts_the_changed_voxels_as_before_the_crash(truth, tmp_path):
    session = new_session(tmp_path)
    session.load_labels(truth)
    paint(session, (24, 24, 8))
    before = _changed(session, tmp_path, "a")
    assert before > 0
    restored = _killed(session, tmp_path)
    assert restored.restored_steps and restored.segments.get(1).made_by == "file truth.nii.gz + drawn"
    assert _changed(restored, tmp_path, "b") == before


def test_after_a_save_compacted_the_journal_too(truth, tmp_path):
    session = new_session(tmp_path)
    session.load_labels(truth)
    paint(session, (24, 24, 8))
    session.save_labels(tmp_path / "saved.nii.gz")       # the load's step is compacted away
    paint(session, (6, 26, 8))
    before = _changed(session, tmp_path, "a")
    restored = _killed(session, tmp_path)
    assert _changed(restored, tmp_path, "b") == before
    paint(restored, (26, 6, 8))                         # and on: still against the file's
    again = _killed(restored, tmp_path)
    assert _changed(again, tmp_path, "c") == _changed(restored, tmp_path, "d") > before


def test_a_kill_before_loaded_json_finds_the_step_s_file(truth, tmp_path):
    """The window's way: the worker writes the step's voxels and the labels as loaded; the kill
    comes after the step is journaled, before ``loaded.json`` names them."""
    session = new_session(tmp_path)
    prepared = prepare_label_file(truth, session.volume)
    step = labels_step(prepared, session.labels.array.copy(), session.labels.segments.locked_values(),
                       session.version, session.journal.folder)
    session.apply_labels(prepared, step)
    assert (tmp_path / "ws" / step.loaded).exists()
    (tmp_path / "ws" / "loaded.json").unlink()             # as if killed before it was written
    before = _changed(session, tmp_path, "a")
    restored = _killed(session, tmp_path)
    assert restored.loaded_labels is not None
    assert np.array_equal(restored.loaded_labels.array, session.loaded_labels.array)
    paint(restored, (24, 24, 8))
    paint(session, (24, 24, 8))
    assert _changed(restored, tmp_path, "b") == _changed(session, tmp_path, "c") > before == 0


def test_a_damaged_file_only_loses_the_count(truth, tmp_path):
    session = new_session(tmp_path)
    session.load_labels(truth)
    paint(session, (24, 24, 8))
    (voxels,) = (tmp_path / "ws").glob("loaded-*.npz")
    voxels.write_bytes(b"PK\x03\x04 not a zip")
    restored = _killed(session, tmp_path)
    assert restored.loaded_labels is None and restored.segments.get(1).origin == "loaded"
    assert _changed(restored, tmp_path, "b") is None


def test_declining_the_restore_forgets_them(truth, tmp_path):
    session = new_session(tmp_path)
    session.load_labels(truth)
    session.journal.close()
    fresh = Session(Volume(IMAGE, AFFINE), tmp_path / "ws", restore=False)
    assert fresh.loaded_labels is None
    assert not list((tmp_path / "ws").glob("loaded*"))


def test_a_file_whose_array_header_is_left_open_only_loses_the_count(truth, tmp_path):
    """The labels-as-loaded file with its array header's bracket left open (numpy raises
    tokenize's TokenError, no ValueError: ``bench/mutate_readers.py --only journal``, seed 55):
    reopening the image after a kill restored nothing, an internal error out of the restore; now
    the edits are restored and only the count of voxels changed since the load is lost."""
    from tests.app.journal_bytes import open_bracket

    session = new_session(tmp_path)
    session.load_labels(truth)
    paint(session, (24, 24, 8))
    painted = session.labels.array.copy()
    (voxels,) = (tmp_path / "ws").glob("loaded-*.npz")
    open_bracket(voxels, "labels.npy")
    restored = _killed(session, tmp_path)
    assert restored.restored_steps == session.restored_steps + 2   # the load and the paint
    np.testing.assert_array_equal(restored.labels.array, painted)
    assert restored.loaded_labels is None and restored.segments.get(1).origin == "loaded"
    assert _changed(restored, tmp_path, "b") is None
