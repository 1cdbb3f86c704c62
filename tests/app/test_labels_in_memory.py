"""A label map made in memory (the readers' adjudicated map) is in no file: applying it leaves the
session modified, so closing asks to save it; the same map loaded from a file it was saved to,
with nothing unsaved before, leaves it unmodified."""

from __future__ import annotations

import numpy as np

from neuroview.app.session import Session
from neuroview.core.volume import Volume
from neuroview.io.nifti import save_nifti


def _session_and_mask():
    affine = np.diag([1.0, 1.0, 2.0, 1.0])
    session = Session(Volume(np.zeros((12, 10, 6), np.float32), affine))
    mask = np.zeros((12, 10, 6), np.uint8)
    mask[3:7, 2:5, 1:4] = 1
    return session, Volume(mask, affine)


def test_a_mask_made_in_memory_leaves_the_session_modified():
    session, mask = _session_and_mask()
    assert not session.modified
    session.load_label_volume(mask, "")
    assert np.array_equal(session.labels.array > 0, mask.array > 0)
    assert session.modified


def test_the_same_mask_loaded_from_its_file_leaves_the_session_unmodified(tmp_path):
    session, mask = _session_and_mask()
    path = save_nifti(mask.array, mask.ijk_to_ras, tmp_path / "mask.nii.gz")
    session.load_labels(path)
    assert np.array_equal(session.labels.array > 0, mask.array > 0)
    assert not session.modified
