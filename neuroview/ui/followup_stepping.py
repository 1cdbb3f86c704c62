"""The follow-up window's keys that step through its lesion table (``followup_window``), wherever
the keys are (the panes have them): ``.`` / ``,`` the next / previous row in the table's order, as
*View > Next lesion* in the main window; **N** / **P** the next / previous new or enlarging
lesion (in the table across time points: new or enlarging at any step), passing over those the
reader marked wrong. Both panes jump to it as a click on its row does. Until session 41 a reader
had to click into the table first, and nothing took them to the new and enlarging lesions alone."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut

from ..app.followup_report import KEY_STATUSES


def is_key_lesion(lesion) -> bool:
    """New or enlarging (at any step, for a lesion across time points), not marked wrong."""
    statuses = [lesion.status, *getattr(lesion, "steps", [])]
    return not lesion.marked and any(status in KEY_STATUSES for status in statuses)


def add_stepping_keys(window) -> None:
    for key, forward, key_only in ((".", True, False), (",", False, False),
                                   ("N", True, True), ("P", False, True)):
        QShortcut(QKeySequence(key), window, lambda f=forward, k=key_only: step(window, f, k))


def step(window, forward: bool, key_only: bool) -> None:
    """Make the next (``forward``) or previous row current, of the new or enlarging lesions only
    with ``key_only``; past the last row it goes round to the first (and says so)."""
    table = window.table
    rows = [row for row in range(table.rowCount())
            if not key_only or is_key_lesion(window.lesion_at(row))]
    what = "new or enlarging lesion" if key_only else "lesion"
    if not rows:
        window.status.setText(f"no {what} in this table")
        return
    current = table.currentRow()
    after = [row for row in rows if (row > current if forward else row < current)]
    row = (after[0] if forward else after[-1]) if after else (rows[0] if forward else rows[-1])
    table.setCurrentCell(row, 0)   # both panes jump to it (the table's currentCellChanged)
    lesion = window.lesion_at(row)
    round_again = " (from the top)" if forward and not after else " (from the bottom)" if not after else ""
    window.status.setText(f"lesion {lesion.id} ({lesion.status}): {rows.index(row) + 1} of {len(rows)} "
                          f"{what}{'s' if len(rows) > 1 else ''}{round_again}")
