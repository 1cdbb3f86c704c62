"""The studies *File > Open follow-up...* compared last (files, masks and the dialog's options),
kept in the user's data folder (``followup-chosen.json``, written atomically) so that the dialog
offers them again after the window was closed, the next day too, while the study on screen is one
of them: they had to be chosen again. A series on a DICOM server (``pacs://SERVER/STUDY/SERIES``)
is not kept, its field left empty: its address holds the study's and the series' UIDs, markers of
the patient's study, which the data folder does not keep (``app.saved_labels`` keeps a digest)."""

from __future__ import annotations

import json

from ..core.errors import NeuroviewError
from ..core.settings_file import read_setting, update_setting, write_setting
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
        write_setting(_store(), json.dumps(kept, indent=1))
    except OSError:
        pass   # a read-only home only loses the offer


def chosen_last() -> dict | None:
    """What :func:`remember_chosen` kept, ``None`` when nothing (or a damaged file: said, kept aside)."""
    return read_setting(_store(), "Open follow-up offers no studies chosen before", _valid,
                        "a JSON object with the fields chosen")


# -- the reader's marks (app.followup_marks), per set of studies ---------------------------------
MARKED_SETS_KEPT = 100
"""Sets of studies whose marks are kept (the oldest dropped first)."""


def _marks_store():
    return user_data_dir() / "followup-marks.json"


def studies_key(paths: list[str]) -> str:
    """A digest of the studies' files (images and masks, in order): the marks' key, no path kept."""
    import hashlib  # noqa: PLC0415
    import os  # noqa: PLC0415

    text = "\n".join(os.path.abspath(p) if p else "" for p in paths)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


MARKS_NOT_KEPT = "the follow-up's marks made before are not shown"


def _marked_sets() -> dict:
    data = read_setting(_marks_store(), MARKS_NOT_KEPT, lambda d: isinstance(d, dict),
                        "a JSON object of marks")
    return data if isinstance(data, dict) else {}


def saved_marks(key: str) -> list:
    """The marks (``Marks.to_json``) kept for the studies of ``key``, else none."""
    found = _marked_sets().get(key)
    return found if isinstance(found, list) else []


def remember_marks(key: str, marks: list) -> None:
    """Keep ``marks`` for the studies of ``key`` (an empty list forgets them); the marks another
    window keeps meanwhile stay (:func:`~neuroview.core.settings_file.update_setting`)."""
    def change(earlier: dict) -> dict:
        sets = {k: v for k, v in earlier.items() if k != key}
        if marks:
            sets[key] = marks
        return dict(list(sets.items())[-MARKED_SETS_KEPT:])

    try:
        update_setting(_marks_store(), change, MARKS_NOT_KEPT, "a JSON object of marks")
    except (OSError, NeuroviewError):
        pass   # a read-only home only loses the marks for the next day
