"""A DICOMweb server that goes away in the middle of a retrieval or a store: the line says how far
it got, as the DIMSE one does. It said "no answer from ... (not reachable, or it went away); try
again" for a server that had just answered, and nothing of how many images had come, or that none
was kept (found in the walk: an Orthanc killed at image 20 of 160)."""

from __future__ import annotations

import http.server
import json

import pytest
from fake_web import send, serving
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

from neuroview.io.pacs import PacsError, SeriesCache, ServerConfig, retrieve, store

STUDY, SERIES = "1.2.3", "1.2.3.4"
INSTANCES = [f"1.2.3.4.{n}" for n in range(1, 4)]


def _instance(uid: str) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.4"
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID = uid
    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.PatientID, ds.Modality = STUDY, SERIES, "P1", "MR"
    return ds


class GoneAfterOne(http.server.BaseHTTPRequestHandler):
    """Lists three instances and sends the first; then the connection is dropped, as by a server
    killed (the store: the first batch taken, the second dropped)."""

    def do_GET(self):  # noqa: N802 - http.server's name
        if "/instances/" not in self.path:
            listed = [{"00080018": {"vr": "UI", "Value": [uid]}} for uid in INSTANCES]
            send(self, json.dumps(listed if "/series/" in self.path else []).encode(),
                 "application/dicom+json")
        elif self.path.endswith(INSTANCES[0]):
            import io

            buffer = io.BytesIO()
            _instance(INSTANCES[0]).save_as(buffer, enforce_file_format=True)
            send(self, buffer.getvalue(), "application/dicom")
        else:
            self.close_connection = True   # no answer: the connection closed

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if type(self).posts == 0:
            type(self).posts += 1
            send(self, b"{}", "application/dicom+json")
        else:
            del body
            self.close_connection = True

    posts = 0

    def log_message(self, *args):
        pass


def test_a_retrieval_says_how_far_it_got(tmp_path):
    cache = SeriesCache(tmp_path / "cache")
    with serving(GoneAfterOne) as url, pytest.raises(PacsError) as info:
        retrieve(ServerConfig(name="lab", url=url, timeout=5), STUDY, SERIES, cache)
    assert str(info.value) == (f"lab ({url}) went away during the retrieval (1 of 3 images "
                               "received); the 1 image received is kept for a retry, which fetches "
                               "only the rest")
    assert cache.lookup(SERIES) is None and cache.kept(SERIES) == 1


def test_a_store_says_how_far_it_got(tmp_path):
    files = []
    for n in range(20):   # two STOW-RS requests of 16 and 4
        files.append(tmp_path / f"{n}.dcm")
        _instance(f"1.2.3.4.{100 + n}").save_as(files[-1], enforce_file_format=True)
    GoneAfterOne.posts = 0
    with serving(GoneAfterOne) as url, pytest.raises(PacsError) as info:
        store(ServerConfig(name="lab", url=url, timeout=5), files)
    assert str(info.value) == f"lab ({url}) went away during the store (16 of 20 files stored); try again"
