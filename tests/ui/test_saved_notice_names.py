"""The notices that name a saved or exported file give its name and folder (beside the image,
``~/...``, or the folder's name), the whole path on hover: "Saved /abs/path/a-labels.nii.gz" filled
the notice bar with folders (and a patient's folder name on a shared screen), and *Export view*
said nothing at all."""

from __future__ import annotations

import os

import nibabel as nib
from editor_helpers import INSIDE_CASE_RAS, open_image, stroke, wait_for_session, write_image
from PySide6.QtWidgets import QFileDialog

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _painted(qtbot, window, folder):
    path, _ = write_image(folder)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS])
    assert session.labels.array.any()
    return session


def test_saved_beside_the_image_names_the_file_alone(qtbot, window, tmp_path):
    session = _painted(qtbot, window, tmp_path)
    target = tmp_path / "case-labels.nii.gz"
    window.edit_actions.save_labels(str(target))
    assert window.edit_actions.saving.wait()
    assert (nib.load(target).get_fdata() > 0).sum() == (session.labels.array > 0).sum()
    bar = window.notice_bar
    assert bar.text == "Saved case-labels.nii.gz beside the image"      # was "Saved /tmp/.../case-..."
    assert str(tmp_path) not in bar.text
    assert bar.label.toolTip() == str(target)


def test_saved_under_home_is_shortened_and_the_next_notice_drops_the_tooltip(qtbot, window, tmp_path,
                                                                              monkeypatch):
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    (tmp_path / "scans").mkdir()
    _painted(qtbot, window, tmp_path / "scans")
    target = home / "Documents" / "case-labels.nii.gz"
    window.edit_actions.save_labels(str(target))
    assert window.edit_actions.saving.wait() and target.exists()
    assert window.notice_bar.text == f"Saved case-labels.nii.gz in ~{os.sep}Documents"
    assert window.notice_bar.label.toolTip() == str(target)
    window.notice_bar.show_message("Something else.")
    assert window.notice_bar.label.toolTip() == ""


def test_export_view_says_where_the_picture_went(qtbot, window, tmp_path, monkeypatch):
    (tmp_path / "scans").mkdir()
    (tmp_path / "shots").mkdir()
    _painted(qtbot, window, tmp_path / "scans")
    target = tmp_path / "shots" / "lesion"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PNG (*.png)"))
    window.export_view_dialog()
    assert (tmp_path / "shots" / "lesion.png").stat().st_size > 0
    assert window.notice_bar.text == f"Exported lesion.png in …{os.sep}shots"   # it said nothing
    assert window.notice_bar.label.toolTip() == str(tmp_path / "shots" / "lesion.png")


def test_export_proposes_the_image_and_view_beside_it(qtbot, window, tmp_path, monkeypatch):
    """Export view / Export all views start beside the image with its name and the view's
    (``case_axial.png``, ``case_views.png``): they proposed ``view.png`` in the program's
    working folder, one name for every view and every image."""
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))   # no folder remembered
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scans").mkdir()
    proposed = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda parent, title, start, *a, **k: proposed.append(start) or ("", ""))
    _painted(qtbot, window, tmp_path / "scans")
    window.controller.active_view = "axial"
    window.export_view_dialog()
    window.export_all_dialog()
    assert proposed == [str(tmp_path / "scans" / "case_axial.png"),
                        str(tmp_path / "scans" / "case_views.png")]
