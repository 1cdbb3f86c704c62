"""Where a server's password is kept: the system keyring when there is a secure one, else the
0600 credentials file.

The `keyring` package (optional: ``pip install neuroview[keyring]``) reaches the desktop's
keyring: GNOME Keyring / KWallet through the Secret Service, the macOS Keychain, the Windows
Credential Locker. Only a backend with keyring's priority of 1 or more counts as secure: the
"fail" and "null" backends (no keyring), and keyrings.alt's plaintext and encrypted-file backends
(no safer than our 0600 file) are passed over, and the password stays in the file.
``NEUROVIEW_PACS_KEYRING=0`` keeps passwords in the file even where a keyring exists.
"""

from __future__ import annotations

import os

SERVICE = "neuroview-pacs"
MIN_PRIORITY = 1.0
"""keyring's own scale: OS keyrings 5 (Secret Service, macOS, Windows), file backends below 1."""


def system_keyring():
    """The keyring backend that passwords go to, or ``None`` (no `keyring`, no secure backend)."""
    if os.environ.get("NEUROVIEW_PACS_KEYRING", "") == "0":
        return None
    try:
        import keyring
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
        priority = float(getattr(backend, "priority", 0))
    except Exception:  # a broken backend configuration: fall back to the file
        return None
    return backend if priority >= MIN_PRIORITY else None


def store_password(server: str, password: str) -> bool:
    """Put ``password`` of ``server`` in the system keyring; ``False`` when there is none (or it
    refused), so the caller keeps it in the 0600 file."""
    backend = system_keyring()
    if backend is None:
        return False
    try:
        backend.set_password(SERVICE, server, password)
    except Exception:  # locked or unavailable keyring (keyring.errors.KeyringError and D-Bus errors)
        return False
    return True


def read_password(server: str) -> str:
    """The keyring's password of ``server`` ('' when the keyring is gone or has none)."""
    backend = system_keyring()
    if backend is None:
        return ""
    try:
        return backend.get_password(SERVICE, server) or ""
    except Exception:
        return ""


def forget_password(server: str) -> None:
    backend = system_keyring()
    if backend is None:
        return
    try:
        backend.delete_password(SERVICE, server)
    except Exception:  # not there (PasswordDeleteError) or unavailable: nothing to forget
        pass
