"""The promptable (AI click) models of the registry, loaded once per process, and the AI click
default with its fallback: a promoted model that cannot be loaded (its weights damaged, its
package gone) gives way to the bundled network, with one line saying which and why.

Until session 25 a promoted model that failed to load left AI click doing nothing (each click
tried it again and failed), and two threads (the window's warm-up and a prompt's worker) could
load the same model twice at once.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Optional

_MODELS: dict[str, Any] = {}
"""``path:<package>`` -> the model loaded from it."""
_FAILED: dict[str, tuple[tuple, str]] = {}
"""``path:<package>`` -> (the package's files as they were, why they could not be loaded): not
tried again until the package changes."""
_LOADING: dict[str, threading.Lock] = {}
"""``path:<package>`` -> the lock held while it loads: a second caller waits and gets the same
model (loads of other models go on meanwhile)."""
_GUARD = threading.Lock()
_PASSED_OVER: dict[str, tuple[str, str]] = {}
"""``"default"`` -> (the promoted default that could not be loaded, the model answering instead),
as the last :func:`load_default` found; absent when the default loaded."""


def default_ref() -> str:
    """``name@version`` of the AI click default: the model promoted with ``neuroview models
    promote REF --task interactive``, else the bundled network (also when the promoted one was
    removed). Reads cards only (no torch); empty when the registry cannot be read."""
    from ..ai.registry import INTERACTIVE_TASK, Registry

    try:
        return Registry().default_ref(INTERACTIVE_TASK) or ""
    except Exception:  # an unreadable registry: the bundled network
        return ""


def load_default() -> tuple[Any, Optional[str]]:
    """``(model, problem)``: the AI click default (:func:`default_ref`), loaded once per process
    (torch is imported here), and ``None``; or, when the promoted default cannot be loaded or is
    gone from the registry, the bundled network and the one line that says so."""
    ref, problem = default_ref(), _promoted_problem()
    bundled, model = _bundled_ref(), None
    _PASSED_OVER.pop("default", None)
    if ref and ref != bundled:
        try:
            model = load_promptable(ref)
        except Exception as exc:   # damaged weights, a card that names a missing file...
            problem = (f"AI click: the promoted model {ref} cannot be loaded ({_one_line(exc)}); "
                       f"AI click uses the bundled {bundled or 'network'} instead")
            _PASSED_OVER["default"] = (ref, bundled)
    model = model or _bundled_model()
    _MODELS["default"] = model
    return model, problem


def last_default():
    """The model :func:`load_default` gave last (``None`` before)."""
    return _MODELS.get("default")


def default_label() -> str:
    """What the AI click *Model* list names as its first choice: ``Default: REF`` of
    :func:`default_ref`; when the last :func:`load_default` could not load that model, the one
    answering instead, and which cannot be loaded (``Default: clickseg@1.9.0 (clickseg@9.0.0
    cannot be loaded)``; until session 25 the list named the broken model)."""
    ref = default_ref()
    wanted, answering = _PASSED_OVER.get("default", ("", ""))
    if ref and wanted == ref:
        return f"Default: {answering or 'bundled network'} ({wanted} cannot be loaded)"
    return f"Default: {ref}" if ref else "Default: bundled network"


def _one_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def default_model():
    """The model of :func:`load_default` (its problem line is the window's to show)."""
    return load_default()[0]


def _bundled_ref() -> str:
    from ..ai.registry import INTERACTIVE_TASK, Registry

    try:
        return Registry().bundled_default_ref(INTERACTIVE_TASK) or ""
    except Exception:
        return ""


def _bundled_model():
    from ..ai.interactive.model import bundled_path

    return _load_once(f"path:{bundled_path().resolve()}", None)


def _promoted_problem() -> Optional[str]:
    """The line for a promoted AI click default the registry passes over (its package removed
    from disk or its card unreadable, or a model of another task), else ``None``."""
    from ..ai.registry import INTERACTIVE_TASK, Registry

    try:
        registry = Registry()
        stored = registry.stored_default(INTERACTIVE_TASK)
        if not stored or stored == registry.default_ref(INTERACTIVE_TASK):
            return None
        entry = next((e for e in registry.entries() if e.ref == stored), None)
        why = (registry.task_problem(entry, INTERACTIVE_TASK) if entry is not None else
               f"{stored} is missing from the model registry (its folder was removed, or its "
               "card cannot be read)")
        bundled = registry.bundled_default_ref(INTERACTIVE_TASK) or "network"
    except Exception:   # an unreadable registry: nothing promoted can be named
        return None
    return f"AI click: the promoted model cannot be used: {why}; AI click uses the bundled {bundled} instead"


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
    at once get the same model, loaded once; a package that failed to load raises the same
    :class:`ModelError` again until its files change."""
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
            stamp = _files_stamp(path)
            failed = _FAILED.get(key)
            if failed is not None and failed[0] == stamp:
                from ..core.errors import ModelError

                raise ModelError(failed[1])
            try:
                _MODELS[key] = _load(path)
            except Exception as exc:
                _FAILED[key] = (stamp, _one_line(exc))
                raise
            _FAILED.pop(key, None)
        return _MODELS[key]


def _files_stamp(path: Optional[Path]) -> tuple:
    """Names, sizes and times of the package's files: a changed package is tried again."""
    if path is None:
        return ()
    try:
        files = sorted(path.iterdir()) if path.is_dir() else [path]
        return tuple((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files)
    except OSError:
        return ("unreadable",)


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
