"""Editing in the main window: the Session of each opened image, the restore offer, the Edit menu,
the segment editor dock; File > Save labels / Save as DICOM SEG and loading labels are in
``actions_labels.LabelFileActions``, a part of :class:`EditActions`.

Opening an image makes a :class:`~neuroview.app.case.Case` with its workspace folder
(``user_data_dir()/workspaces/<image key>``). When that workspace holds edits of an earlier
session (after a crash, even ``kill -9``), the notice bar asks Restore / Discard; until answered,
the image is shown and editing waits (``ui.actions_open``). Discard moves the old workspace aside,
never deletes it.
Quitting, closing the image (*File > Close*) or opening another one with unsaved edits asks Save /
Discard / Cancel (:meth:`EditActions.confirm_close`, :meth:`EditActions.confirm_replace`,
:meth:`EditActions.confirm_close_image`); after Save or Discard the
workspace is moved aside too, so the next start offers nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMessageBox

from ..app.shown_path import short_path
from ..core.errors import NeuroviewError
from ..core.same_object import Same
from .action_keys import key_sequences
from .actions_labels import SAVE_AS_KEY, LabelFileActions
from .actions_open import OpeningActions
from .ai_click import AiClickController
from .background_save import BackgroundSave
from .dialog_parts import question
from .edit_controller import BRUSH_STEP, EditController
from .edit_preview import PREVIEW_NAMES
from .editor_fold import EditorDockFit
from .editor_panel import SegmentEditorPanel
from .panel_scroll import scrolled

SEG_NEEDS_DICOM = ("Only for an image opened from DICOM: a DICOM SEG references the series it was "
                   "drawn on. Save labels... (Ctrl+S) writes NIfTI")
"""Why *Save labels as DICOM SEG...* is greyed out over a NIfTI (or other non-DICOM) image."""

class EditActions(OpeningActions, LabelFileActions):
    def __init__(self, window) -> None:
        self.window = window
        self.editor = EditController(window.controller, window)
        self.editor.ai_click = AiClickController(self.editor, window.runner, self.editor)
        self.panel = SegmentEditorPanel(self.editor)
        self.pending = None  # (volume, paths, workspace) while the restore question is open
        self._look = None  # the token of the workspace read in a worker for the restore offer
        self.offered = None  # the RestoreOffer the question is about (kept for a cancelled restore)
        self.restoring = None  # the job replaying the crash journal after Restore, while it runs
        self.elsewhere = None  # (volume, paths, workspace) shown while another window edits it
        self.quit_box = None  # the Save / Discard / Cancel question (quit, open another) while open
        self.discarded = None  # (case, version when asked) whose edits the user chose to discard
        self.saving = BackgroundSave(window)
        editor = self.editor
        self._edit_error = None   # the editor's error on the red bar, until the next edit works
        editor.error.connect(self._edit_failed)
        editor.history_changed.connect(self._edit_worked)
        editor.status.connect(window.notices.status)
        editor.show_labels.connect(lambda: window.segment_panel.visible_check.setChecked(True))
        for view in window.slice_views.values():
            editor.voxels_changed.connect(view.refresh_box)
        editor.labels_edited.connect(window.view3d.labels_edited)
        window.view3d.labels_version = lambda: None if editor.session is None else (
            Same(editor.session), editor.session.version)   # a step's labels asked for once
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
        self.dock_fit = EditorDockFit(window, dock, self.panel)   # the options above the fold

    # -- menus ----------------------------------------------------------------------------------
    def _action(self, menu, text, slot, shortcuts=(), before=None, anew=False) -> QAction:
        """``anew``: the status line's word on what came before goes as it is triggered."""
        action = QAction(text, self.window)
        if anew:   # before the slot, whose own word then stays
            action.triggered.connect(self.window.notices.drop_word)
        if shortcuts:
            action.setShortcuts(key_sequences(*shortcuts))   # Save: every platform binding
        action.triggered.connect(slot)
        if before is not None:
            menu.insertAction(before, action)
        else:
            menu.addAction(action)
        return action

    def install_menus(self, file_menu, before, menu_bar, before_menu) -> None:
        """File menu entries (inserted before ``before``) and the Edit menu (before ``before_menu``)."""
        self.save_action = self._action(file_menu, "Save labels...", self.save_labels_again,
                                        [QKeySequence.Save], before, anew=True)
        self.save_as_action = self._action(file_menu, "Save labels as...", self.save_labels_dialog,
                                           [SAVE_AS_KEY], before, anew=True)
        self.seg_action = self._action(file_menu, "Save labels as DICOM SEG...", self.save_seg_dialog,
                                       before=before, anew=True)
        file_menu.setToolTipsVisible(True)   # only actions given a tooltip show one (a reason)
        edit = menu_bar.addMenu("&Edit")
        menu_bar.insertMenu(before_menu, edit)
        self.edit_menu = edit
        self.undo_action = self._action(edit, "Undo", self.editor.undo, [QKeySequence("Ctrl+Z")],
                                        anew=True)
        self.redo_action = self._action(edit, "Redo", self.editor.redo,
                                        [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")], anew=True)
        edit.addSeparator()
        self.tool_actions = {}
        for tool, text, key in (("paint", "Paint", "P"), ("erase", "Erase", "E"), ("fill", "Fill", "F"),
                                ("ai-click", "AI click", "K"), ("threshold", "Threshold", "T")):
            self.tool_actions[tool] = self._action(
                edit, text, lambda _=False, t=tool: self.pick_tool(t), [QKeySequence(key)])
        self.erase_all_action = self._action(edit, "Erase every segment / only the selected one",
                                             self._toggle_erase_all, ["Shift+E"])
        self.navigate_anchor = edit.addSeparator()  # Tools > Navigate (N) goes here too
        self._action(edit, "Larger brush", lambda: self.editor.scale_brush(BRUSH_STEP), ["]"])
        self._action(edit, "Smaller brush", lambda: self.editor.scale_brush(1 / BRUSH_STEP), ["["])
        edit.addSeparator()
        self._action(edit, "Add segment", self.panel.add_segment, ["Ctrl+Shift+A"])
        self._action(edit, "Previous segment", lambda: self.panel.step_segment(-1), ["Q"])
        self._action(edit, "Next segment", lambda: self.panel.step_segment(1), ["W"])
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

    def pick_tool(self, tool: str) -> None:
        """A tool picked by its key or the Edit menu, its options in view."""
        self.show_editor()
        self.panel.select_tool(tool)

    def _toggle_erase_all(self) -> None:
        self.show_editor()
        self.editor.toggle_erase_all()

    def show_editor(self) -> None:
        """Bring the Segment editor's tab to the front: behind *Segments*, or behind
        *Measurements* on a short screen (``editor_fold``), P left the tool's options unseen. A
        dock the user closed with its X comes back where it was (*View > Panels > Segment editor* checked
        again), as Slicer's and ITK-SNAP's tool keys bring their editor back: P picked Paint
        with nothing on screen to say so."""
        if self.dock.isHidden():
            self.dock.show()
        self.dock.raise_()

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
        self.save_as_action.setEnabled(case is not None)
        self.seg_action.setEnabled(case is not None and case.is_dicom)
        # why it is greyed out, on hover (it was disabled with no word of why: Slicer's users try it)
        why = "" if self.seg_action.isEnabled() else SEG_NEEDS_DICOM if case is not None else \
            "Open a DICOM image first: a DICOM SEG references the series it was drawn on"
        self.seg_action.setToolTip(why)
        self.seg_action.setStatusTip(why)

    def close_case(self, set_workspace_aside: bool = False) -> None:
        """Close the open case; ``set_workspace_aside`` (quitting after Save or Discard): move its
        workspace aside (not deleted), so the next start does not offer to restore these edits."""
        case = self.editor.case
        self.editor.set_case(None)
        self.stop_restoring()   # a restore under way: its journal stays, offered next time
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

    def confirm_mark_done(self) -> bool:
        """*Mark done* or *Skip case* of a worklist case: with unsaved edits ask Save / Discard /
        Cancel first, as leaving it does. Next case does not open a case marked done again, so its
        unsaved edits were left in the crash journal alone: a window closed by a crash after the
        mark offered them nowhere, the case read done. Discard: the worklist's moves off the case ask
        nothing more (``WorklistMoves._leave_asked``)."""
        return self._ask_unsaved("Save them before marking the case done? Next case does not open "
                                 "it again. Discard drops them when you leave the case.")

    def confirm_close_image(self) -> bool:
        """*File > Close*: the question opening another image asks (:meth:`confirm_replace`)."""
        return self._ask_unsaved("Save them before closing this image? Discard drops them: "
                                 "they will not be offered back later.")

    def image_closed(self) -> None:
        """*File > Close* went ahead (after :meth:`confirm_close_image`): the case closes as when
        another image replaces it (saved or discarded edits set aside: no restore offer next
        time), and a restore question or a crash journal still being read for it goes."""
        self.replacing()
        self.pending = self._look = self.offered = self.elsewhere = None
        self.editor.restore_pending = self.editor.restore_reading = False
        self.editor.edited_elsewhere = self.editor.restore_put_off = False
        if self.editor.watching:
            self.editor.watching = False
            self.editor.watching_changed.emit(False)
        self.window.notice_bar.hide()

    def _ask_unsaved(self, informative: str) -> bool:
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
        own = self.own_labels_file(case)
        if own:
            informative = (f"Save writes them into {short_path(own, case.volume.source_path)}, the "
                           f"file they were loaded from or saved to. {informative}")
        box = question("Unsaved edits", text, informative,
                       QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Save,
                       self.window)
        self.quit_box = box
        try:
            answer = box.exec()
        finally:
            self.quit_box = None
        if answer == QMessageBox.Save:
            if waiting:
                self.editor.accept_preview()
            # Waits for the file; an edit made meanwhile is not in it: the window stays.
            if own:   # (a colleague's newer file of a worklist case: the notice bar asks first)
                self.save_labels(own)
                return self.saving.wait() and not case.modified
            return self.save_labels_again() and self.saving.wait() and not case.modified
        if answer == QMessageBox.Discard:
            self.discarded = (case, case.version)
            return True
        return False

    def replacing(self) -> None:
        """Another image replaces this one: close the case. Saved edits, and edits the user chose
        to discard, are set aside (nothing to offer back); unsaved ones stay in the workspace,
        offered back when this image is opened again. Edits made after answering Discard, while
        the new image loaded, go with the rest (the notice bar says so with the new image's news;
        the note went into Measurements until session 28): kept, they were offered back when
        this image was opened again, as if Discard had not been answered."""
        case = self.editor.case
        chose_discard = case is not None and self.discarded is not None and self.discarded[0] is case
        if chose_discard and case.modified and case.version != self.discarded[1]:
            self.window.notices.of_the_open("The edits made while the next image was loading were "
                                            "discarded with the others (you answered Discard).")
        self.close_case(set_workspace_aside=case is not None and (not case.modified or chose_discard))
