"""A real Orthanc (Debian's ``orthanc`` + ``orthanc-dicomweb``) for the PACS tests.

Each instance gets a temporary JSON configuration: loopback HTTP only, free ports, its own storage,
an AE title, the DICOMweb plugin, HTTP basic authentication and the test client's AE as a known
modality (so C-FIND/C-GET/C-MOVE are allowed for it and refused for others).
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from base64 import b64encode
from dataclasses import dataclass, field
from pathlib import Path

ORTHANC = shutil.which("Orthanc") or ("/usr/sbin/Orthanc" if os.path.exists("/usr/sbin/Orthanc") else None)
DICOMWEB_PLUGIN_CANDIDATES = ("/usr/share/orthanc/plugins/libOrthancDicomWeb.so",
                              "/usr/lib/orthanc/libOrthancDicomWeb.so")
SERVER_AET = "NVORTHANC"
CLIENT_AET = "NVTEST"
USER, PASSWORD = "reader", "s3cret-test-pw"


PR_SET_PDEATHSIG = 1   # <linux/prctl.h>
LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def _die_with(parent: int):
    """For ``Popen(preexec_fn=...)``: the server is killed when the process that started it ends,
    however it ends (a test process killed or crashed left its Orthancs running, ports and CPU
    taken, until killed by hand). Linux's ``PR_SET_PDEATHSIG`` sends the signal when the
    starting *thread* ends: the fixtures start their servers on pytest's main thread."""
    if LIBC is None:
        return None

    def in_the_child() -> None:   # between fork and exec: the signal survives exec (not setuid)
        LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:   # it ended before the prctl call
            os._exit(1)

    return in_the_child


def dicomweb_plugin() -> str | None:
    for path in DICOMWEB_PLUGIN_CANDIDATES:
        if os.path.exists(path):
            return path
    found = sorted(Path("/usr/lib/orthanc").glob("libOrthancDicomWeb.so*")) if Path(
        "/usr/lib/orthanc").is_dir() else []
    return str(found[0]) if found else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class OrthancServer:
    root: Path
    dicom_port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)
    client_port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    overrides: dict = field(default_factory=dict)
    """Configuration entries replacing the defaults below (e.g. ``DicomModalities={}``)."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def dicomweb_url(self) -> str:
        return f"{self.url}/dicom-web"

    def write_config(self) -> Path:
        config = {
            "Name": "neuroview-tests",
            "StorageDirectory": str(self.root / "storage"),
            "IndexDirectory": str(self.root / "storage"),
            "DicomAet": SERVER_AET,
            "DicomPort": self.dicom_port,
            "DicomCheckCalledAet": True,
            "DicomAlwaysAllowStore": True,
            "DicomAlwaysAllowEcho": True,
            "DicomModalities": {"neuroview": [CLIENT_AET, "127.0.0.1", self.client_port]},
            "HttpPort": self.http_port,
            "RemoteAccessAllowed": False,
            "AuthenticationEnabled": True,
            "RegisteredUsers": {USER: PASSWORD},
            "Plugins": [dicomweb_plugin()],
            "DicomWeb": {"Enable": True, "Root": "/dicom-web/", "EnableWado": False},
            "StableAge": 1,
            "SaveJobs": False,
        }
        config.update(self.overrides)
        path = self.root / "orthanc.json"
        path.write_text(json.dumps(config, indent=2))
        return path

    def start(self, timeout: float = 60.0) -> OrthancServer:
        config = self.write_config()
        log = open(self.root / "orthanc.log", "ab")
        # TCP_NODELAY=1: DCMTK (Orthanc's DICOM) sends each write at once; with Nagle's algorithm
        # each of its DIMSE answers waited for our delayed acknowledgement (a C-STORE 50 ms longer)
        self.process = subprocess.Popen([ORTHANC, str(config)], stdout=log, stderr=subprocess.STDOUT,
                                        cwd=self.root, env={**os.environ, "TCP_NODELAY": "1"},
                                        preexec_fn=_die_with(os.getpid()))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Orthanc exited ({self.process.returncode}); see "
                                   f"{self.root / 'orthanc.log'}")
            try:
                self.rest("/system")
                if self._dicom_listening():
                    return self
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"Orthanc did not answer within {timeout:.0f} s")

    def _dicom_listening(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.dicom_port), timeout=1):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        self.stop_all([self])

    @staticmethod
    def stop_all(servers: list[OrthancServer]) -> None:
        """Stop ``servers`` together: each is asked once (SIGTERM; a second one kills Orthanc
        before it has shut down) and they wind down in parallel, 2-3 s for their HTTP, DICOM and
        job threads (the session's six servers, stopped one after the other, took 15 s of the
        last test's teardown)."""
        running = [s for s in servers if s.process is not None and s.process.poll() is None]
        for server in running:
            server.process.terminate()
        for server in running:
            try:
                server.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait()
        for server in servers:
            server.process = None

    def kill(self) -> None:
        """The server goes away at once (as a crash or a pulled cable would)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def rest(self, path: str, method: str = "GET", data: bytes | None = None):
        request = urllib.request.Request(self.url + path, data=data, method=method)
        token = b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
        with urllib.request.urlopen(request, timeout=10) as answer:
            body = answer.read()
        return json.loads(body) if body else None

    def clear(self) -> None:
        for patient in self.rest("/patients"):
            self.rest(f"/patients/{patient}", method="DELETE")


def server_config(server: OrthancServer, **changes):
    from neuroview.io.pacs import ServerConfig

    fields = dict(name="test", host="127.0.0.1", port=server.dicom_port, called_aet=SERVER_AET,
                  calling_aet=CLIENT_AET, url=server.dicomweb_url, username=USER, password=PASSWORD)
    fields.update(changes)
    return ServerConfig(**fields)
