"""Save labels names the DICOM series, not only its folder: a folder of two series (a FLAIR and a
T1, as a scanner exports a study) proposed ``study-labels.nii.gz`` for both, so saving the T1's
labels offered to overwrite the FLAIR's, and *Load labels* on the T1 opened the FLAIR's file. The
series is named by its number, not its description, which a PACS may fill with patient text
(``study_005_FLAIR_ax-labels.nii.gz`` until session 46)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from editor_helpers import wait_for_session, write_image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from series_maker import SeriesSpec, write_series  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """One folder, two series: #5 'FLAIR ax' and #9 'T1 cor' on other grids."""
    _, volume = write_image(tmp_path_factory.mktemp("image"))
    folder = tmp_path_factory.mktemp("export") / "study"
    for number, description, orientation in ((5, "FLAIR ax", "axial"), (9, "T1 cor", "coronal")):
        write_series(folder, volume, SeriesSpec(orientation=orientation, rows=24, cols=20, n_slices=12,
                                                series_number=number, description=description,
                                                seed=number))   # file names of their own
    return folder


def _open_series(qtbot, window, folder, description):
    window.open_paths([folder])
    qtbot.waitUntil(lambda: window.series_dialog is not None, timeout=30000)
    dialog = window.series_dialog
    row = next(i for i in range(dialog.list.count()) if description in dialog.list.item(i).text())
    rect = dialog.list.visualItemRect(dialog.list.item(row))
    qtbot.mouseClick(dialog.list.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Open), Qt.LeftButton)
    qtbot.waitUntil(lambda: window.controller.volume is not None
                    and window.controller.volume.description == description
                    and not window.runner.busy, timeout=30000)
    wait_for_session(qtbot, window)


def test_each_series_of_a_folder_gets_its_own_labels_name(qtbot, window, study, monkeypatch, tmp_path):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))   # no folder remembered
    proposed = []

    def save_dialog(parent, title, start, file_filter, **options):
        proposed.append(start)
        return start, ""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    save = next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Save labels...")

    _open_series(qtbot, window, study, "FLAIR ax")
    save.trigger()
    window.edit_actions.saving.wait()
    flair_labels = proposed[-1]
    assert os.path.basename(flair_labels) == "study_005-labels.nii.gz"
    assert os.path.isfile(flair_labels)

    window.close_image()
    _open_series(qtbot, window, study, "T1 cor")
    assert window.edit_actions.labels_to_load() == str(study.parent)   # not the FLAIR's file
    save.trigger()
    window.edit_actions.saving.wait()
    assert os.path.basename(proposed[-1]) == "study_009-labels.nii.gz"
    assert sorted(p.name for p in study.parent.glob("*-labels.nii.gz")) == [
        "study_005-labels.nii.gz", "study_009-labels.nii.gz"]
