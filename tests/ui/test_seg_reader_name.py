"""*Save labels as DICOM SEG* names the reader the window knows and the proposing model, as *Save
to PACS* does. It named neither: in session 36's walk two annotators' SEGs of one series, saved
beside it, were compared and adjudicated as ``unnamed: 2026-12-06 00:20`` and ``unnamed:
2026-12-06 00:24`` with no model, though the first had sent the case to the training set as Ann
Smith, and the model's name was in the window."""

from __future__ import annotations

import pydicom
from editor_helpers import paint_a_dicom_series, save_and_wait

from neuroview.app.last_dataset import remember_dataset
from neuroview.app.reader_name import remember_reader
from neuroview.io.pacs.readers import seg_version
from neuroview.io.seg_work import read_work


def _version(window, path):
    volume = window.editor.case.volume
    return seg_version(path, str(volume.source_metadata["SeriesInstanceUID"]), volume)


def test_the_seg_names_the_annotator_then_the_reader_and_the_model(qtbot, window, tmp_path):
    session = paint_a_dicom_series(qtbot, window, tmp_path)
    window.editor.case.model = "lesionseg@2.5.1"   # as a model run on the case sets it
    remember_dataset(tmp_path / "ds", "Ann Smith")   # the name given in Send to training set
    first_path = save_and_wait(window, tmp_path / "ann-seg.dcm", seg=True)
    first = _version(window, first_path)
    # the SEG keeps the work behind it, as Save labels' sidecar does (none until session 48)
    assert [(w["annotator"], w["hand_edits"]) for w in read_work(pydicom.dcmread(first_path))] \
        == [("Ann Smith", 1)]
    assert (first.reader, first.model) == ("Smith^Ann", "lesionseg@2.5.1")
    assert first.description == "Lesions - Ann Smith's version (from model lesionseg@2.5.1)"
    assert (first.labels.array > 0).sum() == (session.labels.array > 0).sum()

    remember_reader("Jones^Bob")   # a reader's name given since (Save to PACS, Make worklist)
    second = _version(window, save_and_wait(window, tmp_path / "bob-seg.dcm", seg=True))
    assert second.reader == "Jones^Bob"


def test_an_annotator_who_never_gave_a_name_is_named_by_their_login(qtbot, window, tmp_path, monkeypatch):
    """A new annotator (no name given in Save to PACS, Make worklist or Send to training set) is
    named as Send to training set would propose: by the login. In session 48's walk two such
    annotators' SEGs read ``unnamed: 2026-12-07 09:18:22`` and ``unnamed: 2026-12-07 09:18:26``
    in the lead's Compare readers, both cut to ``unnamed: 2026-12-...`` in the lesion table."""
    monkeypatch.setattr("getpass.getuser", lambda: "anna")
    paint_a_dicom_series(qtbot, window, tmp_path)
    version = _version(window, save_and_wait(window, tmp_path / "anna-seg.dcm", seg=True))
    assert version.reader == "anna"
    assert version.description == "Lesions - anna's version"
