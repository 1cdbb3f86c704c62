"""The window opening an image hashes every voxel for its workspace key in the loading worker,
not on the GUI thread, and offers a copy with a 4x4x4 block changed nothing of the first image's
crash journal (until session 33 it asked "Restore them?" with the first image's edits, and Restore
wrote them onto the copy: ``core.image_keys``)."""

from __future__ import annotations

import threading

import numpy as np
from editor_helpers import leave_a_crashed_workspace, wait_for_session

from neuroview.core import image_keys
from neuroview.io.nifti import load_nifti, save_nifti
from tests.app.sampled_blocks import changed_copy

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_a_copy_with_a_block_changed_opens_with_no_offer_keyed_off_the_gui_thread(
        qtbot, window, tmp_path, monkeypatch):
    path, affine = tmp_path / "case.nii.gz", np.diag([2.0, 2.0, 2.0, 1.0])
    save_nifti(np.random.default_rng(5).integers(0, 900, (96, 96, 48)).astype(np.int16), affine, path)
    volume = load_nifti(path)
    leave_a_crashed_workspace(volume, (90.0, 90.0, 40.0), radius_mm=5)
    copy = tmp_path / "copy.nii.gz"
    save_nifti(changed_copy(volume.array, volume.ijk_to_ras), volume.ijk_to_ras, copy)
    threads, original = [], image_keys.image_key

    def keyed(*args, **kwargs):
        threads.append(threading.current_thread())
        return original(*args, **kwargs)

    monkeypatch.setattr(image_keys, "image_key", keyed)
    window.open_paths([copy])
    qtbot.waitUntil(lambda: window.editor.session is not None or "Restore" in window.notice_bar.buttons,
                    timeout=30000)
    assert "Restore" not in window.notice_bar.buttons, window.notice_bar.text
    session = wait_for_session(qtbot, window)
    assert not session.labels.array.any()
    assert threads and all(t is not threading.main_thread() for t in threads)
    window.open_paths([path])                                  # the first image: offered
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=30000)
    assert bar.text.startswith("This image has edits from an earlier session")
    assert "could not be checked" not in bar.text
    assert all(t is not threading.main_thread() for t in threads)
    assert np.asarray(window.controller.volume.array).shape == volume.shape
