"""The words and counts of a worklist's cases, in one place: the Worklist panel's summary and Done
column and the window's status line all read them here (they counted apart and disagreed: "2 in
the training set, 1 marked done" in the status line, "1 in the training set, 1 marked done" in the
panel, for the same two cases)."""

from __future__ import annotations

from dataclasses import replace

from .worklist_sources import STATUSES

STATUS_WORDS = {"new": "new", "proposed": "proposed", "corrected": "corrected",
                "sent_to_pacs": "sent to PACS", "in_training_set": "in the training set"}
"""Each status in the words the Status column, the counts and the status line all use (the column
said "in training set" beside the counts' "in the training set" until session 33)."""


def status_words(case) -> str:
    """A case's status in words: ``in the training set (nv_0003)``, ``unreadable (no image
    found)``."""
    if case.unreadable:
        return f"unreadable ({case.unreadable})"
    text = STATUS_WORDS.get(case.status, case.status.replace("_", " "))
    sent = case.status == "in_training_set" and case.training_case
    return f"{text} ({case.training_case})" if sent else text


def done_word(case) -> str:
    """``done`` (*Next case* passes over it), ``not done`` (marked so by hand: offered again
    though sent) or "": one word for each state, whatever made it so (:func:`done_why` says)."""
    return "done" if case.done else "not done" if case.mark == "not done" else ""


DONE_WORDS = (STATUS_WORDS["in_training_set"], STATUS_WORDS["sent_to_pacs"], "marked done")
OTHER_WORDS = ("corrected", "marked not done", "unreadable")


def counted_as(case) -> str:
    """The one word the summary counts ``case`` under: what made it done (:data:`DONE_WORDS`; a
    case in the training set and marked done is marked done), else what it is
    (:data:`OTHER_WORDS`), or "" (new, proposed: not counted by name)."""
    if case.mark == "done":
        return "marked done"
    if case.done:
        return STATUS_WORDS[case.status]   # (done: in the training set or sent to PACS)
    if case.mark == "not done":
        return "marked not done"
    if case.unreadable:
        return "unreadable"
    return "corrected" if case.status == "corrected" else ""


def done_why(case) -> str:
    """The Done cell's tooltip: what made the case done or not done ("" when neither), with the
    note given with its mark (:func:`note_text`)."""
    why = {"marked done": "marked done (File > Worklist > Mark done)",
           "marked not done": "marked not done (File > Worklist > Mark not done): Next case offers it again",
           "in the training set": "done: in the training set",
           "sent to PACS": "done: sent to PACS"}.get(counted_as(case), "")
    return "; ".join(filter(None, (why, note_text(case))))   # sent back before it was sent: the note alone


def note_text(case) -> str:
    """``annB skipped this case: blurred, unusable`` / ``lead sent this case back: lesion 3
    missed``, or "" for a case with no note."""
    if not case.note:
        return ""
    return f"{case.note_by} {'skipped this case' if case.done else 'sent this case back'}: {case.note}"


def summary(cases) -> str:
    """``3 of 10 done: 2 in the training set, 1 marked done; 1 corrected, 1 unreadable``: each
    case counted once, under :func:`counted_as`."""
    words = [counted_as(c) for c in cases]
    how = [f"{words.count(w)} {w}" for w in DONE_WORDS if words.count(w)]
    rest = [f"{words.count(w)} {w}" for w in OTHER_WORDS if words.count(w)]
    finished = sum(words.count(w) for w in DONE_WORDS)
    return (f"{finished} of {len(cases)} done" + (f": {', '.join(how)}" if how else "")
            + (f"; {', '.join(rest)}" if rest else ""))


def as_edited(case):
    """``case`` as leaving it with its edits kept records it: ``corrected``, unless further."""
    if STATUSES.index(case.status) >= STATUSES.index("corrected") or case.unreadable:
        return case
    return replace(case, status="corrected")


def shown_cases(worklist, on_screen: str = "", edited: bool = False) -> list:
    """The worklist's cases as the window says them: the case ``on_screen`` :func:`as_edited`
    when it holds edits (``edited``), as the Worklist panel and the status line both count."""
    return [as_edited(c) if edited and c.case_id == on_screen else c for c in worklist.cases]
