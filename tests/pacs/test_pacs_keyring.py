"""PACS passwords in the system keyring when a secure one exists; else in the 0600 file.

The keyring here is keyrings.alt's file backend (a real `keyring` backend, writing to the test's
folder) given an OS keyring's priority: the desktop keyrings (Secret Service, Keychain) are not
reachable on a headless test machine, and the tests must never write to the real one. That a
password read back through ``load_servers`` opens Orthanc is tested in test_pacs_dialog.py and
test_pacs_cli.py (the file path); here no server is needed."""

from __future__ import annotations

import json
import os
import stat

import pytest
from orthanc_server import PASSWORD, USER

keyring = pytest.importorskip("keyring")
file_backends = pytest.importorskip("keyrings.alt.file")

from neuroview.io.pacs import ServerConfig, load_servers, remove_server, save_server  # noqa: E402
from neuroview.io.pacs.secrets import SERVICE, system_keyring  # noqa: E402


class SecureLikeKeyring(file_backends.PlaintextKeyring):
    priority = 5  # what keyring gives the Secret Service, macOS and Windows backends


@pytest.fixture
def use_keyring(monkeypatch, tmp_path):
    previous = keyring.get_keyring()

    def install(backend):
        backend.file_path = str(tmp_path / "keyring.cfg")
        keyring.set_keyring(backend)
        monkeypatch.delenv("NEUROVIEW_PACS_KEYRING", raising=False)
        return backend

    yield install
    keyring.set_keyring(previous)


def _config(**changes) -> ServerConfig:
    fields = dict(name="lab", url="http://127.0.0.1:8042/dicom-web", username=USER, password=PASSWORD)
    return ServerConfig(**{**fields, **changes})


def test_password_in_the_keyring_not_in_the_file(tmp_path, monkeypatch, use_keyring):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    backend = use_keyring(SecureLikeKeyring())
    assert save_server(_config()) == "the system keyring"
    credentials = tmp_path / "home" / "pacs" / "credentials.json"
    assert PASSWORD not in credentials.read_text()
    assert json.loads(credentials.read_text())["lab"] == {"username": USER, "in_keyring": True}
    assert backend.get_password(SERVICE, "lab") == PASSWORD
    config = load_servers()["lab"]
    assert config.username == USER and config.password == PASSWORD
    save_server(_config(username="", password=""))  # password removed
    assert backend.get_password(SERVICE, "lab") is None
    save_server(_config())
    remove_server("lab")
    assert backend.get_password(SERVICE, "lab") is None


def test_file_keyrings_are_passed_over(tmp_path, monkeypatch, use_keyring):
    """keyrings.alt's plaintext backend is no safer than our 0600 file: the file keeps the password."""
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    backend = use_keyring(file_backends.PlaintextKeyring())
    assert system_keyring() is None
    kept = save_server(_config())
    credentials = tmp_path / "home" / "pacs" / "credentials.json"
    assert kept.startswith(str(credentials)) and "0600" in kept
    assert stat.S_IMODE(os.stat(credentials).st_mode) == 0o600
    assert json.loads(credentials.read_text())["lab"]["password"] == PASSWORD
    assert backend.get_password(SERVICE, "lab") is None


def test_without_the_keyring_package(monkeypatch, use_keyring):
    use_keyring(SecureLikeKeyring())
    assert system_keyring() is not None
    monkeypatch.setitem(__import__("sys").modules, "keyring", None)  # as if not installed
    assert system_keyring() is None
