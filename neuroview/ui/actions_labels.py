"""The main window's labels files: load a label map or a DICOM SEG onto the open image, File >
Save labels and Save labels as DICOM SEG (a part of ``actions_edit.EditActions``, which gives it
``window``, ``editor`` and ``saving``)."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from ..app.case import Case
from ..app.frames import labels_frame
from ..app.label_files import writes_labels_to
from ..app.reader_name import known_reader, proposed_annotator
from ..app.save_folder import case_folder_refused, image_stem, proposed_folder, remember_folder
from ..app.saved_labels import saved_labels_for
from ..app.shown_path import full_path, short_path
from ..core.errors import NeuroviewError
from ..dataset.provenance import now_iso
from ..paths import demo_truth_for
from .label_time_points import go_to_drawn
from .save_question import file_to_save

SAVED_LABELS_QUESTION = "load labels"
"""The notice bar's offer of the labels saved for the image on screen (``actions_worklist``)."""

SAVE_AS_KEY = "Ctrl+Alt+S"
"""*File > Save labels as...*: Ctrl+Shift+S, the usual key, is *AI > Segment with a model...*."""

LABEL_FILTER = "NIfTI (*.nii.gz *.nii);;3D Slicer segmentation (*.seg.nrrd);;MetaImage (*.mha *.mhd)"


def _emptied(prepared) -> str:
    """A sentence naming the segments of a resampled file that no voxel of the image kept."""
    if not prepared.emptied:
        return ""
    names = ", ".join(prepared.names[v].name if v in prepared.names else f"Segment {v}"
                      for v in prepared.emptied)
    return (f" {names}: no voxel of this image lies in it (drawn thinner than its voxels?), "
            "so it is empty here; the file keeps it.")


class LabelFileActions:
    def load_labels(self, path, replace: bool = False, other_image: bool = False) -> None:
        """Read and check a mask in the background (the label-value check, resampling, its
        values), then make it the Session's labels on the GUI thread (one undo step).

        Over labels with unsaved edits the notice bar asks first (*Replace* / *Cancel*, not
        modal), as ITK-SNAP does; ``replace=True``: the answer was Replace. Until session 25 the
        file replaced hand-drawn voxels with no question (Ctrl+Z brought them back).

        A file whose sidecar says it was saved on another image, or a DICOM SEG whose references
        name another series (``app.labels_image``: another case of the same grid, picked by
        mistake) is not applied before the notice bar's *Load anyway*; ``other_image=True``: that
        was the answer. It became the labels without a word (a SEG until session 41)."""
        from ..app.label_files import labels_step, prepare_label_file, sidecar_path
        from ..app.labels_image import same_study, saved_on_another, seg_made_on_another, seg_same_study
        from ..io.seg import is_seg_file

        window = self.window
        if self.editor.session is None:   # no image, or one whose restore question waits
            window.show_error(f"{path}: {self.editor.no_case_message('before loading labels')}")
            return
        if self.editor.waiting_preview("loading labels"):   # they would drop it without a word
            return
        path = os.fspath(path)
        session = self.editor.session
        case = self.editor.case
        if not replace and case is not None and case.modified and _unlocked_voxels(session.labels):
            def answered() -> None:
                if self.editor.session is session:   # not another image opened meanwhile
                    self.load_labels(path, replace=True, other_image=other_image)

            window.notice_bar.show_message(
                f"The labels have edits that are not saved: loading {os.path.basename(path)} "
                "replaces them (Ctrl+Z brings them back).",
                [("Replace", answered), ("Cancel", lambda: None)])
            return
        volume = session.volume
        # the undo step is computed in the worker against this copy; it applies as made unless
        # the labels changed meanwhile (then the GUI thread computes it, as it used to)
        current, version = session.labels.array.copy(), session.version
        locked = session.labels.segments.locked_values()
        # the step's voxels are written to the workspace in the worker too (fsync'ed there): the
        # GUI thread journals the step with a record naming that file
        workspace = session.journal.folder if session.journal is not None else None
        state = window.controller.state   # the overlay series: labels drawn on it are known
        others = [state.fusion.volume] if state is not None and state.fusion is not None else []

        def work(progress, cancel):   # a label map file, or a DICOM SEG
            prepared = prepare_label_file(path, volume, progress, cancel)
            if not other_image and (seg_made_on_another(path, volume) if is_seg_file(path)
                                    else saved_on_another(sidecar_path(path), volume)):
                # asked first: no step's voxels in the workspace; drawn on another series of this
                # study (the one overlaid, or the frame the sidecar or SEG names): offered
                series = seg_same_study(path, volume) if is_seg_file(path) else same_study(
                    sidecar_path(path), prepared.grid, volume, others)
                return prepared, None, True, series
            return prepared, labels_step(prepared, current, locked, version, workspace, cancel), False, None

        def apply(result) -> None:
            prepared, step, another, series = result
            if self.editor.session is not session:
                return  # the image was closed meanwhile
            if series is not None:   # drawn on another series of this study
                answer = "Resample onto this image" if prepared.resampled else "Load onto this image"
                window.notice_bar.show_message(
                    f"{os.path.basename(path)} was drawn on {f'{series}, ' if series else ''}another "
                    f"series of this study (same frame of reference): {answer.lower()}?",
                    [(answer, lambda: self.load_labels(path, replace, True)
                      if self.editor.session is session else None), ("Cancel", lambda: None)])
                return
            if another:
                name = os.path.basename(path)
                made = ("was made on another series than the one on screen" if is_seg_file(path)
                        else "was saved on another image than the one on screen (other voxels)")
                window.notice_bar.show_message(
                    f"{name} {made}: another case's labels? Nothing was loaded; Load anyway if "
                    "they are this image's.",
                    [("Load anyway", lambda: self.load_labels(path, replace, True)
                      if self.editor.session is session else None), ("Cancel", lambda: None)])
                return
            try:
                session.apply_labels(prepared, step)
            except NeuroviewError as exc:
                window.show_error(str(exc))
                return
            self.window.training_actions.labels_seen_at = now_iso(exact=True)   # a colleague's file, seen
            if case is not None:   # the labels are this file's, unless resampled or locked kept
                as_in_file = not (prepared.resampled or is_seg_file(path)
                                  or session.labels.segments.locked_values())
                case.labels_file = (path, session.history.position) if as_in_file else None
            if window.notice_bar.asking(SAVED_LABELS_QUESTION):   # answered by Ctrl+L: it stayed,
                window.notice_bar.drop_question()                  # offering the labels loaded
            go_to_drawn(window)   # a 4D image's labels: the time point their sidecar names
            if prepared.resampled:
                window.notice_bar.show_message(f"{os.path.basename(path)} lies on another grid: it was "
                                               "resampled onto the image grid (nearest neighbour)."
                                               + _emptied(prepared))
            elif prepared.emptied:   # a DICOM SEG of frames on another grid
                window.notice_bar.show_message(f"{os.path.basename(path)} was placed on the image grid "
                                               "(nearest neighbour)." + _emptied(prepared))
            if prepared.note:   # a SEG read by its content, its SOP class another's
                window.notice_bar.add(prepared.note)
            if session.active_segment is None and len(session.segments):
                session.segments.select(next(iter(session.segments)))
            self.editor.segments_changed.emit()

        def cancelled() -> None:   # said as other cancelled work says it (silent until session 46)
            window.notices.status(f"Loading labels {os.path.basename(path)} cancelled: the labels "
                                  "are as they were.")

        window.runner.start(work, on_done=apply, on_error=window.show_error, on_cancel=cancelled,
                            label=f"Loading labels {os.path.basename(path)}")

    def save_labels(self, path, over_theirs: bool = False, then=None) -> None:
        """Write the labels as they are now as NIfTI with their sidecar, from a worker
        (:mod:`.background_save`); the notice bar says *Saved* once the file is in place. Over the
        worklist case's labels file another annotator saved since the case opened here, or before
        and not loaded here, the notice bar asks first (*Replace theirs* / *Cancel*;
        ``over_theirs``: Replace was answered; ``then``: called with the path once saved)."""
        from ..app.label_files import file_state

        case = self._case_to_save()
        theirs = "" if over_theirs else self.window.training_actions.saved_since_opened(path)
        if theirs:
            self.window.notice_bar.show_message(
                f"{os.path.basename(path)} was saved by {theirs}: saving replaces their labels "
                "with yours. Nothing was saved (File > Save labels... under another name keeps both).",
                [("Replace theirs", lambda: self.save_labels(path, True, then)
                  if self.editor.case is case else None), ("Cancel", lambda: None)])
            return

        def saved(written: Path) -> None:
            outside = self.window.training_actions.labels_saved(written)   # a worklist case's
            case.labels_file = (os.fspath(written), position)    # the labels as they were saved
            self._saved(written, outside)
            if then is not None:
                then(written)

        # who adjudicated which segment, as the snapshot start() takes now (the workspace is set
        # aside at a close: the reopened labels read "file labels.nii.gz" until session 40)
        marks = case.session.segments.adjudication_marks()
        # whose editing sessions are behind these labels (the next annotator's send counts them)
        work = case.work_done(proposed_annotator())
        self.saving.wait()   # this window's own save before: the file as it leaves it
        # the file as found now: one another window writes before this save's turn is kept, said
        unchanged = None if over_theirs else file_state(path)
        self.saving.start(case, functools.partial(case.write_labels, adjudicated=marks, work=work,
                                                  unchanged=unchanged),
                          path, saved)
        position = case.session.history.position   # of the labels start() wrote (its snapshot's)

    def save_seg(self, path) -> None:
        """Save the labels as a DICOM SEG, from a worker; then they count as saved (quitting does
        not ask), as after Save labels or Save to PACS. The SEG names the reader the window knows
        (:func:`~neuroview.app.reader_name.known_reader`) and the model that proposed the mask, as
        *Save to PACS* does: two readers' SEGs saved beside a series were compared and adjudicated
        as ``unnamed: DATE TIME``, with no model."""
        from ..io.dicom.person_name import dicom_name
        from ..io.pacs.save_mask import version_description

        case = self._case_to_save()
        # a 4D run: the SEG refers to the time point the labels were drawn on (else the one shown)
        frame = labels_frame(case.volume, case.labels, case.session.frame, "save again")
        # a new annotator who never gave a name: their login, as Send to training set proposes
        # (two such annotators' SEGs were "unnamed: DATE TIME" to the lead comparing them)
        reader, model = known_reader() or proposed_annotator(), case.proposing_model()
        named = {"content_creator": dicom_name(reader),
                 "series_description": version_description(reader, model)} if reader else {}
        work = case.work_done(proposed_annotator())   # everyone's time, kept in the SEG
        def saved(written: Path) -> None:   # a worklist case remembers it, as after Save labels
            self._saved(written, self.window.training_actions.labels_saved(written))

        self.saving.start(case, lambda target, labels, cancel: case.save_seg(
            target, labels=labels, time_point=frame, model=model, work=work, cancel=cancel, **named), path,
            saved)

    def _case_to_save(self) -> Case:
        if self.editor.case is None:
            raise NeuroviewError("open an image first")
        return self.editor.case

    def _saved(self, saved: Path, note: str = "") -> None:
        """Say ``saved`` was written (``note``: a line after it, a worklist's word on it)."""
        remember_folder(saved)
        self.window.message_bar.hide()   # an earlier error is over: this one worked
        case = self.editor.case
        image = case.volume.source_path if case is not None else None
        self.window.notice_bar.show_message(f"Saved {short_path(saved, image)}", tooltip=full_path(saved))
        if note:
            self.window.notice_bar.add(note)

    def _save_dialog(self, function, title, default, file_filter) -> bool:
        """Ask for a file and start saving it; True when the save started (its end: :attr:`saving`)."""
        if self.editor.case is None:
            self.window.show_error(f"nothing to save: {self.editor.no_case_message()}")
            return False
        if self.editor.waiting_preview("saving"):   # the file would leave it out
            return False
        self.saving.wait()                          # one save at a time
        refused = case_folder_refused(self.editor.case.volume.source_path or "", Path(default).parent) \
            if self.window.training_actions.worklist_id else ""
        if refused:   # a worklist on a read-only share: said, the proposal in a writable place
            self.window.notice_bar.show_message(refused)
        path = self._file_chosen(title, default, file_filter, function == self.save_labels)
        if not path:
            return False
        if function == self.save_labels:   # once written, a worklist case's Ctrl+S writes it again
            function = functools.partial(function, then=self.window.training_actions.choose_file)
        try:
            function(path)
        except NeuroviewError as exc:
            self.window.show_error(str(exc))
            return False
        return True

    def _file_chosen(self, title: str, default: str, file_filter: str, labels: bool) -> str:
        """The file the save dialog gives (:func:`~.save_question.file_to_save`: one question
        before a file is replaced, naming the annotator of the worklist case who saved it there).
        Over the worklist case's labels file another annotator saved and this window did not load
        (``labels``: *Save labels*) the notice bar asks instead, naming who (:meth:`save_labels`)."""
        actions = self.window.training_actions
        return file_to_save(self.window, title, default, file_filter, saved_by=actions.saved_by_whom,
                            asked_elsewhere=actions.saved_since_opened if labels else None)

    def own_labels_file(self, case) -> str:
        """The file ``case``'s labels were last loaded from or saved to in this window, when it
        is also the file last saved for this image with *Save labels* (the one the next open
        offers), still there and of a kind *Save labels* writes, else "": where *Save* of the
        unsaved-edits question writes them, with no file dialog and no "Replace it?" (as ITK-SNAP
        saves a segmentation into its file when you quit). A file only loaded (the demo's ground
        truth, a colleague's mask) is never written over unasked."""
        path = case.labels_file[0] if case is not None and case.labels_file else ""
        if self.window.training_actions.file_chosen():   # a worklist case's: save_labels_again's
            return ""
        if not (path and os.path.isfile(path) and writes_labels_to(path)):
            return ""
        saved = saved_labels_for(case.volume)
        return path if saved and os.path.realpath(saved) == os.path.realpath(path) else ""

    def save_labels_dialog(self) -> bool:
        """*File > Save labels as...*: the file dialog, every time."""
        return self._save_dialog(self.save_labels, "Save labels", self.labels_to_save(), LABEL_FILTER)

    def save_labels_again(self) -> bool:
        """*File > Save labels...* (Ctrl+S, and the close question's *Save*): a worklist case's
        labels written to the file chosen for it earlier in this session of the worklist, with no
        dialog, as ITK-SNAP saves over once a file was chosen (the status line says where; *Save
        labels as...* chooses another); the first time, and outside a worklist, the dialog (it
        opened every time: session 52). True when the save started."""
        chosen = self.window.training_actions.file_chosen()
        if not chosen or self.editor.case is None:
            return self.save_labels_dialog()
        if self.editor.waiting_preview("saving"):   # the file would leave it out
            return False
        self.saving.wait()                          # one save at a time
        image = self.editor.case.volume.source_path

        def said(written) -> None:
            self.window.notices.status(f"Saved to {short_path(written, image)}, the file chosen for "
                                       f"this case (Save labels as... ({SAVE_AS_KEY}) for another).")
        try:
            self.save_labels(chosen, then=said)
        except NeuroviewError as exc:
            self.window.show_error(str(exc))
            return False
        return True

    def labels_to_save(self) -> str:
        """Where *Save labels...* proposes to write: the file last saved for this image, under the
        name the annotator gave it (as an editor saves again where it saved: it proposed the
        image's name every time, and a second Save wrote a second file beside the first), else
        the image's name with ``-labels.nii.gz``, or ``-labels-LOGIN.nii.gz`` where another
        annotator of the worklist case saved that one (it proposed their file, and Qt's *already
        exists* and neuroview's *saved by anna* asked in turn: session 50's walk). For a worklist
        case, a file saved in another folder than the case's (:meth:`default_name`) is not
        proposed: its readers are not looked for there."""
        case = self.editor.case
        saved = saved_labels_for(case.volume) if case is not None else None
        proposed = self.default_name("-labels.nii.gz")
        own = self.window.training_actions.own_name(proposed)
        if own:   # a colleague's file of this case: this annotator's own name beside it
            proposed = self.default_name(f"-labels-{own}.nii.gz")
        if saved and self.window.training_actions.worklist_id and \
                os.path.realpath(os.path.dirname(saved)) != os.path.realpath(os.path.dirname(proposed)):
            return proposed
        return saved or proposed

    def save_seg_dialog(self) -> bool:
        return self._save_dialog(self.save_seg, "Save labels as DICOM SEG", self.default_name("-seg.dcm"),
                                 "DICOM (*.dcm)")

    def labels_to_load(self) -> str:
        """Where *File > Load labels...* opens: the file last saved for this image (the one the
        notice bar offers; under a name of the user's it opened on its folder, no file chosen),
        else the demo case's ground truth (``paths.demo_truth_for``), else the file *Save labels*
        proposes when it is there, else that folder (it opened in the program's working folder,
        far from the labels just saved)."""
        case = self.editor.case
        saved = saved_labels_for(case.volume) if case is not None else None
        if saved:
            return saved
        truth = demo_truth_for(case.volume.source_path) if case is not None else None
        if truth is not None:   # the demo case: its ground truth, in neuroview's installation
            return str(truth)
        proposed = self.default_name("-labels.nii.gz")
        return proposed if os.path.isfile(proposed) else os.path.dirname(proposed)

    def default_name(self, suffix: str) -> str:
        """The image's name with ``suffix`` in :func:`~neuroview.app.save_folder.proposed_folder`
        (the last folder saved to, the image's folder when writable, or Documents; a worklist
        case's own folder, else Documents: *Save labels*, the close question's *Save*, *Save
        labels as DICOM SEG*, the adjudicated files and *Export view* propose one folder)."""
        case = self.editor.case
        source = case.volume.source_path if case is not None else ""
        name = image_stem(case.volume if case is not None else None)
        documents = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation)
        folder = proposed_folder(source, documents, bool(self.window.training_actions.worklist_id))
        return os.path.join(os.fspath(folder), name + suffix)


def _unlocked_voxels(labels) -> bool:
    """Whether the label map holds voxels a loaded file would replace (locked ones stay)."""
    locked = set(labels.segments.locked_values())
    if not locked:
        return bool(labels.array.any())
    return any(value not in locked for value in labels.voxel_counts())

