"""The training-set folder and annotator name last used: the defaults of the next dialog."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..core.settings_file import read_setting, write_setting
from ..paths import user_data_dir


def last_dataset_file() -> Path:
    return user_data_dir() / "last-dataset.json"


def remember_dataset(folder, annotator: str) -> None:
    """The dataset folder and annotator name last used (the dialog's defaults next time)."""
    write_setting(last_dataset_file(), json.dumps({"dataset": os.fspath(folder),
                                                       "annotator": annotator}))


def remembered_dataset() -> dict:
    """``{"dataset": folder, "annotator": name}`` last used; ``{}`` when none (or the file is
    damaged: said, and kept aside)."""
    return read_setting(last_dataset_file(), "the training-set dialogs start with no folder or "
                        "annotator", _valid, "a JSON object of a folder and a name as text") or {}


def _valid(data) -> bool:
    """An object whose folder and annotator, where given, are text: the dialogs put them in their
    fields as they are (a number there stopped *Send to training set* from opening: TypeError)."""
    return isinstance(data, dict) and all(isinstance(data.get(key, ""), str)
                                          for key in ("dataset", "annotator"))
