"""The follow-up window's marks (``followup_window``): the reader marks a lesion of the table
wrong (a false positive, not a lesion) with Delete or the table's right-click menu, and unmarks it
the same way; Ctrl+Z / Ctrl+Shift+Z undo and redo. A marked row is struck through in both tables,
its lesion outlined in grey-blue in the panes,
leaves the counts and the lesion load of the report, and the marks are kept with the studies
(:mod:`neuroview.app.followup_marks`, ``followup-marks.json``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu

from ..app.followup_marks import Marks, pair_keys, tracked_keys, whole_lesion
from .mnemonics import give_mnemonics


class MarkHistory:
    """The window's marks and their undo and redo steps."""

    def __init__(self, window, marks=None, on_marks=None) -> None:
        self.window, self.on_marks = window, on_marks
        self.marks = marks or Marks()
        self.undos: list[Marks] = []
        self.redos: list[Marks] = []
        self.marks.apply(window.comparisons, window.tracking)

    def attach(self, table) -> None:
        """Delete and the right-click menu on ``table``'s rows; the undo keys on the window."""
        table.setContextMenuPolicy(Qt.CustomContextMenu)
        table.customContextMenuRequested.connect(self.menu)
        window = self.window
        for keys, act in ((QKeySequence.Delete, self.toggle_current), (QKeySequence.Undo, self.undo),
                          (QKeySequence("Ctrl+Shift+Z"), self.redo), (QKeySequence("Ctrl+Y"), self.redo)):
            QShortcut(keys, window, act)

    def parts(self, lesion) -> frozenset:
        """The lesion's parts at every time point, whichever table it was marked in."""
        if self.window.all_time_points:
            return tracked_keys(lesion)
        return whole_lesion(pair_keys(lesion, self.window.index + 1), self.window.tracking)

    def menu(self, point) -> None:
        table = self.window.table
        row = table.rowAt(point.y())
        lesion = self.window.lesion_at(row)
        menu = QMenu(table)
        if lesion is not None:
            table.setCurrentCell(row, 0)
            text = ("Not wrong: count lesion {} again" if lesion.marked
                    else "Mark lesion {} wrong (not a lesion)").format(lesion.id)
            menu.addAction(f"{text}\tDel", lambda: self.toggle(lesion))
        undo = menu.addAction("Undo the last mark\tCtrl+Z", self.undo)
        undo.setEnabled(bool(self.undos))
        give_mnemonics(menu)
        menu.exec(table.viewport().mapToGlobal(point))

    def toggle_current(self) -> None:
        lesion = self.window.lesion_at(self.window.table.currentRow())
        if lesion is None:
            self.window.status.setText("Mark wrong: choose a lesion in the table first")
            return
        self.toggle(lesion)

    def toggle(self, lesion) -> None:
        marked = not lesion.marked
        self.undos.append(self.marks)
        self.redos.clear()
        self._set(self.marks.toggled(self.parts(lesion)), lesion.id)
        self.window.status.setText(
            f"lesion {lesion.id} marked wrong (not a lesion): left out of the counts and the lesion "
            "load (Ctrl+Z undoes it)" if marked else f"lesion {lesion.id} counted again (Ctrl+Z undoes it)")

    def undo(self) -> None:
        self._step(self.undos, self.redos, "undone")

    def redo(self) -> None:
        self._step(self.redos, self.undos, "redone")

    def _step(self, source: list, target: list, word: str) -> None:
        if not source:
            self.window.status.setText(f"Mark wrong: nothing to be {word}")
            return
        target.append(self.marks)
        current = self.window.lesion_at(self.window.table.currentRow())
        self._set(source.pop(), current.id if current is not None else None)
        self.window.status.setText(f"last mark {word}")

    def _set(self, marks: Marks, lesion_id) -> None:
        """Show ``marks`` (both tables), the row of ``lesion_id`` kept current; keep them."""
        window = self.window
        self.marks = marks
        marks.apply(window.comparisons, window.tracking)
        window.show_marks()   # grey-blue outlines in the panes
        window.fill_table()
        for row in range(window.table.rowCount()):
            if window.table.item(row, 0).text() == str(lesion_id):
                window.table.setCurrentCell(row, 0)
        if self.on_marks is not None:
            self.on_marks(marks)
