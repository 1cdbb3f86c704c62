"""The model promoted to default on a training set's held-out cases (``models promote MODEL
--dataset DIR``), kept in the training set's folder (``promoted_model.json``: model, task, login,
time). A promotion changes the default of the login that promoted only; the other annotators'
``dataset rank`` and windows went on with their own default, and nothing told them. Now they
say so in one line (the window: for the training set last sent to), and leave the choice as it
is."""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

from ..core.atomic import write_text_atomic
from ..core.errors import DatasetError
from ..core.jsonfile import read_json
from .layout import find_dataset
from .provenance import now_iso

PROMOTED_FILE = "promoted_model.json"


def record_promoted(folder: str | os.PathLike, ref: str, task: str, package: str = "") -> None:
    """``ref`` was made the default for ``task`` on the held-out cases of the training set in
    ``folder``, by this login, now; ``package``: the model's folder in their models (the others
    install it from there: a model trained by the lead is in the lead's data folder only)."""
    try:
        by = getpass.getuser()
    except (KeyError, OSError, ImportError):   # no login name
        by = ""
    write_text_atomic(Path(folder) / PROMOTED_FILE, json.dumps(
        {"model": ref, "task": task, "by": by, "at": now_iso(), "package": package}, indent=1))


def install_hint(folder: str | os.PathLike) -> str:
    """How to get the model promoted on the training set in ``folder`` where it is not installed:
    ``neuroview models add PACKAGE installs it (lead's copy)`` with the folder the promotion
    named, else ask for it; "" with no promotion recorded. The note told the others to make it
    their default, which failed with "no model ... in the registry" (session 47's walk)."""
    try:
        data = read_json(find_dataset(folder) / PROMOTED_FILE)
    except (OSError, ValueError, TypeError, OverflowError, DatasetError):
        return ""
    if not isinstance(data, dict) or not data.get("model"):
        return ""
    model, by = str(data["model"]), str(data.get("by") or "whoever promoted it")
    package = data.get("package") if isinstance(data.get("package"), str) else ""
    where = (f"`neuroview models add {package}` installs it ({by}'s copy; ask {by} for the "
             f"package if you cannot read that folder)" if package
             else f"ask {by} for its package: `neuroview models add PATH` installs it")
    return f"{model} is not among your models: {where}"


def promoted_elsewhere(folder: str | os.PathLike, used: str, task: str) -> tuple[str, str]:
    """``(what, model)`` when the training set in ``folder`` (or the one inside it) records
    another ``model`` promoted for ``task`` than ``used`` (a ref, or a ref followed by `` (the
    default model)``), ``what`` saying so; ``("", "")`` when it records ``used``, none, or a file
    that cannot be read (it decides nothing)."""
    try:
        data = read_json(find_dataset(folder) / PROMOTED_FILE)
    except (OSError, ValueError, TypeError, OverflowError, DatasetError):
        return "", ""
    if not isinstance(data, dict) or data.get("task") != task:
        return "", ""
    model, by, at = (str(data.get(key, "")) for key in ("model", "by", "at"))
    if not model or used == model or used.startswith(f"{model} ("):
        return "", ""
    return (f"{by or 'someone'} promoted {model} to default for {task} on this training set "
            f"({at[:10] or 'no date'}); this uses {used}"), model
