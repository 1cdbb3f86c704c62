"""Installed models and the Models dialog's answers and rows: helpers that test_models_gui.py and the
tests building on it share (test modules import helpers from a helper module, never from another
test module)."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from PySide6.QtWidgets import QMessageBox  # noqa: E402


class Answers:
    """Stands in for QMessageBox.question: records each question, answers from a list."""

    def __init__(self, monkeypatch) -> None:
        self.asked: list[str] = []
        self.replies: list[bool] = []
        monkeypatch.setattr(QMessageBox, "question", self)

    def __call__(self, parent, title, text, *args):
        self.asked.append(text)
        return QMessageBox.Yes if self.replies.pop(0) else QMessageBox.No


def table_rows(dialog):
    table = dialog.table
    return {table.item(r, 1).text(): [table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())}
