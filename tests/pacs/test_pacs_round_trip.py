"""Store, find and retrieve a series against a real Orthanc (C-STORE/C-FIND/C-GET/C-MOVE and
DICOMweb): the voxels come back, a cancel or a series the server lacks leaves nothing, two
clients at once, and no patient data in the logs."""

from __future__ import annotations

import logging
import threading

import numpy as np
import pydicom
import pytest
from orthanc_server import server_config
from pacs_series import pixels_by_uid, uids

from neuroview.core.errors import Cancelled
from neuroview.io import load
from neuroview.io.pacs import PacsError, SeriesCache, find, retrieve, store


@pytest.mark.parametrize("protocol", ["dimse", "web"])
def test_store_find_get_round_trip(empty_orthanc, small_series, tmp_path, protocol):
    config = server_config(empty_orthanc)
    study_uid, series_uid = uids(small_series)
    assert store(config, [small_series.folder], protocol=protocol) == len(small_series.files)
    assert len(empty_orthanc.rest("/instances")) == len(small_series.files)

    studies = find(config, "STUDY", protocol=protocol, PatientName="Doe*")
    assert [s["StudyInstanceUID"] for s in studies] == [study_uid]
    assert studies[0]["PatientID"] == "NV-TEST-0001"
    assert int(studies[0]["NumberOfStudyRelatedInstances"]) == len(small_series.files)
    series = find(config, "SERIES", protocol=protocol, StudyInstanceUID=study_uid)
    assert [(s["SeriesInstanceUID"], s["SeriesDescription"]) for s in series] == [
        (series_uid, "FLAIR pacs test")]
    assert find(config, "STUDY", protocol=protocol, PatientName="Nobody*") == []
    if protocol == "dimse":
        patients = find(config, "PATIENT", protocol=protocol, PatientID="NV-TEST-0001")
        assert [p["PatientID"] for p in patients] == ["NV-TEST-0001"]

    cache = SeriesCache(tmp_path / "cache")
    seen = []
    folder = retrieve(config, study_uid, series_uid, cache, protocol=protocol,
                      progress=lambda done, total, text: seen.append((done, total)))
    assert seen[-1] == (len(small_series.files), len(small_series.files))
    sent = pixels_by_uid(small_series.folder)
    got = pixels_by_uid(folder)
    assert sent.keys() == got.keys()
    assert all(np.array_equal(sent[uid], got[uid]) for uid in sent)
    # the retrieved series opens like a local one, with the same voxels
    volume, local = load(folder), load(small_series.folder)
    assert np.array_equal(np.asarray(volume.array), np.asarray(local.array))
    assert np.allclose(volume.ijk_to_ras, local.ijk_to_ras)


def test_c_move_round_trip_and_server_gone(orthanc_factory, small_series, tmp_path):
    server = orthanc_factory()
    # Orthanc knows our AE title at 127.0.0.1:client_port: C-MOVE sends the images there
    config = server_config(server, move_port=server.client_port)
    store(config, [small_series.folder])
    study_uid, series_uid = uids(small_series)
    cache = SeriesCache(tmp_path / "cache")
    seen = []
    folder = retrieve(config, study_uid, series_uid, cache,
                      progress=lambda done, total, text: seen.append((done, total)))
    assert seen[-1] == (12, 12)
    sent, got = pixels_by_uid(small_series.folder), pixels_by_uid(folder)
    assert sent.keys() == got.keys() and all(np.array_equal(sent[u], got[u]) for u in sent)
    assert "Doe" not in config.describe()

    other = SeriesCache(tmp_path / "cache2")

    def pull_the_plug(done, total, text):
        if done == 4:
            server.kill()

    with pytest.raises(PacsError, match="4 images received are kept for a retry"):
        retrieve(config, study_uid, series_uid, other, progress=pull_the_plug)
    assert [p.name for p in (tmp_path / "cache2").iterdir()] == [f".kept-{series_uid}"]
    server.start()
    assert len(list(retrieve(config, study_uid, series_uid, other).glob("*.dcm"))) == 12


def test_get_cancel_leaves_no_series_half_written(empty_orthanc, small_series, tmp_path):
    config = server_config(empty_orthanc)
    store(config, [small_series.folder])
    study_uid, series_uid = uids(small_series)
    cache = SeriesCache(tmp_path / "cache")
    count = {"n": 0}

    def cancel():
        count["n"] += 1
        return count["n"] > 3

    with pytest.raises(Cancelled):
        retrieve(config, study_uid, series_uid, cache, cancel=cancel)
    # no series folder, no partial one: only the images received, kept for a retry (session 48)
    assert [p.name for p in (tmp_path / "cache").iterdir()] in ([], [f".kept-{series_uid}"])
    assert cache.lookup(series_uid) is None
    assert len(list(retrieve(config, study_uid, series_uid, cache).glob("*.dcm"))) == 12


@pytest.mark.parametrize("move", [False, True])
def test_get_of_a_series_the_server_does_not_hold(empty_orthanc, small_series, tmp_path, move):
    """A C-GET or C-MOVE of a series the server does not hold says so (it said 'could not send
    the whole series (0 received, 0 failed, status 0xC000)'), and leaves the cache empty."""
    config = server_config(empty_orthanc, move_port=empty_orthanc.client_port if move else 0)
    store(config, [small_series.folder])
    study_uid, _series_uid = uids(small_series)
    cache = SeriesCache(tmp_path / "cache")
    with pytest.raises(PacsError, match=r"has no such series in that study \(its C-FIND finds none\)"):
        retrieve(config, study_uid, "1.2.3.4.5", cache, protocol="dimse")
    assert list((tmp_path / "cache").iterdir()) == []


def test_two_clients_store_at_once(empty_orthanc, small_series, mni_volume, tmp_path):
    from series_maker import SeriesSpec, write_series

    other = write_series(tmp_path / "other", mni_volume, SeriesSpec(rows=16, cols=16, n_slices=9,
                                                                    description="second reader"))
    config = server_config(empty_orthanc)
    results: dict = {}

    def send(name, folder, protocol):
        try:
            results[name] = store(config, [folder], protocol=protocol)
        except Exception as exc:  # reported below
            results[name] = exc

    threads = [threading.Thread(target=send, args=("a", small_series.folder, "dimse")),
               threading.Thread(target=send, args=("b", other.folder, "web"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == {"a": len(small_series.files), "b": len(other.files)}
    sent = {str(pydicom.dcmread(f, stop_before_pixels=True).SOPInstanceUID)
            for f in small_series.files + other.files}
    stored = {empty_orthanc.rest(f"/instances/{i}")["MainDicomTags"]["SOPInstanceUID"]
              for i in empty_orthanc.rest("/instances")}
    assert stored == sent


@pytest.mark.parametrize("protocol", ["dimse", "web"])
def test_no_patient_data_in_logs(empty_orthanc, small_series, tmp_path, caplog, protocol):
    """Names, IDs and UIDs stay out of the logs, even at DEBUG: highdicom logged the SOP instance
    UIDs of the source images at INFO while making a SEG, dicomweb-client its request URLs."""
    from neuroview.core.labels import LabelMap
    from neuroview.io.pacs.save_mask import save_mask_to_pacs

    config = server_config(empty_orthanc)
    caplog.set_level(logging.DEBUG)
    store(config, [small_series.folder], protocol=protocol)
    find(config, "STUDY", protocol=protocol, PatientName="Doe*")
    study_uid, series_uid = uids(small_series)
    find(config, "SERIES", protocol=protocol, StudyInstanceUID=study_uid)
    retrieve(config, study_uid, series_uid, SeriesCache(tmp_path / "cache"), protocol=protocol)
    volume = load(small_series.folder)
    mask = np.zeros(volume.shape, np.uint8)
    mask[4:9, 4:9, 3:6] = 1
    save_mask_to_pacs(config, LabelMap(mask, volume.ijk_to_ras), small_series.folder, reader="Smith^Ann",
                      protocol=protocol)
    sop_uids = [str(pydicom.dcmread(f, stop_before_pixels=True).SOPInstanceUID) for f in small_series.files]
    from orthanc_server import PASSWORD

    for identifier in ["Doe", "NV-TEST-0001", "19700101", study_uid, series_uid, *sop_uids, PASSWORD]:
        assert identifier not in caplog.text, identifier

