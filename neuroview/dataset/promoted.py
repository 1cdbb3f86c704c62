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


def record_promoted(folder: str | os.PathLike, ref: str, task: str) -> None:
    """``ref`` was made the default for ``task`` on the held-out cases of the training set in
    ``folder``, by this login, now."""
    try:
        by = getpass.getuser()
    except (KeyError, OSError, ImportError):   # no login name
        by = ""
    write_text_atomic(Path(folder) / PROMOTED_FILE, json.dumps(
        {"model": ref, "task": task, "by": by, "at": now_iso()}, indent=1))


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
