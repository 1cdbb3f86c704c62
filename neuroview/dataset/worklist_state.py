"""Reading a worklist's state file (``.neuroview-worklist.json``, written by
:meth:`~neuroview.dataset.worklist.Worklist.save`): its shape checked, each case's entry applied to
the case, and the labels files it names taken only where :mod:`worklist_confine` allows.

The file is shared, copied and sent between colleagues, and other tools or damage change it: a
file of the wrong shape (a JSON list, its cases a list) is set aside as ``.broken`` (a watcher's
is left alone), and a field of another type is read as empty (it was an internal AttributeError,
``'list' object has no attribute 'get'``)."""

from __future__ import annotations

import contextlib
import functools
import os
from pathlib import Path
from typing import Callable, Optional

from ..core.jsonfile import read_json
from ..paths import user_data_path
from .worklist_confine import inside, worklist_roots
from .worklist_sources import MARKS, STATUSES, WorklistCase, refuse_a_folder


def text(item: dict, key: str) -> str:
    """``item[key]`` when it is text, else "" (a state file another tool or damage changed)."""
    value = item.get(key, "")
    return value if isinstance(value, str) else ""


def part(item: dict, key: str) -> dict:
    """``item[key]`` when it is a JSON object, else ``{}``."""
    value = item.get(key)
    return value if isinstance(value, dict) else {}


def read_state_file(path: Path, watching: bool, warnings: list[str]) -> Optional[dict]:
    """The state file at ``path`` as read, its ``cases`` a JSON object; ``None`` when there is
    none, or it is unreadable: then set aside as ``NAME.broken`` (the user's to look at; the work
    starts over rather than being blocked), or, for a watcher (``watching``: the annotators' file,
    theirs to set aside), left in place; either said in ``warnings``."""
    refuse_a_folder(path)
    if not path.exists():
        return None
    try:
        state = read_json(path)
        cases = state["cases"] if isinstance(state, dict) else None
        if not isinstance(cases, dict):   # a list, or cases as a list: nothing to apply
            raise ValueError("not a JSON object of cases")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        if watching:
            warnings.append(f"worklist state is unreadable ({exc}): shown as new")
            return None
        backup = path.with_name(path.name + ".broken")
        os.replace(path, backup)
        warnings.append(f"worklist state was unreadable ({exc}); kept as {backup.name}")
        return None
    return state


Kept = Callable[[WorklistCase, str, object], bool]
"""Whether a case's entry (``labels``, ``labels_of 'ben'``) naming a labels file is taken."""


def apply_cases(cases: dict, by_id: dict[str, WorklistCase], kept: Kept) -> dict[str, dict]:
    """The state's ``cases`` applied to the worklist's (``by_id``); the entries of cases it does
    not hold (another list's, in a shared state), kept to be written back. An entry of an unknown
    status or of another type is passed over."""
    others = {}
    for case_id, item in cases.items():
        case = by_id.get(case_id)
        if case is None and isinstance(item, dict):
            others[str(case_id)] = item
        if case is not None and isinstance(item, dict) and item.get("status") in STATUSES:
            apply_case(case, item, kept)
    return others


def apply_case(case: WorklistCase, item: dict, kept: Kept) -> None:
    """One case's entry of the state file (a JSON object of a known status) onto ``case``."""
    case.status = item["status"]
    case.training_case, case.updated = text(item, "training_case"), text(item, "updated")
    labels_saved = part(item, "labels_saved")
    case.labels_by, case.labels_at = str(labels_saved.get("by", "")), str(labels_saved.get("at", ""))
    labels = text(item, "labels")
    case.labels = labels if kept(case, "labels", labels) else ""
    case.labels_of = {str(who): path for who, path in part(item, "labels_of").items()
                      if isinstance(path, str) and path and kept(case, f"labels_of {str(who)!r}", path)}
    edited = part(item, "edited")
    case.edited_by, case.edited_at = str(edited.get("by", "")), str(edited.get("at", ""))
    case.unreadable = str(item.get("unreadable", ""))
    case.mark = item.get("mark") if text(item, "mark") in MARKS else ""
    note = part(item, "note")
    case.note, case.note_by = str(note.get("text", "")), str(note.get("by", ""))


def stopped_at(state: dict) -> dict[str, str]:
    """The case each annotator was on last (user -> case id), as the state's ``stopped_at``."""
    return {str(user): case_id for user, case_id in part(state, "stopped_at").items()
            if isinstance(case_id, str)}


class LabelsPlaces:
    """Where the labels files a worklist's state names may lie (``worklist_confine``), and the
    entries left out as naming files elsewhere, said once each."""

    def __init__(self, state_path: Path, source: Path) -> None:
        self.state_path = state_path
        self.source = source
        """The worklist whose folders are allowed (the one whose state is shared)."""
        self._roots: Optional[tuple[str, ...]] = None
        self.refused: set[str] = set()
        """The entries left out so far (``case 2's labels``), each said once."""

    @functools.cached_property
    def shared(self) -> bool:
        """Whether the state file is one others write too (beside the worklist, or given): the
        one kept in this user's data folder names what this user's windows saved, anywhere."""
        with contextlib.suppress(ValueError, OSError):
            self.state_path.resolve().relative_to(user_data_path().resolve())
            return False
        return True

    def forget_cases(self) -> None:
        """The worklist's cases changed (``Worklist.recount``): their folders are worked out again."""
        self._roots = None

    def keeps(self, path: str | os.PathLike, cases: list[WorklistCase]) -> bool:
        """Whether a labels file at ``path`` may be named in the state of the worklist of
        ``cases``: anywhere in a state of this user's own, else in the worklist's folder or a
        case's own folder."""
        if not self.shared:
            return True
        if self._roots is None:
            self._roots = worklist_roots(self.source, [case.path for case in cases])
        return inside(os.fspath(path), self._roots, self.state_path.parent)

    def kept(self, case: WorklistCase, entry: str, path, cases: list[WorklistCase],
             refused: list[str]) -> bool:
        """Whether the state's ``entry`` of ``case`` (a labels file's ``path``) is taken; one left
        out is named in ``refused`` the first time (by the case's number, not its name)."""
        if not isinstance(path, str) or not path or self.keeps(path, cases):
            return isinstance(path, str)
        said = f"case {cases.index(case) + 1}'s {entry}"
        if said not in self.refused:
            self.refused.add(said)
            refused.append(said)
        return False
