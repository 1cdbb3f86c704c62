"""The studies *File > Open follow-up...* compared last (files, masks and the dialog's options),
kept in the user's data folder (``followup-chosen.json``, written atomically) so that the dialog
offers them again after the window was closed, the next day too, while the study on screen is one
of them: they had to be chosen again. A series on a DICOM server (``pacs://SERVER/STUDY/SERIES``)
is not kept, its field left empty: its address holds the study's and the series' UIDs, markers of
the patient's study, which the data folder does not keep (``app.saved_labels`` keeps a digest)."""

from __future__ import annotations

import json

from ..core.atomic import write_text_atomic
from ..core.settings_file import read_setting
from ..paths import user_data_dir


def _store():
    return user_data_dir() / "followup-chosen.json"


def _valid(data) -> bool:
    fields = data.get("fields") if isinstance(data, dict) else None
    return isinstance(fields, dict) and all(isinstance(k, str) and isinstance(v, str)
                                            for k, v in fields.items())


def remember_chosen(state: dict) -> None:
    """Keep ``state`` (the dialog's ``state()``: ``fields`` and the options), PACS series left out."""
    kept = dict(state, fields={key: ("" if "://" in text and not text.startswith("file://") else text)
                               for key, text in state["fields"].items()})
    try:
        write_text_atomic(_store(), json.dumps(kept, indent=1))
    except OSError:
        pass   # a read-only home only loses the offer


def chosen_last() -> dict | None:
    """What :func:`remember_chosen` kept, ``None`` when nothing (or a damaged file: said, kept aside)."""
    return read_setting(_store(), "Open follow-up offers no studies chosen before", _valid,
                        "a JSON object with the fields chosen")
