"""The promptable (AI click) models of the registry, loaded once per process, and the AI click
default.

Until session 25 two threads (the window's warm-up and a prompt's worker) could load the same
model twice at once: :func:`load_promptable` had no lock.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Optional

_MODELS: dict[str, Any] = {}
"""``path:<package>`` -> the model loaded from it."""
_LOADING: dict[str, threading.Lock] = {}
"""``path:<package>`` -> the lock held while it loads: a second caller waits and gets the same
model (loads of other models go on meanwhile)."""
_GUARD = threading.Lock()


def default_ref() -> str:
    """``name@version`` of the AI click default: the model promoted with ``neuroview models
    promote REF --task interactive``, else the bundled network (also when the promoted one was
    removed). Reads cards only (no torch); empty when the registry cannot be read."""
    from ..ai.registry import INTERACTIVE_TASK, Registry

    try:
        return Registry().default_ref(INTERACTIVE_TASK) or ""
    except Exception:  # an unreadable registry: the bundled network
        return ""


def default_model():
    """The AI click default (:func:`default_ref`), loaded once per process (torch is imported
    here); the bundled network when the registry names none."""
    ref, bundled = default_ref(), _bundled_ref()
    model = load_promptable(ref) if ref and ref != bundled else _bundled_model()
    _MODELS["default"] = model
    return model


def last_default():
    """The model :func:`default_model` gave last (``None`` before)."""
    return _MODELS.get("default")


def _bundled_ref() -> str:
    from ..ai.registry import INTERACTIVE_TASK, Registry

    try:
        return Registry().bundled_default_ref(INTERACTIVE_TASK) or ""
    except Exception:
        return ""


def _bundled_model():
    from ..ai.interactive.model import bundled_path

    return _load_once(f"path:{bundled_path().resolve()}", None)


def promptable_choices() -> list[tuple[str, str]]:
    """``(label, ref)`` of the promptable models in the registry besides the bundled ones
    (nnInteractive weights folders, promptable networks the user trained), for a model picker.
    Reads cards only (no torch)."""
    from ..ai.registry import Registry

    out = []
    for entry in Registry().entries():
        card = entry.card
        if card.training.get("task") != "interactive" or entry.bundled:
            continue
        backend = card.training.get("backend") or "network"
        out.append((f"{card.ref} ({backend})", entry.ref))
    return out


def load_promptable(ref: str):
    """The promptable model ``ref`` (registry reference or folder), loaded once per process:
    an nnInteractive weights folder or a promptable network package. Callers on several threads
    at once get the same model, loaded once."""
    from ..ai.registry import Registry

    path = Path(Registry().resolve_path(ref, "interactive"))
    return _load_once(f"path:{path.resolve()}", path)


def _load_once(key: str, path: Optional[Path]):
    """The model of ``key``, loaded from ``path`` (``None``: the bundled network) by the first
    caller while the others wait."""
    model = _MODELS.get(key)
    if model is not None:
        return model
    with _GUARD:
        lock = _LOADING.setdefault(key, threading.Lock())
    with lock:
        if key not in _MODELS:
            _MODELS[key] = _load(path)
        return _MODELS[key]


def _load(path: Optional[Path]):
    """Read the card at ``path`` and load its model (the bundled network for ``None``)."""
    from ..ai.interactive import model as network_model

    if path is None:
        return network_model.NetworkPromptModel()
    from ..ai.package import read_card

    card = read_card(path)
    if card.format == "nninteractive" or card.training.get("backend") == "nninteractive":
        from ..ai.interactive.nninteractive import load_nninteractive

        return load_nninteractive(path, card)
    return network_model.NetworkPromptModel(path)
