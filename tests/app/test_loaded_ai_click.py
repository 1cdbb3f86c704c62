"""An AI click object accepted on labels loaded from a file keeps that a file made them: *From*
reads ``file NAME + AI click MODEL, 1 prompt`` (``drawn + AI click`` until session 28), the
training record says ``source: loaded`` with ``ai_click`` and the voxels the click changed against
the labels as loaded, a DICOM SEG says SEMIAUTOMATIC ``proposed_by=file`` and reads back as
loaded; Ctrl+Z, save and reopen, and a restore after a crash keep it."""

import json

import highdicom as hd
import numpy as np
import pytest
from loaded_clicks import _loaded_then_clicked

from neuroview import Session
from neuroview.app.case import Case
from neuroview.app.label_files import prepare_label_file
from neuroview.cli import main as cli_main
from neuroview.dataset.layout import init_dataset
from neuroview.io.nifti import save_nifti
from neuroview.io.seg import load_seg
from tests.dataset.fake_dicom import make_ct_series

CLICKED = "file truth.nii.gz + AI click grow-from-seeds, 1 prompt"


@pytest.fixture()
def ct(tmp_path):
    make_ct_series(tmp_path / "ct")
    return tmp_path / "ct"


def _sent(case, tmp_path, name="Lesions"):
    folder = init_dataset(tmp_path, name, ["background", "lesion"], channels=["CT"])
    record = case.send_to_training_set(folder, annotator="a", label_for={"Segment 1": "lesion"})
    return json.loads((folder / "provenance" / f"{record.case}.json").read_text()), folder


def test_from_reads_loaded_plus_ai_click_and_undo_takes_it_back(ct, tmp_path):
    session = Session.open(ct)
    _loaded_then_clicked(session, tmp_path)
    made = session.segments.get(1)
    assert (made.origin, made.file, made.prompts, made.drawn) == \
        ("loaded", "truth.nii.gz", {"point+": 1}, False)
    assert made.made_by == CLICKED
    assert session.segments.source_cell(1) == ("file truth.nii.gz + AI click", CLICKED)
    session.undo()                                                # Ctrl+Z of the accept
    assert session.segments.get(1).made_by == "file truth.nii.gz"
    session.redo()
    assert session.segments.get(1).made_by == CLICKED
    session.apply("paint", at_ras=tuple((session.volume.ijk_to_ras @ [10, 14, 4, 1])[:3]),
                  radius_mm=1.0, mode="2d", segment=1)            # and a brush stroke after
    assert session.segments.get(1).made_by == "file truth.nii.gz + drawn + AI click grow-from-seeds, 1 prompt"


def test_the_training_record_says_loaded_and_ai_click(ct, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    case = Case(Session.open(ct))
    session = case.session
    changed = _loaded_then_clicked(session, tmp_path)
    session.segments.rename(1, "lesion")
    stored, folder = _sent(case, tmp_path)
    item = stored["segments"][0]
    assert (item["source"], item["ai_click"], item["hand_edited"]) == ("loaded", True, False)
    assert item["changed_voxels"] == changed and item["final_voxels"] == 32 + changed
    assert stored["interaction"]["segments"] == \
        {"lesion": {"proposed_by": "loaded", "model": "grow-from-seeds", "prompts": {"point+": 1}}}
    assert "truth" not in json.dumps(stored)                      # no file name in the record
    capsys.readouterr()
    assert cli_main.main(["dataset", "list", str(folder)]) == 0
    assert f"lesion (loaded, refined with AI click) {32 + changed} vox changed {changed}" in \
        capsys.readouterr().out


def test_a_seg_says_semiautomatic_and_reads_back_as_loaded(ct, tmp_path):
    case = Case(Session.open(ct))
    _loaded_then_clicked(case.session, tmp_path)
    case.save_seg(tmp_path / "clicked.dcm")
    description = hd.seg.segread(tmp_path / "clicked.dcm").get_segment_description(1)
    assert description.algorithm_type.value == "SEMIAUTOMATIC"     # it went out MANUAL
    assert description.algorithm_identification.name == "grow-from-seeds"
    assert description.algorithm_identification.parameters == \
        {"proposed_by": "file", "refined_by": "AI click", "prompts": "point+:1", "version": "none"}
    back = load_seg(tmp_path / "clicked.dcm", case.session.volume).segments.get(1)
    assert (back.origin, back.prompts) == ("loaded", {"point+": 1})
    again = Session.open(ct)                                      # File > Load labels... of the SEG
    again.apply_labels(prepare_label_file(tmp_path / "clicked.dcm", again.volume))
    # the model has no version: read back as written (it read grow-from-seeds@unknown)
    assert again.segments.get(1).made_by == "file clicked.dcm + AI click grow-from-seeds, 1 prompt"


def test_it_survives_save_and_reopen_and_a_crash(ct, tmp_path, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    session = Session.open(ct, workspace=tmp_path / "ws")
    changed = _loaded_then_clicked(session, tmp_path)
    session.save_labels(tmp_path / "saved.nii.gz")
    reopened = Session.open(ct)
    reopened.load_labels(tmp_path / "saved.nii.gz")
    assert reopened.segments.get(1).made_by == "file saved.nii.gz + AI click grow-from-seeds, 1 prompt"

    crashed = Session.open(ct, workspace=tmp_path / "ws2")
    assert _loaded_then_clicked(crashed, tmp_path) == changed
    crashed.journal.close()                                       # killed: the journal restores
    case = Case(Session.open(ct, workspace=tmp_path / "ws2"))
    assert case.session.segments.get(1).made_by == CLICKED
    item = _sent(case, tmp_path)[0]["segments"][0]
    assert (item["source"], item["ai_click"], item["changed_voxels"]) == ("loaded", True, changed)
    case.session.undo()                                           # the accept, restored, undone
    assert case.session.segments.get(1).made_by == "file truth.nii.gz"


def test_a_new_file_over_a_clicked_segment_drops_the_clicks(ct, tmp_path):
    session = Session.open(ct)
    _loaded_then_clicked(session, tmp_path)
    other = np.zeros(session.labels.shape, np.uint8)
    other[4:8, 4:8, 2:4] = 1
    save_nifti(other, session.volume.ijk_to_ras, tmp_path / "other.nii.gz")
    session.load_labels(tmp_path / "other.nii.gz")
    assert session.segments.get(1).made_by == "file other.nii.gz"
