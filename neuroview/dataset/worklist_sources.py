"""Where a worklist's cases come from: a folder (each image file or sub-folder is one case, in
name order, less the label maps and DICOM SEGs saved there) or a CSV file (one case per row),
and the statuses a case goes through. Read by :class:`~neuroview.dataset.worklist.Worklist`."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Collection, Optional

from ..core.commit import finish
from ..core.csv_text import cell_value
from ..core.errors import DatasetError
from ..core.jobs import CancelToken, ProgressFn, check, report

STATUSES = ("new", "proposed", "corrected", "sent_to_pacs", "in_training_set")
DONE = ("sent_to_pacs", "in_training_set")
"""Statuses of a case that *Next case* passes over (unless marked not done: ``WorklistCase.done``)."""
MARKS = ("done", "not done")
IMAGE_SUFFIXES = (".nii", ".nii.gz", ".mgz", ".mgh", ".nrrd", ".nhdr", ".mha", ".mhd", ".dcm")


@dataclass
class WorklistCase:
    case_id: str
    """Stable key: the entry name in a folder, the ``id`` column (or the path) in a CSV."""
    path: Path
    status: str = "new"
    training_case: str = ""
    """The pseudonym (``nv_0007``) once the case is in the training set."""
    updated: str = ""
    labels: str = ""
    """The labels file last saved for this case (File > Save labels), offered when it is opened
    again."""
    labels_by: str = ""
    """Who saved :attr:`labels` (login), and :attr:`labels_at` when (UTC ISO 8601): the offer of
    them names a colleague's (it named the file alone, and the next annotator loaded another's
    half-done labels as if they were their own)."""
    labels_at: str = ""
    labels_of: dict[str, str] = field(default_factory=dict)
    """The labels file each annotator last saved for this case (login -> path), :attr:`labels`
    being the latest of them: *Compare readers* of a NIfTI case takes each as a reader, wherever
    it was saved (``app.label_readers``; only the latest was known until session 49)."""
    edited_by: str = ""
    """Who made the case ``corrected`` by a first edit in a window (login; :meth:`Worklist.edited`),
    and :attr:`edited_at` when, until the edits are taken back: a case edited and never saved in
    a window that was killed held its edits in that window's workspace only, and the next
    annotator given it was told nothing."""
    edited_at: str = ""
    unreadable: str = ""
    """Why the case's files could not be opened, in a few words with no path ("no image found"),
    or "" : *Next case* passes over a case so marked, for every annotator, until it opens."""
    mark: str = ""
    """What an annotator marked by hand (*Mark done* / *Mark not done*): ``done`` (finished
    whatever its status), ``not done`` (offered again though sent), or "" (its status says)."""
    note: str = ""
    """The words given with the mark: why a case was skipped (*Skip case...*, marked done), what
    to fix in a case sent back (*Send back...*, marked not done); "" with a plain mark."""
    note_by: str = ""
    """Who gave :attr:`note` (login)."""

    @property
    def done(self) -> bool:
        """Whether *Next case* passes over it: marked done, or sent (:data:`DONE`) and not marked
        not done since."""
        return self.mark == "done" or (self.mark != "not done" and self.status in DONE)


def refuse_a_folder(state_path: Path) -> None:
    """A folder (or other non-file) named like the state file is the user's: refused, before the
    lock is taken, so that the refusal leaves no lock file beside it."""
    if os.path.lexists(state_path) and not state_path.is_file():
        raise DatasetError(f"is {'a folder' if state_path.is_dir() else 'no file'}, not the "
                           "worklist's state file: move or rename it; nothing was changed",
                           path=state_path)   # (it was renamed .broken and replaced)


def check_status(status: str) -> str:
    if status not in STATUSES:
        raise DatasetError(f"unknown worklist status {status!r}; use one of {', '.join(STATUSES)}")
    return status


def _is_label_map(entry: Path) -> bool:
    """A label file neuroview saved (``NAME.segments.json`` beside ``NAME.nii.gz``): *Save labels*
    proposes the image's own folder, where the mask became a worklist case of its own."""
    stem = next((entry.name[: -len(s)] for s in IMAGE_SUFFIXES if entry.name.lower().endswith(s)), "")
    if not stem or not entry.is_file():
        return False
    sidecar = entry.with_name(stem + ".segments.json")
    finish([entry, sidecar])   # a save killed before its sidecar's rename: complete it
    return sidecar.is_file()


def is_dicom_seg(entry: Path) -> bool:
    """A DICOM SEG file (``NAME.dcm``, its header read): *Save labels as DICOM SEG* proposes the
    folder holding the series, a worklist folder, where the SEG became a case of its own that *Next
    case* offered and ``dataset rank`` failed on (``... is not an image``)."""
    from ..io.seg import is_seg_file

    return entry.name.lower().endswith(".dcm") and is_seg_file(entry)


NOT_A_WORKLIST = ("is {what}, not a worklist folder: choose the folder that holds the cases (one "
                  "subfolder or image file each)")


def refuse_a_root(folder: Path) -> None:
    """A file system's root or the home folder is no worklist: each of its folders (``/usr``,
    ``/proc``, ``Documents``) became a case, and opening one scanned it whole, then the next."""
    resolved = folder.resolve()
    if resolved == Path(resolved.anchor):
        raise DatasetError(NOT_A_WORKLIST.format(what="the root of the file system"), path=folder)
    if resolved == Path.home().resolve():
        raise DatasetError(NOT_A_WORKLIST.format(what="your home folder"), path=folder)


def check_source(source: Path) -> None:
    """Refuse what is no worklist (a missing path, an image file, a root or home folder) from its
    name alone, before any listing: ``dataset rank`` says so before it resolves its model."""
    if source.is_dir():
        refuse_a_root(source)
    elif not source.is_file():
        raise DatasetError("no such worklist folder or CSV file", path=source)
    elif source.name.lower().endswith(IMAGE_SUFFIXES) or source.name == "DICOMDIR":
        # it was read as a CSV: a codec error, or a text file's words ranked as paths
        raise DatasetError("is an image file, not a worklist: give the folder holding "
                           "the cases, or a CSV file of their paths", path=source)


def entry_count(folder: Path) -> int:
    """The entries of ``folder`` that may be cases (not hidden), counted without reading any."""
    with os.scandir(folder) as entries:
        return sum(1 for entry in entries if not entry.name.startswith("."))


def folder_cases(folder: Path, progress: Optional[ProgressFn] = None,
                 cancel: Optional[CancelToken] = None,
                 known: Collection[str] = (), new: bool = True) -> list[WorklistCase]:
    """The cases of a worklist folder; ``progress`` hears each entry looked at (a ``.dcm`` file's
    header is read: 2,000 of them take seconds), ``cancel`` stops between two. ``known``: names
    found to be cases by an earlier listing, kept as cases unread (``Worklist.recount``); not
    ``new``: the other entries are not looked at (none read)."""
    refuse_a_root(folder)
    cases = []
    entries = sorted(folder.iterdir(), key=lambda p: p.name)
    for number, entry in enumerate(entries):
        check(cancel)
        report(progress, number, len(entries), "Listing the worklist's cases")
        if entry.name in known or (new and _is_case(entry)):
            cases.append(WorklistCase(entry.name, entry))
    return cases


def _is_case(entry: Path) -> bool:
    if entry.name.startswith(".") or _is_label_map(entry) or is_dicom_seg(entry):
        return False
    return entry.is_dir() or entry.name.lower().endswith(IMAGE_SUFFIXES) or entry.name == "DICOMDIR"


CLIMBS_OUT = ("{rows} a relative path climbing out of the CSV's folder (..): left out (a relative path "
              "is read in the CSV's folder; name a file elsewhere by its absolute path)")
"""The line of a worklist CSV's rows left out (after the CSV and the rows)."""


def climbs_out(cell: str) -> bool:
    """Whether the relative path ``cell`` of a worklist CSV leads out of the CSV's folder (``..``,
    ``cases/../../x``), its words alone (a link in the folder is its owner's)."""
    normal = os.path.normpath(cell)
    return not os.path.isabs(normal) and (normal == os.pardir or normal.startswith(os.pardir + os.sep))


def csv_cases(path: Path) -> tuple[list[WorklistCase], Optional[Path], str]:
    """The cases of a worklist CSV, the worklist whose state it shares (a ranking's ``worklist``
    column: the cases it ranked, see :attr:`Worklist.shares`) or ``None``, and the line naming
    the rows left out (:func:`climbs_out`: a CSV copied or sent elsewhere named, by ``..``, files
    of whatever folder lay above it, and the worklist then let its state name labels files
    there) or "". Every row left out is :class:`DatasetError`."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DatasetError(f"cannot read the worklist ({exc})", path=path) from None
    if not rows:
        raise DatasetError("the worklist is empty", path=path)
    header = [cell.strip().lower() for cell in rows[0]]
    if "path" in header:
        column = {name: header.index(name) for name in ("path", "id", "case", "status", "worklist")
                  if name in header}
        rows = rows[1:]
    else:
        column = {"path": 0}
    cases, seen, shared, climbing = [], set(), set(), []
    for number, row in enumerate(rows, start=1):
        def cell(name, row=row):
            index = column.get(name)
            return cell_value(row[index].strip()) if index is not None and index < len(row) else ""
        if not cell("path"):
            raise DatasetError(f"row {number} has no path", path=path)
        case_path = Path(cell("path"))
        if climbs_out(cell("path")):
            climbing.append(number)
            continue
        case_path = case_path if case_path.is_absolute() else path.parent / case_path
        case_id = cell("id") or cell("case") or cell("path")
        if case_id in seen:
            raise DatasetError(f"case {case_id!r} appears twice (row {number})", path=path)
        seen.add(case_id)
        cases.append(WorklistCase(case_id, case_path, check_status(cell("status") or "new")))
        if cell("worklist"):   # a ranking's, relative to the CSV's folder as its paths are
            shared.add(os.path.abspath(path.parent / cell("worklist")))
    left_out = ""
    if climbing:
        named = f"row {climbing[0]} names" if len(climbing) == 1 else \
            f"rows {', '.join(map(str, climbing))} name"
        left_out = f"{path}: {CLIMBS_OUT.format(rows=named)}"
        if not cases:
            raise DatasetError(f"holds no case: {CLIMBS_OUT.format(rows=named)}", path=path)
    shares = Path(shared.pop()) if len(shared) == 1 else None
    return (cases, (shares if shares is not None and shares.exists() and shares != path else None),
            left_out)
