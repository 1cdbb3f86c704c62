"""The adjudicator's name as people write it: the *Adjudicator* field asked for ``Family^Given``
and the saved SEG's series description read ``Adjudicated lesions - Senior^Sam's version``. Now
``Sam Senior`` (or ``Senior, Sam``) is typed, ContentCreatorName (a PN) is ``Senior^Sam`` and the
description reads ``Adjudicated lesions - Sam Senior's version``; checked in the SEG read back
with pydicom and highdicom."""

from __future__ import annotations

import highdicom as hd
import pydicom
import pytest
from PySide6.QtCore import Qt
from readers_helpers import adjudicate, find_and_compare, open_readers, study

from neuroview.io.dicom.person_name import dicom_name, readable_name


def test_the_adjudicator_types_a_name_as_people_write_it(qtbot, window, tmp_path, mni_volume, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    dialog = find_and_compare(qtbot, window, open_readers(
        qtbot, window, study(tmp_path, mni_volume, ("Smith^Ann", "Jones^Bob"), huge=False)))
    assert "Family^Given" not in dialog.adjudicator_edit.placeholderText()
    adjudicate(qtbot, dialog, "Sam Senior")
    assert dialog.save_button.isEnabled(), dialog.status.text()
    dialog.save_seg(tmp_path / "adjudicated.dcm")
    assert dialog.status.text().startswith("Saved adjudicated.dcm"), dialog.status.text()

    head = pydicom.dcmread(tmp_path / "adjudicated.dcm", stop_before_pixels=True)
    assert head.SeriesDescription == "Adjudicated lesions - Sam Senior's version"
    assert head.ContentCreatorName.family_name == "Senior" and head.ContentCreatorName.given_name == "Sam"
    seg = hd.seg.segread(tmp_path / "adjudicated.dcm")
    assert str(seg.ContentCreatorName) == "Senior^Sam"
    assert seg.ContentDescription == "Adjudicated lesions - Sam Senior's version"

    # the name is remembered in DICOM's form (Save to PACS takes it) and shown again as typed
    window.pacs_actions.readers.dialog = None
    dialog.close()
    assert open_readers(qtbot, window, tmp_path / "study" / "series").adjudicator_edit.text() == "Sam Senior"


@pytest.mark.parametrize("typed, pn", [
    ("Sam Senior", "Senior^Sam"), ("Senior, Sam", "Senior^Sam"), ("  Senior ,  Sam ", "Senior^Sam"),
    ("Senior^Sam", "Senior^Sam"), ("Sam", "Sam"), ("Dr. Ann B Smith PhD", "Smith^Ann^B^Dr.^PhD"),
    ("Ann Smith, MD", "Smith^Ann^^^MD"), ("Dr. Maria Theresa van der Berg", "van der Berg^Maria^Theresa^Dr."),
    ("Van der Berg-Oliveira, Maria Theresa", "Van der Berg-Oliveira^Maria^Theresa"),
    ("Müller, Jörg", "Müller^Jörg"), ("山田 太郎", "=山田^太郎"), ("", "")])
def test_a_typed_name_in_dicom_form_reads_back_as_typed(typed, pn):
    assert dicom_name(typed) == pn
    if "," not in typed and "^" not in typed:
        assert readable_name(pn) == " ".join(typed.split())


def test_add_to_training_set_suggests_the_adjudicator(qtbot, window, tmp_path, mni_volume):
    """*Add to training set...* after adjudicating suggests the adjudicator just named, not the
    annotator last given in *Send to training set* (it suggested "Ann Smith", whose outline was
    one of those judged)."""
    from neuroview.app.last_dataset import remember_dataset

    remember_dataset(tmp_path / "datasets", "Ann Smith")
    dialog = find_and_compare(qtbot, window, open_readers(
        qtbot, window, study(tmp_path, mni_volume, ("Smith^Ann", "Jones^Bob"), huge=False)))
    window.training_actions.send_dialog()          # not adjudicated yet: the annotator last given
    assert window.training_actions.dialog.annotator_edit.text() == "Ann Smith"
    window.training_actions.dialog.reject()
    adjudicate(qtbot, dialog, "Senior, Sam")
    qtbot.mouseClick(dialog.training_button, Qt.LeftButton)
    send = window.training_actions.dialog
    qtbot.waitUntil(send.isVisible, timeout=5000)
    assert send.annotator_edit.text() == "Sam Senior"
    assert send.folder_edit.text() == str(tmp_path / "datasets")   # the dataset still remembered
    send.reject()
