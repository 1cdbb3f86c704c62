"""DICOM servers the user has configured: name, AE titles, host and port (DIMSE) and/or a DICOMweb URL.

The server list lives in ``<neuroview data dir>/pacs/servers.json`` (no secrets); user names and
passwords live apart in ``pacs/credentials.json``, created with mode 0600 and rewritten atomically;
the password goes to the system keyring instead where there is one (:mod:`.secrets`), and the file
then only says so.
A :class:`ServerConfig` never shows its password: not in ``repr``, not in :meth:`describe`, not in
errors (URLs are printed without any ``user:password@`` part).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ...core.atomic import atomic_path, make_parent
from ...core.errors import NeuroviewError
from ...core.jsonfile import read_json, said_json
from ...core.settings_file import changing
from ...core.workspace_names import os_reason
from ...paths import user_data_dir
from . import secrets as keyring_store

AE_TITLE = re.compile(r"^[\x20-\x5b\x5d-\x7e]{1,16}$")
"""DICOM AE titles: 1-16 printable ASCII characters, no backslash."""


class PacsError(NeuroviewError):
    """A DICOM server could not be reached, refused us, or answered something unusable."""


class QueryRefused(PacsError):
    """A C-FIND the server answered with a failure status (the association still up)."""


def public_url(url: str) -> str:
    """``url`` without a ``user:password@`` part, for messages."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


@dataclass
class ServerConfig:
    name: str
    host: str = ""
    port: int = 104
    called_aet: str = "ANY-SCP"
    """The server's AE title."""
    calling_aet: str = "NEUROVIEW"
    """Ours, as the server knows it (its list of known modalities)."""
    url: str = ""
    """DICOMweb root, e.g. ``https://pacs.example.org/dicom-web``."""
    username: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 30.0
    move_port: int = 0
    """Port on this machine where the server sends C-MOVE results (the server must know our AE
    title at this address); 0: retrieve with C-GET, which needs no open port."""

    def __post_init__(self) -> None:
        self.port = int(self.port)
        self.move_port = int(self.move_port or 0)
        if not (0 <= self.move_port < 65536):
            raise PacsError(f"server {self.name!r}: C-MOVE port {self.move_port} is not a TCP port")
        for label, aet in (("server AE title", self.called_aet), ("calling AE title", self.calling_aet)):
            if not AE_TITLE.match(aet):
                raise PacsError(f"server {self.name!r}: {label} {aet!r} is not a DICOM AE title "
                                "(1-16 ASCII characters, no backslash)")
        if not (0 < self.port < 65536):
            raise PacsError(f"server {self.name!r}: port {self.port} is not a TCP port")
        if self.url and urlsplit(self.url).scheme not in ("http", "https"):
            raise PacsError(f"server {self.name!r}: the DICOMweb URL must start with http:// or https://")

    @property
    def has_dimse(self) -> bool:
        return bool(self.host)

    @property
    def has_web(self) -> bool:
        return bool(self.url)

    def describe(self) -> str:
        parts = []
        if self.has_dimse:
            parts.append(f"DIMSE {self.calling_aet} -> {self.called_aet}@{self.host}:{self.port}")
            parts.append(f"C-MOVE to port {self.move_port}" if self.move_port else "C-GET")
        if self.has_web:
            parts.append(f"DICOMweb {public_url(self.url)}")
        if self.username:
            parts.append(f"user {self.username}")
        return f"{self.name}: " + ", ".join(parts or ["(no address)"])


def _pacs_dir(root: Path | None) -> Path:
    return Path(root) if root is not None else user_data_dir() / "pacs"


def _read_json(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        data = read_json(path)   # bounded; its faults in words (the exception's class was said)
    except (OSError, ValueError) as exc:
        raise PacsError(f"cannot read the server list ({os_reason(exc)})", path=path) from None
    if not isinstance(data, dict):
        raise PacsError("the server list is not a JSON object", path=path)
    return data


def _write_json(path: Path, data: dict, private: bool) -> None:
    with atomic_path(path, mode=0o600 if private else None) as tmp:  # credentials: 0600
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")


FIELD_TYPES = {"host": (str, "text"), "called_aet": (str, "text"), "calling_aet": (str, "text"),
               "url": (str, "text"), "port": (int, "a whole number"),
               "move_port": (int, "a whole number"), "timeout": ((int, float), "a number of seconds")}
"""What each field of ``servers.json`` must be: a damaged list's values of another type raised
TypeError, AttributeError or ValueError (internal errors) in every ``pacs`` command and the
PACS dialog."""


def load_servers(root: Path | None = None) -> dict[str, ServerConfig]:
    """Every configured server by name, with its credentials. A list or a server that cannot be
    used is :class:`PacsError` naming the file (``servers.json`` or ``credentials.json``)."""
    folder = _pacs_dir(root)
    servers = _read_json(folder / "servers.json")
    secrets = _read_json(folder / "credentials.json")
    return {name: _server(name, fields, secrets.get(name), folder) for name, fields in servers.items()}


def _server(name: str, fields, secret, folder: Path) -> ServerConfig:
    listed, credentials = folder / "servers.json", folder / "credentials.json"
    shown = said_json(name)
    if not isinstance(fields, dict):
        raise PacsError(f"server {shown} is not a JSON object", path=listed)
    if secret is not None and not isinstance(secret, dict):
        raise PacsError(f"the credentials of server {shown} are not a JSON object", path=credentials)
    for key, (kind, words) in FIELD_TYPES.items():
        value = fields.get(key)
        if key in fields and (not isinstance(value, kind) or isinstance(value, bool)
                              or key == "timeout" and not (math.isfinite(value) and value > 0)):
            raise PacsError(f"server {shown}: its {key} is {said_json(value)}, not {words}"
                            + (" above 0" if key == "timeout" else ""), path=listed)
    known = {f.name for f in ServerConfig.__dataclass_fields__.values()} - {"username", "password"}
    fields = {k: v for k, v in fields.items() if k in known}
    fields["name"] = name
    secret = secret or {}
    in_keyring = bool(secret.get("in_keyring"))
    password = keyring_store.read_password(name) if in_keyring else secret.get("password", "")
    try:
        return ServerConfig(**fields, username=str(secret.get("username", "")), password=str(password))
    except PacsError as exc:   # a port or AE title out of range: said naming the file too
        raise PacsError(exc.message, path=listed) from None


def get_server(name: str, root: Path | None = None) -> ServerConfig:
    servers = load_servers(root)
    if name not in servers:
        listed = ", ".join(sorted(servers)) or "none configured yet (neuroview pacs add NAME ...)"
        raise PacsError(f"no DICOM server named {name!r}; known: {listed}")
    return servers[name]


def save_server(config: ServerConfig, root: Path | None = None) -> str:
    """Add or replace ``config``; its password goes to the system keyring where there is a secure
    one, else (like the user name) to the 0600 file. Returns where the password went ('' without
a password)."""
    folder = _pacs_dir(root)
    make_parent(folder)   # held (below) from the first server on
    with changing(folder / "servers.json"):   # another window's server added meanwhile stays
        servers = _read_json(folder / "servers.json")
        secrets = _read_json(folder / "credentials.json")
        public = asdict(replace(config))
        for key in ("name", "username", "password"):
            public.pop(key)
        servers[config.name] = public
        kept = ""
        if (secrets.get(config.name) or {}).get("in_keyring"):
            keyring_store.forget_password(config.name)
        if config.password and keyring_store.store_password(config.name, config.password):
            secrets[config.name] = {"username": config.username, "in_keyring": True}
            kept = "the system keyring"
        elif config.username or config.password:
            secrets[config.name] = {"username": config.username, "password": config.password}
            kept = f"{folder / 'credentials.json'} (mode 0600)" if config.password else ""
        else:
            secrets.pop(config.name, None)
        _write_json(folder / "servers.json", servers, private=False)
        _write_json(folder / "credentials.json", secrets, private=True)
    return kept


def remove_server(name: str, root: Path | None = None) -> None:
    folder = _pacs_dir(root)
    with changing(folder / "servers.json"):
        servers = _read_json(folder / "servers.json")
        secrets = _read_json(folder / "credentials.json")
        if name not in servers:
            raise PacsError(f"no DICOM server named {name!r}")
        servers.pop(name)
        if (secrets.pop(name, None) or {}).get("in_keyring"):
            keyring_store.forget_password(name)
        _write_json(folder / "servers.json", servers, private=False)
        _write_json(folder / "credentials.json", secrets, private=True)
