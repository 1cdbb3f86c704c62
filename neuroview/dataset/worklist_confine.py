"""The files a worklist's shared state may name: those in the worklist's own folders. The state
file beside a worklist (``.neuroview-worklist.json``) is shared, copied and sent between
colleagues; it names the labels file each annotator saved for a case (``labels``, ``labels_of``),
which watch mode, *Compare readers* and *Adjudicate* read, and a ranking CSV names the worklist
whose state it writes (its ``worklist`` column). Until session 50 any path there was taken: a
state file naming ``../../home/x/secret.nii.gz`` or an absolute path made neuroview read it, and
a ranking naming any folder made neuroview write its state there. Now a labels file is taken
only inside the worklist's folder or a case's own folder (real paths compared: a link out of
them is out), and a ranking shares only the state of the worklist holding its cases; each
refusal is one line naming the file and the entry, the rest of the worklist works."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from ..core.errors import DatasetError
from .worklist_sources import csv_cases

OUTSIDE = ("{what} outside the worklist's folders: not read (a worklist reads labels only in "
           "its own folder and its cases' folders)")
"""The end of the line refusing a state file's entries (after the file and the entries)."""


def worklist_roots(source: Path, case_paths: Iterable[Path]) -> tuple[str, ...]:
    """The real folders whose files a worklist's state may name: the worklist's folder (a CSV's
    folder) and each case's own folder (where *Save labels* proposes a case's labels)."""
    folder = source if source.is_dir() else source.parent
    roots = {os.path.realpath(folder)}
    roots.update(os.path.realpath(Path(path).parent) for path in case_paths)
    return tuple(sorted(roots))


def inside(path: str, roots: tuple[str, ...], base: Path) -> bool:
    """Whether ``path`` (relative: to ``base``, the state file's folder) lies in one of
    ``roots`` or below, once its links are followed."""
    real = os.path.realpath(os.path.join(base, path))
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def refused_line(state_path: Path, entries: list[str]) -> str:
    """The one line refusing ``entries`` (``case 2's labels_of "ben"``) of ``state_path``."""
    what = "names a file" if len(entries) == 1 else "name files"
    return f"{state_path}: {', '.join(entries)} {OUTSIDE.format(what=what)}"


def holds_cases(shared: Path, case_paths: list[Path]) -> bool:
    """Whether the worklist ``shared`` (a folder, or a CSV) holds every one of ``case_paths``: a
    ranking CSV writes ``shared``'s state only then."""
    if shared.is_dir():   # a folder's cases are its entries
        folder = os.path.realpath(shared)
        return all(os.path.realpath(Path(path).parent) == folder for path in case_paths)
    try:
        listed = {os.path.realpath(case.path) for case in csv_cases(shared)[0]}
    except (DatasetError, OSError):   # an unreadable worklist holds nothing
        return False
    return {os.path.realpath(path) for path in case_paths} <= listed


def not_shared_line(ranking: Path, shared: Path) -> str:
    """The line of a ranking whose ``worklist`` column names a worklist not holding its cases."""
    return (f"{ranking}: its worklist column names {shared}, which does not hold the ranked cases: "
            "its state is not shared; this ranking keeps a state of its own")
