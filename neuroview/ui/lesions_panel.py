"""The Lesions panel: the connected components of a segment, sortable; a click jumps all views there.

As Slicer's Segment Statistics with "jump to segment": one row per lesion (26-connected component,
see ``app.components``) with its volume, longest diameter and centroid. Clicking a row (or
``.`` / ``,`` for the next / previous lesion, in the table's current order) moves the crosshair to
the lesion's voxel nearest its centroid, so every view shows it. The list follows the segment
chosen above it (by default the active segment) and counts again a moment after each edit while
it is on screen (when its tab comes to the front otherwise), never for the same labels and segment
twice. After AI > Segment it shows the model's segment, comes to the front and jumps to its largest
lesion, unless the reader moved the crosshair or picked another tool while the lesions were counted
(seconds): the list then fills where it is and the views stay.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..app.components import lesion_means, segment_components, voxel_ras
from ..app.lesion_location import UNKNOWN, counts_text, labels_locations
from ..app.view_measure import format_ras_side
from ..core.extent import BRAIN_NAME, is_context
from ..core.plural import plural
from .copy_text import install_copy, table_text
from .job_bar import WATCHED_AFTER_MS
from .lesion_table import SORT_ROLE, CoordinateItem, FixedDecimals, KeyedRowJump
from .plain_text import plain_label, plain_tooltip
from .qt_guard import guard_overrides
from .sort_arrow import point_sort_arrows

COLUMNS = ("#", "mL", "Diam. mm", "R/L", "A/P", "S/I", "Location", "Unsure")
TIPS = ("lesion number (1 = largest)", "volume in mL", "longest diameter in mm (RAS)",
        "centroid: mm right (R) or left (L) of x = 0; sorts from left to right",
        "centroid: mm anterior (A) or posterior (P) of y = 0; sorts from posterior to anterior",
        "centroid: mm superior (S) or inferior (I) of z = 0; sorts from inferior to superior",
        "where the lesion lies (McDonald 2017): periventricular, juxtacortical (or cortical), "
        "infratentorial or deep white matter, told against the MNI152 template fitted to the "
        "brain mask AI > Segment made; unknown where it cannot be told (the cell's tip says why)",
        "the model's mean uncertainty inside the lesion, in bits (0: sure, 1: a coin toss), from "
        "the map of AI > Show uncertainty; shown once that map is computed")
LOCATION, UNSURE = COLUMNS.index("Location"), COLUMNS.index("Unsure")
CANCELLED = "Not counted (cancelled): choose the segment above to count its lesions."


def count_lesions(labels, value: int, affine, heat=None, progress=None, cancel=None, where=None):
    """``(components, mask, origin, unsure, locations)`` of segment ``value``:
    :func:`segment_components` and, with an uncertainty map ``heat``, each lesion's mean
    uncertainty (else ``None``); with ``where`` (a :class:`LocationAsked`), each lesion's
    location (else ``None``)."""
    components, mask, origin = segment_components(labels, value, affine, progress=progress,
                                                  cancel=cancel)
    unsure = None
    if heat is not None and components:
        unsure = lesion_means(components, mask, origin, affine, heat.array, heat.ijk_to_ras,
                              cancel=cancel)
    locations = None
    if where is not None:
        with where.lock:   # a model's result starts two counts at once: one fit, used by both
            locations, where.case = labels_locations(components, mask, origin, labels, value,
                                                     where.brain_value, where.volume, where.case,
                                                     progress, cancel)
    return components, mask, origin, unsure, locations


def located_line(locations) -> str:
    """The summary's second line: the lesions per location, or why none is known."""
    if not locations:
        return ""
    reasons = {where.why for where in locations if where.name == UNKNOWN}
    if len(reasons) == 1 and all(where.name == UNKNOWN for where in locations):
        return f"\nlocation unknown: {reasons.pop()}"
    return f"\n{counts_text(locations)}"


class LocationAsked:
    """What a count needs to locate the lesions: the image, its brain segment's value, and the
    template's fit made before (:func:`~neuroview.app.lesion_location.labels_locations`), which
    the count leaves here for the next."""

    def __init__(self, volume, brain_value, case=None) -> None:
        self.volume, self.brain_value, self.case = volume, brain_value, case
        self.lock = threading.Lock()


def counting_line(listed: bool, done: float = 0, total: float = 0) -> str:
    """What the list says while a count has run :data:`WATCHED_AFTER_MS`: how far it got (the job
    bar shows it only while no job the user started holds the bar: a recount behind a model
    run gave no sign until session 44); ``listed``: the table holds the count before."""
    how_far = f" {min(100, int(100 * done / total))} %" if total > 0 else ""
    return (f"counting again after the last edit…{how_far} (the list is from before it)" if listed
            else f"finding the lesions…{how_far}")
NEXT_KEY, PREVIOUS_KEY = ".", ","
LIST_KEYS = (("Delete", "Reject the selected lesion (removed from its segment; one undo step)"),
             ("Ctrl+C", "Copy the table (tab-separated: pastes as a table; also Measurements' lines)"))
"""Keys the Lesions list handles itself (listed in Help > Keyboard shortcuts)."""


@guard_overrides
class LesionsPanel(QWidget):
    def __init__(self, editor, parent=None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.viewer = editor.viewer
        self.components: list = []
        self._segment_value: int | None = None
        self._shown_value: int | None = None   # the segment whose lesions the table lists
        self._followed_active: int | None = None
        self._unsubscribe = None
        self._stale = False
        self._in_front = True   # the dock's tab is the one shown (``tab_shown``)
        self._counted = None    # (labels version, segment) of the last count started
        self._generation = 0
        self._runner = None
        self._count_job = None   # the count running in the background, if any
        self._count_waiting = False   # a newer count asked for meanwhile ("force", "on screen")
        self._count_said = None   # (job, generation) of the count the summary line says
        self._count_how_far = (0.0, 0.0)   # its last progress report (done, total)
        self._asked = None   # what the image's lesions are located against (LocationAsked)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Segment"))
        self.segment_box = QComboBox()
        row.addWidget(self.segment_box, 1)
        layout.addLayout(row)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        for col, tip in enumerate(TIPS):
            self.table.horizontalHeaderItem(col).setToolTip(tip)
        self.table.verticalHeader().hide()
        self.table.setColumnHidden(UNSURE, True)   # until an uncertainty map is computed
        self.number_cells = (FixedDecimals(3, self.table), FixedDecimals(1, self.table),
                             FixedDecimals(2, self.table))
        for col, delegate in zip((1, 2, UNSURE), self.number_cells):   # mL, diameter, bits
            self.table.setItemDelegateForColumn(col, delegate)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(1, Qt.DescendingOrder)  # largest first
        point_sort_arrows(self.table.horizontalHeader())                        # ▼, not Fusion's ▲
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.previous_button = QPushButton(f"Previous ({PREVIOUS_KEY})")
        self.next_button = QPushButton(f"Next ({NEXT_KEY})")
        self.reject_button = QPushButton("Reject")
        self.reject_button.setToolTip("Remove the selected lesion from its segment (a false positive); "
                                      "Delete does the same, Ctrl+Z brings it back")
        self.reject_button.setEnabled(False)
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.reject_button)
        layout.addLayout(buttons)
        self.summary = plain_label()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.previous_button.clicked.connect(self.previous_lesion)
        self.next_button.clicked.connect(self.next_lesion)
        self.reject_button.clicked.connect(self.reject_selected)
        reject_key = QShortcut(QKeySequence.Delete, self.table, context=Qt.WidgetShortcut)
        reject_key.activated.connect(self.reject_selected)
        self.table.itemSelectionChanged.connect(
            lambda: self.reject_button.setEnabled(bool(self.table.selectionModel().selectedRows())))
        self.table.cellClicked.connect(lambda row, _col: self.jump_to_row(row))
        self.keyed_jump = KeyedRowJump(self.table, self.jump_to_row)
        self.copy_action = install_copy(self.table, lambda: table_text(self.table), "Copy table")
        self.segment_box.activated.connect(self._segment_chosen)
        editor.labels_edited.connect(self.refresh)
        editor.segments_changed.connect(self._segments_changed)
        editor.case_changed.connect(self._case_changed)

    # -- following the editor -------------------------------------------------------------------
    def _case_changed(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._segment_value = self._followed_active = self._counted = self._asked = None
        session = self.editor.session
        if session is not None:
            self._unsubscribe = session.subscribe(self._session_event)
        self._segments_changed()

    def _session_event(self, event) -> None:
        """A model's result just landed: show its segment and jump to its largest lesion."""
        step = event.step
        if event.kind == "commit" and step is not None and step.name == "model":
            QTimer.singleShot(0, self, lambda: self.show_model_result(step.meta.get("model", "")))

    def show_model_result(self, model: str) -> None:
        """The first of ``model``'s lesion segments that holds a lesion, listed, and the views at
        its largest one. Its lesions are found in a worker: on the GUI thread they held the
        window 110 ms of the 250 ms gap after *AI > Segment*'s last patch on the demo case
        (``bench/gui_stalls.py``, 78 ms of it measuring each lesion's diameter)."""
        session = self.editor.session
        if session is None:
            return
        # the brain mask a card's brain extraction adds is not a lesion segment
        made = [s.value for s in session.segments
                if s.origin == "model" and s.model == model and not is_context(s)]
        if not made:
            self._fill_segments()
            return
        self._stale = False
        self._segment_value = made[0]   # what a refresh meanwhile lists
        version, looking = session.version, self._looking_at()
        labels, affine = session.labels.array, session.volume.ijk_to_ras.copy()
        heat, where = self._heat(), self._where(session)

        def work(progress, cancel):
            for value in made:
                found = count_lesions(labels, value, affine, heat, progress, cancel, where)
                if found[0]:
                    break
            return value, found

        def done(outcome) -> None:
            value, found = outcome
            if self.editor.session is not session:
                return   # another image was opened meanwhile
            self._segment_value = value
            self._fill_segments()
            if session.version != version:   # edited meanwhile: listed as it is now, no jump
                self.refresh(force=True)
                return
            self._generation += 1   # (a refresh started meanwhile found the same lesions)
            self._counted = (version, value)
            self._show(self._generation, *found)
            if self.components and self._looking_at() != looking:   # the reader moved on: no yank
                self.editor.status.emit(f"{model}: {plural(len(self.components), 'lesion')} listed in "
                                        "the Lesions tab; the views stay where you moved them "
                                        f"('{NEXT_KEY}' steps through the lesions)")
            elif self.components:
                dock = self.parentWidget()
                if dock is not None and hasattr(dock, "toggleViewAction"):
                    dock.show()
                    dock.raise_()
                self.jump_to_row(self._row_of(1))

        self.jobs().start(work, on_done=done, label="Lesion list")

    def _looking_at(self) -> tuple:
        """Where the reader is: the crosshair and the mouse tool. Moved while the model's lesions
        were counted (6 s on the demo case at load 8), the views stay: they jumped to the largest
        lesion and the Lesions tab covered the AI click tool just picked (session 52's walk)."""
        state = self.viewer.state
        return (None if state is None else tuple(round(float(x), 3) for x in state.crosshair_ras),
                self.viewer.mode)

    def _segments_changed(self) -> None:
        session = self.editor.session
        active = session.active_segment if session is not None else None
        if active is not None and active != self._followed_active:
            self._followed_active = active
            self._segment_value = active
        self._fill_segments()
        self.refresh()

    def _fill_segments(self) -> None:
        session = self.editor.session
        self.segment_box.clear()
        if session is None:
            return
        values = [s.value for s in session.segments]
        if self._segment_value not in values:
            self._segment_value = values[0] if values else None
        for segment in session.segments:
            self.segment_box.addItem(segment.name, segment.value)
        if self._segment_value is not None:
            self.segment_box.setCurrentIndex(values.index(self._segment_value))

    def _segment_chosen(self, index: int) -> None:
        self._segment_value = self.segment_box.itemData(index)
        self.refresh()

    # -- the table --------------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def tab_shown(self, shown: bool) -> None:
        """The dock came to the front of its tabs (or went behind another): Qt keeps a dock
        behind another tab visible, only moved off the window, so ``isVisible`` stayed true and
        the list behind the Segment editor's tab counted the lesions after every edit."""
        self._in_front = shown
        if shown and self._stale:
            self.refresh()
        if shown:   # columns that came in while it was behind the tab
            QTimer.singleShot(0, self, self._fit_width)

    def on_screen(self) -> bool:
        return self.isVisible() and self._in_front

    def refresh(self, force: bool = False, wait: bool = False) -> None:
        """Recompute the components of the chosen segment and refill the table, in a worker thread
        (``wait``: now). Only while the panel is on screen, or with ``force``; not again for the
        labels and segment counted last (loading a label map asked four times, 1.3 s each on a
        512x512x300 CT, two of them still running through the first wheel steps after)."""
        if not (force or self.on_screen()):
            self._stale = True
            return
        self._stale = False
        session = self.editor.session
        counted = None if session is None else (session.version, self._segment_value)
        if counted is not None and counted == self._counted and not (force or wait):
            return   # that count is shown, or on its way
        self._counted = counted
        self._generation += 1
        generation = self._generation
        if session is None or self._segment_value is None:
            self._show(generation, [], None)
            return
        # The segment's box is found slab by slab and only that box is copied (a whole-map mask
        # of a 512x512x1000 CT is 250 MiB, and each refresh queued would hold one). Painting
        # meanwhile starts a newer refresh; this one's result is then dropped.
        labels, value = session.labels.array, self._segment_value
        affine, heat = session.volume.ijk_to_ras.copy(), self._heat()
        where = self._where(session)
        if wait:   # on the GUI thread: the template's fit (seconds) only in a worker
            fitted = where.case is not None and where.case.key[1:2] == (value,)
            self._show(generation, *count_lesions(labels, value, affine, heat,
                                                  where=where if fitted else None))
            return
        if not self.components or value != self._shown_value:
            # not "no lesions in this segment", left from before, while they are still counted
            # (seconds for a label map loaded), nor another segment's count
            self.summary.setText(counting_line(False))
        if self._count_job is not None:   # at most one running and one waiting, the newest
            self._count_waiting = "force" if force else (self._count_waiting or "on screen")
            return   # (fast strokes started one count each, in parallel)
        self._count_job = job = self.jobs().start(
            lambda progress, cancel: count_lesions(labels, value, affine, heat, progress, cancel,
                                                   where),
            on_done=lambda found: self._count_ended(generation, found),
            on_error=lambda text: self._count_ended(generation, None),
            on_cancel=lambda: self._count_ended(generation, ()), label="Lesion list")
        self._count_how_far = (0.0, 0.0)
        QTimer.singleShot(WATCHED_AFTER_MS, self, lambda: self._counting(job, generation))

    def _counting(self, job, generation: int) -> None:
        """A count running long (or its progress since): said on the summary line while it is
        the newest count asked for."""
        if job is not self._count_job or job.finished or generation != self._generation:
            return
        self._count_said = (job, generation)
        listed = bool(self.components) and self._shown_value == self._segment_value
        self.summary.setText(counting_line(listed, *self._count_how_far))

    def _count_progress(self, job, done: float, total: float, _text: str) -> None:
        if job is self._count_job:
            self._count_how_far = (done, total)
        if self._count_said is not None and job is self._count_said[0]:
            self._counting(job, self._count_said[1])

    def _count_ended(self, generation: int, found) -> None:
        """A background count ended (``found`` None: it failed, ``()``: cancelled): shown if
        still the newest, and the one asked for meanwhile started (the labels as they are now)."""
        self._count_job = self._count_said = None
        if not found and generation == self._generation:
            self._counted = None   # the next refresh tries again
        if found == () and generation == self._generation and not self._count_waiting:
            # Cancel on the job bar: no half list, nor the list of the labels before
            self.components, self._shown_value = [], None
            self.table.setRowCount(0)
            self.summary.setText(CANCELLED)
        if found is None:
            self._show(generation, [], None)
        elif found:
            self._show(generation, *found)
        if self._count_waiting:   # asked with force, or while on screen (else it waits to be shown)
            force, self._count_waiting = self._count_waiting == "force", False
            self._counted = None
            self.refresh(force=force)

    def jobs(self):
        if self._runner is None:
            from .workers import JobRunner

            self._runner = JobRunner(self)
            self._runner.job_progress.connect(self._count_progress)
        return self._runner

    @property
    def busy(self) -> bool:
        """True while a refresh runs in the background."""
        return self._runner is not None and self._runner.busy

    def _heat(self):
        """The uncertainty map shown or hidden in the views (``AI > Show uncertainty``), if any."""
        state = self.viewer.state
        return state.heat if state is not None else None

    def map_changed(self) -> None:
        """An uncertainty map was computed: count again, with each lesion's mean uncertainty
        (now while the list is on screen, else when it comes to the front)."""
        self._counted = None
        self.refresh()

    def _where(self, session) -> LocationAsked:
        """What a count of ``session``'s lesions locates them against (the fit kept per image)."""
        brain = next((s.value for s in session.segments
                      if s.origin == "model" and s.name.lower() == BRAIN_NAME), None)
        if self._asked is None or self._asked.volume is not session.volume:
            self._asked = LocationAsked(session.volume, brain)
        self._asked.brain_value = brain
        return self._asked

    def _show(self, generation: int, components: list, mask, origin=(0, 0, 0),
              unsure=None, locations=None) -> None:
        if generation != self._generation:
            return  # a newer refresh is on its way
        self.components, self._shown_value = components, self._segment_value
        self.table.setColumnHidden(UNSURE, unsure is None)
        sort_column = self.table.horizontalHeader().sortIndicatorSection()
        order = self.table.horizontalHeader().sortIndicatorOrder()
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self.components))
        for row, c in enumerate(self.components):
            bits = unsure[row] if unsure is not None else None
            where = locations[row] if locations is not None else None
            values = (c.index, round(c.volume_ml, 3), round(c.diameter_mm, 1), *c.centroid_ras,
                      "" if where is None else where.name, "" if bits is None else round(bits, 2))
            for col, value in enumerate(values):
                item = QTableWidgetItem() if col < 3 or col >= LOCATION else CoordinateItem()
                if col == LOCATION and where is not None and where.name == UNKNOWN:
                    item.setToolTip(plain_tooltip(f"unknown: {where.why}"))
                if col < 3 or col >= LOCATION:
                    item.setData(Qt.DisplayRole, value)  # numbers: the columns sort numerically
                else:
                    item.setData(Qt.DisplayRole, format_ras_side(value, col - 3))
                    item.setData(SORT_ROLE, float(value))
                item.setData(Qt.UserRole, c.index)
                item.setTextAlignment((Qt.AlignLeft if col == LOCATION else Qt.AlignRight)
                                      | Qt.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.setSortingEnabled(True)
        self.table.sortItems(sort_column, order)
        if unsure is not None or locations:
            QTimer.singleShot(0, self, self._fit_width)   # once the columns have their widths
        self._select_lesion_at_crosshair(mask, origin)
        total = sum(c.volume_ml for c in self.components)
        n = len(self.components)
        self.summary.setText(f"{n} lesion{'s' if n != 1 else ''}, {total:.3f} mL (26-connected)"
                             f"{located_line(locations)}"
                             if self.components else "no lesions in this segment")

    def _fit_width(self) -> None:
        """Widen the dock to show every column: the *Unsure* column (and the *Location* column,
        whose words are wider than the figures) came in past the right edge of a dock just wide
        enough for the others (under a scroll bar, unseen)."""
        table, dock = self.table, self.parentWidget()
        if not self.on_screen():   # behind the editor's tab: the views narrowed under the
            return                 # pointer for a list not shown (session 52's walk)
        short = table.horizontalHeader().length() - table.viewport().width()
        if short > 0 and isinstance(dock, QDockWidget) and not dock.isFloating():
            dock.window().resizeDocks([dock], [dock.width() + short], Qt.Horizontal)

    def _select_lesion_at_crosshair(self, mask, origin=(0, 0, 0)) -> None:
        """Keep the row of the lesion under the crosshair selected across refreshes (rows move)."""
        self.table.clearSelection()
        self.table.setCurrentCell(-1, -1)
        session, state = self.editor.session, self.viewer.state
        if session is None or state is None or mask is None:
            return
        ijk = session.volume.ras_to_voxel(state.crosshair_ras)
        if ijk is None:
            return
        for c in self.components:
            if c.contains(mask, ijk, origin=origin):
                self.table.selectRow(self._row_of(c.index))
                return

    def _row_of(self, index: int) -> int:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(Qt.UserRole) == index:
                return row
        return -1

    def jump_to_row(self, row: int) -> None:
        """Move the crosshair (all views) to the lesion in ``row`` of the table as sorted now."""
        if not 0 <= row < self.table.rowCount():
            return
        component = self.components[self.table.item(row, 0).data(Qt.UserRole) - 1]
        session = self.editor.session
        self.table.selectRow(row)
        self.viewer.show_point(voxel_ras(component.jump_ijk, session.volume.ijk_to_ras))

    def reject_selected(self) -> None:
        """Remove the selected row's lesion from its segment (one undo step); the list refreshes."""
        rows = self.table.selectionModel().selectedRows()
        session = self.editor.session
        if not rows or session is None or self._segment_value is None:
            return
        component = self.components[self.table.item(rows[0].row(), 0).data(Qt.UserRole) - 1]
        if self.editor.reject_lesion(self._segment_value, component.jump_ijk) is not None:
            self.refresh(force=True, wait=True)

    def _step(self, delta: int) -> None:
        if self._stale:  # the keys work with the list closed or behind another tab
            self.refresh(force=True, wait=True)
        count = self.table.rowCount()
        if not count:
            return
        current = self.table.currentRow()
        row = (0 if delta > 0 else count - 1) if current < 0 else (current + delta) % count
        self.jump_to_row(row)

    def next_lesion(self) -> None:
        self._step(+1)

    def previous_lesion(self) -> None:
        self._step(-1)


def install_lesions_panel(window, menu):
    """Add the Lesions dock (tabbed with the segment editor) and Next/Previous lesion to ``menu``."""
    from PySide6.QtGui import QAction, QKeySequence

    panel = LesionsPanel(window.editor, window)
    dock = QDockWidget("Lesions", window)
    dock.setObjectName("Lesions")
    dock.setWidget(panel)
    window.addDockWidget(Qt.RightDockWidgetArea, dock)
    dock.visibilityChanged.connect(panel.tab_shown)
    editor_dock = window.findChild(QDockWidget, "Segment editor")
    if editor_dock is not None:
        window.tabifyDockWidget(editor_dock, dock)
        editor_dock.raise_()
    menu.addSeparator()
    for text, key, slot in (("Next lesion", NEXT_KEY, panel.next_lesion),
                            ("Previous lesion", PREVIOUS_KEY, panel.previous_lesion)):
        action = QAction(text, window)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        menu.addAction(action)
    return panel   # its show/hide entry: with the other panels' (``dock_menu``)
