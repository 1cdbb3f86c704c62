"""The words asked with a worklist mark: *File > Worklist > Skip case...* (why the case is skipped: marked
done) and *File > Worklist > Send back...* (what to fix: marked not done), kept in the worklist's state for
the others to read in the Worklist panel and when they open the case. Before session 42 a mark
said nothing of why, and a lead sending a case back had no way to say what was wrong."""

from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import QInputDialog, QLineEdit

from .plain_text import plain_tooltip

SKIP = ("Skip case", "Why is this case skipped? (Next case passes over it; the others read this "
        "in the Worklist panel)")
SEND_BACK = ("Send back", "What should be fixed? (Next case offers it again; whoever opens it "
             "reads this)")


def ask_note(parent, asked: tuple[str, str]) -> Optional[str]:
    """The words typed (stripped), or ``None`` when cancelled or left empty."""
    title, question = asked
    text, ok = QInputDialog.getText(parent, title, plain_tooltip(question), QLineEdit.Normal, "")
    text = " ".join(text.split())
    return text if ok and text else None
