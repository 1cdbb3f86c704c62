"""An annotation worklist: the cases to go through, each with its status, resumable.

A worklist is a folder (each image file or sub-folder is one case, in name order) or a CSV file
(one case per row, in row order: a ``path`` column, optional ``id`` and ``status`` columns; without
a header the first column is the path). Statuses go ``new`` -> ``proposed`` (a model's mask) ->
``corrected`` (a person edited it) -> ``sent_to_pacs`` (the reader's version saved to the DICOM
server) and/or ``in_training_set`` (sent, with its pseudonym); the last two are done.

The state (statuses, the case each user is on, the cases open in a window now, the labels file
saved for each case) is saved
atomically after every change, to the state as the file holds it then (several annotators may
share a worklist), in a JSON file beside the worklist:
``FOLDER/.neuroview-worklist.json`` or ``LIST.csv.neuroview-state.json``; when that place is
read-only, in ``user_data_dir()/worklists/``. Qt-free: the GUI's "Next case"
calls :meth:`Worklist.next_case`, and on start :meth:`Worklist.resume`.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import json
import os
import socket
from pathlib import Path
from typing import Iterator, Optional

from ..core.atomic import make_parent, write_text_atomic
from ..core.commit import describe, recover
from ..core.errors import DatasetError
from ..core.file_lock import exclusive_lock
from ..core.jobs import CancelToken, ProgressFn
from ..paths import user_data_dir
from .provenance import now_iso
from .worklist_claims import (
    claim_key,
    claim_user,
    claimed_case,
    describe_holder,
    holder_name,
    new_claim,
    started_us,
)
from .worklist_confine import holds_cases, not_shared_line, refused_line
from .worklist_sources import (
    DONE,
    STATUSES,
    WorklistCase,
    check_source,
    check_status,
    csv_cases,
    folder_cases,
    refuse_a_folder,
)
from .worklist_state import LabelsPlaces, apply_cases, part, read_state_file, stopped_at

WATCHING = ("this worklist is open to watch (File > Worklist > Watch worklist folder...): only its "
            "marks change (Mark done, Skip case, Mark not done, Send back); open it with File > "
            "Worklist > Open worklist folder... or CSV... to annotate")
"""The line refusing a change to a worklist opened to watch."""
PRIVATE_STATE = ("{folder} is read-only: this worklist's progress (statuses, marks, who has which "
                 "case open) is kept in your data folder only, so the others working through it "
                 "do not see yours, nor you theirs, and two of you may label one case: agree who "
                 "takes which case, or work from a folder all of you can write to")
"""The warning of a worklist whose state cannot be kept beside it (``Worklist.warnings``): two
annotators on a read-only share both started on case 1, each told nothing."""


def _user_name() -> str:
    """Who works through the worklist in this process: the login name ("" if there is none)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):
        return ""


def state_beside(source: Path) -> Path:
    """Where the worklist ``source`` (a folder or a CSV) keeps its state, shared by everyone
    working through it, when that folder is writable."""
    return source / ".neuroview-worklist.json" if source.is_dir() else \
        source.with_name(source.name + ".neuroview-state.json")


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK)


def default_state_path(source: Path) -> Path:
    beside = state_beside(source)
    if _writable(beside.parent):
        return beside
    digest = hashlib.sha1(str(source.resolve()).encode()).hexdigest()[:16]
    return user_data_dir() / "worklists" / f"{digest}.json"


class Worklist:
    """Cases in order with their status; every change is saved at once."""

    def __init__(self, source: Path, cases: list[WorklistCase], state_path: Path,
                 user: Optional[str] = None, shares: Optional[Path] = None) -> None:
        self.source = source
        self.cases = cases
        self.state_path = state_path
        self.shares = shares
        """The worklist whose state this one keeps (its statuses, claims, where each annotator
        stopped), or ``None``: a ranking of a folder's cases (``dataset rank --output``, File >
        Rank cases) is that folder's cases in another order. Each annotator's ranking used to keep
        its own state, in their own data folder: a case one of them had open or had sent was
        offered to the others as new."""
        self.user = _user_name() if user is None else user
        """Whose current case :attr:`current` is: each annotator on a shared worklist has one."""
        self.key = claim_key(self.user)
        """This window's claim in the state file's ``open_by`` (login, machine, process)."""
        self.reader = ""
        """The annotator's name as they gave it (``app.reader_name``), put in this window's claim."""
        self.current: Optional[str] = None
        self.holding = False
        """This window claims :attr:`current` in the state file's ``open_by`` (from :meth:`resume`,
        :meth:`open_case` or :meth:`next_case` until :meth:`leave`)."""
        self.others: dict[str, str] = {}
        """The case each other window has open (its user, or "another window of USER" for one of
        this login -> case id), as the state file's honoured claims say (``worklist_claims``)."""
        self.open_cases: dict[str, str] = {}
        """Every case a window has open (case id -> user), this user's too, as the state file's
        honoured claims say: ``dataset rank`` leaves them out."""
        self.parent_cases: set[str] = set()
        """Those the window that started this process holds (its Rank dialog's ``dataset rank``:
        the case on the user's own screen, not "another window's")."""
        self._other_claims: dict[str, dict] = {}
        self._other_cases: dict[str, dict] = {}
        """The state of cases this list does not hold (a shared state's other cases): kept."""
        self._stopped_at: dict[str, str] = {}
        """The case each annotator was on last (user -> case id): where they resume."""
        self.warnings: list[str] = []
        self.passed_over: dict[str, str] = {}
        """The cases the last :meth:`next_case` / :meth:`previous_case` passed over because
        another window has them open (case id -> who, in words), in the order passed."""
        self._by_id = {c.case_id: c for c in cases}
        self._real_paths: Optional[dict[str, list[str]]] = None
        self._places = LabelsPlaces(state_path, shares or source)
        """Where the shared state's labels files may lie, and its entries left out as naming
        files elsewhere (``worklist_confine``)."""
        self.watching = False
        """Opened to watch (:meth:`open` ``watch=True``): no case is claimed, and only the marks
        given (:meth:`mark_done`) are written to the state."""

    @classmethod
    def open(cls, source: str | os.PathLike, state_path: str | os.PathLike | None = None,
             user: Optional[str] = None, progress: Optional[ProgressFn] = None,
             cancel: Optional[CancelToken] = None, watch: bool = False) -> "Worklist":
        """``progress`` and ``cancel``: those of a folder's listing (``folder_cases``); ``watch``:
        to watch the others' work (a lead), claiming no case and changing nothing but the marks it
        gives (:attr:`watching`)."""
        source = Path(source)
        check_source(source)
        shares, left_out = None, ""
        if source.is_dir():
            cases = folder_cases(source, progress, cancel)
        else:   # (its rows climbing out of its folder: left out, said)
            cases, shares, left_out = csv_cases(source)
        notes = [left_out] if left_out else []
        if shares is not None and not holds_cases(shares, [case.path for case in cases]):
            notes.append(not_shared_line(source, shares))   # its state is written nowhere else
            shares = None
        if not cases:
            raise DatasetError("the worklist holds no case", path=source)
        private = ""
        if state_path is None:
            place = shares if shares is not None else source
            # a watcher reads the annotators' file, also on a share it cannot write to
            state_path = state_beside(place) if watch else default_state_path(place)
            if Path(state_path) != state_beside(place):   # a read-only share: said, not silent
                private = PRIVATE_STATE.format(folder=state_beside(place).parent)
        worklist = cls(source, cases, Path(state_path), user, shares)
        worklist.watching = watch
        worklist.warnings.extend(notes)
        worklist._load_state()
        if private:
            worklist.warnings.append(private)
        return worklist

    # -- state ---------------------------------------------------------------------------------
    @property
    def _lock_path(self) -> Path:
        return self.state_path.with_name(self.state_path.name + ".lock")

    def _load_state(self) -> None:
        refuse_a_folder(self.state_path)
        with contextlib.ExitStack() as stack:
            # under the lock: a temporary another window's save is writing now is no kill's
            # leftover (opening the worklist deleted it, and that save failed: "not saved")
            with contextlib.suppress(OSError):   # a place that cannot be locked: read it as it is
                if not self.watching:   # a watcher only reads here, the lock file untouched
                    stack.enter_context(exclusive_lock(self._lock_path))
                    recover([self.state_path])  # temporaries of a save a kill interrupted
            state = self._read_state()
        open_by = part(state, "open_by")
        own = open_by.get(self.key, open_by.get(self.user))   # (keyed by login before)
        stopped = self._stopped_at.get(self.user)   # in a shared state, maybe another list's case
        current = (stopped if stopped in self._by_id else None) or \
            (own.get("case") if isinstance(own, dict) else own)
        if not current and not open_by:
            current = state.get("current")  # (an older file)
        if current in self._by_id:
            self.current = current

    def _read_state(self) -> dict:
        """The state file's statuses applied to the cases (the file as another window left it:
        every change is written at once); the state as read, ``{}`` when there is none
        (``worklist_state``)."""
        state = read_state_file(self.state_path, self.watching, self.warnings)
        if state is None:
            return {}
        refused: list[str] = []
        self._other_cases = apply_cases(
            state["cases"], self._by_id,
            lambda case, entry, path: self._places.kept(case, entry, path, self.cases, refused))
        open_by = part(state, "open_by")
        self._other_claims = {str(key): claim for key, claim in open_by.items()
                              if key != self.key and claimed_case(claim) is not None}
        self.others = {holder_name(key, claim, self.user): claim["case"]
                       for key, claim in self._other_claims.items()}
        self.open_cases = {claimed_case(claim): claim_user(key, claim) for key, claim in open_by.items()
                           if claimed_case(claim) in self._by_id}
        self.parent_cases = {claimed_case(claim) for claim in open_by.values()
                             if claimed_case(claim) in self._by_id and started_us(claim, self.user)}
        self._stopped_at = stopped_at(state)
        if refused:
            self.warnings.append(refused_line(self.state_path, refused))
        return state

    def keeps(self, path: str | os.PathLike) -> bool:
        """Whether a labels file at ``path`` may be named in this worklist's state: anywhere in
        a state of this user's own, else in the worklist's folder or a case's own folder
        (``worklist_confine``)."""
        return self._places.keeps(path, self.cases)

    @contextlib.contextmanager
    def _changing(self, navigate: bool = False, mark: bool = False) -> Iterator[None]:
        """Change the state as it is on disk now, then save it, with no other window's change in
        between: two annotators on one worklist (two windows, or machines on a shared folder)
        would otherwise write back the statuses they read when they opened it, undoing each
        other's work, and offer each other cases already done. A worklist opened to watch
        (:attr:`watching`) moves between cases (``navigate``) reading the state, claiming none
        and writing nothing; it writes a case's ``mark`` (a lead's *Send back*), and refuses any
        other change in one line."""
        if self.watching and not (navigate or mark):
            raise DatasetError(WATCHING, path=self.source)
        if self.watching and navigate:
            self._read_state()
            yield
            self.holding = False   # a watcher holds no case: nobody is kept from it
            return
        with contextlib.ExitStack() as stack:
            try:
                make_parent(self.state_path.parent)
            except OSError as exc:
                raise DatasetError(f"worklist state not saved: {describe(exc)}; the previous state "
                                   "is kept", path=self.state_path) from None
            refuse_a_folder(self.state_path)
            try:   # the lock file named when it is the problem (the state file was, wrongly)
                stack.enter_context(exclusive_lock(self._lock_path))
            except OSError as exc:
                raise DatasetError(f"worklist state not saved: its lock file cannot be opened "
                                   f"({describe(exc)}); the previous state is kept",
                                   path=self._lock_path) from None
            with contextlib.suppress(OSError):
                recover([self.state_path])  # temporaries of a save a kill interrupted
            self._read_state()
            yield
            self.holding = self.holding and not self.watching
            self.save()

    def save(self) -> None:
        state = {
            "source": str(self.shares or self.source),
            "current": self.current,
            "open_by": {**self._other_claims,
                        **({self.key: new_claim(self.current, self.user, self.reader)}
                           if self.current and self.holding else {})},
            "stopped_at": {**self._stopped_at,
                           **({self.user: self.current} if self.current and not self.watching else {})},
            "cases": {**self._other_cases,
                      **{c.case_id: {"status": c.status, "training_case": c.training_case,
                                     "updated": c.updated, "labels": c.labels,
                                     **({"labels_saved": {"by": c.labels_by, "at": c.labels_at}}
                                        if c.labels_by else {}),
                                     **({"labels_of": c.labels_of} if c.labels_of else {}),
                                     **({"edited": {"by": c.edited_by, "at": c.edited_at}}
                                        if c.edited_by else {}),
                                     **({"unreadable": c.unreadable} if c.unreadable else {}),
                                     **({"mark": c.mark} if c.mark else {}),
                                     **({"note": {"text": c.note, "by": c.note_by}} if c.note else {})}
                         for c in self.cases}},
        }
        try:   # a kill leaves the state before or after this change, never half of it
            write_text_atomic(self.state_path, json.dumps(state, indent=2) + "\n")
        except OSError as exc:
            raise DatasetError(f"worklist state not saved: {describe(exc)}; the previous state is "
                               "kept", path=self.state_path) from None

    # -- navigation ----------------------------------------------------------------------------
    def case(self, case_id: str) -> WorklistCase:
        try:
            return self._by_id[case_id]
        except KeyError:
            raise DatasetError(f"no case {case_id!r} in the worklist", path=self.source) from None

    def open_case(self, case_id: str, hold: bool = True) -> WorklistCase:
        """Make ``case_id`` the current case (what the user is working on); ``hold``: this window
        claims it (else *Next case* just goes on from there: a case not on screen)."""
        case = self.case(case_id)
        with self._changing(navigate=True):
            self.current, self.holding = case.case_id, hold
        return case

    def leave(self) -> None:
        """The window closes (or leaves the worklist): its claim on its case goes, so *Next case*
        offers that case to the others again; it still resumes there."""
        if self.holding:
            with self._changing(navigate=True):
                self.holding = False

    def set_status(self, case_id: str, status: str, training_case: str = "") -> WorklistCase:
        case, status = self.case(case_id), check_status(status)
        with self._changing():
            case.status = status
            if status in DONE:
                case.mark = case.note = case.note_by = ""   # sent again after a Mark not done: done
            if training_case:
                case.training_case = training_case
            case.updated = now_iso()
        return case

    def advance(self, case_id: str, status: str) -> WorklistCase:
        """``status`` (``proposed``: a model ran; ``corrected``: the user kept edits) unless the
        case is that far or further in the state file now. Another annotator may have sent it
        meanwhile: *Next case* wrote ``corrected`` (and *Segment* ``proposed``) over their
        ``in_training_set``, the status read when the window opened, and the case was offered
        again."""
        self._advance(case_id, status)
        return self.case(case_id)

    def _advance(self, case_id: str, status: str, edited: bool = False) -> Optional[str]:
        """:meth:`advance`; the status it replaced, ``None`` when it changed nothing. ``edited``:
        by this user's first edit (:attr:`WorklistCase.edited_by`)."""
        case, status = self.case(case_id), check_status(status)
        replaced = None
        with self._changing():
            if STATUSES.index(case.status) < STATUSES.index(status) and case.status not in DONE:
                replaced, case.status = case.status, status
                case.updated = now_iso()
                if edited:
                    case.edited_by, case.edited_at = self.user, case.updated
        return replaced

    def edited(self, case_id: str) -> Optional[tuple[str, str]]:
        """The first edit by hand of ``case_id`` in a window: ``corrected`` at once, unless that
        far or further now (it was written only when the user left the case, and a killed
        window's case read ``new`` to the others while its edits waited in the crash journal).
        (the status replaced, the labels file then) for :meth:`take_back`; ``None``: unchanged."""
        replaced = self._advance(case_id, "corrected", edited=True)
        return None if replaced is None else (replaced, self.case(case_id).labels)

    def take_back(self, case_id: str, status: str, labels: str) -> WorklistCase:
        """The edits that made ``case_id`` ``corrected`` (:meth:`edited`, which gave ``status``
        and ``labels``) were all undone, or discarded: ``status`` again, unless the case moved on
        since (its labels saved, sent, saved to PACS: by anyone)."""
        case, status = self.case(case_id), check_status(status)
        with self._changing():
            if case.status == "corrected" and case.labels == labels and \
                    STATUSES.index(status) < STATUSES.index("corrected"):
                case.status = status
                case.updated = now_iso()
                case.edited_by = case.edited_at = ""
        return case

    def mark_done(self, case_id: str, done: bool = True, note: str = "") -> WorklistCase:
        """*Mark done* (``done``: *Next case* passes over it, whatever its status) or *Mark not
        done* (offered again, also when it was sent: the mark goes, or, for a sent case, becomes
        ``not done``); a case counted done only once sent or saved to PACS. ``note``: why it is
        skipped (done) or what to fix (sent back), for the others to read; each mark replaces the
        note of the one before. Sending back (a ``note``) a case not done is
        :class:`DatasetError`, as the window greys out *Send back* for it: it read ``X sent this
        case back`` of a case nobody had finished."""
        case = self.case(case_id)
        with self._changing(mark=True):   # a lead's too, watching
            if not done and note.strip() and not case.done:
                raise DatasetError(f"{case_id} is not done (not sent, saved to PACS nor marked "
                                   "done): there is nothing to send back; nothing was marked")
            case.mark = "done" if done else ("not done" if case.status in DONE else "")
            case.note = " ".join(note.split())
            case.note_by = self.user if case.note else ""
            case.updated = now_iso()
        return case

    def set_labels(self, case_id: str, path: str | os.PathLike) -> WorklistCase:
        """The labels of ``case_id`` were saved to ``path`` (by this user, now): kept to offer them
        when the case is opened again; a case still ``new`` or ``proposed`` becomes ``corrected``.
        A file outside the worklist's folders (:meth:`keeps`) is not named in a shared state (the
        others would not read it): the case becomes ``corrected`` alone."""
        case = self.case(case_id)
        with self._changing():
            if case.status in ("new", "proposed"):
                case.status = "corrected"
            case.updated = now_iso()
            if self.keeps(path):
                case.labels, case.labels_at = os.fspath(Path(path).resolve()), now_iso(exact=True)
                case.labels_by = self.user
                # another annotator's entry naming this file names labels no longer in it (a
                # *Replace theirs*): the lead saw ben's layer and reader drawn from anna's labels
                case.labels_of = {**{who: named for who, named in case.labels_of.items()
                                     if os.path.realpath(named) != case.labels},
                                  self.user: case.labels}
        return case

    def set_unreadable(self, case_id: str, reason: str) -> WorklistCase:
        """``case_id``'s files could not be opened (``reason``: a few words, no path), or, with
        ``reason`` "", they opened. A case marked so is passed over by *Next case* (every
        annotator's: it failed for each in turn) and is not claimed: this window gives it up when
        it holds it (it kept it, from everyone, while it showed another case)."""
        case = self.case(case_id)
        with self._changing():
            case.unreadable = reason
            if reason and self.current == case_id:
                self.holding = False
        return case

    def unreadable(self) -> dict[str, str]:
        """The cases marked unreadable (case id -> why), as the state file said when last read."""
        return {c.case_id: c.unreadable for c in self.cases if c.unreadable}

    def next_case(self) -> Optional[WorklistCase]:
        """The next case after the current one, in list order, that is not done yet, nor marked
        unreadable (:meth:`set_unreadable`), and that no
        other annotator has open (one they have open only when no other case is left).

        Wraps around to earlier cases left unfinished; ``None`` when every case is done (or
        unreadable). The
        returned case becomes the current one.
        """
        with self._changing(navigate=True):   # what other windows finished meanwhile is passed over
            chosen, self.passed_over = self._next_choice()
            if chosen is not None:
                self.current, self.holding = chosen.case_id, True
        return chosen

    def peek_next(self) -> Optional[WorklistCase]:
        """The case :meth:`next_case` would open, as the state was last read (nothing is read nor
        changed): *Next case*'s tooltip names it."""
        return self._next_choice()[0]

    def _next_choice(self) -> tuple[Optional[WorklistCase], dict[str, str]]:
        """(the case *Next case* opens, the cases it passes over as another window has them)."""
        start = self.cases.index(self._by_id[self.current]) + 1 if self.current else 0
        ordered = [case for case in self.cases[start:] + self.cases[:start]
                   if not case.done and not case.unreadable]
        # another window's open case: only if nothing else
        held = self._held()
        chosen = next((case for case in ordered if case.case_id not in held),
                      ordered[0] if ordered else None)
        passed = {} if chosen is None or chosen.case_id in held else \
            {c.case_id: held[c.case_id] for c in ordered[:ordered.index(chosen)] if c.case_id in held}
        return chosen, passed

    def previous_case(self) -> Optional[WorklistCase]:
        """The case before the current one in list order, done or not (to look at it again), less
        the cases marked unreadable and those another window has open (:attr:`passed_over`);
        ``None`` when there is none (the first case: no wrapping round), the current case staying.
        The returned case becomes the current one, claimed."""
        with self._changing(navigate=True):
            chosen, self.passed_over = self._previous_choice()
            if chosen is not None:
                self.current, self.holding = chosen.case_id, True
        return chosen

    def peek_previous(self) -> Optional[WorklistCase]:
        """The case :meth:`previous_case` would open, as the state was last read."""
        return self._previous_choice()[0]

    def _previous_choice(self) -> tuple[Optional[WorklistCase], dict[str, str]]:
        start = self.cases.index(self._by_id[self.current]) if self.current else 0
        held, passed = self._held(), {}
        for case in reversed(self.cases[:start]):
            if case.case_id in held:
                passed[case.case_id] = held[case.case_id]
            elif not case.unreadable:
                return case, passed
        return None, passed

    def _held(self) -> dict[str, str]:
        """The cases other windows have open (case id -> who, in words), as last read."""
        return {claim["case"]: describe_holder(key, claim, self.user)
                for key, claim in sorted(self._other_claims.items())}

    def resume(self) -> Optional[WorklistCase]:
        """Where the user stopped: the current case unless it is done, or another window of this
        login has it open (a second window, or a second annotator sharing the login, was put on
        the first's case, there without editing), else the next one; this window claims it."""
        twin = any(claim.get("case") == self.current and claim_user(key, claim) == self.user
                   for key, claim in self._other_claims.items())
        case = self._by_id.get(self.current) if self.current else None
        if case is not None and not case.done and not case.unreadable and not twin:
            return self.open_case(self.current)
        return self.next_case()

    def listing(self, progress: Optional[ProgressFn] = None, cancel: Optional[CancelToken] = None,
                known: Optional[frozenset] = None, new: bool = True) -> list[WorklistCase]:
        """The cases its folder's entries or its CSV's rows are now, as opening it again would
        list them: a folder's entries named in ``known`` (by default its cases' ids: give them
        when listing off the GUI thread) are cases unread, its other entries are read (a ``.dcm``
        file's header each) unless not ``new``."""
        if not self.source.exists():   # (said as a CSV that could not be read, errno and path)
            raise DatasetError("is no longer there (moved, deleted, or its share unmounted): the "
                               "worklist stays as it was", path=self.source)
        if self.source.is_dir():
            return folder_cases(self.source, progress, cancel, self._by_id if known is None else known,
                                new)
        return csv_cases(self.source)[0]

    def recount(self, listed: Optional[list[WorklistCase]] = None) -> list[str]:
        """Take the cases ``listed`` (by default :meth:`listing`'s) as the worklist's: the cases
        no longer there (removed from disk) go, found ones come, each keeping its state; returns
        the ids gone. A window counted a removed case ("case 3 of 7") until the worklist was
        opened again (then 6). The current case, when it went, becomes the one before it, where
        *Next case* goes on from. The window takes a folder's cases still there at once (its
        entries not read: ``listing(new=False)``) and its new entries when a worker has read them,
        so that a case that failed to open costs no header read on the GUI thread."""
        listed = self.listing() if listed is None else listed
        kept_ids = {c.case_id for c in listed}
        gone = [c.case_id for c in self.cases if c.case_id not in kept_ids]
        if not listed or (not gone and len(listed) == len(self.cases)):   # an emptied folder: the
            return []   # worklist stays as it was; or nothing changed
        if self.current in gone:
            before = self.cases[:self.cases.index(self._by_id[self.current])]
            self.current = next((c.case_id for c in reversed(before) if c.case_id in kept_ids), None)
            self.holding = False
        self.cases = [self._by_id.get(c.case_id, c) for c in listed]
        self._by_id = {c.case_id: c for c in self.cases}
        self._real_paths = None
        self._places.forget_cases()
        with contextlib.ExitStack() as stack:   # statuses of the cases found, as the file says
            with contextlib.suppress(OSError):
                stack.enter_context(exclusive_lock(self._lock_path))
            self._read_state()
        return gone

    def cases_at(self, path: str | os.PathLike) -> list[str]:
        """The ids of the cases whose path is ``path`` (real paths compared), in list order. The
        cases' real paths are worked out once a listing: the window asks at each edit and each
        refresh of the Worklist panel, and 2,000 of them took 90 ms each time."""
        if self._real_paths is None:
            self._real_paths = {}
            for case in self.cases:
                self._real_paths.setdefault(os.path.realpath(case.path), []).append(case.case_id)
        return list(self._real_paths.get(os.path.realpath(path), []))

    def refresh(self) -> None:
        """Read the state file again: the statuses and claims other windows wrote since."""
        self._read_state()

    def claims_lapsed(self) -> bool:
        """Whether a claim of another window read last is no longer honoured (its process gone on
        this machine, or not renewed for ``CLAIM_HOURS``): what was read is out of date although
        the state file did not change (a killed window writes nothing)."""
        return any(claimed_case(claim) is None for claim in self._other_claims.values())

    def holders(self, case_id: str) -> dict[str, str]:
        """The other windows that have ``case_id`` open (claim key -> who, in words: "dr.b (a
        window on ws-2)", "another window of anna ..."), as the state file's honoured claims said
        when last read."""
        return {key: describe_holder(key, claim, self.user)
                for key, claim in self._other_claims.items() if claim.get("case") == case_id}

    def left_unsaved(self, case_id: str) -> Optional[tuple[str, str]]:
        """(who, when) of another login's edits of ``case_id`` that made it ``corrected`` and were
        neither saved to a labels file nor sent nor taken back, when no window of theirs has it
        open now (its window killed, or crashed): those edits are in
        that window's workspace only, offered to its user alone. ``None`` otherwise."""
        case = self.case(case_id)
        if case.status != "corrected" or case.labels or not case.edited_by or \
                case.edited_by == self.user:
            return None
        if any(claim_user(key, claim) == case.edited_by and claim.get("case") == case_id
               for key, claim in self._other_claims.items()):
            return None   # open there now: "has this case open too" says it
        return case.edited_by, case.edited_at

    def twins(self, case_id: str) -> set[str]:
        """The claims (keys) of the other windows of this login on this machine that have
        ``case_id`` open: they share this window's data folder, so only one of them edits it."""
        return {key for key, claim in self._other_claims.items() if claim.get("case") == case_id
                and claim_user(key, claim) == self.user and claim.get("host") == socket.gethostname()}

    def counts(self) -> dict[str, int]:
        return {status: sum(c.status == status for c in self.cases) for status in STATUSES}
