"""File > Load labels... opens on the labels saved for this image: after Save labels, closing and
opening the image again, Ctrl+L and Enter load them back (the dialog opened in the program's
working folder, far from the file just saved: a walk through the demo, session 27). File > Open
file(s)... and Open folder / DICOM... start in the folder of the image opened last."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, open_image, stroke, wait_for_session, write_image
from PySide6.QtWidgets import QFileDialog

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def menu_action(window, text):
    return next(a for a in window.file_menu.actions() if a.text().replace("&", "") == text)


def answer_dialogs(monkeypatch, save_as=None, load=True):
    """Save: the proposed file (or ``save_as``); Load: the file or folder the dialog opens on,
    recorded in the list returned, and chosen as it is (Enter in the dialog) when ``load``."""
    opened_on = []

    def save(parent, title, start, file_filter, **options):
        return str(save_as or start), ""

    def load(parent, title, start, file_filter):
        opened_on.append(start)
        return start, ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", load)
    return opened_on


def painted_and_saved(qtbot, window, path):
    """Open ``path``, paint a segment, Save labels from the menu: the labels saved."""
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    session.segments.add("lesion")
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS])
    saved = session.labels.array.copy()
    assert saved.any()
    menu_action(window, "Save labels...").trigger()
    window.edit_actions.saving.wait()
    return saved


def test_load_labels_opens_on_the_file_saved_for_this_image(qtbot, window, tmp_path, monkeypatch):
    opened_on = answer_dialogs(monkeypatch)
    path, _ = write_image(tmp_path)
    saved = painted_and_saved(qtbot, window, path)
    assert (tmp_path / "case-labels.nii.gz").is_file()
    window.close_action.trigger()   # opened again while on screen, it would keep its labels
    open_image(qtbot, window, path)                      # the image opened again: no labels yet
    session = wait_for_session(qtbot, window)
    assert not session.labels.array.any()
    menu_action(window, "Load labels...").trigger()
    assert opened_on == [str(tmp_path / "case-labels.nii.gz")]
    qtbot.waitUntil(lambda: window.editor.session.labels.array.any(), timeout=30000)
    np.testing.assert_array_equal(window.editor.session.labels.array, saved)


def test_load_labels_opens_on_the_file_saved_under_another_name(qtbot, window, tmp_path, monkeypatch):
    """Saved as ``results/mine.nii.gz``, closed, opened again: Ctrl+L, Enter loads that file. The
    dialog opened on the folder with no file chosen, so Enter did nothing, although the notice bar
    offered that very file (``app.saved_labels``); a walk through the README, session 37."""
    (tmp_path / "results").mkdir()
    opened_on = answer_dialogs(monkeypatch, save_as=tmp_path / "results" / "mine.nii.gz")
    path, _ = write_image(tmp_path)
    saved = painted_and_saved(qtbot, window, path)
    assert (tmp_path / "results" / "mine.nii.gz").is_file()
    window.close_action.trigger()
    open_image(qtbot, window, path)
    assert not wait_for_session(qtbot, window).labels.array.any()
    menu_action(window, "Load labels...").trigger()
    assert opened_on == [str(tmp_path / "results" / "mine.nii.gz")]
    qtbot.waitUntil(lambda: window.editor.session.labels.array.any(), timeout=30000)
    np.testing.assert_array_equal(window.editor.session.labels.array, saved)


def test_open_dialogs_start_in_the_folder_of_the_image_opened_last(qtbot, window, tmp_path, monkeypatch):
    """File > Open file(s)... and Open folder / DICOM... started in the program's working folder,
    however deep the study just read lay; the next study of a worklist is usually beside it."""
    (tmp_path / "studies" / "a").mkdir(parents=True)
    (tmp_path / "studies" / "b").mkdir()
    first, _ = write_image(tmp_path / "studies" / "a")
    second, _ = write_image(tmp_path / "studies" / "b")
    started_in = []

    def open_files(parent, title, start, file_filter):
        started_in.append(start)
        return [str(second)], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", open_files)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        lambda parent, title, start="": started_in.append(start) or "")
    menu_action(window, "Open file(s)...").trigger()          # nothing opened yet: the working folder
    assert started_in == [""]
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                    timeout=30000)
    open_image(qtbot, window, first)
    menu_action(window, "Open file(s)...").trigger()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    menu_action(window, "Open folder / DICOM...").trigger()   # after b was opened from the dialog
    assert started_in == ["", str(tmp_path / "studies" / "a"), str(tmp_path / "studies" / "b")]
