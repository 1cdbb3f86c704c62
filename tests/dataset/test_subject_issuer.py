"""A subject is a patient of one issuer: one PatientID issued by two hospitals (two
IssuerOfPatientID) is two people. They were one subject pseudonym, so the subject-wise split kept
two people in one fold, and a person's cases could not be told from another's."""

from __future__ import annotations

import json

import pydicom

from neuroview.core.volume import Volume
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.store import add_case
from tests.dataset.fake_dicom import make_ct_series
from tests.dataset.label_maps import lesion_map


def _add(folder, small_mr, scan, links, **meta):
    volume = Volume(small_mr.array + scan, small_mr.ijk_to_ras, modality="MR", source_metadata=meta)
    return add_case(folder, volume, lesion_map(small_mr), links_path=links).subject


def test_one_id_of_two_issuers_is_two_subjects(tmp_path, small_mr):
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    links = tmp_path / "links.json"
    subjects = [_add(folder, small_mr, 0, links, PatientID="12345", IssuerOfPatientID="HOSP_A"),
                _add(folder, small_mr, 1, links, PatientID="12345", IssuerOfPatientID="HOSP_B"),
                _add(folder, small_mr, 2, links, PatientID="12345", IssuerOfPatientID="HOSP_A")]
    assert subjects == ["sub_0001", "sub_0002", "sub_0001"]
    kept = json.loads(links.read_text())
    assert kept["cases"]["nv_0002"]["IssuerOfPatientID"] == "HOSP_B"


def test_a_link_file_from_before_issuers_is_still_read(tmp_path, small_mr):
    """An older link file keys subjects by PatientID alone: that subject is kept for the ID's
    first issuer seen now, and a second issuer of the same ID is a new subject."""
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    links = tmp_path / "links.json"
    assert _add(folder, small_mr, 0, links, PatientID="12345") == "sub_0001"
    old = json.loads(links.read_text())
    assert old["subjects"] == {"12345": "sub_0001"}   # the format an older neuroview wrote too
    assert _add(folder, small_mr, 1, links, PatientID="12345", IssuerOfPatientID="HOSP_A") == "sub_0001"
    assert _add(folder, small_mr, 2, links, PatientID="12345", IssuerOfPatientID="HOSP_B") == "sub_0002"
    assert _add(folder, small_mr, 3, links, PatientID="12345", IssuerOfPatientID="HOSP_A") == "sub_0001"
    assert _add(folder, small_mr, 4, links, PatientID="777") == "sub_0003"


def test_the_dicom_loader_keeps_the_issuer(tmp_path):
    from neuroview.io import load

    make_ct_series(tmp_path / "ct")
    for path in (tmp_path / "ct").glob("*.dcm"):
        ds = pydicom.dcmread(path)
        ds.IssuerOfPatientID = "HOSP_B"
        ds.save_as(path, enforce_file_format=True)
    assert load(tmp_path / "ct").source_metadata.get("IssuerOfPatientID") == "HOSP_B"
