"""The *Adjudicate* tab of File > Compare readers... and File > Adjudicate... (a part of
``readers_dialog.ReadersDialog``, which finds and compares the readers' SEGs): the lesions matched
across readers, whose outline to take for each, then *Apply* to the label map, *Save SEG...*,
*Send to server* or *Add to training set...*."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..app.components import voxel_ras
from ..app.error_paths import short_error
from ..app.pending_choices import keep_choices, recall_choices
from ..app.reader_choice import WORDS
from ..app.readers import (
    apply_adjudication,
    is_dicom,
    kept_by_locked,
    not_adjudicated,
    save_adjudicated_seg,
    send_adjudicated,
    snapshot,
)
from ..app.shown_path import full_path, short_path
from ..core.errors import NeuroviewError
from ..core.plural import plural
from ..dataset.adjudication import CONSENSUS, NOTHING, Other, empty_choice
from ..io.dicom.person_name import readable_name
from .actions_labels import LABEL_FILTER
from .compaction import mark_saved_and_compact
from .flow_layout import FlowLayout
from .pacs_save import not_sent, sent_after_cancel
from .plain_text import plain_label, plain_tooltip
from .readers_tables import FittedColumns, read_only_table, shown_reader, table_item, whole_item
from .save_question import file_to_save


def shown_option(option) -> str:
    """What a lesion was taken from, as the *Taken* column and the status line say it: a reader
    whose name reads "Consensus" or "None" is "reader Consensus", not the consensus."""
    if isinstance(option, Other):
        return option.value
    shown = shown_reader(option)
    return f"reader {shown}" if shown.casefold() in WORDS else shown


def what_applied(result) -> str:
    """An Apply's voxels and the outline taken per lesion: ``14 voxels; 1: Bob Jones``."""
    taken = ", ".join(f"{n}: {shown_option(c)}" for n, c in sorted(result.taken.items()))
    return f"{sum(result.voxels.values())} voxels; {taken}"


class ReadersAdjudication:
    """Choosing an outline per lesion and using the adjudicated mask."""

    def _adjudicate_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.progress = plain_label()   # it names readers as their SEGs do: never as HTML
        self.progress.setText("Lesions matched across readers: choose one, then whose outline to take.")
        self.progress.setWordWrap(True)
        layout.addWidget(self.progress)
        self.lesions = read_only_table(["Lesion"])
        self.lesions.itemSelectionChanged.connect(self._lesion_selected)
        # the readers' columns (the widest first), then Taken, give way to a narrow table
        self.lesion_columns = FittedColumns(self.lesions, lambda n: [tuple(range(1, n - 1)), n - 1])
        layout.addWidget(self.lesions, 1)
        self.take_row = FlowLayout()   # one button per reader, wrapping onto further rows
        self.take_buttons: dict[str, QPushButton] = {}
        layout.addLayout(self.take_row)
        form = QFormLayout()
        self.adjudicator_edit = QLineEdit()
        self.adjudicator_edit.setPlaceholderText("Your name, as you write it: Sam Senior (or Senior, Sam)")
        self.adjudicator_edit.setToolTip("Written in the SEG as DICOM writes names (Senior^Sam), and "
                                         "in its description as you read it (Sam Senior's version)")
        from ..app.reader_name import remembered_reader

        self.adjudicator_edit.setText(shown_reader(remembered_reader()) if remembered_reader() else "")
        form.addRow("Adjudicator", self.adjudicator_edit)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.apply_button = QPushButton("Apply to label map")
        self.apply_button.setToolTip("The adjudicated mask becomes the label map (one undo step); "
                                     "edit it further with the segment editor")
        self.apply_button.clicked.connect(self.apply)
        self.save_button = QPushButton("Save SEG...")
        self.save_button.clicked.connect(self.save_seg_dialog)
        self.send_button = QPushButton("Send to server")
        self.send_button.clicked.connect(self.send)
        self.training_button = QPushButton("Add to training set...")
        self.training_button.clicked.connect(self.add_to_training_set)
        for button in (self.apply_button, self.save_button, self.send_button, self.training_button):
            buttons.addWidget(button)
            button.setEnabled(False)
        layout.addLayout(buttons)
        self._apply_said: str | None = None   # the status line about an Apply, while it shows
        self._applied_said = ""   # that line while this plan's Apply is in force
        return page

    # -- adjudicate -----------------------------------------------------------------------------
    def _start_plan(self, plan) -> None:
        self.plan = plan
        readers = self.comparison.readers
        self.lesions.setColumnCount(2 + len(readers))
        self.lesions.setHorizontalHeaderLabels(["Lesion"] + [f"{shown_option(r)} voxels" for r in readers]
                                               + ["Taken"])
        for col, reader in enumerate(readers, start=1):   # the whole name on hover
            header = self.lesions.horizontalHeaderItem(col)
            header.setToolTip(plain_tooltip(f"Voxels {shown_option(reader)} drew in the lesion"))
        groups = self.plan.groups if self.plan else []
        self.lesions.setRowCount(len(groups))
        for row, group in enumerate(groups):
            self.lesions.setItem(row, 0, table_item(str(group.number)))
            for col, reader in enumerate(readers, start=1):
                self.lesions.setItem(row, col, table_item(str(group.voxels[reader])))
            self.lesions.setItem(row, 1 + len(readers), whole_item("undecided"))
        # the choices a killed (or closed) window made on these lesions and did not apply
        restored = recall_choices(self.case.workspace, plan) if plan is not None and self.case else 0
        for row, group in enumerate(groups):
            if group.number in plan.choices:
                self._show_taken(row, plan.choices[group.number])
        self.lesion_columns.fit()
        self._set_take_buttons(self.plan.options if self.plan else [])
        self._update_buttons()
        if restored:
            were = "was" if restored == 1 else "were"
            self.progress.setText(f"{plural(restored, 'choice')} not yet applied {were} restored. "
                                  f"{self.progress.text()}")

    def show_restored(self) -> None:
        """The window's case restored after a kill, its Apply's plan read back from the workspace
        (``app.adjudication_record``): its lesions as taken, its adjudicator, and *Save SEG...*,
        *Send to server* and *Add to training set...* as the killed window had them (they stayed
        greyed out until the readers were compared again). Another comparison decides anew."""
        case = self.main_window.editor.case
        plan = getattr(case, "adjudication", None)
        if plan is None or plan.result is None or case is self.case:
            return
        self.case, self.plan, self.comparison = case, plan, None
        result = plan.result
        self.lesions.setColumnCount(3)
        self.lesions.setHorizontalHeaderLabels(["Lesion", "Voxels taken", "Taken"])
        self.lesions.setRowCount(len(result.taken))
        for row, number in enumerate(sorted(result.taken)):
            for col, item in enumerate((table_item(str(number)), table_item(str(result.voxels[number])),
                                        whole_item(shown_option(result.taken[number])))):
                self.lesions.setItem(row, col, item)
        self.lesion_columns.fit()
        self._set_take_buttons([])
        adjudicator = shown_reader(result.adjudicator)
        self.adjudicator_edit.setText(adjudicator)
        record = plan.provenance()   # a restored plan's record, or a live Apply's (a new dialog)
        method = self.method_box.findText(str(record.get("consensus")), Qt.MatchFixedString)
        if method >= 0:   # the consensus compared with (a Find and compare uses it again)
            self.method_box.setCurrentIndex(method)
        one = len(result.taken) == 1
        readers = ", ".join(shown_reader(r["reader"]) for r in record.get("readers", []))
        self.progress.setText(f"Restored: {len(result.taken)} lesion{'' if one else 's'} as "
                              f"{adjudicator} adjudicated {'it' if one else 'them'} (readers: "
                              f"{readers}). Find and compare to decide again.")
        self._applied_said = (f"Restored: {adjudicator}'s adjudicated version is the label map: save "
                              "it, send it or add it to a training set.")
        self._say_applied(self._applied_said)
        self.status.setToolTip("")
        self._update_buttons()

    def _set_take_buttons(self, options: list[str]) -> None:
        for button in self.take_buttons.values():
            self.take_row.removeWidget(button)
            button.deleteLater()
        self.take_buttons = {}
        for option in options:
            text = {CONSENSUS: "Take consensus", NOTHING: "Not a lesion"}.get(
                option, f"Take {shown_option(option)}")
            button = QPushButton(text)
            if not isinstance(option, Other):
                said = f"Take {shown_option(option)}'s outline of the chosen lesion"
                button.setToolTip(plain_tooltip(said))
            button.clicked.connect(lambda _=False, o=option: self.take(o))
            self.take_row.addWidget(button)
            self.take_buttons[option] = button

    def selected_lesion(self) -> int | None:
        rows = {index.row() for index in self.lesions.selectedIndexes()}
        return int(self.lesions.item(min(rows), 0).text()) if rows else None

    def _lesion_selected(self) -> None:
        number = self.selected_lesion()
        if number is None or self.plan is None or self.case is None:
            return
        if self.comparison is not None:   # (a restored Apply's record compares nothing)
            self._take_buttons_for(number)
        p_ras = voxel_ras(self.plan.jump_ijk(number), self.case.volume.ijk_to_ras)
        controller = self.main_window.controller
        state = controller.state
        for plane, view in self.main_window.slice_views.items():  # a zoomed view pans to the lesion
            size = (view.width(), view.height())
            x, y = state.geometry(plane, *size).ras_to_pixel(p_ras)
            if not (0.1 * size[0] < x < 0.9 * size[0] and 0.1 * size[1] < y < 0.9 * size[1]):
                state.pan_by(plane, size[0] / 2 - x, size[1] / 2 - y, size)
        controller.set_crosshair(p_ras)

    def _take_buttons_for(self, number: int) -> None:
        """Grey out the take buttons of outlines that hold none of lesion ``number`` (a reader who
        did not draw it: taking them kept nothing, recorded as a lesion kept), saying why on hover."""
        consensus = self.plan.comparison.consensus
        group = self.plan.group(number)
        for option, button in self.take_buttons.items():
            empty = empty_choice(group, option, consensus.mask if consensus is not None else None)
            button.setEnabled(not empty)
            if empty or not isinstance(option, Other):
                button.setToolTip(plain_tooltip(empty or f"Take {shown_option(option)}'s outline of "
                                                "the chosen lesion"))

    def take(self, option: str) -> None:
        number = self.selected_lesion()
        if number is None or self.plan is None:
            self.progress.setText("Choose a lesion in the list first.")
            return
        try:
            self.plan.choose(number, option)
        except NeuroviewError as exc:   # an outline holding none of the lesion
            self.progress.setText(str(exc))
            return
        keep_choices(self.case.workspace if self.case is not None else None, self.plan)   # a kill keeps it
        row = next(r for r in range(self.lesions.rowCount()) if self.lesions.item(r, 0).text() == str(number))
        self._show_taken(row, option)
        self.lesion_columns.fit()
        if row + 1 < self.lesions.rowCount():  # on to the next lesion, as a reading worklist does
            self.lesions.selectRow(row + 1)
        self._update_buttons()

    def _show_taken(self, row: int, option) -> None:
        taken = self.lesions.item(row, self.lesions.columnCount() - 1)
        taken.setText(shown_option(option))
        taken.setToolTip(plain_tooltip(shown_option(option)))

    def _say_failure(self, error) -> None:
        """A failure in the status line: its files by name and folder, the whole text on hover
        (a SEG saved where it cannot be written named the chosen path whole)."""
        text = str(error)
        image = self.case.volume.source_path if self.case is not None else None
        self.status.setText(short_error(text, image))
        self.status.setToolTip(plain_tooltip(text))

    def _in_force(self):
        """The Apply in force on the case when it is this plan's, or an earlier Apply of the same
        lesions that Ctrl+Z of a later one gave back (``AppliedPlans.in_force_of``); else None."""
        if self.plan is None or self.case is None:
            return None
        return self.case.applied.in_force_of(self.plan)

    def _update_buttons(self) -> None:
        plan = self.plan
        choosing = plan is not None and self.comparison is not None   # (not a restored Apply's)
        decided = choosing and bool(plan.groups) and not plan.undecided()
        self.apply_button.setEnabled(decided)
        in_force = self._in_force()
        applied = in_force is not None and in_force.result is not None
        for button in (self.save_button, self.send_button, self.training_button):
            button.setEnabled(applied)
        dicom = self.case is None or is_dicom(self.case.volume)   # else no SEG: its label file
        self.save_button.setText("Save SEG..." if dicom else "Save labels...")
        self.send_button.setEnabled(applied and self.config is not None and dicom)
        if choosing and plan.groups:
            self.progress.setText(self._progress_line(in_force if applied else None))
        if self._apply_said is not None and self.status.text() == self._apply_said:
            self._say_applied(self._applied_line(in_force if applied else None))

    def _say_applied(self, text: str) -> None:
        """``text`` in the status line, as the line that follows Ctrl+Z and Ctrl+Y of the Apply
        (until another message takes its place)."""
        self._apply_said = text
        self.status.setText(text)

    def _applied_line(self, in_force) -> str:
        """The status line after an Apply, as Ctrl+Z and Ctrl+Y leave it (``in_force``: the Apply
        in force of these lesions, ``_in_force``): it said "Adjudicated mask applied" after
        Ctrl+Z until session 40, while the progress line under it asked to Apply."""
        if in_force is self.plan:   # as said after the Apply (or the restore)
            return self._applied_said
        redo = self.plan is None or self.case is None or self.case.applied.redoable(self.plan)
        if in_force is None and self.case is not None and self.case.applied.removed(self.plan):
            return ("The segment the Apply filled was removed: the label map is no adjudicated "
                    "version (Ctrl+Z gives the segment back, or Apply to label map again).")
        if in_force is None:
            return ("Ctrl+Z took the Apply back: the label map is as it was before it (Ctrl+Y "
                    "applies it again)." if redo else "Ctrl+Z took the Apply back, and an edit since "
                    "ended its redo: Apply to label map applies it again.")
        result = in_force.result
        return (f"Ctrl+Z took the Apply back: the label map holds {shown_reader(result.adjudicator)}'s "
                f"earlier Apply ({what_applied(result)}); "
                + ("Ctrl+Y applies the later one again." if redo else "an edit since ended the later "
                   "one's redo."))

    def _progress_line(self, in_force) -> str:
        """How far the lesions are decided, and whether the label map holds them as chosen (it
        asked to Apply after the Apply) or an earlier Apply of them (after Ctrl+Z)."""
        plan = self.plan
        left = len(plan.undecided())
        total = plural(len(plan.groups), "lesion")
        if left:
            return f"{left} of {total} to decide."
        if in_force is plan and plan.result.taken == plan.choices:
            then = "Save SEG, Send to server or Add to training set." if is_dicom(self.case.volume) \
                else "Save labels or Add to training set."   # no SEG of a NIfTI image
            return f"All {total} decided and applied by {shown_reader(plan.result.adjudicator)}: {then}"
        earlier = "" if in_force is None else \
            f" (the label map holds {shown_reader(in_force.result.adjudicator)}'s earlier Apply)"
        return f"All {total} decided: Apply to label map{earlier}."

    def apply(self) -> None:
        from ..app.reader_name import remember_reader

        adjudicator = self.adjudicator_edit.text().strip()
        try:
            result = apply_adjudication(self.case, self.plan, adjudicator)
        except NeuroviewError as exc:   # its files by name and folder, the whole text on hover
            self._say_failure(exc)
            return
        remember_reader(result.adjudicator)   # DICOM's form, as Save to PACS asks for it
        kept = kept_by_locked(self.case.labels, result, self.plan.segment_value)
        locked = "" if not kept else (
            f" {plural(sum(n for _name, n in kept), 'voxel')} of it stay in the locked segment"
            f"{'s' * (len(kept) > 1)} {', '.join(name for name, _n in kept)}: unlock, then Apply again "
            "to take them.")
        self._applied_said = (f"Adjudicated mask applied ({what_applied(result)}).{locked} Edit it with "
                              "the segment editor, then save, send or add it.")
        self._say_applied(self._applied_said)
        self._update_buttons()

    def save_seg_dialog(self) -> None:
        if self.case is not None and not is_dicom(self.case.volume):
            self.save_labels_dialog()
            return
        default = str(self.main_window.edit_actions.default_name("-adjudicated-seg.dcm"))
        path = file_to_save(self, "Save adjudicated SEG", default, "DICOM SEG (*.dcm)")
        if path:
            self.save_seg(path)

    def save_labels_dialog(self) -> None:
        """*Save labels...* of an adjudicated image that is not DICOM (no SEG refers to it): a
        label file whose sidecar names the adjudicator (``app.adjudicated_file``), not one of the
        readers' (*Save labels* proposes ``a_case-labels.nii.gz``, a reader's file)."""
        actions = self.main_window.edit_actions
        default = actions.default_name("-adjudicated-labels.nii.gz")
        training = self.main_window.training_actions   # a colleague's file: the notice asks, naming them
        path = file_to_save(self, "Save adjudicated labels", default, LABEL_FILTER,
                            saved_by=training.saved_by_whom, asked_elsewhere=training.saved_since_opened)
        if path:
            self.save_labels(path)

    def save_labels(self, path) -> None:
        image = self.case.volume.source_path

        def saved(written) -> None:
            self.status.setText(f"Saved {short_path(written, image)} (the adjudicator named in its "
                                ".segments.json).")
            self.status.setToolTip(plain_tooltip(full_path(written)))

        try:
            self.main_window.edit_actions.save_labels(path, then=saved)
        except NeuroviewError as exc:
            self._say_failure(exc)
            return
        self.status.setText(f"Saving {short_path(path, image)}...")

    def save_seg(self, path) -> None:
        try:
            version = self.case.version
            saved = save_adjudicated_seg(self.case, path)
        except NeuroviewError as exc:   # its files by name and folder, the whole text on hover
            self._say_failure(exc)
            return
        mark_saved_and_compact(self.main_window, self.case, version)
        self.status.setText(f"Saved {short_path(saved, self.case.volume.source_path)} (and which "
                            "outline was taken per lesion beside it).")
        self.status.setToolTip(plain_tooltip(full_path(saved)))

    def send(self) -> None:
        config, case, in_force = self.config, self.case, self._in_force()
        if config is None:
            return
        if in_force is None:   # Ctrl+Z took it back
            self._say_failure(not_adjudicated())
            return
        labels, version = snapshot(case.labels), case.version
        adjudicator = in_force.result.adjudicator   # an earlier Apply's after Ctrl+Z of a later one
        done_by = case.work_done(readable_name(adjudicator))   # the readers' time and the adjudicator's
        source, uid = case.volume.source_path, str(case.volume.source_metadata["SeriesInstanceUID"])

        def work(progress, cancel):
            from ..io.seg import read_series_headers

            return send_adjudicated(config, labels, read_series_headers([source], series_uid=uid),
                                    adjudicator, work=done_by, cancel=cancel)

        job = None

        def done(_uid) -> None:
            mark_saved_and_compact(self.main_window, case, version)
            self.status.setText(f"Sent to {config.name}: the adjudicated version of "
                                f"{shown_reader(adjudicator)}{sent_after_cancel(job)}.")

        job = self.main_window.runner.start(work, on_error=self._say_failure,
                                            label=f"Sending SEG to {config.name}", on_done=done,
                                            on_cancel=lambda: self.status.setText(not_sent(config.name)))

    def add_to_training_set(self) -> None:
        """The window's own *Send to training set* (the case carries the adjudication record)."""
        self.main_window.training_actions.send_dialog()
