"""Ask before a model file's own code runs (TorchScript): a dialog that names the risk.

``Yes`` records consent for that file's content (:mod:`neuroview.ai.consent`), so the window
and the command line do not ask again for it; ``No`` runs nothing and says so in the message bar.
A file trusted before (by SHA-256) runs without a question.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from ..core.errors import NeuroviewError
from .plain_text import plain_tooltip


def run_with_consent(owner, window, model_ref: str, run: Callable[[], None]) -> None:
    """Call ``run`` now, or after the user said Yes for the model's code file.

    The open dialog is kept as ``owner.consent_box`` (None when no question is pending)."""
    try:
        from ..ai.code_file import code_file_of
        from ..ai.consent import is_trusted

        code_file = code_file_of(model_ref)
        if code_file is not None and is_trusted(code_file):
            code_file = None
    except (NeuroviewError, OSError) as exc:
        window.show_error(str(exc))
        return
    if code_file is None:
        run()
        return
    from ..ai.consent import RISK, trust

    box = QMessageBox(QMessageBox.Warning, "Run code from this model file?",
                      f"{code_file.name} is a TorchScript model: loading it {RISK}.\n\n"
                      "Run it only if you trust where it came from. Your answer is remembered "
                      "for this exact file (a changed file asks again).",
                      QMessageBox.Yes | QMessageBox.No, window)
    box.setTextFormat(Qt.PlainText)   # the file's name as written
    box.setDefaultButton(QMessageBox.No)
    box.setInformativeText(plain_tooltip(str(code_file)))
    owner.consent_box = box

    def answered(_result: int) -> None:
        owner.consent_box = None
        if box.clickedButton() is not box.button(QMessageBox.Yes):
            window.show_error(f"{code_file}: not run (no consent to run its code)")
            return
        try:
            trust(code_file)
        except (NeuroviewError, OSError) as exc:
            window.show_error(str(exc))
            return
        run()

    box.finished.connect(answered)
    box.open()
