"""The segment list of the segment editor panel (``editor_panel.SegmentEditorPanel``, which
builds the table and its buttons): its rows (Show, Lock, Colour, Name, From), selecting,
renaming, hiding and locking a segment, Add, Remove (asked first when it holds voxels) and
Colour; the From column is ``segment_from_column``'s. A watched worklist's case (no session) lists
the segments of the labels an annotator saved, read only (:class:`WatchedSegments`)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QLineEdit,
    QMessageBox,
    QStyledItemDelegate,
    QTableWidgetItem,
)

from ..core.plural import plural
from .plain_text import plain_tooltip
from .qt_guard import guard_overrides


@dataclass
class WatchedSegments:
    """The labels drawn over a watched worklist's case (``ui.watched_labels``), listed read only
    but for *Show*: ``marks`` (value -> (its *From* cell, ``anna's, read only``; on hover))."""

    labels: object
    """The label map drawn (a new one each time a segment is shown or hidden)."""
    marks: dict


class EditorSegmentList:
    """The segment list's behaviour; the panel gives it ``editor``, ``table``, ``option_widgets``,
    its buttons, ``_set`` and ``watched`` (:class:`WatchedSegments` or ``None``)."""

    def show_watched(self, watched: WatchedSegments) -> None:
        """List the segments of the labels an annotator saved for the watched case on screen, read
        only: nothing to tick, rename, select for a tool, remove or recolour, each row's *From*
        naming whose they are. Until session 49 the list stayed empty while they were drawn (the
        names were on the *Segments* tab behind it)."""
        self.watched = watched
        self.refresh()

    def _watched_rows(self):
        """:attr:`watched` while its labels are the ones on screen and nothing is edited here."""
        watched = self.watched
        if watched is not None and (self.editor.session is not None or not self.editor.watching
                                    or self.viewer.labels is not watched.labels):
            self.watched = watched = None
        return watched

    def labels_replaced(self) -> None:
        """The viewer's labels changed: watched rows whose labels are gone go with them."""
        if self.watched is not None:
            self.refresh()

    def refresh(self) -> None:
        session = self.editor.session
        watched = self._watched_rows()
        self._syncing = True
        self.table.blockSignals(True)
        try:
            segments = list(session.segments) if session is not None else \
                list(watched.labels.segments) if watched is not None else []
            rows = [self._value_at(row) for row in range(self.table.rowCount())]
            if rows != [segment.value for segment in segments] or self._read_only != (watched is not None):
                # Rows are replaced only when segments come or go: replacing the row of an open
                # name editor made Qt warn "commitData called with an editor that does not
                # belong to this view" and dropped the rename.
                self.table.setRowCount(0)
                self._read_only = watched is not None
                for row, segment in enumerate(segments):
                    self._insert_row(row, segment.value)
            # a name being typed keeps its editor: moving the current cell (selectRow) closed it
            # with the name as it was, and the rest of the typing went nowhere
            typing = self.table.currentIndex().row() if self.table.state() == self.table.State.EditingState \
                else None
            if typing is None:
                self.table.clearSelection()
            for row, segment in enumerate(segments):
                if watched is not None:
                    self._show_watched(row, segment, watched)
                    continue
                self._show_segment(row, segment, keep_name=row == typing)
                if session.active_segment == segment.value and typing is None:
                    self.table.selectRow(row)
        finally:
            self.table.blockSignals(False)
            self._syncing = False
        self.refresh_logical_other()
        self.fit_list_height()
        self.remove_button.setEnabled(bool(segments) and watched is None)
        self.color_button.setEnabled(bool(segments) and watched is None)
        self.from_fit.fit()

    def _show_watched(self, row: int, segment, watched: WatchedSegments) -> None:
        """A watched segment's row: shown or hidden (here or in the *Segments* list), its lock as
        saved, colour, name, and whose."""
        self._show_segment(row, segment)
        state = self.viewer.state
        if state is not None and segment.value in state.labels.hidden:
            self.table.item(row, 0).setCheckState(Qt.Unchecked)
        mark, tip = watched.marks.get(segment.value, ("", ""))
        source = self.table.item(row, 4)
        source.setText(mark)
        source.setData(Qt.UserRole, [mark, "", ""])
        for column in range(5):
            self.table.item(row, column).setToolTip(plain_tooltip(tip))

    def refresh_logical_other(self) -> None:
        """Logical's *With segment* list: every segment but the selected one (an operation of a
        segment with itself changes nothing; it was offered, first in the list, until session 32)."""
        session = self.editor.session
        if session is None and "logical" not in self.option_widgets.built:
            return   # nothing to list nor to choose: its page is empty when built
        logical = self.option_widgets["logical"]["other"]
        current = logical.currentData()
        others = [s for s in session.segments if s.value != session.active_segment] if session else []
        self._syncing = True
        try:
            logical.clear()
            for segment in others:
                logical.addItem(segment.name, segment.value)
            index = logical.findData(current)
            logical.setCurrentIndex(index if index >= 0 else 0)
        finally:
            self._syncing = False
        if session is not None:   # none left: Apply says it needs another segment
            self._set("logical", "other", logical.currentData())

    def _insert_row(self, row: int, value: int) -> None:
        self.table.insertRow(row)
        flags = {0: Qt.ItemIsUserCheckable} if self._read_only else \
            {0: Qt.ItemIsUserCheckable, 1: Qt.ItemIsUserCheckable, 3: Qt.ItemIsEditable}
        for column in range(5):
            item = QTableWidgetItem()
            item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable | flags.get(column, Qt.NoItemFlags))
            item.setData(Qt.UserRole, value)
            self.table.setItem(row, column, item)

    def _show_segment(self, row: int, segment, keep_name: bool = False) -> None:
        """Write ``segment`` into the cells of ``row`` in place (an open editor stays valid;
        ``keep_name``: its name is being typed, and setting the cell would reset the editor)."""
        for column, checked in ((0, segment.visible), (1, segment.locked)):
            self.table.item(row, column).setCheckState(Qt.Checked if checked else Qt.Unchecked)
        self.table.item(row, 2).setBackground(QColor(*segment.color))
        if not keep_name:
            self.table.item(row, 3).setText(segment.name)
        if not self._read_only:
            self._show_source(row, segment)

    def _show_source(self, row: int, segment) -> None:
        """The *From* cell: who or what made ``segment``; nothing for a new segment with no voxel
        yet (it read ``drawn`` before anything was drawn)."""
        source = self.table.item(row, 4)   # an AI click object: the model and prompts on hover
        session = self.editor.session
        text, whole = session.segments.source_cell(segment.value) if session is not None else ("", "")
        parts = session.segments.source_parts(segment.value) if session is not None else ("", "", "")
        if source.text() != text:
            source.setText(text)
        if source.data(Qt.UserRole) != list(parts):   # what a narrow cell shortens (the name)
            source.setData(Qt.UserRole, list(parts))
        tip = plain_tooltip(whole)   # a file's or a model's name as written
        if source.toolTip() != tip:
            source.setToolTip(tip)

    def refresh_sources(self) -> None:
        """After an edit: the *From* cells again (a stroke in a new segment changes no segment
        table, so :meth:`refresh` does not run)."""
        session = self.editor.session
        if session is None:
            return
        self.table.blockSignals(True)
        try:
            for row in range(self.table.rowCount()):
                value = self._value_at(row)
                if value in session.labels.segments:
                    self._show_source(row, session.labels.segments.get(value))
        finally:
            self.table.blockSignals(False)
        self.from_fit.fit()

    def _value_at(self, row: int):
        item = self.table.item(row, 0)
        return None if item is None else int(item.data(Qt.UserRole))

    def selected_value(self):
        rows = self.table.selectionModel().selectedRows()
        return self._value_at(rows[0].row()) if rows else None

    def step_segment(self, offset: int) -> None:
        """*Edit > Next segment* (W) / *Previous segment* (Q), as Slicer's Segment Editor keys: the
        row ``offset`` below (above) the selected one becomes the segment the tools work on; at
        the list's end it stays, and the status line names the segment either way."""
        rows = self.table.rowCount()
        if rows == 0 or self.editor.session is None:
            return
        current = self.table.selectionModel().selectedRows()
        row = current[0].row() + offset if current else 0
        self.table.selectRow(max(0, min(rows - 1, row)))
        session = self.editor.session
        segment = session.segments.get(session.active_segment) if session.active_segment else None
        if segment is not None:
            row = self.table.selectionModel().selectedRows()[0].row()
            self.editor.status.emit(f"Segment {row + 1} of {rows}: '{segment.name}' "
                                    "(Q / W: previous / next).")

    def _selection_changed(self) -> None:
        value = self.selected_value()
        session = self.editor.session
        if value is None and session is not None and session.active_segment is not None:
            # Ctrl+click on the selected row: the list showed none while the tools wrote it
            self._show_active_row(session.active_segment)
            return
        if value is None or session is None or session.active_segment == value:
            return
        prompting = session.prompting
        if prompting is not None and prompting.value != value and len(prompting.prompts):
            # the AI click object in progress belongs to its segment: Enter wrote it there with
            # another segment selected, and a click dropped it without a word
            if not self.editor.ai_click.ask_switch(session.segments.get(value).name, self):
                self.refresh()   # Cancel: the object's segment stays selected
                return
            session.segments.select(value)
            self.refresh()   # Apply and Discard redrew the list with the row picked before
            return
        session.segments.select(value)
        self.refresh_logical_other()
        self.threshold.update()   # the preview in the newly selected segment's colour

    def _show_active_row(self, value: int) -> None:
        """Select the row of segment ``value`` again (the one the tools write)."""
        for row in range(self.table.rowCount()):
            if self._value_at(row) == value:
                self.table.selectRow(row)
                return

    def _item_changed(self, item) -> None:
        value = self._value_at(item.row())
        if value is None:
            return
        if self._read_only:   # a watched annotator's segment: shown or hidden, nothing else
            if item.column() == 0:
                self._show_watched_segment(value, item.checkState() == Qt.Checked)
            return
        if item.column() == 0:
            self.editor.segment_command("hide", value, item.checkState() != Qt.Checked)
        elif item.column() == 1:
            self.editor.segment_command("lock", value, item.checkState() == Qt.Checked)
        elif item.column() == 3:
            name = item.text().strip()
            if name:
                self.editor.segment_command("rename", value, name)
            else:   # undone with no word until session 40
                session = self.editor.session
                if session is not None and value in session.segments:
                    self.editor.status.emit(f"A segment needs a name: "
                                            f"'{session.segments.get(value).name}' kept (the name "
                                            "typed was blank)")
                # once the name box has closed: a refresh while it is open keeps the row's text
                # as typed, and the row showed the blank name
                QTimer.singleShot(0, self.table, self.refresh)

    def _show_watched_segment(self, value: int, shown: bool) -> None:
        """Show or hide a watched annotator's segment, as the *Segments* list does (the picture is
        made again: ``watched_labels``)."""
        state = self.viewer.state
        if state is None:
            return
        (state.labels.hidden.discard if shown else state.labels.hidden.add)(value)
        self.viewer.labels_changed.emit()
        self.viewer.changed.emit()

    def _double_clicked(self, row: int, column: int) -> None:
        if column == 2:
            self.table.selectRow(row)
            self.choose_color()

    def add_segment(self) -> None:
        session = self.editor.session
        if session is None:
            self.editor.error.emit(self.editor.no_case_message())
            return
        names = {s.name for s in session.segments}
        n = 1
        while f"Segment {n}" in names:
            n += 1
        prompting = session.prompting
        if prompting is not None and len(prompting.prompts):
            # the new segment becomes the selected one: the AI click object in progress was
            # dropped with its prompts without a word
            if not self.editor.ai_click.ask_switch(f"adding Segment {n}", self):
                return
        self.editor.segment_command("add", f"Segment {n}")

    def remove_selected(self) -> None:
        """Remove the selected segment; one that holds voxels only after a question (not modal)."""
        value = self.selected_value()
        session = self.editor.session
        if value is None or session is None:
            return
        segment = session.segments.get(value)
        voxels = session.voxel_counts().get(segment.name, 0)
        if not voxels or segment.locked:   # nothing to lose, or refused at once (locked)
            self.editor.segment_command("remove", value)
            return
        self.remove_question = QMessageBox(QMessageBox.Question, "Remove segment", "",
                                           QMessageBox.Yes | QMessageBox.No, self)
        self.remove_question.setTextFormat(Qt.PlainText)   # the segment's name as its file has it
        self.remove_question.setDefaultButton(QMessageBox.No)
        self.remove_question.finished.connect(lambda answer: self._answer_remove(session, value, answer))
        self._asked_remove = (session, value)
        self._update_remove_question()
        self.remove_question.open()

    def _update_remove_question(self) -> None:
        """The open remove question says what Yes throws away now: painting, Ctrl+Z or a rename
        while it waits changes the segment (its count went stale); a segment gone closes it."""
        box = self.remove_question
        if box is None or self._asked_remove is None:
            return
        session, value = self._asked_remove
        if session is not self.editor.session or value not in session.segments:
            self._asked_remove = None
            box.done(QMessageBox.No)
            return
        name = session.segments.get(value).name
        voxels = session.voxel_counts().get(name, 0)
        box.setText(f"Remove segment '{name}' and its {plural(voxels, 'voxel')}? Edit > Undo brings it back."
                    if voxels else f"Remove segment '{name}'? It holds no voxels now.")

    def _answer_remove(self, session, value: int, answer: int) -> None:
        """Yes removes the segment asked about, if its case is still the one open."""
        self._asked_remove = None
        if answer == QMessageBox.Yes and session is self.editor.session and value in session.segments:
            self.editor.segment_command("remove", value)

    def choose_color(self) -> None:
        """Open a colour dialog for the selected segment (not modal: the views keep working)."""
        value = self.selected_value()
        session = self.editor.session
        if value is None or session is None:
            return
        segment = session.segments.get(value)
        self.color_dialog = QColorDialog(QColor(*segment.color), self)
        self.color_dialog.setWindowTitle(f"Colour of segment '{segment.name}'")   # not "Select Color"
        self.color_dialog.colorSelected.connect(
            lambda color, v=value: self.editor.segment_command("recolor", v,
                                                               (color.red(), color.green(), color.blue())))
        self.color_dialog.open()


SEGMENT_LIST_KEYS = (("F2", "Rename the selected segment (elsewhere F2 is Window/level)"),)
"""Keys the Segment editor's list handles itself (listed in Help > Keyboard shortcuts)."""


@guard_overrides
class RenameKey(QObject):
    """F2 in the segment list renames the segment of the current row (its Name cell), as F2 does
    in Qt's item views and file managers. The window's F2 (*Window/level*
    mode) took the key while the list had the focus: the mouse mode changed and a segment could
    not be renamed without a double-click (a walk through the window with the keyboard only)."""

    NAME_COLUMN = 3

    def __init__(self, table) -> None:
        super().__init__(table)
        self.table = table
        table.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if (event.type() not in (QEvent.ShortcutOverride, QEvent.KeyPress)
                or event.key() != Qt.Key_F2 or event.modifiers() != Qt.NoModifier):
            return False
        if event.type() == QEvent.ShortcutOverride:   # the list takes F2: no window shortcut
            event.accept()
            return True
        row = self.table.currentRow()
        item = self.table.item(row, self.NAME_COLUMN) if row >= 0 else None
        if item is not None and self.table.state() != self.table.State.EditingState:
            self.table.setCurrentItem(item)
            self.table.editItem(item)
        return True


@guard_overrides
class SelectedInSight(QObject):
    """The selected segment's row stays in sight when the list gets shorter: it shrinks first
    when a tool's options need the dock's room (``editor_panel.LIST_ROWS``), and with AI click's
    options the row of the segment being worked on lay below the list's edge, out of sight (walk
    of 7 Dec 2026: three segments, the third selected)."""

    def __init__(self, table) -> None:
        super().__init__(table)
        self.table = table
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Resize:
            QTimer.singleShot(0, self, self._scroll)   # once the list's scroll range follows
        return False

    def _scroll(self) -> None:
        current = self.table.currentIndex()
        if current.isValid():
            self.table.scrollTo(current)


@guard_overrides
class NameEditDelegate(QStyledItemDelegate):
    """The rename box (double-click, F2) is wide enough for a 12-character name, or the name as
    typed, where the Name column is narrower: it lies over the From column while you type, as a
    spreadsheet's cell editor does, and the columns keep their widths. At 1200 pixels, beside
    ``lesionseg@2.5.1 + drawn + AI click``, the box of ``lesion`` was 42 pixels wide and a
    longer name scrolled out of sight as it was typed (until session 33)."""

    ROOM = "x" * 12

    def createEditor(self, parent, option, index):
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            editor.textChanged.connect(lambda _text, e=editor: self._widen(e))
        return editor

    def updateEditorGeometry(self, editor, option, index) -> None:
        super().updateEditorGeometry(editor, option, index)
        editor.setProperty("cell_width", option.rect.width())
        self._widen(editor)

    @staticmethod
    def _widen(editor) -> None:
        if not isinstance(editor, QLineEdit) or editor.property("cell_width") is None:
            return
        metrics = editor.fontMetrics()
        chrome = editor.sizeHint().width() - 17 * metrics.horizontalAdvance("x")   # frame, margins
        text = max(metrics.horizontalAdvance(editor.text()), metrics.horizontalAdvance(NameEditDelegate.ROOM))
        room = editor.parentWidget().width() - editor.x()   # never past the list's right edge
        width = min(max(int(editor.property("cell_width")), text + chrome + 2), room)
        editor.resize(width, editor.height())
