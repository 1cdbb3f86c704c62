"""File > Open follow-up...: baseline and later study side by side, linked, with the lesion table.

Both panes show the same plane (Axial, Sagittal or Coronal buttons) of the baseline's world (the
later study resampled onto the baseline grid for display only), with one crosshair: a click in
either pane moves it in both, and the other planes pass through it; the wheel, Up/Down or
PgUp/PgDn (as in the main window) changes the slice of both, Home/End take both to the first/last
slice; Ctrl+wheel or right-drag zooms (+ and - about the centre),
middle-drag pans and R resets both (``followup_mouse``). *Window/level* (F2) makes a left drag
change the window of both panes; the typed *Window* and *Level* boxes and the *Preset* box are
the main window's (``followup_wl``). F (or the Flicker button) shows the baseline in the right
pane until pressed again; D (Subtraction) shows later minus baseline there; the *Slab* box and M
draw a thick slab (MIP...) in both panes (``followup_pair``). The panes and the
table share the height through a splitter (``followup_table``: room for 10 lesions at first).
With several later studies, the "Follow-up" list chooses which one is shown against the baseline.
The "Table" list shows the lesions of the baseline against that study (the CLI's
``lesions_tpN.csv``) or across all time points (``lesions.csv``). The thresholds for
enlarging/shrinking (percent and mL, the CLI's ``--min-change-pct`` and ``--min-change-ml``) can
be changed: the statuses are decided again from the volumes, without registering again. A click on
a row of the lesion table jumps both panes to that lesion; a click on a column header sorts the
table (numbers as numbers). Export CSV... saves the table shown; Report... writes the HTML and PDF
report (the same files as ``neuroview followup``) in the background. Each pane carries the
orientation letters and the slice position, as the main window's views do.
"""

from __future__ import annotations

import os
from copy import deepcopy
from dataclasses import replace

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..app.followup import brain_change_line, model_masks_note
from ..app.followup_checks import patients_differ
from ..app.followup_lesions import (
    CSV_COLUMNS,
    MatchThresholds,
    for_reading,
    restatus,
    table_columns,
    table_csv,
    table_rows,
)
from ..app.followup_location import locations_lines
from ..app.followup_names import study_labels
from ..app.followup_track import tracking_of
from ..app.save_folder import proposed_folder, remember_folder
from ..app.shown_path import full_path, short_paths
from ..app.view_state import PLANES
from ..core.geometry import apply_affine
from ..core.volume import Volume
from .dialog_parts import close_buttons, row
from .followup_marking import MarkHistory
from .followup_pair import FollowupPairWidget
from .followup_stepping import add_stepping_keys
from .followup_table import fill_lesion_table, height_for_rows, lesion_table
from .followup_wl import WindowLevelControls
from .plain_text import plain_label, plain_tooltip
from .qt_guard import guard_overrides
from .save_question import file_to_save
from .screen_room import resize_within_screen
from .slab_row import SlabRowWidget, toggle_mip
from .threshold_box import threshold_box
from .workers import JobRunner

TABLES = ("baseline against the follow-up shown", "all time points")
NO_NEW = "no new or enlarging lesions"
ELSEWHERE = ("The main window shows another image now, none of the studies compared here: this "
             "window still shows them.")
ELSEWHERE_PATIENT = ("The main window shows another patient now: this window still shows the "
                     "studies compared here, of the patient before.")


@guard_overrides
class FollowupWindow(QWidget):
    """The pair of linked panes above the lesion table, for one baseline and its later studies
    (``laters[n]`` compared in ``comparisons[n]``)."""

    def __init__(self, baseline_volume: Volume, baseline, laters: list, comparisons: list,
                 info=None, parent=None, tracking=None, displays=None, marks=None,
                 on_marks=None) -> None:
        """``tracking`` (:func:`~neuroview.app.followup_track.tracking_of`) and ``displays``
        (:func:`~neuroview.app.followup_display.displays_on_baseline`) take seconds on 1 mm heads:
        File > Open follow-up... makes them in its worker; left out, they are made here.
        ``marks``: the reader's marks made before (:class:`~neuroview.app.followup_marks.Marks`);
        ``on_marks(marks)`` is called after each change, to keep them."""
        super().__init__(parent)
        from ..app.followup_display import displays_on_baseline
        from ..app.followup_report import ReportInfo, time_points_legend

        self.baseline_volume, self.baseline = baseline_volume, baseline
        self.laters, self.comparisons = list(laters), list(comparisons)
        self.info = info or ReportInfo()
        # as the report names them: the number, and the study's date and description
        self.labels = study_labels(baseline, self.laters)
        self.names = self.labels[1:]
        if tracking is None:
            tracking = tracking_of(baseline, self.laters, self.comparisons)
        if displays is None:
            displays = displays_on_baseline(baseline, self.laters, self.comparisons)
        self.tracking, self.displays = tracking, list(displays)
        self.marking = MarkHistory(self, marks, on_marks)
        self.index = 0
        self.closed = False
        self.runner = JobRunner(self)
        self.pair = FollowupPairWidget(baseline_volume, baseline.lesions, *self.displays[0],
                                       slab_worker=getattr(parent, "slab_worker", None))

        self.timepoint = QComboBox()
        self.timepoint.addItems(self.names)
        self.timepoint.currentIndexChanged.connect(self.show_followup)
        self.plane_buttons = QButtonGroup(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Follow-up:"))
        top.addWidget(self.timepoint)
        for plane in PLANES:
            button = QPushButton(plane.capitalize())
            button.setCheckable(True)
            button.setChecked(plane == self.pair.plane)
            button.clicked.connect(lambda _=False, p=plane: self.pair.set_plane(p))
            self.plane_buttons.addButton(button)
            top.addWidget(button)
        self.flicker_button = QPushButton("Flicker (F)")
        self.subtraction_button = QPushButton("Subtraction (D)")
        self.report_button = QPushButton("Report...")
        self.export_button = QPushButton("Export CSV...")
        self.export_button.setToolTip("Save the lesion table shown (the columns of neuroview "
                                      "followup's lesions_tpN.csv)")
        self.export_button.clicked.connect(self.ask_export)
        self.flicker_button.clicked.connect(lambda: self._toggle("flicker"))
        self.subtraction_button.clicked.connect(lambda: self._toggle("subtraction"))
        self.report_button.clicked.connect(self.ask_report)
        for button in (self.flicker_button, self.subtraction_button):
            top.addWidget(button)
        top.addStretch(1)
        top.addWidget(self.export_button)
        top.addWidget(self.report_button)
        # a row of its own: the top row has no room left on a 960-point wide screen
        self.wl = WindowLevelControls(self.pair, self)
        self.slab_row = SlabRowWidget(self.pair, views=False)   # both panes, M toggles a MIP
        window_row = QHBoxLayout()
        for widget in (self.wl.button, QLabel("Window:"), self.wl.window_box, QLabel("Level:"),
                       self.wl.level_box, QLabel("Preset:"), self.wl.preset_box, QLabel("Slab:"),
                       self.slab_row):
            window_row.addWidget(widget)
        window_row.addStretch(1)
        options = QHBoxLayout()
        self.table_choice = QComboBox()
        self.table_choice.addItems(TABLES)
        self.table_choice.currentIndexChanged.connect(lambda _: self.fill_table())
        thresholds = self.comparisons[0].thresholds
        self.min_change_pct = threshold_box(thresholds.min_change_pct, 1000.0, 5.0, 1, " %")
        self.min_change_ml = threshold_box(thresholds.min_change_ml, 1000.0, 0.01, 3, " mL")
        for box in (self.min_change_pct, self.min_change_ml):
            box.setToolTip("Volume change (both) that makes a lesion enlarging or shrinking: the "
                           "statuses follow at once, without registering again")
            box.valueChanged.connect(lambda _: self.set_thresholds())
        kind = self.comparisons[0].registration.kind
        self.brain_line = plain_label()   # the brain volume change of the study shown, or why none
        self.brain_line.setWordWrap(True)   # a long reason wraps rather than widening the window
        for widget in (QLabel("Table:"), self.table_choice, QLabel("Enlarging/shrinking at"),
                       self.min_change_pct, QLabel("and"), self.min_change_ml,
                       plain_label(f"({kind} registration)"), self.brain_line):
            options.addWidget(widget)
        options.addStretch(1)
        self.status = plain_label()   # it names files, studies and errors: never as HTML
        self.wl.boxes.tell = self.status.setText   # a width of 0 typed
        self.warning = plain_label()   # what goes with the comparison shown: a failed registration
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b00000; font-weight: bold")
        # what the columns of the table across time points mean (tp1 = baseline...), as the report
        # says above the same table: the window showed volume_tp2_ml with no word of which study
        self.table_note = plain_label()   # the studies' names
        self.table_note.setText(time_points_legend(self.labels)
                                + "; Status tpN: against the time point before")
        self.table_note.setWordWrap(True)
        self.table_note.hide()
        # under the table, as the report under its totals: where the new and enlarging lesions lie
        self.locations_line = plain_label()   # the studies' names
        self.locations_line.setWordWrap(True)
        self.runner.progress.connect(
            lambda done, total, text: self.status.setText(f"{text} ({100 * done / max(total, 1):.0f} %)"))

        self.table = lesion_table(len(CSV_COLUMNS))
        self.table.cellClicked.connect(self._jump)
        self.table.currentCellChanged.connect(self._jump)   # the arrow keys, as a click
        self.marking.attach(self.table)   # Delete / right-click: mark the lesion wrong
        add_stepping_keys(self)   # . , N P: the next lesion, the next new or enlarging one
        # the panes above, the table with its options below, the line between them dragged to
        # share the height: the table had a fixed fourth of it, about 4 rows of a 700-point window
        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addLayout(options)
        below_layout.addWidget(self.warning)
        below_layout.addWidget(self.table_note)
        below_layout.addWidget(self.table, 1)
        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.addWidget(self.pair)
        self.splitter.addWidget(below)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)   # a taller window gives the panes the height
        self.splitter.setStretchFactor(1, 0)
        self._shared = False
        self.elsewhere = plain_label()   # the main window shows none of these studies (follow)
        self.elsewhere.setWordWrap(True)
        self.elsewhere.setStyleSheet("color: #b00000; font-weight: bold")
        self.elsewhere.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.elsewhere)
        layout.addLayout(top)
        layout.addLayout(window_row)
        layout.addWidget(self.splitter, 1)
        # a Close button and Esc, as the app's other windows (it had only the title bar's X)
        self.close_box = close_buttons(self)
        self.close_box.button(QDialogButtonBox.Close).setFocusPolicy(Qt.TabFocus)
        # the locations under the table, on the Close button's row: a row of its own took the
        # height of two of the table's at 1000 x 700 (tests/ui/test_followup_table_room.py)
        layout.addWidget(row(self.locations_line, self.status, self.close_box))
        self._keys_to_the_panes()
        self.show_followup(0)
        # within a laptop screen (it opened 700 tall past its edge); 860 tall where there is room,
        # so that the panes and 10 lesions of the table are both seen
        resize_within_screen(self, 1000, 860)

    def follow(self, controller, study_paths) -> None:
        """Say at the top while the main window (its ``controller``) shows none of the studies
        compared here (their files or folders, ``study_paths``), in red: another patient's image
        (by DICOM Patient ID) was read beside the comparison of the patient before with no word.
        The window stays: the reader opens a study in the main window to correct its mask, and
        the comparison took minutes to make."""
        self._main, self._study_paths = controller, set(study_paths)
        controller.volume_changed.connect(self._main_image_changed)   # gone with this window
        self._main_image_changed()

    def _main_image_changed(self) -> None:
        volume, text = self._main.volume, ""
        if volume is not None and volume.source_path not in self._study_paths:
            text = ELSEWHERE_PATIENT if patients_differ(volume, self.baseline_volume) else ELSEWHERE
        self.elsewhere.setText(text)
        self.elsewhere.setVisible(bool(text))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._shared:   # once: then the user's drag stays
            self._shared = True
            self.share_height()
            # the keys to the panes again, once shown:
            # File > Open follow-up... turns this child of the main window into a window
            # (setWindowFlag), which took them from the panes, and the window then gave them to
            # the Follow-up list (Down chose the next study)
            self.pair.setFocus(Qt.OtherFocusReason)

    def share_height(self) -> None:
        """The table gets the room for ``ROWS_SHOWN`` lesions (with its options line), at most half
        the height of the panes and the table together; the panes keep the rest."""
        total = sum(self.splitter.sizes())
        below = self.splitter.widget(1)
        extra = below.sizeHint().height() - self.table.sizeHint().height()
        wanted = extra + height_for_rows(self.table)
        table_part = min(wanted, total // 2)
        self.splitter.setSizes([total - table_part, table_part])

    def _keys_to_the_panes(self) -> None:
        """The keys go to the panes, as in the main window's views: they have them when the
        window opens, a click on a button or a list leaves them there (Tab still reaches those),
        and F and D work wherever the keys are but in a box being typed into. The *Follow-up*
        list had them first: F chose follow-up 2 instead of flickering, Down the next study."""
        for widget in (*self.plane_buttons.buttons(), self.flicker_button, self.subtraction_button,
                       self.export_button, self.report_button, self.timepoint, self.table_choice,
                       self.slab_row.mode_box):
            widget.setFocusPolicy(Qt.TabFocus)
        for key, name in (("F", "flicker"), ("D", "subtraction")):
            QShortcut(QKeySequence(key), self, lambda n=name: self._toggle(n))
        QShortcut(QKeySequence("M"), self, lambda: toggle_mip(
            self.slab_row, not self.pair.state.slabs[self.pair.plane].on))
        self.pair.setFocus(Qt.OtherFocusReason)

    def closeEvent(self, event) -> None:
        """Closing frees the window and the images it holds (tens of MB per later study; a
        closed window used to stay alive, hidden, until the application quit), at once or, while
        Report... writes, once the report is written (the window does not wait for it)."""
        super().closeEvent(event)
        if not event.isAccepted():
            return
        self.closed = True
        for slab in self.pair.slabs:   # a slab being computed: stopped at its next plane
            slab.job.cancel()
        if not self.runner.busy:
            self.deleteLater()

    @property
    def comparison(self):
        return self.comparisons[self.index]

    @property
    def all_time_points(self) -> bool:
        return self.table_choice.currentIndex() == 1

    def show_followup(self, index: int) -> None:
        """Show later study ``index`` against the baseline: right pane and lesion table."""
        self.index = int(index)
        self.pair.names = (self.labels[0], self.names[self.index])
        self.pair.set_later(*self.displays[self.index])
        self.show_marks()
        self.setWindowTitle(f"Follow-up: {self.labels[0]} | {self.names[self.index]}")
        self.brain_line.setText(brain_change_line(self.baseline, self.laters[self.index], self.comparison))
        made = model_masks_note(self.baseline, self.laters[self.index])   # not corrected
        notes = [*self.comparison.notes, *([made] if made else [])]
        self.warning.setText("\n".join(f"Warning: {note}." for note in notes))
        self.warning.setVisible(bool(notes))
        self.fill_table()

    def show_marks(self) -> None:
        """Outline the lesions marked wrong in grey-blue in both panes (``followup_marking``)."""
        later, shown = self.laters[self.index], self.displays[self.index][1]
        self.pair.show_marked(*self.marking.marks.shown_on_baseline(
            self.baseline, later, self.index + 1, shown, self.comparison.registration.fixed_to_moving))

    def shown_table(self) -> tuple[list[str], list[list[str]], str]:
        """``(columns, text rows, CSV)`` of the table chosen: the pair's or all time points'."""
        if self.all_time_points:
            return self.tracking.columns(), self.tracking.text_rows(), self.tracking.csv()
        table = self.comparison.table
        return table_columns(table), table_rows(table), table_csv(table)

    def fill_table(self) -> None:
        self._show_table_note(self.all_time_points)
        columns, rows, _ = self.shown_table()
        fill_lesion_table(self.table, *for_reading(columns, rows))   # L 21.1, as the Lesions panel
        self.locations_line.setText(self.locations_text())

    def locations_text(self) -> str:
        """The line under the table: the new and enlarging lesions per location, the lines the
        report writes under its totals (``new lesions: 2 (periventricular 1, juxtacortical 1)``),
        of the follow-up shown, or of each follow-up (named) under the table across time points;
        those the reader marked wrong left out."""
        if not self.all_time_points:
            return "; ".join(locations_lines(self.comparison.table.rows)) or NO_NEW
        lines = [f"{name}: {line}" for name, comparison in zip(self.names, self.comparisons)
                 for line in locations_lines(comparison.table.rows)]
        return "\n".join(lines) or NO_NEW

    def _show_table_note(self, shown: bool) -> None:
        """Show or hide the line over the table across time points, its height taken from the
        panes (or given back to them): the table keeps the rows it had in sight."""
        if self.table_note.isHidden() != shown:
            return
        sizes = self.splitter.sizes()
        self.table_note.setVisible(shown)
        below = self.splitter.widget(1)
        room = self.table_note.heightForWidth(below.width()) + below.layout().spacing()
        if self._shared and sizes[0] > room:
            step = room if shown else -room
            self.splitter.setSizes([sizes[0] - step, sizes[1] + step])

    def set_thresholds(self) -> None:
        """Decide the statuses again (every follow-up and all time points) with the thresholds in
        the boxes: volumes and lesion links stay, nothing is registered again."""
        thresholds = MatchThresholds(self.min_change_pct.value(), self.min_change_ml.value())
        for comparison in self.comparisons:
            comparison.thresholds = thresholds
            restatus(comparison.table, thresholds)
        self.tracking.restatus(thresholds)
        self.fill_table()

    def _toggle(self, name: str) -> None:
        setattr(self.pair, name, not getattr(self.pair, name))
        self.pair.update()

    def table_text(self) -> list[list[str]]:
        return [[self.table.item(r, c).text() for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]

    def lesion_at(self, row: int):
        """The lesion (``LesionRow`` or ``TrackedLesion``) of table row ``row``, or None."""
        if row < 0 or self.table.item(row, 0) is None:
            return None
        lesion_id = int(self.table.item(row, 0).text())
        rows = self.tracking.rows if self.all_time_points else self.comparison.table.rows
        return next(r for r in rows if r.id == lesion_id)

    def _jump(self, row: int, *_columns) -> None:
        """Both panes to the lesion of table row ``row``: to the centre of the baseline voxel at
        its centre, so each plane shows one voxel slice, as a click in a pane does (its exact
        centre showed a blend of two slices, its outline on one of them)."""
        lesion = self.lesion_at(row)
        if lesion is None:
            return
        grid = self.pair.baseline
        voxel = grid.ras_to_voxel(lesion.position_ras)
        self.pair.show_point(lesion.position_ras if voxel is None
                             else apply_affine(grid.ijk_to_ras, np.asarray(voxel, float)))

    # -- export and report ------------------------------------------------------------------------
    def save_folder(self) -> str:
        """Where *Export CSV...* and *Report...* start: the folder saved to last, else the
        baseline's own (``app.save_folder``, as *Save labels*); both started in the program's
        working folder."""
        return str(proposed_folder(self.baseline_volume.source_path or ""))

    def ask_export(self) -> None:
        name = "lesions.csv" if self.all_time_points else f"lesions_tp{self.index + 2}.csv"
        path = file_to_save(self, "Export the lesion table", os.path.join(self.save_folder(), name),
                            "CSV files (*.csv)")
        if path:
            remember_folder(path)
            self.export_csv(path)

    def export_csv(self, path) -> None:
        """Write the lesion table shown to ``path``: the file ``neuroview followup`` writes as
        ``lesions_tpN.csv`` or ``lesions.csv`` (rows by id, whatever the sort on screen)."""
        from ..core.atomic import write_text_atomic

        try:
            write_text_atomic(path, self.shown_table()[2])
        except OSError as error:
            self.status.setText(f"Export CSV: could not write {self._short(path)}: {error.strerror or error}")
            self.status.setToolTip(plain_tooltip(full_path(path)))
            return
        self.status.setText(f"wrote {self._short(path)}")
        self.status.setToolTip(plain_tooltip(full_path(path)))

    def _short(self, *paths) -> str:
        """Files as the status line names them (``shown_path``: the whole path on hover)."""
        return short_paths(paths, self.baseline_volume.source_path)

    def ask_report(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder for the follow-up report",
                                                  self.save_folder())
        if folder:
            remember_folder(folder)   # its parent: the next report's folder goes beside it
            self.write_report(folder)

    def write_report(self, folder):
        """Write the report files in ``folder`` off the GUI thread (what ``neuroview followup``
        writes); the status line says where they went, or what went wrong. Closing the window
        does not wait for it (that froze the application for the seconds a report takes): it
        is written all the same, and the main window's notice bar then says where. Quitting the
        application meanwhile cancels it (the main window waits for every runner) and leaves the
        folder as it was: the set is written in a hidden folder and moved in whole."""
        from ..app.followup_outputs import REPORT_FILES, Drawing, write_outputs
        from ..core.staged import staged_folder
        from ..render.png import write_png
        from ..render.slices import render_view

        # the marks as they are now, on the worker's own copies of the tables: it marks their rows
        # (a mark undone meanwhile was set back in the window's own)
        marks = self.marking.marks
        comparisons = [replace(c, table=deepcopy(c.table)) for c in self.comparisons]

        def work(progress, cancel):   # all or none of the set (``core.staged``), as the CLI's
            with staged_folder(folder, last=REPORT_FILES) as stage:
                written = write_outputs(stage, self.baseline_volume, self.baseline, self.laters,
                                        comparisons, self.info, Drawing(render_view, write_png),
                                        progress, cancel, marks)
            return [os.path.join(folder, os.path.relpath(path, stage)) for path in written]

        self.report_button.setEnabled(False)

        def finished(text: str, paths=()) -> None:
            tip = "\n".join(full_path(p) for p in paths)
            self.report_button.setEnabled(True)
            self.status.setText(text)
            self.status.setToolTip(plain_tooltip(tip))
            notice = getattr(self.parentWidget(), "notice_bar", None)
            if self.closed and notice is not None:   # closed while it was written
                notice.show_message(f"Follow-up report: {text}", tooltip=tip)
            if self.closed and not self.runner.busy:
                self.deleteLater()

        return self.runner.start(work, on_done=lambda paths: finished(f"wrote {self._short(*paths)}", paths),
                                 on_error=lambda text: finished(f"Report: {text}"),
                                 on_cancel=lambda: finished("Report cancelled"), label="report")
