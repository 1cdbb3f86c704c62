"""What a restore of a workspace gives back, counted in the user's edits, and the words for it.

One count for the three places a user reads it: the question before a restore (the window's
notice bar), the line after it (``Session.restored_line``, in the notice bar too) and the
notice of a damaged crash journal. An edit is a step of the undo history (a stroke, an applied
tool, a segment added): those Ctrl+Z takes back after the restore, and those undone that Ctrl+Y
redoes. Until session 25 the question and the damage notice counted journal records instead (the
label map stored at the last save counted as one, and each undo and redo as another): three
strokes after a save were offered as "4 saved steps", then restored as "3 edits".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..core.plural import plural

_STEP_WORDS = {"model": "a model's result", "load_labels": "labels loaded",
               "segments.add": "a segment added", "segments.remove": "a segment removed",
               "segments.rename": "a segment renamed", "segments.recolor": "a segment recoloured",
               "segments.hide": "a segment hidden", "segments.show": "a segment shown",
               "segments.lock": "a segment locked or unlocked"}


def cut_words(kind: str, name: str) -> str:
    """The record cut short (``core.journal_scan.Cut``'s ``kind`` and ``name``) in words:
    ``edit (paint)``, ``edit (a model's result)``, ``undo``, ``redo``, ``edit`` when its header
    was not written; a ``drop`` (the edits undone forgotten) is a ``change``."""
    if kind in ("undo", "redo"):
        return kind
    if kind == "drop":
        return "change (the edits undone forgotten)"
    shown = _STEP_WORDS.get(name, name.replace("_", " "))
    return f"edit ({shown})" if shown else "edit"


def cut_line(words: str) -> str:
    """The sentence on a record cut short: what the user learns besides what came back."""
    return (f"The last {words}, which was being written when neuroview stopped, could not be "
            "restored.")


@dataclass(frozen=True)
class Restorable:
    """The edits a restore gives back (``app.journal_replay.recovery`` counts them before it,
    ``replay_journal`` as it restores; the same walk of the journal gives both)."""

    edits: int
    """Edits since the last save (or compaction) that Ctrl+Z undoes after the restore."""
    undone: int
    """Edits undone before, that Ctrl+Y redoes after the restore."""
    lost: int
    """Edits lost to a damaged journal: a damaged record, or one naming an edit kept whose undo
    or redo could not be replayed (the edit is not as it was left)."""
    records: int
    """Journal records replayed, plus one for the stored label map (0: nothing to restore)."""
    cut: Optional[str] = None
    """What the record cut short at the journal's end was (:func:`cut_words`: "edit (paint)",
    "undo"...): neuroview stopped while writing it; ``None`` when the journal ends whole."""
    never_saved: bool = False
    """No label map of this image was saved while its workspace kept the edits (``Journal.
    ever_saved`` False): the question said "3 edits since the last save" of labels never saved."""

    def edits_phrase(self) -> str:
        """ "3 edits since the last save", "2 edits since the last save, 1 more undone"; "3 edits,
        never saved" when no label map of the image was."""
        since = ", never saved" if self.never_saved else " since the last save"
        done = f"{plural(self.edits, 'edit')}{since}" if self.edits else f"no edit{since}"
        return done + (f", {self.undone} more undone" if self.undone else "")

    def question(self) -> str:
        """The question before a restore (the notice bar offers Restore and Discard)."""
        damaged = (f"; {self.lost} more {'was' if self.lost == 1 else 'were'} lost to a damaged "
                   "crash journal, which is kept" if self.lost else "")
        return ("This image has edits from an earlier session that were never saved or discarded "
                f"({self.edits_phrase()}{damaged}). {self.cut_sentence()}Restore them?")

    def cut_sentence(self) -> str:
        """:func:`cut_line` and a space, or "" when no record was cut short."""
        return "" if self.cut is None else cut_line(self.cut) + " "

    def restored_line(self) -> str:
        """The line after a restore, in the words Undo answers to."""
        undo, redo = self.edits, self.undone
        if self.never_saved:   # no save for Ctrl+Z to stop at
            back = (f"{plural(undo, 'edit')}, never saved, {'is' if undo == 1 else 'are'} back "
                    f"(Ctrl+Z undoes {'it' if undo == 1 else 'them'})" if undo else "no edit to undo")
        elif undo:
            back = (f"{plural(undo, 'edit')} since the last save {'is' if undo == 1 else 'are'} back "
                    f"(Ctrl+Z undoes {'it' if undo == 1 else 'them'}, back to the last save only)")
        else:
            back = "no edit since the last save to undo (Ctrl+Z goes back to the last save only)"
        again = f"; Ctrl+Y redoes {plural(redo, 'edit')} undone before" if redo else ""
        return f"restored the unsaved labels: {back}{again}"

    def lost_line(self, why: str, copy: str = "") -> str:
        """The notice of a restore from a damaged journal (``why``: what was wrong; ``copy``: where
        the damaged journal is kept). When no edit came back it says so first, and no count of the
        edits lost: damaged bytes hold at least the records whose marks survive, a zeroed block
        none (one taking a segment and a stroke was said to be "1 edit"; the line read "Restored
        no edit since the last save; 1 edit was lost" until session 28); of labels never saved,
        "the edits (never saved) were lost" (until session 45 "since the last save" of none)."""
        kept = f"; {copy}" if copy else ""
        if not (self.edits or self.undone):
            edits = "the edits (never saved)" if self.never_saved else "the edits since the last save"
            return f"No edit could be restored: {why}; {edits} were lost{kept}"
        was = "was" if self.lost == 1 else "were"
        return f"Restored {self.edits_phrase()}; {plural(self.lost, 'edit')} {was} lost: {why}{kept}"
