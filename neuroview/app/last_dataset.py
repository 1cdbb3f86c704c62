"""The training-set folder and annotator name last used: the defaults of the next dialog."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..core.atomic import write_text_atomic
from ..paths import user_data_dir


def last_dataset_file() -> Path:
    return user_data_dir() / "last-dataset.json"


def remember_dataset(folder, annotator: str) -> None:
    """The dataset folder and annotator name last used (the dialog's defaults next time)."""
    write_text_atomic(last_dataset_file(), json.dumps({"dataset": os.fspath(folder),
                                                       "annotator": annotator}))


def remembered_dataset() -> dict:
    try:
        return json.loads(last_dataset_file().read_text("utf-8"))
    except (OSError, ValueError):
        return {}
