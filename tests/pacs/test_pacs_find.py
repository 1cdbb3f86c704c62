"""Searching a real Orthanc as users type: dates with dashes, descriptions in any case, names with
letters outside ASCII (by C-FIND and DICOMweb), and a DICOMweb search by modality that ends."""

from __future__ import annotations

import pytest
from orthanc_server import server_config
from pacs_series import uids

from neuroview.io.pacs import PacsError, find, store


@pytest.mark.parametrize("protocol", ["dimse", "web"])
def test_find_as_users_type(empty_orthanc, small_series, other_study, protocol):
    """Dates typed with dashes, descriptions matched regardless of case (Orthanc's own matching
    of StudyDescription is case-sensitive: '*head*' found nothing for 'Head CT')."""
    config = server_config(empty_orthanc)
    store(config, [small_series.folder, other_study.folder])

    def names(**query):
        return sorted(s["PatientID"] for s in find(config, "STUDY", protocol=protocol, **query))

    assert names() == ["NV-TEST-0001", "NV-TEST-0002"]
    assert names(StudyDescription="*head*") == ["NV-TEST-0002"]
    assert names(StudyDescription="HEAD ct") == ["NV-TEST-0002"]
    assert names(StudyDescription="*brain*") == []
    assert names(StudyDate="2024-06-01 - 2024-12-31") == ["NV-TEST-0002"]
    assert names(StudyDate="-2024-03-01") == ["NV-TEST-0001"]
    assert names(StudyDate="2024-01-02") == ["NV-TEST-0001"]
    series = find(config, "SERIES", protocol=protocol, SeriesDescription="*flair*")
    assert [s["SeriesDescription"] for s in series] == ["FLAIR pacs test"]
    with pytest.raises(PacsError, match="study date 'last week': write a day"):
        find(config, "STUDY", protocol=protocol, StudyDate="last week")


def test_web_search_by_modality_ends(empty_orthanc, small_series, other_study, monkeypatch):
    """A QIDO-RS search by ModalitiesInStudy: Orthanc 1.10 ignores ``offset`` there and sends the
    same matches for every page, and dicomweb-client's paging (``get_remaining``, until an empty
    page) asked again forever: the window's search by modality on a DICOMweb server never ended.
    The requests are counted here so that such a loop fails instead of hanging the test."""
    import requests

    from neuroview.io.pacs import web

    config = server_config(empty_orthanc, host="")  # a DICOMweb-only server
    store(server_config(empty_orthanc), [small_series.folder, other_study.folder])
    requests_sent = []
    real_send = requests.Session.send

    def counted(self, request, **kwargs):
        requests_sent.append(request.url)
        if len(requests_sent) > 20:
            raise RuntimeError("the search keeps asking for more pages")
        return real_send(self, request, **kwargs)

    monkeypatch.setattr(requests.Session, "send", counted)
    assert [s["PatientID"] for s in find(config, "STUDY", ModalitiesInStudy="MR")] == ["NV-TEST-0001"]
    assert sorted(s["PatientID"] for s in find(config, "STUDY")) == ["NV-TEST-0001", "NV-TEST-0002"]
    study_uid, series_uid = uids(small_series)
    assert [s["SeriesInstanceUID"] for s in web.search(config, "SERIES", StudyInstanceUID=study_uid,
                                                          Modality="MR")] == [series_uid]
    assert len(requests_sent) <= 6


@pytest.mark.parametrize("protocol", ["dimse", "web"])
def test_find_a_name_with_letters_outside_ascii(empty_orthanc, small_series, mni_volume, tmp_path,
                                                protocol):
    """'Mü*' finds Müller^Jörg by DICOMweb as by C-FIND: Orthanc's DICOMweb plugin found nothing
    for a percent-encoded UTF-8 name, so neuroview asks for 'M*' and matches the name itself."""
    from series_maker import SeriesSpec, write_series

    for charset in ("ISO_IR 100", "ISO_IR 192"):
        write_series(tmp_path / charset, mni_volume, SeriesSpec(
            rows=8, cols=8, n_slices=2, extra=(("SpecificCharacterSet", charset),
                                               ("PatientName", f"Müller^Jörg {charset[-3:]}"),
                                               ("PatientID", f"NV-{charset[-3:]}"))))
    config = server_config(empty_orthanc)
    store(config, [small_series.folder, tmp_path / "ISO_IR 100", tmp_path / "ISO_IR 192"])

    def names(pattern):
        return sorted(s["PatientName"] for s in find(config, "STUDY", protocol=protocol,
                                                     PatientName=pattern))

    both = ["Müller^Jörg 100", "Müller^Jörg 192"]
    assert names("Mü*") == both
    assert names("mül*") == both
    assert names("Müller^Jörg 192") == ["Müller^Jörg 192"]
    assert names("*jörg*") == both
    assert names("Mä*") == []
    assert names("doe*") == ["Doe^Jane"]


@pytest.mark.parametrize("protocol", ["dimse", "web"])
def test_find_a_patient_id_with_letters_outside_ascii(empty_orthanc, mni_volume, tmp_path, protocol):
    """The patient ID 'ÄB/12 3*?' finds its patient by DICOMweb as by C-FIND: Orthanc's DICOMweb
    plugin matches a URL's percent-encoded characters undecoded (PatientID=%C3%84B%2F12+3*?) and
    found nothing, so neuroview asks for '*B*12*3*?' and matches the ID itself."""
    from series_maker import SeriesSpec, write_series

    patients = (("ISO_IR 100", "ÄB/12 3*?"), ("ISO_IR 192", "ÖB/12 3 Z"), ("ISO_IR 192", "AB123"))
    for number, (charset, patient) in enumerate(patients):
        write_series(tmp_path / f"patient{number}", mni_volume, SeriesSpec(
            rows=8, cols=8, n_slices=2, extra=(("SpecificCharacterSet", charset),
                                               ("PatientName", "Test^Id"), ("PatientID", patient))))
    config = server_config(empty_orthanc)
    store(config, [tmp_path / f"patient{number}" for number in range(len(patients))])

    def ids(pattern):
        return sorted(s["PatientID"] for s in find(config, "STUDY", protocol=protocol, PatientID=pattern))

    assert ids("ÄB/12 3*?") == ["ÄB/12 3*?"]
    assert ids("ÄB*") == ["ÄB/12 3*?"]
    assert ids("*B/12 3*") == ["ÄB/12 3*?", "ÖB/12 3 Z"]
    assert ids("AB123") == ["AB123"]
    assert ids("ÜB*") == []


@pytest.mark.parametrize("protocol", ["dimse", "web"])
def test_find_a_name_as_dicom_writes_it(empty_orthanc, small_series, other_study, protocol):
    """'Doe^Jane' (family^given, as DICOM writes it and the tree's patient reads 'Doe Jane') finds
    her by DICOMweb as by C-FIND: Orthanc's DICOMweb plugin found nothing for any name with a '^'
    ('Doe^*' neither), so neuroview asks for 'Doe*' and matches the name itself."""
    config = server_config(empty_orthanc)
    store(config, [small_series.folder, other_study.folder])

    def names(pattern):
        return sorted(s["PatientName"] for s in find(config, "STUDY", protocol=protocol,
                                                     PatientName=pattern))

    assert names("Doe^Jane") == ["Doe^Jane"]
    assert names("doe^j*") == ["Doe^Jane"]
    assert names("Doe^*") == ["Doe^Jane"]
    assert names("Doe^Max") == []
    assert names("*^Max") == ["Roe^Max"]


@pytest.mark.parametrize("protocol", ["dimse", "web"])
def test_find_a_name_as_people_type_it(empty_orthanc, small_series, other_study, mni_volume, tmp_path,
                                       protocol):
    """'Doe Jane', 'Jane Doe', 'doe, jane' and 'DOE' find Doe^Jane (the tree reads 'Doe Jane'), and
    'Müller jorg' finds Müller^Jörg: each found nothing, the server matching the whole name. Orthanc
    asked for '*muller*' finds no Müller: the server is asked for the longest word as typed."""
    from series_maker import SeriesSpec, write_series

    write_series(tmp_path / "mueller", mni_volume, SeriesSpec(
        rows=8, cols=8, n_slices=2, extra=(("SpecificCharacterSet", "ISO_IR 192"),
                                           ("PatientName", "Müller^Jörg"), ("PatientID", "NV-U"))))
    config = server_config(empty_orthanc)
    store(config, [small_series.folder, other_study.folder, tmp_path / "mueller"])

    def names(typed):
        return sorted(s["PatientName"] for s in find(config, "STUDY", protocol=protocol,
                                                     PatientName=typed))

    for typed in ("Doe Jane", "Jane Doe", "doe, jane", "DOE", "*jane", " Doe  Ja "):
        assert names(typed) == ["Doe^Jane"], typed
    assert names("jane") == []   # a word alone is the family name: Jane*, which the index finds
    assert names("max roe") == ["Roe^Max"]
    assert names("Müller jorg") == names("JÖRG Müller") == names("MÜLLER") == ["Müller^Jörg"]
    assert names("Jane Roe") == names("oe") == []
    assert names("*oe") == ["Doe^Jane", "Roe^Max"]


def test_c_find_says_the_character_set_of_a_name(orthanc_factory, mni_volume, tmp_path):
    """A C-FIND for a name with letters outside ASCII says its character set (UTF-8): sent without
    one, pydicom's Latin-1 bytes were read as UTF-8 by an Orthanc whose default encoding is UTF-8
    and the exact name 'Müller^Jörg' found nothing."""
    from series_maker import SeriesSpec, write_series

    write_series(tmp_path / "series", mni_volume, SeriesSpec(
        rows=8, cols=8, n_slices=2, extra=(("SpecificCharacterSet", "ISO_IR 192"),
                                           ("PatientName", "Müller^Jörg"), ("PatientID", "NV-U"))))
    server = orthanc_factory(DefaultEncoding="Utf8")
    config = server_config(server)
    store(config, [tmp_path / "series"])
    for pattern in ("Müller^Jörg", "Mü*", "*jörg"):
        found = find(config, "STUDY", protocol="dimse", PatientName=pattern)
        assert [s["PatientName"] for s in found] == ["Müller^Jörg"], pattern

