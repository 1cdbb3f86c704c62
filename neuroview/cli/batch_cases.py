"""What ``neuroview segment INPUT`` takes as its cases, said in one line before the model runs.

A folder is a batch when it holds image files, or sub-folders that are not the series of one
study: each image file and each sub-folder is one case. A folder whose sub-folders hold DICOM
series of one and the same study (``study/T1/``, ``study/FLAIR/``; or one series split over
numbered folders, as PACS exports write it) is that study, one case, as ``neuroview info`` lists
it. A folder of DICOM files, a DICOMDIR and an image file are one case; a CSV lists the cases.
Left out of a batch: the output folder, label maps (a file with its ``.segments.json``) and
folders holding only label maps, each said in a ``note: left out`` line.
"""

from __future__ import annotations

import csv
import os
import sys

from ..core.csv_text import cell_value
from ..core.errors import LoadError
from ..core.plural import plural
from ..core.workspace_names import os_reason

IMAGE_SUFFIXES = (".nii", ".nii.gz", ".mgz", ".mgh", ".nrrd", ".nhdr", ".mha", ".mhd")
NAMES_SHOWN = 10
"""Cases named in the line that lists a batch (the ``[n/N]`` lines name each as it runs)."""


def plan_cases(path: str, output: str) -> tuple[list[str] | None, str | list[str]]:
    """(the cases of a batch, None when ``path`` is one case; what to read for that one case:
    ``path``, or the folders of one study less the left-out outputs)."""
    if path.lower().endswith(".csv") and os.path.isfile(path):
        return _kept(_csv_inputs(path), path, output), path
    if not os.path.isdir(path) or os.path.exists(os.path.join(path, "DICOMDIR")):
        return None, path
    entries = sorted(e for e in os.listdir(path) if not e.startswith("."))
    images = [os.path.join(path, e) for e in entries if e.lower().endswith(IMAGE_SUFFIXES)]
    folders = [os.path.join(path, e) for e in entries if os.path.isdir(os.path.join(path, e))]
    loose = [e for e in entries if os.path.isfile(os.path.join(path, e))
             and not e.lower().endswith(IMAGE_SUFFIXES)]
    if loose and not images:  # DICOM files at the top: the folder is one series/study
        return None, path
    if len(images + folders) < 2 and not images:
        return None, path
    note_loose(path, [e for e in loose if not sidecar_of(e, images)])
    cases = _kept(images + folders, path, output)
    kept_folders = [c for c in cases if c in folders]
    if len(cases) > 1 and cases == kept_folders and _one_study(kept_folders):
        names = ", ".join(os.path.basename(f) for f in kept_folders)
        print(f"note: {path}: its sub-folders ({names}) hold DICOM series of one study: segmented as "
              "one case, as 'neuroview info' lists it", file=sys.stderr)
        return None, (path if len(kept_folders) == len(folders) + len(images) else kept_folders)
    return cases, path


def sidecar_of(name: str, images: list[str]) -> bool:
    """``name`` goes with an image file of the batch: a label map's ``.segments.json``, a BIDS
    or dcm2niix ``.json``, a ``.bval``/``.bvec`` (``sub-01_T1w.json`` beside ``sub-01_T1w.nii.gz``)."""
    if name.lower().endswith(".segments.json"):
        return True
    stems = {_image_stem(os.path.basename(image)) for image in images}
    return os.path.splitext(name)[0].lower() in stems


def _image_stem(name: str) -> str:
    lower = name.lower()
    return next((lower[: -len(s)] for s in IMAGE_SUFFIXES if lower.endswith(s)), lower)


def not_a_case(taker: str) -> str:
    """Why a file of a batch folder (or a ranked worklist folder, ``taker``) is no case."""
    return (f"not a case ({taker} takes image files, {', '.join(IMAGE_SUFFIXES)}, and folders, a "
            "DICOM series in a folder of its own)")


def note_loose(path: str, loose: list[str]) -> None:
    """One line per file of a batch folder that is no case (a text file, a loose DICOM file
    beside the image files): they were left out without a word."""
    for name in loose[:NAMES_SHOWN]:
        print(f"note: left out {os.path.join(path, name)}: {not_a_case('a batch')}", file=sys.stderr)
    if len(loose) > NAMES_SHOWN:
        print(f"note: ... and {len(loose) - NAMES_SHOWN} more files left out", file=sys.stderr)


def batch_line(path: str, cases: list[str]) -> str:
    """The line that says what a batch took as its cases, before the model runs on them."""
    unit = ("a row of the CSV list" if os.path.isfile(path)
            else "an image file or sub-folder of it, not of one study")
    names = [os.path.basename(c.rstrip("/\\")) or c for c in cases[:NAMES_SHOWN]]
    more = f", ... and {len(cases) - NAMES_SHOWN} more" if len(cases) > NAMES_SHOWN else ""
    return f"batch of {plural(len(cases), 'case')} (each {unit}): {', '.join(names)}{more}"


def _one_study(folders: list[str]) -> bool:
    from ..io.dicom.study import folder_study

    first = folder_study(folders[0])
    return bool(first) and all(folder_study(f) == first for f in folders[1:])


PATH_COLUMNS = ("path", "input", "image")
"""Header names of the column of image paths a CSV list is read from (``dataset rank --output``
writes ``path``); a list without a header gives them in its first column."""
HEADER_WORDS = (*PATH_COLUMNS, "case", "id", "status", "score", "worklist", "subject", "session")
"""Words that make a CSV list's first row its header."""


def _csv_inputs(path: str) -> list[str]:
    """The image paths of a CSV list: its ``path`` (``input``, ``image``) column under a header,
    as a ranking or worklist CSV has it; else its first column (under a header ``case`` too). A
    header that names none of them is refused: its case ids or scores were taken as inputs."""
    base = os.path.dirname(path)   # as given: a relative list's cases are named relative in the
    # [n/N] and error lines, not by absolute paths (which may name a patient's folder)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:   # a BOM: Excel's UTF-8
            rows = [[cell.strip() for cell in row] for row in csv.reader(handle)
                    if row and row[0].strip() and not row[0].strip().startswith("#")]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise LoadError(f"cannot read the CSV list ({os_reason(exc)})", path=path) from None
    column = 0
    header = [cell.lower() for cell in rows[0]] if rows else []
    if any(word in header for word in HEADER_WORDS):
        found = [header.index(word) for word in PATH_COLUMNS if word in header]
        if not found and header[0] != "case":
            raise LoadError(f"the CSV list's header ({', '.join(rows[0])}) has no column of image "
                            f"paths: 'segment' reads the column named path (as 'neuroview dataset "
                            "rank --output' writes it), or the first column of a list without a "
                            "header", path=path)
        column, rows = (found[0] if found else 0), rows[1:]
    cases = [cell_value(row[column]) for row in rows if column < len(row) and row[column]]
    if not cases:
        raise LoadError("CSV list names no inputs", path=path)
    damaged = next((n for n, case in enumerate(cases, 1) if "\0" in case), None)
    if damaged is not None:   # no path holds one: the OS refuses it (an internal ValueError)
        raise LoadError(f"input {damaged} of the CSV list holds a NUL byte, which no path can "
                        "(a damaged or binary file)", path=path)
    return [value if os.path.isabs(value) else os.path.join(base, value) for value in cases]


def _kept(cases: list[str], path: str, output: str) -> list[str]:
    """The cases less the output folder and label maps (a file with its ``.segments.json``, a
    folder of such files only): run again into a folder inside INPUT, or after a run into a
    sub-folder of it, a batch segmented the first run's masks as more cases."""
    from ..app.label_files import finish_label_save, sidecar_path

    kept = []
    for case in cases:
        if os.path.isfile(case):
            finish_label_save(case)   # a save killed before its sidecar's rename: complete it
        if os.path.realpath(case) == os.path.realpath(output):
            print(f"note: left out {case}: it is the output folder", file=sys.stderr)
        elif os.path.isfile(case) and sidecar_path(case).is_file():
            print(f"note: left out {case}: a label map (it has {sidecar_path(case).name})",
                  file=sys.stderr)
        elif os.path.isdir(case) and _only_label_maps(case):
            print(f"note: left out {case}: it holds only label maps (each with its "
                  ".segments.json)", file=sys.stderr)
        else:
            kept.append(case)
    if not kept:
        raise LoadError("no case to segment: it holds only label maps and the output folder",
                        path=path)
    return kept


def _only_label_maps(folder: str) -> bool:
    """True when ``folder`` holds label maps with their sidecars, and besides them only what
    ``neuroview segment`` writes beside them (a ``--report`` CSV)."""
    from ..app.label_files import finish_label_save, sidecar_path

    found = False
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            file = os.path.join(root, name)
            if not name.startswith(".") and name.lower().endswith(IMAGE_SUFFIXES):
                finish_label_save(file)
            if name.startswith(".") or name.lower().endswith((".segments.json", ".csv")):
                continue
            if not (name.lower().endswith(IMAGE_SUFFIXES) and sidecar_path(file).is_file()):
                return False
            found = True
    return found
