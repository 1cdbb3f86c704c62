"""A model that finds nothing (the bundled MR lesion model on a CT, or on an MRI with no lesion)
added an empty ``lesion`` segment (0.000 mL) to the Segments list, and its notice gave each note
a bracket of its own, two in a row. It says it found none, in one bracket, and adds no segment;
a model that found something before has its segment emptied (its new result replaces it)."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image, wait_for_session, write_image

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

NOTES = ["brain extraction skipped: the image is a CT", "fake@1 was made for MR (T1), and this "
         "image is a CT: its result means little"]


def _brain_and_lesion(volume):
    """A brain (a ball) with a lesion (a smaller ball inside it), as the model labels them: 1 the
    lesion, 2 the brain; and the brain's mask."""
    ijk = np.indices(volume.shape[:3]).transpose(1, 2, 3, 0) - np.array(volume.shape[:3]) / 2
    brain = (ijk ** 2).sum(-1) <= 400
    labels = np.where(brain, 2, 0).astype(np.uint8)
    labels[(ijk ** 2).sum(-1) <= 9] = 1
    return labels, brain


def test_a_model_that_finds_nothing_says_so_and_adds_no_segment(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    labels = np.zeros(volume.shape[:3], np.uint8)
    result = (labels, [(1, "lesion", (230, 25, 75))], "fake@1", "cpu", NOTES, None)
    window.ai_actions._apply_result(window.editor.case, result, "")
    qtbot.waitUntil(lambda: "fake@1 on cpu" in window.notice_bar.text, timeout=30000)
    assert window.notice_bar.text == (
        "fake@1 on cpu found no lesion (brain extraction skipped: the image is a CT; fake@1 was "
        "made for MR (T1), and this image is a CT: its result means little): nothing was added.")
    assert "lesion" not in session.segments and not session.history.undo_steps
    assert window.segment_panel.table.rowCount() == 0


def test_an_mri_with_no_lesion_keeps_its_brain_and_adds_no_lesion(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    found, brain = _brain_and_lesion(volume)
    segments = [(1, "lesion", (230, 25, 75)), (2, "brain", (70, 130, 180))]
    result = (found, segments, "fake@1", "cpu", [], brain)
    labels = np.where(brain, 2, 0).astype(np.uint8)          # the model found no lesion
    window.ai_actions._apply_result(window.editor.case, (labels, *result[1:]), "")
    qtbot.waitUntil(lambda: "fake@1 on cpu" in window.notice_bar.text, timeout=30000)
    assert ", no lesion found. Correct it" in window.notice_bar.text
    assert "lesion" not in session.segments and "brain" in session.segments

    window.ai_actions._apply_result(window.editor.case, result, "")   # it finds one: added
    qtbot.waitUntil(lambda: "lesion" in session.segments, timeout=30000)
    lesion = session.segments["lesion"].value
    assert (session.labels.array == lesion).sum() == (found == 1).sum()
    window.ai_actions._apply_result(window.editor.case, (labels, *result[1:]), "")   # none again
    qtbot.waitUntil(lambda: len(session.history.undo_steps) == 3, timeout=30000)
    assert not (session.labels.array == lesion).any()   # its empty result replaced the lesion
    assert "fake@1 on cpu: lesion 0.000 mL, brain " in window.notice_bar.text
