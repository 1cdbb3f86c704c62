"""The folder Save labels proposes (issue #10, item 14), without Qt."""

import os
from pathlib import Path

from neuroview.app.save_folder import case_folder_refused, proposed_folder, remember_folder, remembered_folder
from neuroview.paths import demo_image


def test_the_image_folder_when_writable(tmp_path):
    (tmp_path / "study").mkdir()
    assert proposed_folder(str(tmp_path / "study" / "t1.nii.gz"), tmp_path) == tmp_path / "study"


def test_never_the_package_resources_even_when_writable(tmp_path):
    documents = tmp_path / "Documents"
    documents.mkdir()
    assert demo_image().parent.is_dir()   # an editable install: resources/demo/ is writable here
    assert proposed_folder(str(demo_image()), documents) == documents


def test_documents_when_the_image_folder_is_gone_and_home_without_documents(tmp_path):
    documents = tmp_path / "Documents"
    documents.mkdir()
    gone = tmp_path / "cdrom" / "DICOM"   # e.g. an unmounted disc
    assert proposed_folder(str(gone), documents) == documents
    assert proposed_folder(str(gone), tmp_path / "missing") == Path.home()


def test_the_last_folder_saved_to_comes_first(tmp_path):
    (tmp_path / "study").mkdir()
    (tmp_path / "results").mkdir()
    assert remembered_folder() is None
    remember_folder(tmp_path / "results" / "labels.nii.gz")
    assert proposed_folder(str(tmp_path / "study" / "t1.nii.gz"), tmp_path) == tmp_path / "results"
    remember_folder(demo_image())          # a folder of the package is never proposed
    assert proposed_folder(str(tmp_path / "study" / "t1.nii.gz"), tmp_path) == tmp_path / "study"


def test_a_worklist_case_passes_over_the_last_folder_saved_to(tmp_path):
    """Another worklist's folder saved to last: a worklist case proposes its own folder."""
    (tmp_path / "second").mkdir()
    (tmp_path / "first").mkdir()
    remember_folder(tmp_path / "first" / "a_case-labels.nii.gz")
    image = str(tmp_path / "second" / "a_case.nii.gz")
    assert proposed_folder(image, tmp_path) == tmp_path / "first"
    assert proposed_folder(image, tmp_path, worklist_case=True) == tmp_path / "second"
    assert case_folder_refused(image, tmp_path / "second") == ""


def test_a_read_only_case_folder_says_the_lead_will_not_find_the_labels_elsewhere(tmp_path, monkeypatch):
    """Labels saved in Documents are not where the lead's watch mode and Adjudicate look (beside
    the case): the one line says so (until session 49 it proposed Documents without a word of it)."""
    cases = tmp_path / "share"
    cases.mkdir()
    access = os.access   # chmod does not stop root
    monkeypatch.setattr(os, "access", lambda path, mode: access(path, mode) and not (
        mode & os.W_OK and os.path.realpath(path) == str(cases)))
    assert case_folder_refused(str(cases / "a_case.nii.gz"), tmp_path / "Documents") == (
        f"{cases} is read-only: labels cannot be saved beside this worklist case; proposed in "
        f"{tmp_path / 'Documents'} instead, where the lead's watch mode and Adjudicate do not look.")


def test_a_read_only_case_folder_names_the_picture_for_an_export(tmp_path, monkeypatch):
    """*Export view as PNG* names what it saves (it said "labels cannot be saved"), without the
    lead's watch mode, which looks for labels, not pictures."""
    cases = tmp_path / "share"
    cases.mkdir()
    access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: access(path, mode) and not (
        mode & os.W_OK and os.path.realpath(path) == str(cases)))
    assert case_folder_refused(str(cases / "a_case.nii.gz"), tmp_path / "Documents", "the picture") == (
        f"{cases} is read-only: the picture cannot be saved beside this worklist case; proposed in "
        f"{tmp_path / 'Documents'} instead.")
