"""The window offers a padded CT the crash journal an older neuroview left on it, and Restore
gives the edits back: a CT NRRD's of session 33 (every voxel hashed as the file stores them, its
padding -3024 not yet read as air), which session 34's reading (the padding as air) gave another
key, so the window said nothing and the journal's folder stayed on disk; and a CT NIfTI's of
sessions 33-34 (the voxels hashed as read, the padding as air), whose key is now an older one.
Every key is hashed in the loading worker, none on the GUI thread."""

from __future__ import annotations

import threading

import nibabel as nib
import nrrd
import numpy as np
import pytest
from editor_helpers import open_image, wait_for_session
from PySide6.QtCore import Qt

from neuroview.app.case import workspace_for
from neuroview.app.session import Session
from neuroview.core import image_keys
from neuroview.core.volume import Volume
from neuroview.io import load
from tests.io.nrrd_ct import padded_ct, write_nrrd

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _nrrd_of_session_33(folder):
    path = write_nrrd(folder / "head.nrrd", padded_ct())
    stored = nrrd.read(str(path), index_order="F")[0]
    assert stored.min() == -3024
    return path, lambda volume: image_keys.image_key(stored, volume.ijk_to_ras)


def _nifti_of_session_34(folder):
    path = folder / "head.nii.gz"
    nib.save(nib.Nifti1Image(padded_ct(), np.diag([0.8, 0.8, 2.5, 1.0])), path)
    return path, lambda volume: image_keys.image_key(volume.array, volume.ijk_to_ras)


@pytest.mark.parametrize("written", [_nrrd_of_session_33, _nifti_of_session_34])
def test_a_padded_ct_is_offered_the_journal_an_older_neuroview_left(
        qtbot, window, tmp_path, monkeypatch, written):
    path, old_key = written(tmp_path)
    volume = load(path)
    assert volume.padding is not None and volume.array.min() == -1024
    key = old_key(volume)
    with monkeypatch.context() as old:
        old.setattr(Volume, "workspace_key", lambda self, cancel=None: key)
        old.setattr(Volume, "older_keys", lambda self, cancel=None: ())
        crashed = Session(volume, workspace_for(volume))
        crashed.segments.add("lesion")
        crashed.apply("paint", at_ras=tuple(volume.center_ras), radius_mm=4.0)
        expected = crashed.labels.array.copy()
        crashed.journal.close()                          # killed
    assert expected.any()
    threads, original = [], image_keys.image_key

    def keyed(*args, **kwargs):
        threads.append(threading.current_thread())
        return original(*args, **kwargs)

    monkeypatch.setattr(image_keys, "image_key", keyed)
    open_image(qtbot, window, path)
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=30000)
    assert bar.text.startswith("This image has edits from an earlier session"), bar.text
    assert "could not be checked" not in bar.text
    qtbot.mouseClick(bar.buttons["Restore"], Qt.LeftButton)
    session = wait_for_session(qtbot, window)
    np.testing.assert_array_equal(session.labels.array, expected)
    assert [s.name for s in session.segments] == ["lesion"]
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert len(threads) == (1 if written is _nrrd_of_session_33 else 2)   # the older keys: only when needed
