"""A DICOMweb series-level search by patient ID (QIDO-RS ``/series?PatientID=...``, no study
named) against a real Orthanc: IDs with a space and with letters outside ASCII find their
patient's series, and only theirs (untested until session 48; the study-level search was tested
in session 47, ``test_pacs_find.py``)."""

from __future__ import annotations

from orthanc_server import server_config

from neuroview.io.pacs import find, store

PATIENTS = (("ISO_IR 192", "AB 123", "Space"), ("ISO_IR 100", "ÄB/12 3*?", "Latin"),
            ("ISO_IR 192", "ÖB/12 3 Z", "Utf"), ("ISO_IR 192", "AB123", "Plain"))


def test_series_by_patient_id(empty_orthanc, mni_volume, tmp_path, monkeypatch):
    import requests
    from series_maker import SeriesSpec, write_series

    for number, (charset, patient, description) in enumerate(PATIENTS):
        write_series(tmp_path / f"patient{number}", mni_volume, SeriesSpec(
            rows=8, cols=8, n_slices=2, description=description,
            extra=(("SpecificCharacterSet", charset), ("PatientName", "Test^Id"),
                   ("PatientID", patient))))
    config = server_config(empty_orthanc)
    store(config, [tmp_path / f"patient{number}" for number in range(len(PATIENTS))])
    asked = []
    real_send = requests.Session.send

    def send(self, request, **kwargs):
        asked.append(request.url.split("/dicom-web/", 1)[1])
        return real_send(self, request, **kwargs)

    monkeypatch.setattr(requests.Session, "send", send)

    def series(pattern):
        return sorted(s["SeriesDescription"] for s in find(config, "SERIES", protocol="web",
                                                           PatientID=pattern))

    assert series("AB 123") == ["Space"]
    assert series("AB123") == ["Plain"]
    assert series("ÄB/12 3*?") == ["Latin"]
    assert series("ÖB/12 3 Z") == ["Utf"]
    assert series("*B/12 3*") == ["Latin", "Utf"]
    assert series("ÜB*") == []
    # QIDO-RS series searches by patient ID alone (a page or two each), what a URL
    # percent-encodes asked as '*'
    assert list(dict.fromkeys(url.split("&")[0] for url in asked)) == [
        "series?PatientID=AB*123", "series?PatientID=AB123", "series?PatientID=*B*12*3*?",
        "series?PatientID=*B*12*3*Z", "series?PatientID=*B*12*3*", "series?PatientID=*B*"]
