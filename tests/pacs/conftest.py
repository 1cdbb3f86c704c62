"""A real Orthanc for the PACS tests, started once per session on the loopback interface.

Without Orthanc installed (``bash packaging/install-system-deps.sh`` installs it) the PACS tests skip,
saying so; CI sets ``NEUROVIEW_REQUIRE_ORTHANC=1`` so that there they fail instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "io" / "dicom"))

from orthanc_server import ORTHANC, OrthancServer, dicomweb_plugin  # noqa: E402
from series_maker import SeriesSpec, write_series  # noqa: E402


def _missing() -> str | None:
    if ORTHANC is None:
        return "Orthanc is not installed (apt-get install orthanc orthanc-dicomweb, or make setup)"
    if dicomweb_plugin() is None:
        return "the Orthanc DICOMweb plugin is not installed (apt-get install orthanc-dicomweb)"
    return None


@pytest.fixture(scope="session")
def orthanc_factory(tmp_path_factory):
    """``orthanc_factory(**overrides)`` starts a fresh Orthanc (``overrides``: entries of its
    configuration); every one started is stopped at the end."""
    reason = _missing()
    if reason:
        if os.environ.get("NEUROVIEW_REQUIRE_ORTHANC") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    started: list[OrthancServer] = []

    def start(**overrides) -> OrthancServer:
        server = OrthancServer(tmp_path_factory.mktemp("orthanc"), overrides=overrides).start()
        started.append(server)
        return server

    yield start
    for server in started:   # killed, not asked to stop: their storage goes with the session, and
        server.kill()        # an Orthanc winds down in 2-3 s of the last test's teardown


@pytest.fixture(scope="session")
def orthanc(orthanc_factory) -> OrthancServer:
    return orthanc_factory()


@pytest.fixture
def empty_orthanc(orthanc) -> OrthancServer:
    orthanc.clear()
    return orthanc


@pytest.fixture(scope="session")
def small_series(tmp_path_factory, mni_volume):
    """A small MR series (12 slices of 24 x 20) written with the DICOM test helpers."""
    return write_series(tmp_path_factory.mktemp("pacs-series") / "t1", mni_volume,
                        SeriesSpec(rows=24, cols=20, n_slices=12, row_spacing=6.0, col_spacing=6.0,
                                   slice_step=8.0, description="FLAIR pacs test"))


@pytest.fixture
def dimse_timeouts(monkeypatch) -> list:
    """Every wait for a DIMSE message that ended because its timeout passed (pynetdicom's
    ``get_msg`` found nothing on the queue within ``dimse_timeout``), as that timeout: a retrieval
    that sat its timeout out, told apart from one woken by an abort on any machine, however slow."""
    import queue

    from pynetdicom.dimse import DIMSEServiceProvider

    waited_out = []

    def get_msg(self, block: bool = False):  # pynetdicom 3.0's get_msg, counting its timeouts
        try:
            return self.msg_queue.get(block=block, timeout=self.dimse_timeout)
        except queue.Empty:
            if block:
                waited_out.append(self.dimse_timeout)
            return None, None

    monkeypatch.setattr(DIMSEServiceProvider, "get_msg", get_msg)
    return waited_out


@pytest.fixture(autouse=True)
def _no_system_keyring(monkeypatch):
    """PACS passwords of the tests never reach the keyring of the machine running them (a test
    that checks the keyring path installs its own backend)."""
    monkeypatch.setenv("NEUROVIEW_PACS_KEYRING", "0")


@pytest.fixture(scope="session")
def other_study(tmp_path_factory, mni_volume):
    """A second patient's study: a CT of 10 slices, 2024-06-15, described "Head CT"."""
    return write_series(tmp_path_factory.mktemp("pacs-other") / "ct", mni_volume, SeriesSpec(
        rows=24, cols=20, n_slices=10, modality="CT", description="CT head", series_number=2,
        extra=(("PatientName", "Roe^Max"), ("PatientID", "NV-TEST-0002"), ("StudyDate", "20240615"),
               ("StudyDescription", "Head CT"))))
