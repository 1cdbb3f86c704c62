"""The tooltips of *Previous case*, *Next case*, *Mark done* and *Mark not done*, saying what each
does now, with its key: before a worklist is open, where to open one; with one open, what a click
does to the case on screen (or why it does nothing), and which case *Previous* and *Next* open
(by name and number, as the Worklist panel shows them; session 50). They said "(open one with
File > Worklist ...)" while a worklist was open (walk of 7 Dec 2026)."""

from __future__ import annotations

from .plain_text import plain_tooltip
from .tooltip_keys import keys_text

OPEN_ONE_TIP = ("open one with File > Worklist > Open worklist folder... or File > Worklist > "
                "Open worklist CSV...")

CLOSED = ("Previous case of the worklist, in list order", "Next case of the worklist not done",
          "Mark the worklist case on screen done: Next case passes over it",
          "Mark the worklist case on screen not done: Next case offers it again")
"""What each does, said before a worklist is open (followed by :data:`OPEN_ONE_TIP`)."""


def worklist_tips(case_id: str, done: bool | None, worklist=None) -> tuple[str, str, str, str]:
    """The four tooltips (without keys) with a worklist open: ``case_id`` the worklist case on
    screen ("" for none), ``done`` whether it is done (``None`` with no worklist open);
    ``worklist``: the open one, whose *Previous* and *Next* cases the first two name."""
    if done is None:
        return tuple(f"{what} ({OPEN_ONE_TIP})" for what in CLOSED)
    moves = _moves(worklist, case_id)
    if not case_id:
        return (*moves, "No worklist case on screen to mark done",
                "No worklist case on screen to mark not done")
    if done:
        return (*moves, f"{case_id} is done already",
                f"Mark {case_id} not done: Next case offers it again")
    return (*moves, f"Mark {case_id} done: Next case passes over it",
            f"{case_id} is not done: nothing to undo")


def _moves(worklist, case_id: str) -> tuple[str, str]:
    """*Previous case*'s and *Next case*'s tips: the case each opens, by its name and number as
    the Worklist panel shows them (they named none until session 50)."""
    asks = "shown without editing" if worklist is not None and worklist.watching else \
        "asks about unsaved edits first"   # (a lead watching edits nothing)
    if worklist is None:
        return (f"Open the previous case of the worklist, in list order ({asks})",
                f"Open the next case of the worklist not done ({asks})")
    before, after = worklist.peek_previous(), worklist.peek_next()
    of = len(worklist.cases)
    previous = (f"Open {before.case_id}, case {worklist.cases.index(before) + 1} of {of}: the case "
                f"before in list order ({asks})") if before is not None else \
        "No case before this one in the worklist: it is the first one"
    if after is None or after.case_id == case_id:
        following = "No case of the worklist is left to do" + (" but the one on screen" if after else "")
    else:
        following = (f"Open {after.case_id}, case {worklist.cases.index(after) + 1} of {of}: the next "
                     f"case not done ({asks})")
    return previous, following


def set_worklist_tips(actions, case_id: str, done: bool | None, worklist=None) -> None:
    """Give each of ``actions`` (Previous, Next, Mark done, Mark not done) its tooltip, keys named."""
    for action, tip in zip(actions, worklist_tips(case_id, done, worklist)):
        keys = keys_text(action)
        action.setToolTip(plain_tooltip(f"{tip} ({keys})" if keys else tip))
