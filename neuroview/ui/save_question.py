"""The one way a neuroview window asks for a file to write: Qt's save dialog without its own
"already exists" question, the chosen filter's ending added to a name typed without one, then
neuroview's one question before an existing file is replaced, naming it (and, for a worklist
case's labels, the annotator who saved it there).

*Save labels*, *Save labels as DICOM SEG*, the Adjudicate window's *Save SEG* and *Save labels*,
*Export view* / *Export all views* and the follow-up window's *Export CSV* ask through it; until
session 52 all but the first two asked Qt's question, of the name as typed (a name typed without
its ending replaced the file with the ending unasked)."""

from __future__ import annotations

import os
import sys
from typing import Callable, Optional

from PySide6.QtWidgets import QFileDialog, QMessageBox

from .plain_text import plain_tooltip


def file_to_save(parent, title: str, default: str, file_filter: str, *,
                 saved_by: Optional[Callable[[str], str]] = None,
                 asked_elsewhere: Optional[Callable[[str], object]] = None) -> str:
    """The file the save dialog gives, its filter's ending added, "" for Cancel. An existing file
    is asked about once (:func:`replace_asked`, ``saved_by(path)``: who saved it, "" for no one
    known); *No* opens the dialog again on that file, as Qt's own question did.
    ``asked_elsewhere(path)`` true: the caller asks about that file itself (the worklist's notice
    naming a colleague), so no question here."""
    while True:
        path, chosen = QFileDialog.getSaveFileName(parent, title, default, file_filter,
                                                   options=QFileDialog.Option.DontConfirmOverwrite)
        if not path:
            return ""
        path = with_filter_suffix(path, chosen or file_filter.split(";;")[0], file_filter)
        if not os.path.lexists(path) or os.path.isdir(path) or (   # a folder: the writer says so
                asked_elsewhere is not None and asked_elsewhere(path)):
            return path
        if replace_asked(parent, title, path, saved_by(path) if saved_by is not None else ""):
            return path
        default = path


def replace_asked(parent, title: str, path: str, saved_by: str = "") -> bool:
    """*Yes* to "NAME already exists (saved by ben for this worklist case). Replace it?" (*No* is
    the default). macOS's own dialog asks its own question, which Qt cannot leave out: not twice
    there."""
    if sys.platform == "darwin":
        return True
    by = f" (saved by {saved_by} for this worklist case)" if saved_by else ""
    answer = QMessageBox.question(
        parent, title, plain_tooltip(f"{os.path.basename(path)} already exists{by}. Replace it?"),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def with_filter_suffix(path: str, chosen: str, file_filter: str = "") -> str:
    """``path`` with the first ending of the file dialog's ``chosen`` filter (``NIfTI (*.nii.gz
    *.nii)``) when it has none of the endings of ``file_filter``'s filters (or of ``chosen``'s):
    Qt's dialog adds none, and a name typed as ``case-labels`` was refused ("can only write .nii
    or .nii.gz"); one typed as ``case.mha`` under the first filter is written as typed (it was
    ``case.mha.nii.gz``)."""
    endings = _endings(chosen)
    typed = [e.lower() for part in (file_filter or chosen).split(";;") for e in _endings(part)]
    if not endings or path.lower().endswith((*typed, *(e.lower() for e in endings))):
        return path
    return path + endings[0]


def _endings(file_filter: str) -> list[str]:
    """The endings one filter of a file dialog names: ``NIfTI (*.nii.gz *.nii)`` -> .nii.gz, .nii."""
    inside = file_filter[file_filter.find("(") + 1:file_filter.rfind(")")]
    return [e[1:] for e in inside.split() if e.startswith("*.")]
