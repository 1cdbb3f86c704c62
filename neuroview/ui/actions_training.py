"""Training data from the window: "Send to training set" on the open case, and (in the base
``actions_worklist.WorklistActions``) the annotation worklist that resumes where the user stopped.

The case is added by ``dataset.store.add_case`` in the background (on a copy of the label map, so
painting may go on), with its provenance: annotator, editing time measured while the case was
open, the model and its proposal when the labels came from a model (the store computes Dice and
changed voxels). The pseudonym it gets (``nv_0007``) is shown in the notice bar. An image the
dataset already holds (``dataset.store.find_image``) is not added twice: the dialog says which case
it is, and its Send button becomes Replace (Cancel keeps the case as it is).
"""

from __future__ import annotations

import os

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ..app.frames import frame_volume, labels_frame, time_point_text
from ..app.last_dataset import remember_dataset
from ..app.sent_notes import sent_notes
from ..core.errors import NeuroviewError
from ..core.extent import is_context
from ..core.labels import LabelMap, SegmentTable
from ..core.segment_work import saved_by
from ..dataset.channels import MR_CHANNEL
from ..io.contrast import volume_contrast
from ..io.dicom.person_name import readable_name
from .action_keys import menu_item
from .actions_worklist import WorklistActions
from .compaction import mark_saved_and_compact
from .training_set_dialog import TrainingSetDialog, default_model_labels
from .watched_labels import WatchedLabels
from .worklist_panel import install_worklist_panel
from .worklist_sent_check import SentCheck
from .worklist_watch import WorklistWatch


def _holds_dataset(folder: str) -> bool:
    """Whether ``folder`` is, or holds, a training set (a cheap look, on the GUI thread)."""
    from ..dataset.layout import find_dataset

    try:
        find_dataset(folder)
    except NeuroviewError as exc:
        # other problems are told by the Send itself
        return not exc.message.startswith(("no dataset here", "no such folder"))
    return True


def adjudicator(case) -> str:
    """The adjudicator of ``case``'s labels as people write the name (``Sam Senior``), "" when they
    were not adjudicated: *Send to training set* suggests them, not the annotator last given
    (``Ann Smith``, whose outlines the adjudicator judged)."""
    plan = case.adjudication
    if plan is not None and plan.result is not None:
        return readable_name(plan.result.adjudicator)
    marks = case.session.segments.adjudication_marks()   # a label file saved adjudicated, reloaded
    return ", ".join(sorted({readable_name(by) for by, _drawn in marks.values()}))


def labels_author(case) -> tuple[str, str]:
    """``(who, why)``: *Send to training set*'s proposal for labels a file's sidecar says an
    annotator saved (``core.segment_work.saved_by``): theirs while the labels are the file's
    (loaded from it or saved to it, nothing changed since: ``("anna", "labels saved by anna")``),
    this window's user's once changed here (``("", "labels saved by anna, changed here: ...")``;
    the case's ``annotators`` keep both); ``("", "")`` for labels no file names an annotator of.
    Until session 52 a lead sending anna's unchanged labels proposed the name last typed in the
    window, and the dataset recorded the case as the lead's."""
    author = saved_by(case.labels.segments).strip()
    if not author:
        return "", ""
    if case.file_of_labels():
        return author, f"labels saved by {author}, unchanged here"
    return "", (f"labels saved by {author}, changed here: sent as the corrector's (type who); "
                f"{author}'s work is kept among the case's annotators")


class TrainingActions(WorklistActions):
    def __init__(self, window) -> None:
        self.window = window
        self.editor = window.editor
        self.dialog = None
        self.worklist = None
        self.opening = None   # (token, back, case id) of the worklist case being opened, or None
        self.listing = None   # the job listing a big worklist folder's cases (``open_worklist``)
        self.relisting = None   # the job reading the new entries of the worklist's folder
        self.shown_paths = None   # the paths of the image on screen (``image_shown``)
        self.skipped = []   # what Next case passed over (unreadable) on its way to the case it opens
        self.progress = ("", "")   # the status line's word when the case being opened is on screen
        self.said_opened = ("", "", "")   # that word as said, its end after the counts, its case
        self.labels_seen_at = ""   # when a labels file was last loaded into the case on screen (UTC)
        self.opened_at = ""   # when the worklist case on screen opened here (UTC)
        self.rank_dialog = None
        self.panel = self.panel_dock = None   # the Worklist panel (``install_menus``)
        self.last_record = None
        self.labels_chosen = {}   # dataset folder -> {segment name: label} the user chose, this session
        self.files_chosen = {}   # worklist case id -> the labels file Save labels' dialog chose for it
        self.editor.case_changed.connect(self._case_opened)
        self.shown_edited = False   # whether the Worklist panel shows the case on screen edited
        self.editor.history_changed.connect(self.edits_changed)
        self.watch = WorklistWatch(self)   # tells when another window opens the case on screen
        self.watched_labels = WatchedLabels(self)   # a watched case: the labels saved for it shown
        self.sent_check = SentCheck(self)   # Next case passes over the cases a training set holds

    def file_chosen(self) -> str:
        """The labels file chosen in *Save labels*' dialog for the worklist case on screen, earlier
        in this session of the worklist ("" for none, or no worklist case on screen)."""
        return self.files_chosen.get(self.worklist_id, "")

    def choose_file(self, path) -> None:
        """*Save labels*' dialog chose ``path`` and it was written: the worklist case on screen's
        Ctrl+S writes it again (a file that could not be written is asked for again)."""
        if self.worklist_id:
            self.files_chosen[self.worklist_id] = os.fspath(path)

    def install_menus(self, file_menu, before, tool_bar) -> None:
        # the worklist's items in a submenu of their own (its steps are on the tool bar and their
        # keys too): File's 25 items were taller than a 1366x768 screen at 150 % (512 points),
        # Qt put Close and Quit in a second column beside it
        worklist_menu = QMenu("Worklist", self.window)
        # as File's: Mark not done (on no tool bar) says what it does; only actions given one show one
        worklist_menu.setToolTipsVisible(True)

        def action(text, slot, shortcut=None) -> QAction:
            return menu_item(self.window, worklist_menu, text, slot, shortcut)

        file_menu.insertSeparator(before)
        self.send_action = action("Send to training set...", self.send_dialog, "Ctrl+Shift+T")
        worklist_menu.removeAction(self.send_action)   # in File itself: used without a worklist too
        file_menu.insertAction(before, self.send_action)
        file_menu.insertMenu(before, worklist_menu)
        self.worklist_menu = worklist_menu
        action("Open worklist folder...", lambda: self.open_worklist_folder_dialog())
        action("Open worklist CSV...", self.open_worklist_csv_dialog)
        watch = action("Watch worklist folder...", lambda: self.open_worklist_folder_dialog(watch=True))
        watch.setToolTip("Open a worklist to follow the annotators' work (a lead): no case is "
                         "claimed, nothing can be edited, the Worklist panel shows who has which case")
        self.previous_action = action("Previous case", self.previous_case, "Ctrl+Shift+N")
        self.next_action = action("Next case", self.next_case, "Ctrl+N")
        self.mark_done_action = action("Mark done", lambda: self.mark_done(True), "Ctrl+D")
        self.mark_not_done_action = action("Mark not done", self.mark_not_done, "Ctrl+Shift+D")
        self.skip_action = action("Skip case...", self.skip_case)
        self.send_back_action = action("Send back...", self.send_back)
        self.rank_action = action("Rank cases to annotate...", self.open_rank_dialog)
        self.worklist_actions = (self.previous_action, self.next_action, self.mark_done_action,
                                 self.mark_not_done_action)
        self.skip_action.setToolTip("Mark the worklist case on screen done, saying why it is skipped")
        self.send_back_action.setToolTip("Mark the worklist case on screen not done, saying what to fix")
        self.enable_worklist_actions(False)   # until a worklist is open
        tool_bar.addSeparator()
        tool_bar.addAction(self.previous_action)
        tool_bar.addAction(self.next_action)
        tool_bar.addAction(self.mark_done_action)
        self.panel, self.panel_dock = install_worklist_panel(self.window)
        self.panel.open_case.connect(self.go_to_case)
        tool_bar.addAction(self.send_action)

    # -- send to training set ---------------------------------------------------------------------
    def send_dialog(self) -> None:
        case = self.editor.case
        if case is None:
            self.window.show_error(self.editor.no_case_message()
                                   if self.editor.restore_pending or self.editor.edited_elsewhere
                                   or self.editor.restore_put_off
                                   else "open an image (and draw or correct its labels) first")
            return
        if self.editor.waiting_preview("sending"):   # the label sent would leave it out
            return
        # a model's brain mask is context that the store writes as background (dataset/store.py):
        # a new dataset's default labels leave it out, or it would become a label to learn
        names = [s.name for s in case.session.segments if not is_context(s)]
        modality = case.volume.modality or ("CT" if case.volume.voxels_look_like_ct() else "")  # a NIfTI CT
        # the contrast a radiologist names it by (FLAIR, T1...) where its fields say it: "MR" named
        # a FLAIR series' channel as a T1's
        channel = ((modality != "CT" and volume_contrast(case.volume))
                   or (MR_CHANNEL if modality in ("", "MR") else modality))   # one name: MRI
        judge = adjudicator(case)
        author, why = labels_author(case) if not judge else ("", "")
        dialog = self.dialog = TrainingSetDialog(names, channel, self.window,
                                                 model_labels=default_model_labels(),
                                                 annotator=judge or author, annotator_note=why)
        dialog.submitted.connect(lambda choice: self.send(**choice, dialog=dialog))
        dialog.open()

    def send(self, folder: str, annotator: str = "", create: bool = False, name: str = "Lesions",
             labels=("background", "lesion"), channel: str = MR_CHANNEL, dialog=None,
             replace: str = "", replace_added: str = "", label_for=None,
             remember_as=None) -> None:
        """Add the open case to the dataset in ``folder`` (created first when ``create``).

        With the ``dialog`` it came from, an error is shown in the dialog (which stays open), and
        an image the dataset already holds is replaced only once the dialog has said so and the
        user sent again (``replace``: the case it named, ``replace_added``: the version of it the
        dialog named; one another window sent meanwhile, or before this Send's add, is asked about
        again: it was replaced unseen). Without a dialog it is replaced, and the notice says so.

        A segment not named like a label of the dataset (a painted ``Segment 1``) is sent as the
        label the user chose for it (``label_for``, remembered per dataset for the session); with
        no choice yet the dialog asks which label it is, and nothing is sent (it became label 1
        by its number, without a word); without a dialog it is an error naming the segment.
        ``remember_as``: the annotator the next dialog proposes, when not ``annotator`` (a labels
        file's author sent unchanged: the next case is not theirs)."""
        from ..ai.card_refusal import refused_note
        from ..app.send_marker import image_id_of
        from ..dataset.layout import find_dataset, init_dataset, read_dataset
        from ..dataset.segment_labels import background_names, unmatched_error, unmatched_segments
        from ..dataset.store import find_image

        case = self.editor.case
        window = self.window

        created, said = {}, {}

        def failed(text: str) -> None:
            if created and dialog is not None:  # the dataset exists now: a second Send adds to it
                dialog.create_check.setChecked(False)
                dialog.folder_edit.setText(os.fspath(created["target"]))
                text += f" (the dataset {created['target'].name} was created; Send adds the case to it)"
            if dialog is not None and dialog.isVisible():
                dialog.show_error(text)
            else:
                window.show_error(text)

        if case is None or not folder:
            failed("choose a dataset folder" if case is not None else self.editor.no_case_message())
            return
        if not create and dialog is not None and not _holds_dataset(folder):
            box = dialog.create_check.text()
            # a remembered training set removed or moved: "no dataset here" read as if it had none
            failed(f"{folder}: this folder does not exist (removed or moved?); choose the dataset's "
                   f"folder, or tick '{box}' to make a new one" if not os.path.exists(folder) else
                   f"{folder}: no dataset here; tick '{box}' to make one, or choose the folder of "
                   "an existing dataset")
            return
        volume, when, time_point = case.volume, "", None
        if volume.axis4 == "time" and volume.n_frames > 1:   # the one the labels were drawn on, else shown
            try:
                frame = labels_frame(volume, case.labels, window.controller.state.frame)
            except NeuroviewError as exc:   # drawn on several, another shown: the user says which
                failed(str(exc))
                return
            drawn = ", the one the labels were drawn on" if frame != window.controller.state.frame else ""
            when, time_point = f" ({time_point_text(volume, frame)}{drawn})", frame + 1
            volume = frame_volume(volume, frame)
        labels_now, version = case.labels, case.version
        snapshot = LabelMap(labels_now.array.copy(), labels_now.ijk_to_ras,
                            SegmentTable.from_list(labels_now.segments.to_list()))
        worklist_id = self.worklist_id

        def refusal_said(record):
            """As ``dataset add`` says it: the case's model (else the default) refuses its image."""
            model = record.model or {}   # the model that proposed the mask, else the default
            ref = model.get("name", "") + ("" if model.get("version", "unknown") == "unknown"
                                           else f"@{model['version']}")
            said["refused"] = refused_note(record.case, ref, volume, snapshot.segments)
            return record

        def work(progress, cancel):
            # the dataset itself, also when its parent folder was given: the notice names it, and
            # Train model... is offered it (it named the parent, "Added to the training set ds")
            target = find_dataset(folder) if not create else None
            if create:
                target = created["target"] = init_dataset(folder, name, list(labels), [channel])
            info = read_dataset(target)
            mapping = {**self.labels_chosen.get(os.fspath(target), {}), **(label_for or {})}
            unmatched = unmatched_segments(snapshot, info, mapping)
            if unmatched and dialog is None:
                raise unmatched_error(unmatched, info)
            if unmatched:
                return target, None, None, (unmatched, list(info.foreground) + background_names(info),
                                            mapping)   # ask first; background: a seed segment
            image_id = image_id_of(volume)   # the voxels hashed once: the look-up, mark and record
            if dialog is not None and not create:
                earlier = find_image(target, volume, image_id)
                if earlier is not None and (earlier.case, earlier.version) != (replace, replace_added):
                    return target, None, earlier, mapping     # ask first
            if dialog is None or create:
                return target, refusal_said(case.send_to_training_set(
                    target, annotator, labels=snapshot, volume=volume, label_for=mapping,
                    image_id=image_id, time_point=time_point, cancel=cancel)), None, mapping
            try:   # the version the user saw, or none: another window's send meanwhile is refused
                return target, refusal_said(case.send_to_training_set(
                    target, annotator, labels=snapshot, volume=volume,
                    same_image="replace" if replace else "refuse",
                    replacing=replace_added if replace else None, label_for=mapping,
                    image_id=image_id, time_point=time_point, cancel=cancel)), None, mapping
            except NeuroviewError:
                earlier = find_image(target, volume, image_id)
                if earlier is None or (earlier.case, earlier.version) == (replace, replace_added):
                    raise
                return target, None, earlier, mapping     # sent by another window meanwhile: ask (again)

        def done(result) -> None:
            target, record, earlier, mapping = result
            if record is None and earlier is None:   # segments that are no label: which label is each?
                if created:   # the dataset exists now: a second Send adds to it
                    dialog.create_check.setChecked(False)
                    dialog.folder_edit.setText(os.fspath(created["target"]))
                dialog.ask_labels(mapping[0], mapping[1], os.path.basename(os.fspath(target)))
                return
            if earlier is not None:
                dialog.ask_replace(earlier, os.path.basename(os.fspath(target)))
                return
            sent_as = {n: v for n, v in mapping.items()
                       if any(s.name == n for s in snapshot.segments)}
            self.labels_chosen.setdefault(os.fspath(target), {}).update(mapping)
            self.last_record = record
            # the labels sent are kept (the dataset's labelsTr file), as by Save labels or Save to
            # PACS: Next case and quitting no longer ask about them (a later stroke does)
            mark_saved_and_compact(window, case, version)  # compacts off the GUI thread
            if dialog is not None:
                dialog.finish()
            remember_dataset(target, annotator if remember_as is None else remember_as)
            text = (f"Added to the training set {os.path.basename(os.fspath(target))} as "
                    f"{record.case}{when}")
            if record.replaced:
                text = (f"Replaced the label of {record.case} in the training set "
                        f"{os.path.basename(os.fspath(target))} (the same image; its id and fold kept)")
            notes = sent_notes(record) + [f"{n} sent as {v}" for n, v in sent_as.items()]
            if notes:
                text += f" ({'; '.join(notes)})"
            if self.worklist is not None and worklist_id:
                try:
                    self.worklist.set_status(worklist_id, "in_training_set", record.case)
                except NeuroviewError as exc:
                    window.show_error(str(exc))
                self.show_worklist()   # its row at once, not when the case is left
            window.message_bar.hide()   # an earlier error is over: this one worked
            refused = said.pop("refused", "")   # a knee sent to a head model's dataset
            window.notice_bar.show_message(text + "." + (f" Note: {refused}." if refused else ""))

        # Cancel in the job bar stops the send before the case is complete (it was added anyway)
        window.runner.start(work, on_done=done, on_error=failed, label="Sending to the training set",
                            on_cancel=lambda: failed("Send to training set cancelled: nothing was added"))
