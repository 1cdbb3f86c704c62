"""A small pynetdicom Query/Retrieve server of a test's own (C-FIND, C-GET, C-MOVE of CT images),
answering with the test's handlers: for servers that misbehave as Orthanc never does."""

from __future__ import annotations

import socket


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_qr_scp(ae_title: str, on_find, on_get, on_move):
    """A Q/R SCP on 127.0.0.1 with the handlers of C-FIND, C-GET and C-MOVE; returns (server, port)
    (``server.shutdown()`` ends it)."""
    from pynetdicom import AE, ALL_TRANSFER_SYNTAXES, evt, sop_class

    ae = AE(ae_title=ae_title)
    for model in (sop_class.StudyRootQueryRetrieveInformationModelFind,
                  sop_class.StudyRootQueryRetrieveInformationModelGet,
                  sop_class.StudyRootQueryRetrieveInformationModelMove):
        ae.add_supported_context(model)
    ae.add_supported_context(sop_class.CTImageStorage, ALL_TRANSFER_SYNTAXES, scu_role=True, scp_role=True)
    ae.add_requested_context(sop_class.CTImageStorage)
    port = free_port()
    server = ae.start_server(("127.0.0.1", port), block=False, evt_handlers=[
        (evt.EVT_C_FIND, on_find), (evt.EVT_C_GET, on_get), (evt.EVT_C_MOVE, on_move)])
    return server, port
