"""How the data folder's settings files name a series without its UID: a DICOM series' key
(``SeriesCandidate.key``: its SeriesInstanceUID, ``.N`` when split) is a marker of the patient's
study, which the data folder does not keep (README, *Security and privacy*), so ``recent.json``,
``overlays.json`` and ``saved-labels.json`` keep a digest of it, by which the series is found
again among those scanned; a label file's sidecar keeps its study's frame of reference so
(``labels_image.frame_key``).

The digest is an HMAC-SHA256 keyed by a random secret made once per data folder
(``digest-secret``, 0600, written atomically): a plain SHA-256 (session 44) let anyone holding
a SeriesInstanceUID confirm that the data folder had seen that series. A record written under the
plain digest is still found (:func:`digests`); the caller then writes it under the keyed one."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading

from ..core.atomic import write_text_atomic
from ..core.settings_file import changing, read_setting_text, say_broken
from ..paths import user_data_dir, user_data_path

SECRET_FILE = "digest-secret"
INSTEAD = ("a new secret is made: the series and overlays remembered with the old one are not "
           "found again")
_lock = threading.Lock()
_known: dict[str, tuple[tuple, bytes]] = {}
"""The secret read per data folder, with the file's (inode, mtime) it was read from."""
_unwritable: dict[str, bytes] = {}
"""A secret for a data folder where none can be written: this process's alone."""


def _stamp(path: str) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def _read_or_make(path) -> bytes:
    """The secret in ``path``; made (under the settings lock: two windows make one) when missing,
    and when damaged (said once, kept aside as ``digest-secret.bad``)."""
    with changing(path):
        text = read_setting_text(path, INSTEAD, max_bytes=4096).strip()
        try:
            secret = bytes.fromhex(text)
        except ValueError:
            secret = b""
        if len(secret) == 32:
            return secret
        if text:
            say_broken(path, "not a secret of 64 hex digits", INSTEAD)
        secret = secrets.token_bytes(32)
        write_text_atomic(path, secret.hex() + "\n", mode=0o600)
        return secret


def data_folder_secret() -> bytes:
    """The data folder's secret (32 random bytes), made the first time it is asked for."""
    path = os.fspath(user_data_path() / SECRET_FILE)
    with _lock:
        known = _known.get(path)
        stamp = _stamp(path)
        if known is not None and stamp is not None and known[0] == stamp:
            return known[1]
        try:
            user_data_dir()
            secret = _read_or_make(path)
        except OSError:   # a read-only data folder keeps nothing: this process's own secret
            return _unwritable.setdefault(path, secrets.token_bytes(32))
        _known[path] = (_stamp(path), secret)
        return secret


def keyed_digest(text: str, length: int = 32) -> str:
    """The first ``length`` hex digits of the HMAC-SHA256 of ``text`` under the data folder's
    secret; "" for ""."""
    if not text:
        return ""
    return hmac.new(data_folder_secret(), text.encode(), hashlib.sha256).hexdigest()[:length]


def series_digest(key: str) -> str:
    """The digest of ``key`` (a series' key or UID) the data folder keeps; "" for ""."""
    return keyed_digest(key)


def unkeyed_digest(key: str) -> str:
    """The plain SHA-256 digest of ``key`` that neuroview kept until session 45 (read, never
    written)."""
    return hashlib.sha256(key.encode()).hexdigest()[:32] if key else ""


def digests(key: str) -> tuple[str, str]:
    """The digests a record of ``key`` may be kept under: the keyed one, then the plain one."""
    return series_digest(key), unkeyed_digest(key)
