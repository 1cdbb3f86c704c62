"""Several modalities typed in a search field as the field suggests (``MR, CT``): DICOM's list
matching wants ``MR\\CT`` (C-FIND), QIDO-RS ``MR,CT``; sent as typed, they matched nothing."""

from __future__ import annotations

import pytest
from orthanc_server import server_config

from neuroview.io.pacs import PacsError, find, store
from neuroview.io.pacs.query import modality_query, split_query


@pytest.mark.parametrize("typed, dicom", [
    ("MR", "MR"), ("mr", "MR"), ("MR, CT", "MR\\CT"), ("MR,CT", "MR\\CT"), (" mr ct ", "MR\\CT"),
    ("MR\\CT", "MR\\CT"), ("MR; CT, MR", "MR\\CT"), ("M*", "M*")])
def test_typed_modalities_become_a_dicom_list(typed, dicom):
    assert modality_query(typed) == dicom
    assert split_query({"ModalitiesInStudy": typed})[0] == {"ModalitiesInStudy": dicom}


def test_what_is_no_modality_says_so():
    with pytest.raises(PacsError, match="modality 'MR/CT': 'MR/CT' is no modality code") as info:
        split_query({"ModalitiesInStudy": "MR/CT"})
    assert "\n" not in str(info.value)
    assert split_query({"ModalitiesInStudy": " , "})[0] == {}


@pytest.mark.parametrize("protocol", ["dimse", "web"])
def test_find_studies_by_typed_modalities(empty_orthanc, small_series, other_study, protocol):
    """Against Orthanc: an MR study and a CT study; 'MR, CT' finds both, 'MR' only the MR one."""
    config = server_config(empty_orthanc)
    store(config, [small_series.folder, other_study.folder])

    def patients(modalities: str) -> list[str]:
        return sorted(s["PatientID"] for s in find(config, "STUDY", protocol=protocol,
                                                   ModalitiesInStudy=modalities))

    assert patients("MR, CT") == ["NV-TEST-0001", "NV-TEST-0002"]
    assert patients("mr ct") == ["NV-TEST-0001", "NV-TEST-0002"]
    assert patients("MR") == ["NV-TEST-0001"]
    assert patients("CT, SEG") == ["NV-TEST-0002"]
    assert patients("SEG") == []
