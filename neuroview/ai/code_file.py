"""Which file's code would run if a model were loaded (what the user is asked to trust)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from .api import CARD_FILE
from .consent import is_code
from .folders import is_nninteractive_folder, is_nnunet_results
from .package import read_card
from .registry import Registry


def code_file_of(model: str = "", task: str = "lesion") -> Optional[Path]:
    """The file whose code would run if ``model`` (registry reference or path) were loaded, or
    None when loading it runs no code from a file."""
    path = Registry().resolve_path(model, task)
    if path.is_dir() and (is_nnunet_results(path) or is_nninteractive_folder(path)) \
            and not (path / CARD_FILE).exists():
        return None
    card = read_card(path)
    if card.format in ("safetensors", "nnunet", "nninteractive") and path.is_dir():
        return None  # what load_model does: no code from the folder runs for these
    file = path / card.weights_file if path.is_dir() else path
    return file if is_code(card.format, file) and file.is_file() else None
