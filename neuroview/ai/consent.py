"""Consent to run code from a model file, remembered per file content (sha256).

A TorchScript file is a program: its ``forward`` can read and write any file the user can. Such a
file runs only after the user said so for exactly that content: ``--trust-code`` on the command
line, ``Yes`` in the window's dialog, or ``neuroview models add --trust-code``. Consent is kept in
``user_data_dir()/trusted-code.json`` (0600), as the list of sha256 digests the user trusted; a
changed file has another digest and is refused again. Safetensors packages (weights only, the
network's code is neuroview's), ONNX files and nnU-Net folders (networks built only from
``torch.nn``) need no consent. Nothing here imports torch.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ..core.atomic import write_text_atomic
from ..core.errors import CodeConsentError
from ..core.settings_file import changing, read_setting
from ..paths import user_data_dir

TORCHSCRIPT_SUFFIXES = (".pt", ".pth", ".ts", ".torchscript")
CONSENT_FILE = "trusted-code.json"
RISK = ("runs code stored in the model file; that code can read, change or delete any file "
        "your account can")


def file_sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_code(card_format: str, file: str | os.PathLike) -> bool:
    """Whether loading ``file`` runs code from it (TorchScript)."""
    return card_format == "torchscript" or Path(file).suffix.lower() in TORCHSCRIPT_SUFFIXES


def _consent_path() -> Path:
    return user_data_dir() / CONSENT_FILE


def trusted_digests() -> set[str]:
    """The digests trusted; none when the file is missing or damaged (consent fails closed: a
    named pipe there hung, JSON nested too deeply or a number as the list were internal errors)."""
    data = read_setting(_consent_path(), "no model's code is trusted until it is asked again",
                        lambda d: isinstance(d, dict) and isinstance(d.get("sha256"), list),
                        'a JSON object with a "sha256" list')
    return {d for d in data["sha256"] if isinstance(d, str)} if data else set()


def is_trusted(file: str | os.PathLike) -> bool:
    return file_sha256(file) in trusted_digests()


def trust(file: str | os.PathLike) -> str:
    """Record consent to run ``file``'s code; returns its digest."""
    digest = file_sha256(file)
    with changing(_consent_path()):   # another window's consent given meanwhile stays
        digests = trusted_digests()
        if digest not in digests:
            digests.add(digest)
            text = json.dumps({"sha256": sorted(digests)}, indent=2) + "\n"
            write_text_atomic(_consent_path(), text, mode=0o600)
    return digest


def require_consent(file: str | os.PathLike) -> None:
    """Refuse ``file`` unless its content was trusted before."""
    if not is_trusted(file):
        raise CodeConsentError(
            f"TorchScript model {RISK}; it was not run", path=file,
            hint="if you trust it, run again with --trust-code or add it with "
                 "'neuroview models add --trust-code'; the window asks before running it")
