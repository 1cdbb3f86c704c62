"""The studies *File > Open follow-up...* compared last (files, masks and the dialog's options),
kept in the user's data folder (``followup-chosen.json``, written atomically) so that the dialog
offers them again after the window was closed, the next day too, while the study on screen is one
of them: they had to be chosen again. A series on a DICOM server (``pacs://SERVER/STUDY/SERIES``)
is not kept, its field left empty: its address holds the study's and the series' UIDs, markers of
the patient's study, which the data folder does not keep (``app.saved_labels`` keeps a digest).
A series retrieved into the PACS cache (the study on screen opened from a PACS), whose folder is
named by its SeriesInstanceUID, is kept as ``recent.json`` keeps it: ``pacs-cache:DIGEST``, the
data folder's keyed digest of the folder's name (``app.series_digest``), found again among the
cache's folders when read (its folder's path, UID and all, was kept until session 51; such a file
is still read)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os

import numpy as np

from ..core.errors import NeuroviewError
from ..core.settings_file import read_setting, update_setting, write_setting
from ..paths import user_data_dir
from .series_digest import series_digest
from .viewer_recent import PACS_KEPT, cached_folder, in_pacs_cache


def _store():
    return user_data_dir() / "followup-chosen.json"


def _valid(data) -> bool:
    fields = data.get("fields") if isinstance(data, dict) else None
    return isinstance(fields, dict) and all(isinstance(k, str) and isinstance(v, str)
                                            for k, v in fields.items())


def remember_chosen(state: dict) -> None:
    """Keep ``state`` (the dialog's ``state()``: ``fields`` and the options), PACS series (and
    their names) left out."""
    fields = {key: _kept(text) for key, text in state["fields"].items()}
    kept = dict(state, pacs_names={}, fields=fields)
    try:
        write_setting(_store(), json.dumps(kept, indent=1))
    except OSError:
        pass   # a read-only home only loses the offer


def _kept(text: str) -> str:
    """How a field's ``text`` is kept: a PACS series' address not at all, a PACS cache folder by
    its digest, any other path as it is."""
    if "://" in text and not text.startswith("file://"):
        return ""
    if text and in_pacs_cache([text]):
        return PACS_KEPT + series_digest(os.path.basename(os.path.realpath(text.rstrip(os.sep))))
    return text


def _found(text: str) -> str:
    """A field kept by :func:`_kept` as the user chose it: a PACS cache folder by its path again
    (empty when the cache no longer holds it)."""
    if not text.startswith(PACS_KEPT):
        return text
    folder = cached_folder(text)
    return folder if os.path.isdir(folder) else ""


def chosen_last() -> dict | None:
    """What :func:`remember_chosen` kept, ``None`` when nothing (or a damaged file: said, kept aside)."""
    data = read_setting(_store(), "Open follow-up offers no studies chosen before", _valid,
                        "a JSON object with the fields chosen")
    if data is None:
        return None
    return dict(data, fields={key: _found(text) for key, text in data["fields"].items()})


# -- the reader's marks (app.followup_marks), per set of studies ---------------------------------
MARKED_SETS_KEPT = 100
"""Sets of studies whose marks are kept (the oldest dropped first)."""


def _marks_store():
    return user_data_dir() / "followup-marks.json"


def paths_key(paths: list[str]) -> str:
    """A digest of the studies' file paths (images and masks, in order): the key their marks
    were kept by until session 41, read once to carry them over to :func:`studies_key`."""
    text = "\n".join(os.path.abspath(p) if p else "" for p in paths)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def study_key(volume, study, cancel=None) -> str:
    """One study's part of its follow-up's marks' key: its image's key (``Volume.workspace_key``,
    as view memory keys an image: its voxels and geometry) and its lesion mask's, the voxels that
    are lesion (the marks name their parts), none for a mask a model made on the spot. Off the GUI
    thread: about 1 s of CPU for the image of a 512x512x400 CT, 0.03 s for its mask's bits (its
    ``image_key`` took 1.3 s)."""
    mask = ""
    if not study.lesions_model:
        digest = hashlib.sha256(np.asarray(study.lesions.shape, np.int64).tobytes())
        digest.update(np.asarray(study.ijk_to_ras, np.float64).tobytes())
        digest.update(np.packbits(np.asarray(study.lesions) > 0))
        mask = digest.hexdigest()
    return f"{volume.workspace_key(cancel)} {mask}"


def studies_key(keys: list[str]) -> str:
    """The marks' key of a follow-up's studies (:func:`study_key` of each, in order): a study
    moved or opened from a copy keeps the reader's marks (they were keyed by the files' paths
    until session 41), and no path is kept."""
    return hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()


MARKS_NOT_KEPT = "the follow-up's marks made before are not shown"


def _marked_sets() -> dict:
    data = read_setting(_marks_store(), MARKS_NOT_KEPT, lambda d: isinstance(d, dict),
                        "a JSON object of marks")
    return data if isinstance(data, dict) else {}


def saved_marks(key: str, before: str = "") -> list:
    """The marks (``Marks.to_json``) kept for the studies of ``key``, else those kept under
    ``before`` (their :func:`paths_key`, as kept until session 41), carried over to ``key``."""
    sets = _marked_sets()
    found = sets.get(key)
    if isinstance(found, list) or not before or not isinstance(sets.get(before), list):
        return found if isinstance(found, list) else []

    def carried(earlier: dict) -> dict:
        moved = {k: v for k, v in earlier.items() if k not in (key, before)}
        return {**moved, key: earlier.get(before, sets[before])}

    with contextlib.suppress(OSError, NeuroviewError):
        update_setting(_marks_store(), carried, MARKS_NOT_KEPT, "a JSON object of marks")
    return sets[before]


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
