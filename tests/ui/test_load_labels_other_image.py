"""*File > Load labels* of a file saved on another image asks before loading it: cases of one
dataset often share a grid (registered to a template, one protocol), and in a walk of an
annotation team case01's saved labels, picked by mistake on case02, became case02's labels
without a word (its worklist row `corrected`, ready to be sent to the training set). *Save
labels* now names the image in the sidecar (its workspace key: a hash of its voxels and grid)."""

from __future__ import annotations

import json

import numpy as np
from editor_helpers import open_image, save_and_wait, stroke_a_lesion, wait_for_session, write_image
from PySide6.QtCore import Qt

from neuroview.io.nifti import save_nifti

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def asked_then_loaded(qtbot, window, session, labels, expected) -> str:
    """*Load labels* of ``labels`` asks (nothing loaded), *Cancel* loads nothing; asked again,
    *Load anyway* makes ``expected`` the labels. Returns the question."""
    bar = window.notice_bar
    window.open_labels(labels)                                  # as File > Load labels... does
    qtbot.waitUntil(lambda: bar.isVisible() and "Load anyway" in bar.buttons, timeout=30000)
    question = bar.text
    assert not session.labels.array.any() and not window.editor.case.modified   # nothing loaded
    qtbot.mouseClick(bar.buttons["Cancel"], Qt.LeftButton)
    assert not session.labels.array.any() and len(session.segments) == 0

    window.open_labels(labels)
    qtbot.waitUntil(lambda: bar.isVisible() and "Load anyway" in bar.buttons, timeout=30000)
    qtbot.mouseClick(bar.buttons["Load anyway"], Qt.LeftButton)
    qtbot.waitUntil(lambda: np.array_equal(session.labels.array, expected), timeout=30000)
    return question


def test_labels_saved_on_another_image_of_the_same_grid_are_loaded_only_when_asked(
        qtbot, window, tmp_path):
    first, volume = write_image(tmp_path, "case01")
    second = tmp_path / "case02.nii.gz"   # the same grid, other voxels: another case
    save_nifti(volume.array[::-1].copy(), volume.ijk_to_ras, second)
    open_image(qtbot, window, first)
    session = wait_for_session(qtbot, window)
    stroke_a_lesion(window, session)
    drawn = session.labels.array.copy()
    saved = save_and_wait(window, tmp_path / "case01-labels.nii.gz")
    rows = json.loads((tmp_path / "case01-labels.segments.json").read_text())
    assert rows[0]["image_key"] == volume.workspace_key()

    open_image(qtbot, window, second)
    other = wait_for_session(qtbot, window)
    asked = asked_then_loaded(qtbot, window, other, saved, drawn)
    assert "case01-labels.nii.gz was saved on another image" in asked
    bar = window.notice_bar

    open_image(qtbot, window, first)   # its own labels: no question
    own = wait_for_session(qtbot, window)
    window.open_labels(saved)
    qtbot.waitUntil(lambda: np.array_equal(own.labels.array, drawn), timeout=30000)
    assert not (bar.isVisible() and "Load anyway" in bar.buttons)


def test_a_seg_made_on_another_series_is_loaded_only_when_asked(qtbot, window, tmp_path):
    """A DICOM SEG names the series it was made on (ReferencedSeriesSequence): loaded on another
    series of the same grid (another case, seed 8), it asks as a NIfTI saved on another image
    does (it was loaded without a word); on its own series it loads at once
    (``test_load_seg_labels``)."""
    import sys
    from pathlib import Path

    from editor_helpers import open_image, paint_a_dicom_series

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "dataset"))
    from fake_dicom import make_ct_series

    session = paint_a_dicom_series(qtbot, window, tmp_path)
    painted = session.labels.array.copy()
    seg = save_and_wait(window, tmp_path / "out" / "mask.dcm", seg=True)
    make_ct_series(tmp_path / "other", seed=8)   # the same grid, another series

    open_image(qtbot, window, tmp_path / "other")
    other = wait_for_session(qtbot, window)
    asked = asked_then_loaded(qtbot, window, other, seg, painted)
    assert asked.startswith("mask.dcm was made on another series than the one on screen: "
                            "another case's labels? Nothing was loaded")
