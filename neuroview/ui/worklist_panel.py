"""The *Worklist* panel: every case of the open worklist with its status, whether it is done
(sent, saved to PACS, or marked by hand), and which window has it open, as a labelling team
sees its task list in CVAT or MONAI Label; a row double-clicked (or Enter, or *Open case*) opens
that case, asking first about unsaved edits as *Next case* does. It shows the state file as the
window last read it: at each change this window makes, and when another window's change is seen
(``worklist_watch``, every 3 s). Before, the worklist's state was seen only one case at a time,
in the status line."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..app.shown_time import shown_time
from ..dataset.worklist_counts import done_why, done_word, shown_cases, status_words, summary
from .plain_text import plain_label, plain_tooltip
from .qt_guard import guard_overrides

COLUMNS = ("#", "Case", "Status", "Done", "Open in")
SHRINKABLE = (1, 2, 4)
"""Columns narrowed (their text elided, whole on hover) when the table is narrower than its
text: Case, Status and Open in; # and Done stay whole."""
NARROWEST = 56
ROWS_KEPT = 4
"""Rows the table keeps in sight however tall the panels above it grow, on a screen of at least
:data:`TALL_SCREEN` pixels (one row on a shorter one: the window fits a 540-pixel screen)."""
TALL_SCREEN = 700
WIDEST_SHARE = 0.3
"""The most of the window's width the dock is widened to, for its columns' whole text."""
PANEL_KEYS = (("Enter, double-click", "Open the selected case (asks about unsaved edits first)"),)
"""Keys the Worklist panel's list handles itself (listed in Help > Keyboard shortcuts)."""


EDITED = ("corrected: edited in this window (Ctrl+Z takes the edits back); the worklist records "
          "it from the first edit")
"""The Status tooltip of the case on screen while it holds edits not yet recorded."""


def fitted_widths(natural: list[int], room: int, shrinkable=SHRINKABLE,
                  narrowest: int = NARROWEST) -> list[int]:
    """Column widths within ``room`` pixels: ``natural`` (the text's) where they fit, else the
    widest ``shrinkable`` columns cut to one width, the largest that fits (never below
    ``narrowest``), so that a short column ("this window") stays whole; the table scrolled
    sideways for its last column ("Open in" was out of sight at the window's launch width: 552
    pixels of columns in 340)."""
    if sum(natural) <= room:
        return list(natural)

    def widths(cap: int) -> list[int]:
        return [min(w, max(cap, narrowest)) if i in shrinkable else w for i, w in enumerate(natural)]

    low, high = 0, max(natural)
    while low < high:               # the largest cap whose widths fit in the room
        cap = (low + high + 1) // 2
        low, high = (cap, high) if sum(widths(cap)) <= room else (low, cap - 1)
    return widths(low)


@guard_overrides
class WorklistPanel(QWidget):
    """The worklist's cases in a table; :attr:`open_case` asks for one to be opened."""

    open_case = Signal(str)
    widened = Signal()
    """The columns' text grew wider than ever before (a longer status: the dock may widen)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        row = QHBoxLayout()   # one row above the table: the window fits a 540-pixel screen
        self.summary = plain_label("No worklist open (File > Worklist > Open worklist folder...)")
        self.summary.setWordWrap(True)
        row.addWidget(self.summary, 1)
        self.open_button = QPushButton("Open case")
        self.open_button.setToolTip("Open the selected case (double-click or Enter does the same)")
        self.open_button.setEnabled(False)
        row.addWidget(self.open_button)
        layout.addLayout(row)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)  # compact
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        # widths set once per fill (resizeColumnsToContents): ResizeToContents measured the whole
        # column at each cell set, 2.3 s of CPU to refill a list of 200 cases
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        # the last column stretched by hand (_fit_columns): Qt's stretch kept it 100 pixels wide
        self.table.horizontalHeader().setMinimumSectionSize(NARROWEST // 2)
        # one line, elided at its end (sub-001_ses-…: names differ at their start more often
        # than not; elided in the middle three BIDS names read alike, sub-00…nii.gz), whole on hover
        self.table.setWordWrap(False)
        self.table.viewport().installEventFilter(self)   # the columns fit again when it resizes
        self._natural: list[int] = []
        self._widest = 0   # the widest the columns' text has been
        # no taller than the header and a row at least: the window fits a 540-pixel screen
        self.keep_rows(1)
        layout.addWidget(self.table, 1)
        self.case_ids: list[str] = []
        self.shown_rows: list[tuple] = []   # (cells, their tips, on screen) of each row shown
        self.on_screen = ""
        self.table.cellDoubleClicked.connect(lambda r, _c: self._open_row(r))
        self.open_button.clicked.connect(lambda: self._open_row(self.table.currentRow()))
        for key in (Qt.Key_Return, Qt.Key_Enter):   # (PANEL_KEYS)
            QShortcut(QKeySequence(key), self.table, context=Qt.WidgetShortcut).activated.connect(
                lambda: self._open_row(self.table.currentRow()))
        self.table.itemSelectionChanged.connect(
            lambda: self.open_button.setEnabled(bool(self.table.selectionModel().selectedRows())))

    def _open_row(self, row: int) -> None:
        if 0 <= row < len(self.case_ids):
            self.open_case.emit(self.case_ids[row])

    def show_worklist(self, worklist, on_screen: str = "", edited: bool = False) -> None:
        """Fill the table from ``worklist`` (its state as last read); ``on_screen``: the case this
        window shows (bold, ``this window``); ``edited``: it holds edits by hand, ``corrected``
        (the row read "new" until the user left the case)."""
        selected = self.case_ids[self.table.currentRow()] if 0 <= self.table.currentRow() < len(
            self.case_ids) else ""
        cases = shown_cases(worklist, on_screen, edited)
        self.case_ids = [c.case_id for c in cases]
        self.summary.setText(summary(cases))   # as the status line counts them
        rows = []
        for row, case in enumerate(cases):
            holders = sorted(worklist.holders(case.case_id).values())   # "ben (a window on ws-2)"
            if case.case_id == on_screen:   # a watcher's case is shown here, not held
                holders.insert(0, "watching here" if worklist.watching else "this window")
            cells = (str(row + 1), case.case_id, status_words(case), done_word(case),
                     ", ".join(who.split(" (")[0] for who in holders))   # full words on hover
            status_tip = EDITED if edited and case.case_id == on_screen and case.status == "corrected" \
                else cells[2] + who_worked(case)
            tips = (*cells[:2], status_tip, done_why(case), ", ".join(holders))   # Done: what made it so
            rows.append((cells, tips, case.case_id == on_screen))
        if rows == self.shown_rows:
            return   # (the watch saw a change of no case's row: a claim renewed)
        self.table.setRowCount(len(rows))
        for row, (cells, tips, here) in enumerate(rows):
            if row < len(self.shown_rows) and self.shown_rows[row] == (cells, tips, here):
                continue   # only the rows that changed are set again
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(plain_tooltip(tips[column]))   # case ids, names and notes as written
                if here:
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
        self.shown_rows = rows
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        self._natural = [header.sectionSize(c) for c in range(len(COLUMNS))]
        if sum(self._natural) > self._widest:
            self._widest = sum(self._natural)
            self.widened.emit()
        self._fit_columns()
        if selected in self.case_ids:
            self.table.selectRow(self.case_ids.index(selected))
        if on_screen in self.case_ids and on_screen != self.on_screen:   # a case newly on screen:
            self.table.scrollToItem(self.table.item(self.case_ids.index(on_screen), 1))   # in view
        self.on_screen = on_screen   # (the user's own scrolling stays at the watch's refreshes)

    def keep_rows(self, rows: int) -> None:
        """The table no shorter than its header and ``rows`` rows (a sideways scroll bar's too)."""
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height()
                                    + rows * self.table.verticalHeader().defaultSectionSize()
                                    + self.table.horizontalScrollBar().sizeHint().height()
                                    * (rows > 1) + 2 * self.table.frameWidth())

    def wanted_width(self) -> int:
        """The panel's width with every column's text whole (and a scroll bar beside them)."""
        margins = self.layout().contentsMargins()
        return (sum(self._natural) + 2 * self.table.frameWidth() + margins.left() + margins.right()
                + self.table.verticalScrollBar().sizeHint().width())

    def _fit_columns(self) -> None:
        """The columns within the table's width (:func:`fitted_widths`), the last one stretched."""
        if not self._natural:
            return
        room = self.table.viewport().width()
        widths = fitted_widths(self._natural, room)
        widths[-1] += max(room - sum(widths), 0)   # the last column takes what is left
        for column, width in enumerate(widths):
            self.table.setColumnWidth(column, width)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.table.viewport() and event.type() == QEvent.Resize:
            self._fit_columns()
        return False

    def rows(self) -> list[tuple[str, ...]]:
        """The table's text, row by row (what the user reads)."""
        return [tuple(self.table.item(r, c).text() for c in range(len(COLUMNS)))
                for r in range(self.table.rowCount())]


def who_worked(case) -> str:
    """What the Status tooltip adds of who worked on ``case`` and when: ``; labels saved by anna
    (09:41 today)``, ``; edited by ben (09:58 today), not saved``; "" when the state file does
    not say (a lead saw the statuses, and who has which case open, but not who did the work)."""
    if case.labels and case.labels_by:
        return f"; labels saved by {case.labels_by} ({shown_time(case.labels_at)})"
    if case.status == "corrected" and case.edited_by:
        return f"; edited by {case.edited_by} ({shown_time(case.edited_at)}), not saved"
    return ""


def install_worklist_panel(window) -> tuple[WorklistPanel, QDockWidget]:
    """The *Worklist* dock, tabbed with the Measurements list and hidden until a worklist opens."""
    panel = WorklistPanel(window)
    dock = QDockWidget("Worklist", window)
    dock.setObjectName("Worklist")
    dock.setWidget(panel)
    window.addDockWidget(Qt.RightDockWidgetArea, dock)
    panel.widened.connect(lambda: dock.isVisible() and QTimer.singleShot(
        0, dock, lambda: widen(window, dock)))   # a longer status: wider, once laid out
    dock.hide()   # tabbed only once shown (``show_dock``): a hidden tab kept the window 555 px
    return panel, dock   # View > Panels > Worklist: with the other panels' (``dock_menu``)


def show_dock(window, dock: QDockWidget) -> None:
    """Show the Worklist dock, on top of the Measurements list's tab the first time, wide enough
    for its columns' whole text (up to :data:`WIDEST_SHARE` of the window) and, on a tall
    screen, :data:`ROWS_KEPT` rows high at least: at 1500x1000 it had been squeezed to a row
    below the Display panel and Segment editor, its cells cut (``case_b.nii…``, ``in the trai…``)."""
    shown = dock.isVisible()
    if not shown and not window.tabifiedDockWidgets(dock):
        measurements = window.findChild(QDockWidget, "Measurements")
        if measurements is not None and measurements.isVisible():
            window.tabifyDockWidget(measurements, dock)
    panel = dock.widget()
    screen = window.screen()
    tall = screen is not None and screen.availableGeometry().height() >= TALL_SCREEN
    panel.keep_rows(ROWS_KEPT if tall else 1)
    dock.show()
    dock.raise_()
    if not shown:   # widened once, when the window has laid the dock out (at once, Qt kept
        QTimer.singleShot(0, dock, lambda: widen(window, dock))   # it 411 of 450 pixels)


def widen(window, dock: QDockWidget) -> None:
    """``dock`` as wide as its panel wants, up to :data:`WIDEST_SHARE` of the window, never narrowed."""
    panel = dock.widget()
    wanted = min(panel.wanted_width(), int(window.width() * WIDEST_SHARE))
    if wanted > panel.width():
        window.resizeDocks([dock], [wanted + dock.width() - panel.width()], Qt.Horizontal)
