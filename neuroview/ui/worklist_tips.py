"""The tooltips of *Previous case*, *Next case*, *Mark done* and *Mark not done*, saying what each
does now, with its key: before a worklist is open, where to open one; with one open, what a click
does to the case on screen (or why it does nothing). They said "(open one with File > Worklist
...)" while a worklist was open (walk of 7 Dec 2026)."""

from __future__ import annotations

from .plain_text import plain_tooltip
from .tooltip_keys import keys_text

OPEN_ONE_TIP = ("open one with File > Worklist > Open worklist folder... or File > Worklist > "
                "Open worklist CSV...")

CLOSED = ("Previous case of the worklist, in list order", "Next case of the worklist not done",
          "Mark the worklist case on screen done: Next case passes over it",
          "Mark the worklist case on screen not done: Next case offers it again")
"""What each does, said before a worklist is open (followed by :data:`OPEN_ONE_TIP`)."""


def worklist_tips(case_id: str, done: bool | None) -> tuple[str, str, str, str]:
    """The four tooltips (without keys) with a worklist open: ``case_id`` the worklist case on
    screen ("" for none), ``done`` whether it is done (``None`` with no worklist open)."""
    if done is None:
        return tuple(f"{what} ({OPEN_ONE_TIP})" for what in CLOSED)
    moves = ("Open the previous case of the worklist, in list order (asks about unsaved edits first)",
             "Open the next case of the worklist not done (asks about unsaved edits first)")
    if not case_id:
        return (*moves, "No worklist case on screen to mark done",
                "No worklist case on screen to mark not done")
    if done:
        return (*moves, f"{case_id} is done already",
                f"Mark {case_id} not done: Next case offers it again")
    return (*moves, f"Mark {case_id} done: Next case passes over it",
            f"{case_id} is not done: nothing to undo")

def set_worklist_tips(actions, case_id: str, done: bool | None) -> None:
    """Give each of ``actions`` (Previous, Next, Mark done, Mark not done) its tooltip, keys named."""
    for action, tip in zip(actions, worklist_tips(case_id, done)):
        keys = keys_text(action)
        action.setToolTip(plain_tooltip(f"{tip} ({keys})" if keys else tip))
