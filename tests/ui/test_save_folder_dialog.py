"""File > Save labels proposes a sensible folder (issue #10, item 14): the image's folder, the
Documents folder for the demo image inside the package, then the last folder the user saved to."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from editor_helpers import open_image, wait_for_session, write_image
from save_dialogs import answered_save_dialog

from neuroview.paths import demo_image

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


@pytest.fixture
def save_dialog(monkeypatch, tmp_path):
    """The file dialog, answered by the test (``save_dialogs.answered_save_dialog``)."""
    return answered_save_dialog(monkeypatch, tmp_path)


def save_from_menu(window):
    next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Save labels...").trigger()
    window.edit_actions.saving.wait()                     # a worker writes the file


def test_proposes_the_image_folder(qtbot, window, tmp_path, save_dialog):
    proposed, _, _ = save_dialog
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    save_from_menu(window)
    assert [start for _, start in proposed] == [os.path.join(tmp_path, "case-labels.nii.gz")]


@pytest.mark.parametrize("ending", [".mha", ".mhd", ".nhdr"])
def test_proposes_the_image_name_without_its_ending(qtbot, window, tmp_path, save_dialog, ending):
    """A MetaImage (or detached NRRD) opened: ``case-labels.nii.gz``, as for a NIfTI; it was
    ``case.mha-labels.nii.gz`` (the ending kept), and snapshots ``case.mha_axial.png``."""
    import SimpleITK as sitk

    proposed, _, _ = save_dialog
    path, _ = write_image(tmp_path)
    sitk.WriteImage(sitk.ReadImage(str(path)), str(tmp_path / f"case{ending}"))
    open_image(qtbot, window, tmp_path / f"case{ending}")
    wait_for_session(qtbot, window)
    save_from_menu(window)
    assert [start for _, start in proposed] == [os.path.join(tmp_path, "case-labels.nii.gz")]


def test_demo_image_proposes_documents_then_the_last_folder_used(qtbot, window, tmp_path, save_dialog):
    proposed, answer, documents = save_dialog
    open_image(qtbot, window, demo_image())
    wait_for_session(qtbot, window)
    save_from_menu(window)
    assert Path(proposed[-1][1]).parent == documents          # never the package's resources/demo/
    (tmp_path / "results").mkdir()
    answer[0] = str(tmp_path / "results" / "mine.nii.gz")
    save_from_menu(window)
    assert (tmp_path / "results" / "mine.nii.gz").exists()
    answer[0] = ""                                            # Cancel: what it proposed is enough
    save_from_menu(window)
    assert Path(proposed[-1][1]).parent == tmp_path / "results"
