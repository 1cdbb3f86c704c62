"""The worklist case on screen, told when another window opens it too: a second annotator (or a
second window of this login) opening the case later used to leave the first one told nothing, both
labelling it. A timer looks at the worklist's state file (one ``stat``) every :data:`WATCH_MS` and
reads it only when it changed, or when a claim it read lapsed (a killed window's); a window newly
holding this case is named in the notice bar (never a modal box), as a locked case is in MONAI
Label's or Slicer's clients."""

from __future__ import annotations

import contextlib
import os
import time

from PySide6.QtCore import QObject, QTimer

WATCH_MS = 3000
"""How often the state file is looked at (a ``stat``; it is read only when it changed). An image
shown without editing because another window edits it is looked at on the same ticks
(``actions_edit.EditActions.holder_check``: whether that window let it go)."""

TWICE = ("you are labelling it twice. The second to send it to the training set is asked before "
         "replacing the first's label; Next case offers a case nobody has open, if any.")

WATCHED = "the labels saved there are shown here each time they are saved (you are watching)."
"""What a lead watching the worklist is told of an annotator opening the case on the lead's screen
(it read "you are labelling it twice", session 49's walk)."""

SHOWN = ("it is shown there without editing while this window edits it (one data folder); there, "
         "Edit here takes it once it is closed here.")


def holders_text(holders: dict[str, str]) -> str:
    """The notice for a case that ``holders`` (``Worklist.holders``) have open too, or ""."""
    if not holders:
        return ""
    who = ", ".join(sorted(holders.values()))
    return f"{who} {'has' if len(holders) == 1 else 'have'} this case open too: {TWICE}"


def _stamp(path) -> tuple | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_ino, status.st_mtime_ns, status.st_size


class WorklistWatch(QObject):
    """Watches the state file of ``actions.worklist`` (``TrainingActions``) for windows opening
    the case on screen; :meth:`reset` when a case opens (its holders then are told already)."""

    def __init__(self, actions, interval_ms: int = WATCH_MS) -> None:
        super().__init__(actions.window)
        self.owner = actions
        self.known: dict[str, str] = {}
        """The claims (key -> who) of the windows holding the case on screen that were told of."""
        self.seen = None
        """The state file as last read (inode, time, size)."""
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def reset(self, holders: dict[str, str]) -> None:
        self.known = dict(holders)
        worklist = self.owner.worklist
        self.seen = _stamp(worklist.state_path) if worklist is not None else None

    def check(self) -> None:
        worklist = self.owner.worklist
        if worklist is None:
            return
        stamp = _stamp(worklist.state_path)
        if stamp == self.seen and not worklist.claims_lapsed():
            return   # (a killed window's case showed as open there until another change)
        self.seen = stamp
        with contextlib.suppress(OSError):   # unreadable now: the next change is read
            worklist.refresh()
        self.owner.show_worklist()   # the Worklist panel: the others' work too
        self.owner.watched_labels.follow()   # watched: labels saved again are shown again
        case_id = self.owner.worklist_id
        if not case_id:
            return
        holders = worklist.holders(case_id)
        new = {key: who for key, who in holders.items() if key not in self.known}
        gone = {key: who for key, who in self.known.items() if key not in holders}
        self.known = dict(holders)
        twins = worklist.twins(case_id)
        when = time.strftime("%H:%M")
        if gone:
            self._left(gone, {key: who for key, who in holders.items() if key not in twins}, when)
        if not new:
            return
        lines = []
        if worklist.watching:   # the lead labels nothing: told whose work comes
            who = ", ".join(sorted(new.values()))
            self.owner.window.notice_bar.tell(f"{who} opened this case ({when}): {WATCHED}")
            return
        if set(new) - twins:
            who = ", ".join(sorted(w for key, w in new.items() if key not in twins))
            lines.append(f"{who} opened this case too ({when}): {TWICE}")
        if set(new) & twins:
            who = ", ".join(sorted(w for key, w in new.items() if key in twins))
            lines.append(f"{who} opened this case too ({when}): {SHOWN}")
        self.owner.window.notice_bar.tell("\n".join(lines))

    def _left(self, gone: dict[str, str], others: dict[str, str], when: str) -> None:
        """Windows that had the case on screen open left it (moved on, closed, killed): the
        notice's "labelling it twice" line, while it shows, says so, or names those still
        holding it (it stayed: the annotator left alone on the case read that someone else was
        labelling it)."""
        bar = self.owner.window.notice_bar
        said = [line for line in (*bar.question, *bar.news) if line.endswith(TWICE)]
        if not said or not bar.isVisible():
            return
        who = ", ".join(sorted(gone.values()))
        text = holders_text(others) or (f"{who} no longer {'has' if len(gone) == 1 else 'have'} "
                                        f"this case open ({when}): nobody else is labelling it now.")
        bar.replace_line((said[-1],), text)   # the latest said, when told twice
