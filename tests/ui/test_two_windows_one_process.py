"""One series in two windows of one process (two ``MainWindow``s, as a script or a notebook
makes them): the second is told the first edits it, as a window of another process is
(``test_image_open_in_two_windows.py``). Until session 40 the workspace lock counted both windows
as one holder: the second offered the first's live journal back ("This image has edits from an
earlier session that were never saved or discarded (2 edits since the last save). Restore
them?"); Discard would move the first window's workspace aside under it, Restore make both write
one journal."""

from __future__ import annotations

from editor_helpers import open_image, paint_a_dicom_series

from neuroview.app.case import workspace_for

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_the_second_window_of_a_process_leaves_the_first_ones_edits_alone(qtbot, window,
                                                                         second_window, tmp_path):
    session = paint_a_dicom_series(qtbot, window, tmp_path)
    painted = session.labels.array.copy()
    workspace = workspace_for(session.volume)
    open_image(qtbot, second_window, tmp_path / "dicom")
    qtbot.waitUntil(lambda: "another neuroview window" in second_window.notice_bar.text, timeout=30000)
    assert "Restore" not in second_window.notice_bar.buttons
    assert second_window.editor.case is None and second_window.editor.edited_elsewhere
    assert workspace.exists() and [p for p in workspace.parent.iterdir() if "discarded" in p.name] == []
    assert window.editor.session is session and (session.labels.array == painted).all()

    window.edit_actions.close_case()   # the first lets it go (its edits left in the journal)
    second_window.edit_actions.holder_check()
    assert "let this image go" in second_window.notice_bar.text
    second_window.notice_bar.buttons["Edit here"].click()   # offered back: they were never saved
    qtbot.waitUntil(lambda: "Restore" in second_window.notice_bar.buttons, timeout=30000)
    second_window.notice_bar.buttons["Restore"].click()
    qtbot.waitUntil(lambda: second_window.editor.session is not None, timeout=30000)
    assert (second_window.editor.session.labels.array == painted).all()
