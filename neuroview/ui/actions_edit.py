"""Editing in the main window: the Session of each opened image, the restore offer, the Edit menu,
the segment editor dock; File > Save labels / Save as DICOM SEG and loading labels are in
``actions_labels.LabelFileActions``, a part of :class:`EditActions`.

Opening an image makes a :class:`~neuroview.app.case.Case` with its workspace folder
(``user_data_dir()/workspaces/<image key>``). When that workspace holds edits of an earlier
session (after a crash, even ``kill -9``), the notice bar asks Restore / Discard; until answered,
the image is shown and editing waits. Discard moves the old workspace aside, never deletes it.
Quitting, or opening another image, with unsaved edits asks Save / Discard / Cancel
(:meth:`EditActions.confirm_close`, :meth:`EditActions.confirm_replace`); after Save or Discard the
workspace is moved aside too, so the next start offers nothing.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMessageBox

from ..app import workspace_lock
from ..app.case import Case, set_aside, workspace_for
from ..app.session import Session
from ..core.errors import NeuroviewError
from .actions_labels import LabelFileActions
from .ai_click import AiClickController
from .background_save import BackgroundSave
from .edit_controller import EditController
from .edit_preview import PREVIEW_NAMES
from .editor_panel import SegmentEditorPanel
from .panel_scroll import scrolled

STATUS_MS = 15000   # how long a note (why an erase changed nothing) stays in the status bar


class EditActions(LabelFileActions):
    def __init__(self, window) -> None:
        self.window = window
        self.editor = EditController(window.controller, window)
        self.editor.ai_click = AiClickController(self.editor, window.runner, self.editor)
        self.panel = SegmentEditorPanel(self.editor)
        self.pending = None  # (volume, paths, workspace) while the restore question is open
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

    # -- opening images -------------------------------------------------------------------------
    def volume_opened(self, volume, paths) -> None:
        """A new image is on screen: start its Session, or ask first when there is work to restore."""
        window = self.window
        self.editor.set_case(None)
        self.pending = None
        self.editor.restore_pending = False
        self.editor.edited_elsewhere = False
        self.elsewhere = None
        window.notice_bar.hide()
        workspace = workspace_for(volume)
        if workspace_lock.in_use_elsewhere(workspace):
            # its journal is that window's: offered here as "an earlier session", Discard moved it
            # aside under the other window, Restore made two windows write one journal
            self.editor.edited_elsewhere = True
            self.elsewhere = (volume, paths, workspace)
            window.notice_bar.show_message(
                "This image is open for editing in another neuroview window: its edits and their "
                "crash journal are that window's. Edit it there; here it is shown without editing. "
                "Close it there, then click Edit here.",
                [("Edit here", lambda: self._edit_here(volume, paths)), ("Dismiss", lambda: None)])
            return
        try:
            restorable = Session.recovery(volume, workspace)
        except NeuroviewError as exc:  # unreadable or foreign workspace: keep it, start afresh
            window.show_error(f"{exc}; the old workspace was kept aside")
            set_aside(workspace)
            restorable = None
        if restorable is not None and restorable.records:
            self.pending = (volume, paths, workspace)
            self.editor.restore_pending = True
            text = restorable.question()
            if not restorable.lost and Session.saved_unchanged(volume, workspace):   # Save, then a crash
                text = ("This image has labels from an earlier session that ended without closing "
                        "it; they were saved, with no edit since. Restore them?")
            window.notice_bar.show_message(
                text,
                [("Restore", lambda: self.answer_restore(True)),
                 ("Discard", lambda: self.answer_restore(False))])
            return
        self._start(volume, paths, workspace, restore=True)

    def holder_check(self) -> None:
        """The window's 3 s watch (``worklist_watch.WATCH_MS``): an image shown without editing
        because another window edits it, whose window has let it go (closed, or killed), is said
        to be free, once, offering *Edit here*: the user decides; it kept saying "open for editing
        in another window" until *Edit here* was clicked. A question of another kind waiting in
        the notice bar is left alone (looked at again on the next tick)."""
        if self.elsewhere is None or not self.editor.edited_elsewhere:
            return
        bar = self.window.notice_bar
        if bar.isVisible() and not set(bar.buttons) <= {"Edit here", "Dismiss"}:
            return
        volume, paths, workspace = self.elsewhere
        if volume is not self.window.controller.volume:   # no longer on screen
            self.elsewhere = None
            return
        if workspace_lock.in_use_elsewhere(workspace):
            return
        self.elsewhere = None
        bar.show_message(
            f"The other neuroview window let this image go at {time.strftime('%H:%M')} (closed, or "
            "ended): Edit here edits it in this window; edits a crashed window left are offered "
            "back.",
            [("Edit here", lambda: self._edit_here(volume, paths)), ("Dismiss", lambda: None)])

    def _edit_here(self, volume, paths) -> None:
        """*Edit here*: the other window closed (or was killed): start editing, or say it again."""
        if volume is self.window.controller.volume:
            self.volume_opened(volume, paths)

    def answer_restore(self, restore: bool) -> None:
        if self.pending is None:
            return
        volume, paths, workspace = self.pending
        self.pending = None
        self.editor.restore_pending = False
        self.window.notice_bar.hide()
        self._start(volume, paths, workspace, restore)

    def _start(self, volume, paths, workspace, restore: bool) -> None:
        if volume is not self.window.controller.volume:
            return  # another image was opened meanwhile
        try:
            case = Case.open(volume, workspace, restore=restore, source_paths=paths)
        except NeuroviewError as exc:
            self.window.show_error(f"cannot open the workspace: {exc}")
            return
        self.editor.set_case(case)
        if restore and case.session.restored_steps:
            self.window.measurements.add(case.session.restored_line())
        if restore and case.session.restore_notice:
            self.window.notice_bar.show_message(case.session.restore_notice)

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
