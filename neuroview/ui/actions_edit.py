"""Editing in the main window: the Session of each opened image, the restore offer, the Edit menu,
the segment editor dock, and File > Save labels / Save as DICOM SEG.

Opening an image makes a :class:`~neuroview.app.case.Case` with its workspace folder
(``user_data_dir()/workspaces/<image key>``). When that workspace holds edits of an earlier
session (after a crash, even ``kill -9``), the notice bar asks Restore / Discard; until answered,
the image is shown and editing waits (``ui.actions_open``). Discard moves the old workspace aside,
never deletes it.
Quitting, or opening another image, with unsaved edits asks Save / Discard / Cancel
(:meth:`EditActions.confirm_close`, :meth:`EditActions.confirm_replace`); after Save or Discard the
workspace is moved aside too, so the next start offers nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMessageBox

from ..app.case import Case
from ..app.save_folder import proposed_folder, remember_folder
from ..core.errors import NeuroviewError
from .actions_open import OpeningActions
from .ai_click import AiClickController
from .background_save import BackgroundSave
from .edit_controller import EditController
from .edit_preview import PREVIEW_NAMES
from .editor_panel import SegmentEditorPanel
from .panel_scroll import scrolled

LABEL_FILTER = "NIfTI (*.nii.gz *.nii)"
STATUS_MS = 15000   # how long a note (why an erase changed nothing) stays in the status bar


class EditActions(OpeningActions):
    def __init__(self, window) -> None:
        self.window = window
        self.editor = EditController(window.controller, window)
        self.editor.ai_click = AiClickController(self.editor, window.runner, self.editor)
        self.panel = SegmentEditorPanel(self.editor)
        self.pending = None  # (volume, paths, workspace) while the restore question is open
        self._look = None  # the token of the workspace read in a worker for the restore offer
        self.elsewhere = None  # (volume, paths, workspace) shown while another window edits it
        self.quit_box = None  # the Save / Discard / Cancel question (quit, open another) while open
        self.discarded = None  # (case, version when asked) whose edits the user chose to discard
        self.saving = BackgroundSave(window)
        editor = self.editor
        self._edit_error = None   # the editor's error on the red bar, until the next edit works
        editor.error.connect(self._edit_failed)
        editor.history_changed.connect(self._edit_worked)
        editor.status.connect(lambda text: window.statusBar().showMessage(text, STATUS_MS))
        for view in window.slice_views.values():
            editor.voxels_changed.connect(view.refresh_box)
        editor.labels_edited.connect(window.view3d._labels_changed)
        editor.labels_edited.connect(window.segment_panel.refresh)
        editor.history_changed.connect(self._update_actions)
        editor.case_changed.connect(self._update_actions)
        editor.preview_changed.connect(self._update_actions)   # Ctrl+Z takes back a prompt
        dock = QDockWidget("Segment editor", window)
        dock.setObjectName("Segment editor")
        # scrolled, so the window fits a 768-pixel laptop screen: the panel with a tool's options
        # (AI click: 509 pixels) held the main window at least 965 pixels tall, its status bar
        # and the tool's Apply / Cancel below the screen's edge
        dock.setWidget(scrolled(self.panel))
        window.addDockWidget(Qt.RightDockWidgetArea, dock)
        segments_dock = window.findChild(QDockWidget, "Segments")
        if segments_dock is not None:  # the viewer's list (opacity, statistics) behind the editor
            window.tabifyDockWidget(segments_dock, dock)
            dock.raise_()
        self.dock = dock

    # -- menus ----------------------------------------------------------------------------------
    def _action(self, menu, text, slot, shortcuts=(), before=None) -> QAction:
        action = QAction(text, self.window)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.triggered.connect(slot)
        if before is not None:
            menu.insertAction(before, action)
        else:
            menu.addAction(action)
        return action

    def install_menus(self, file_menu, before, menu_bar, before_menu) -> None:
        """File menu entries (inserted before ``before``) and the Edit menu (before ``before_menu``)."""
        self.save_action = self._action(file_menu, "Save labels...", self.save_labels_dialog,
                                        [QKeySequence.Save], before)
        self.seg_action = self._action(file_menu, "Save labels as DICOM SEG...", self.save_seg_dialog,
                                       before=before)
        edit = menu_bar.addMenu("&Edit")
        menu_bar.insertMenu(before_menu, edit)
        self.edit_menu = edit
        self.undo_action = self._action(edit, "Undo", self.editor.undo, [QKeySequence("Ctrl+Z")])
        self.redo_action = self._action(edit, "Redo", self.editor.redo,
                                        [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit.addSeparator()
        self.tool_actions = {}
        for tool, text, key in (("paint", "Paint", "P"), ("erase", "Erase", "E"), ("fill", "Fill", "F"),
                                ("ai-click", "AI click", "K")):
            self.tool_actions[tool] = self._action(
                edit, text, lambda _=False, t=tool: self.panel.select_tool(t), [QKeySequence(key)])
        self.erase_all_action = self._action(edit, "Erase every segment / only the selected one",
                                             self.editor.toggle_erase_all, ["Shift+E"])
        self.navigate_anchor = edit.addSeparator()  # Tools > Navigate (N) goes here too
        self._action(edit, "Larger brush", lambda: self.editor.scale_brush(1.25), ["]"])
        self._action(edit, "Smaller brush", lambda: self.editor.scale_brush(0.8), ["["])
        edit.addSeparator()
        self._action(edit, "Add segment", self.panel.add_segment, ["Ctrl+Shift+A"])
        self._update_actions()

    def _edit_failed(self, text: str) -> None:
        self.window.show_error(text)
        self._edit_error = text

    def _edit_worked(self) -> None:
        """An edit, undo or redo went through: the editor's error before it is over and leaves
        the red bar ("until dismissed or the next success"); it stayed up, so a Fill clicked
        again inside the image read as failed too. Any other error (a file) stays."""
        if self._edit_error is not None and self.window.message_bar.text == self._edit_error:
            self.window.message_bar.hide()
        self._edit_error = None

    def add_navigate(self, action) -> None:
        """Show the window's one *Navigate* action (stop editing, N) among the editing tools."""
        self.edit_menu.insertAction(self.navigate_anchor, action)
        action.triggered.connect(lambda _=False: self.panel.select_tool("navigate"))

    def _update_actions(self) -> None:
        if not hasattr(self, "undo_action"):
            return
        self.undo_action.setEnabled(self.editor.can_undo())
        self.redo_action.setEnabled(self.editor.can_redo())
        case = self.editor.case
        self.save_action.setEnabled(case is not None)
        self.seg_action.setEnabled(case is not None and case.is_dicom)

    def close_case(self, set_workspace_aside: bool = False) -> None:
        """Close the open case; ``set_workspace_aside`` (quitting after Save or Discard): move its
        workspace aside (not deleted), so the next start does not offer to restore these edits."""
        case = self.editor.case
        self.editor.set_case(None)
        self.discarded = None
        if case is not None and set_workspace_aside:
            try:
                case.set_workspace_aside()
            except (OSError, NeuroviewError):
                pass  # the edits stay in the workspace; the next start offers them again

    def confirm_close(self) -> bool:
        """Quitting: with unsaved edits ask Save / Discard / Cancel (as Slicer and ITK-SNAP do).

        Returns False when the window must stay (Cancel, or the save did not happen)."""
        return self._ask_unsaved("Save them before quitting? Discard drops them: the next start "
                                 "will not offer to restore them.")

    def confirm_replace(self) -> bool:
        """Opening another image (File > Open, Recent, a drop, the worklist's next case): with
        unsaved edits ask Save / Discard / Cancel first. False: Cancel (or the save did not happen),
        open nothing. Discard takes effect when the new image replaces this one (:meth:`replacing`)
        and covers the edits made while it loads too: an open that fails or is cancelled leaves the
        edits as they are."""
        return self._ask_unsaved("Save them before opening another image? Discard drops them: "
                                 "they will not be offered back later.")

    def _ask_unsaved(self, question: str) -> bool:
        """Save / Discard / Cancel when the labels have unsaved edits, or a preview (an AI click
        object, Grow from seeds) waits for Enter: it is in no file and no journal, and was lost
        without a word. Save accepts the preview first, as Enter does."""
        self.saving.wait()   # a save still writing its file first: then the labels may be saved
        case = self.editor.case
        self.discarded = None
        waiting = case is not None and self.editor.has_preview()
        if case is None or not (case.modified or waiting):
            return True
        text = "The labels of this image have edits that are not saved."
        if waiting:
            what = PREVIEW_NAMES.get(self.editor.preview.tool, "the preview")
            text = (f"{what[0].upper()}{what[1:]} on screen is not accepted yet"
                    + (", and the labels have edits that are not saved." if case.modified else ".")
                    + " Save accepts it first (as Enter does).")
        box = QMessageBox(QMessageBox.Warning, "Unsaved edits", text,
                          QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, self.window)
        box.setInformativeText(question)
        box.setDefaultButton(QMessageBox.Save)
        self.quit_box = box
        try:
            answer = box.exec()
        finally:
            self.quit_box = None
        if answer == QMessageBox.Save:
            if waiting:
                self.editor.accept_preview()
            # Waits for the file; an edit made meanwhile is not in it: the window stays.
            return self.save_labels_dialog() and self.saving.wait() and not case.modified
        if answer == QMessageBox.Discard:
            self.discarded = (case, case.version)
            return True
        return False

    def replacing(self) -> None:
        """Another image replaces this one: close the case. Saved edits, and edits the user chose
        to discard, are set aside (nothing to offer back); unsaved ones stay in the workspace,
        offered back when this image is opened again. Edits made after answering Discard, while
        the new image loaded, go with the rest (a note in Measurements says so): kept, they were
        offered back when this image was opened again, as if Discard had not been answered."""
        case = self.editor.case
        chose_discard = case is not None and self.discarded is not None and self.discarded[0] is case
        if chose_discard and case.modified and case.version != self.discarded[1]:
            self.window.measurements.add("the edits made while the next image was loading were "
                                         "discarded with the others (you answered Discard)")
        self.close_case(set_workspace_aside=case is not None and (not case.modified or chose_discard))

    # -- labels files ---------------------------------------------------------------------------
    def load_labels(self, path, replace: bool = False) -> None:
        """Read and check a mask in the background (the label-value check, resampling, its
        values), then make it the Session's labels on the GUI thread (one undo step).

        Over labels with unsaved edits the notice bar asks first (*Replace* / *Cancel*, not
        modal), as ITK-SNAP does; ``replace=True``: the answer was Replace. Until session 25 the
        file replaced hand-drawn voxels with no question (Ctrl+Z brought them back)."""
        from ..app.label_files import labels_step, prepare_label_file

        window = self.window
        if self.editor.session is None:
            window.show_error(f"{path}: open an image before its labels")
            return
        if self.editor.waiting_preview("loading labels"):   # they would drop it without a word
            return
        path = os.fspath(path)
        session = self.editor.session
        case = self.editor.case
        if not replace and case is not None and case.modified and _unlocked_voxels(session.labels):
            def answered() -> None:
                if self.editor.session is session:   # not another image opened meanwhile
                    self.load_labels(path, replace=True)

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

        def work(progress, cancel):   # a label map file, or a DICOM SEG
            prepared = prepare_label_file(path, volume, progress, cancel)
            return prepared, labels_step(prepared, current, locked, version, workspace)

        def apply(result) -> None:
            prepared, step = result
            if self.editor.session is not session:
                return  # the image was closed meanwhile
            try:
                session.apply_labels(prepared, step)
            except NeuroviewError as exc:
                window.show_error(str(exc))
                return
            if prepared.resampled:
                window.notice_bar.show_message(f"{os.path.basename(path)} lies on another grid: it was "
                                               "resampled onto the image grid (nearest neighbour).")
            if session.active_segment is None and len(session.segments):
                session.segments.select(next(iter(session.segments)))
            self.editor.segments_changed.emit()

        window.runner.start(work, on_done=apply, on_error=window.show_error,
                            label=f"Loading labels {os.path.basename(path)}")

    def save_labels(self, path) -> None:
        """Write the labels as they are now as NIfTI with their sidecar, from a worker
        (:mod:`.background_save`); the notice bar says *Saved* once the file is in place."""
        case = self._case_to_save()

        def saved(written: Path) -> None:
            self.window.training_actions.labels_saved(written)   # a worklist case remembers it
            self._saved(written)

        self.saving.start(case, case.write_labels, path, saved)

    def save_seg(self, path) -> None:
        """Save the labels as a DICOM SEG, from a worker; then they count as saved (quitting does
        not ask), as after Save labels or Save to PACS."""
        case = self._case_to_save()
        self.saving.start(case, lambda target, labels, cancel: case.save_seg(target, labels=labels,
                                                                             cancel=cancel),
                          path, self._saved)

    def _case_to_save(self) -> Case:
        if self.editor.case is None:
            raise NeuroviewError("open an image first")
        return self.editor.case

    def _saved(self, saved: Path) -> None:
        remember_folder(saved)
        self.window.message_bar.hide()   # an earlier error is over: this one worked
        self.window.notice_bar.show_message(f"Saved {saved}")

    def _save_dialog(self, function, title, default, file_filter) -> bool:
        """Ask for a file and start saving it; True when the save started (its end: :attr:`saving`)."""
        if self.editor.case is None:
            self.window.show_error(f"nothing to save: {self.editor.no_case_message()}")
            return False
        if self.editor.waiting_preview("saving"):   # the file would leave it out
            return False
        self.saving.wait()                          # one save at a time
        path, _ = QFileDialog.getSaveFileName(self.window, title, default, file_filter)
        if not path:
            return False
        try:
            function(path)
        except NeuroviewError as exc:
            self.window.show_error(str(exc))
            return False
        return True

    def save_labels_dialog(self) -> bool:
        return self._save_dialog(self.save_labels, "Save labels", self._default_name("-labels.nii.gz"),
                                 LABEL_FILTER)

    def save_seg_dialog(self) -> bool:
        return self._save_dialog(self.save_seg, "Save labels as DICOM SEG", self._default_name("-seg.dcm"),
                                 "DICOM (*.dcm)")

    def _default_name(self, suffix: str) -> str:
        """The image's name with ``suffix`` in :func:`~neuroview.app.save_folder.proposed_folder`
        (the last folder saved to, the image's folder when writable, or Documents)."""
        case = self.editor.case
        source = case.volume.source_path if case is not None else ""
        name = os.path.basename(source.rstrip(os.sep)) or "labels"
        for ending in (".nii.gz", ".nii", ".mgz", ".nrrd", ".dcm"):
            if name.lower().endswith(ending):
                name = name[: -len(ending)]
        documents = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation)
        return os.path.join(os.fspath(proposed_folder(source, documents)), name + suffix)


def _unlocked_voxels(labels) -> bool:
    """Whether the label map holds voxels a loaded file would replace (locked ones stay)."""
    locked = set(labels.segments.locked_values())
    if not locked:
        return bool(labels.array.any())
    return any(value not in locked for value in labels.voxel_counts())
