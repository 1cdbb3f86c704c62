"""The follow-up window's *Export CSV...* and *Report...* start where saves go (the folder saved
to last, else the baseline's own), and remember where they saved: both started in the program's
working folder (s40 walk), far from the studies and from the report written a minute before."""

from __future__ import annotations

from followup_views import followup_view  # noqa: F401
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from neuroview.app.save_folder import remember_folder


def test_export_and_report_start_where_the_last_save_went(followup_view, qtbot, tmp_path, monkeypatch):  # noqa: F811
    view = followup_view
    asked = []

    def save_file(parent, title, start, *args, **kwargs):
        asked.append(start)
        return str(tmp_path / "exports" / "table.csv"), ""

    def folder(parent, title, start="", *args, **kwargs):
        asked.append(start)
        return ""   # cancelled

    (tmp_path / "studies").mkdir()
    (tmp_path / "exports").mkdir()
    remember_folder(tmp_path / "studies" / "t1-labels.nii.gz")   # Save labels wrote there
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_file)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", folder)
    qtbot.mouseClick(view.export_button, Qt.LeftButton)
    assert asked[0] == str(tmp_path / "studies" / "lesions_tp2.csv")
    assert (tmp_path / "exports" / "table.csv").read_text().startswith("id,status")
    qtbot.mouseClick(view.report_button, Qt.LeftButton)   # beside the table just exported
    assert asked[1] == str(tmp_path / "exports")
