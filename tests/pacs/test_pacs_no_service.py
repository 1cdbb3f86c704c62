"""A DICOM server that accepts the association but none of the services asked for (a store-only
archive asked for a search or a retrieval; a PACS that offers searches to some AE titles only):
pynetdicom aborts the association it accepted, and neuroview said `did not answer as a DICOM
server (association aborted; is this the DICOM port?)`, sending the user to check a port that was
right. Now one line names the service the server does not offer."""

from __future__ import annotations

import pytest
from pynetdicom import AE, StoragePresentationContexts
from pynetdicom.sop_class import Verification

from neuroview.io.pacs import PacsError, SeriesCache, ServerConfig, echo, find, retrieve


@pytest.fixture
def store_only():
    ae = AE(ae_title="STOREONLY")
    ae.supported_contexts = StoragePresentationContexts
    ae.add_supported_context(Verification)
    server = ae.start_server(("127.0.0.1", 0), block=False)
    yield ServerConfig(name="archive", host="127.0.0.1", port=server.server_address[1],
                       called_aet="STOREONLY", calling_aet="NEUROVIEW", timeout=10)
    server.shutdown()


def test_a_search_and_a_retrieval_name_what_the_server_does_not_offer(store_only, tmp_path):
    where = f"archive (STOREONLY@127.0.0.1:{store_only.port})"
    # said as such by Test connection (its test search is not made), not as a failure
    assert echo(store_only) == ["DIMSE, store only: it offers no search to our AE title NEUROVIEW"]
    with pytest.raises(PacsError) as search:
        find(store_only, "STUDY", PatientName="DOE*")
    assert str(search.value) == (
        f"{where} accepted the association but not Study Root Query/Retrieve Information Model - "
        "FIND: it does not offer it, or not to our AE title (NEUROVIEW)")
    with pytest.raises(PacsError) as retrieval:
        retrieve(store_only, "1.2.3", "1.2.3.4", SeriesCache(tmp_path / "cache"))
    assert str(retrieval.value) == (
        f"{where} accepted the association but not Study Root Query/Retrieve Information Model - "
        "GET: it does not offer it, or not to our AE title (NEUROVIEW)")
    assert list((tmp_path / "cache").iterdir()) == []
