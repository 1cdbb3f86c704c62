"""A server's host name that the name service does not know (a typo in Settings > DICOM
servers...): one line naming the server and the host, by DIMSE and by DICOMweb. It was
'internal error: gaierror: [Errno -2] Name or service not known' for Test connection, Search and
every DIMSE command, and DICOMweb said 'not reachable, or it went away; try again'."""

import socket

import pytest

from neuroview.io.pacs import ServerConfig, echo, find

TYPO = "pacs.hospitl.invalid"   # .invalid never resolves (RFC 6761)


@pytest.fixture(autouse=True)
def no_such_host(monkeypatch):
    """The name service's answer for TYPO, whatever this machine's network (a real lookup of a
    .invalid name may wait for an unreachable name server)."""
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host == TYPO:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


SAID = (f"the host name {TYPO} is not known here (check its spelling, or enter the server's IP "
        "address)")


def test_dimse_echo_and_search_name_the_unknown_host():
    config = ServerConfig("hospital", host=TYPO, port=104, called_aet="PACS", timeout=5)
    for attempt in (lambda: echo(config), lambda: find(config, "STUDY", PatientName="Doe")):
        with pytest.raises(Exception) as error:
            attempt()
        assert str(error.value) == f"no DICOM answer from hospital (PACS@{TYPO}:104): {SAID}"


def test_dicomweb_echo_and_search_name_the_unknown_host():
    config = ServerConfig("hospital", url=f"http://{TYPO}:8042/dicom-web", timeout=5)
    for attempt in (lambda: echo(config), lambda: find(config, "STUDY", PatientName="Doe")):
        with pytest.raises(Exception) as error:
            attempt()
        assert str(error.value) == f"no answer from hospital (http://{TYPO}:8042/dicom-web): {SAID}"
