"""An image opened by hand (File > Open, ``neuroview IMAGE``) is offered the labels last saved for
it, as a worklist case is offered the file its worklist remembers: it opened with an empty label
map and no word of the file saved before. Another image at the same path is offered nothing."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image, paint_a_lesion, save_and_wait, write_image

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

QUESTION = "The labels of this case were saved to case-labels.nii.gz; load them?"


def test_reopened_by_hand_the_saved_labels_are_offered_and_load(qtbot, window, tmp_path):
    _, session = paint_a_lesion(qtbot, window, tmp_path)
    painted = session.labels.array.copy()
    assert painted.any()
    save_and_wait(window, tmp_path / "out" / "case-labels.nii.gz")
    other, _ = write_image(tmp_path, name="other")
    open_image(qtbot, window, other)
    assert "Load labels" not in window.notice_bar.buttons       # nothing saved for that one

    open_image(qtbot, window, tmp_path / "case.nii.gz")          # File > Open, no worklist
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Load labels" in bar.buttons, timeout=30000)
    assert bar.text.split("\n")[0] == QUESTION
    assert str(tmp_path) not in bar.text
    assert not window.editor.session.labels.array.any()
    bar.buttons["Load labels"].click()
    qtbot.waitUntil(lambda: window.editor.session.labels.array.any() and not window.runner.busy,
                    timeout=30000)
    assert np.array_equal(window.editor.session.labels.array > 0, painted > 0)


def test_another_image_at_that_path_is_offered_nothing(qtbot, window, tmp_path):
    paint_a_lesion(qtbot, window, tmp_path)
    save_and_wait(window, tmp_path / "out" / "case-labels.nii.gz")
    other, _ = write_image(tmp_path, name="other")
    open_image(qtbot, window, other)
    write_image(tmp_path, name="case", affine_name="oblique")    # the file replaced: another grid
    open_image(qtbot, window, tmp_path / "case.nii.gz")
    qtbot.wait(300)
    assert "Load labels" not in window.notice_bar.buttons
    assert "case-labels" not in window.notice_bar.text


def test_the_offer_goes_when_the_labels_are_loaded_with_ctrl_l(qtbot, window, tmp_path):
    """*File > Load labels* (Ctrl+L, Enter: the saved file) answers the offer: the bar offered them
    still, with its *Load labels* button, over the labels it had loaded."""
    _, session = paint_a_lesion(qtbot, window, tmp_path)
    painted = session.labels.array.copy()
    saved = save_and_wait(window, tmp_path / "out" / "case-labels.nii.gz")
    window.close_action.trigger()
    open_image(qtbot, window, tmp_path / "case.nii.gz")
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Load labels" in bar.buttons, timeout=30000)
    assert bar.isVisible() and bar.text == QUESTION
    assert window.edit_actions.labels_to_load() == str(saved)    # where Ctrl+L's dialog opens
    window.edit_actions.load_labels(window.edit_actions.labels_to_load())
    qtbot.waitUntil(lambda: window.editor.session.labels.array.any() and not window.runner.busy,
                    timeout=30000)
    assert np.array_equal(window.editor.session.labels.array, painted)
    assert bar.isVisible() is False or QUESTION not in bar.text    # the bar hides, or says other news
