"""The main window: four-up / one-row / maximised views, menus, panels, background loading.

Opening goes through ``io.scan`` (files, folders, DICOMDIR, several files) in a background job; a
folder with several series shows the chooser; the chosen candidate loads in the background with
a progress bar and a Cancel button. Every error lands in one message bar over the top of the views;
news and questions (restore earlier edits?) in the notice bar below it; both float over the views
and never resize them. Editing (the Session, the
segment editor, Save labels) is wired in by ``actions_edit.EditActions``.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..app.frames import FRAME_NOTES, frame_note
from ..app.view_state import PLANES
from ..app.viewer_recent import RecentFiles
from ..core.errors import NeuroviewError
from .actions_ai import AIActions
from .actions_edit import EditActions
from .actions_models import ModelActions
from .actions_training import TrainingActions
from .controller import ViewerController
from .dialogs import SeriesChooserDialog
from .job_bar import JobBar
from .key_focus import ClickFocusFilter, typing_in
from .lesions_panel import install_lesions_panel
from .measure_draw import with_measurements
from .notice_bar import NoticeBar, OverlayStack
from .panel_focus import PanelFocus
from .panel_scroll import scrolled
from .panels import DisplayPanel, MeasurementPanel, SegmentPanel
from .slice_widget import TITLE_HEIGHT, SliceViewWidget
from .view3d_widget import View3DWidget
from .workers import JobRunner

FILE_FILTER = ("Images (*.nii *.nii.gz *.mgz *.mgh *.hdr *.img *.nrrd *.nhdr *.dcm DICOMDIR);;"
               "All files (*)")


class MessageBar(QFrame):
    """The one place errors appear: file and problem, until dismissed or the next success."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setStyleSheet("MessageBar { background: #5a1e1e; } QLabel { color: #ffd7d7; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        close = QPushButton("Dismiss")
        close.clicked.connect(self.hide)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.hide()

    def show_error(self, text: str) -> None:
        self.label.setText(text)
        self.show()

    @property
    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("neuroview")
        self.resize(1200, 860)
        self.setAcceptDrops(True)
        self.controller = ViewerController(self)
        self.runner = JobRunner(self)
        self.recent = RecentFiles()
        self.series_dialog: SeriesChooserDialog | None = None
        self._opening = 0       # number of the latest open: an older scan or load is dropped
        self._open_job = None   # its running scan or load job (a newer open cancels it)
        self.slice_views = {plane: SliceViewWidget(plane, self.controller) for plane in PLANES}
        self.view3d = View3DWidget(self.controller)
        self.view3d.failed.connect(lambda text: self.notice_bar.tell(text))
        self.view3d.slices_painted = lambda: all(
            v.last is not None for v in self.slice_views.values() if v.isVisible())
        self.views = dict(self.slice_views, **{"3d": self.view3d})
        self.view3d.slice_views = self.slice_views
        self.message_bar = MessageBar()
        self.notice_bar = NoticeBar()
        self._build_central()
        self._build_status_bar()
        self._build_docks()
        self.edit_actions = EditActions(self)
        self.editor = self.edit_actions.editor
        # the brush cursor follows `[`/`]` and the radius box at once, not at the next mouse move
        self.editor.params_changed.connect(lambda: [v.update() for v in self.slice_views.values()])
        self.training_actions = TrainingActions(self)
        self.ai_actions = AIActions(self)
        self._build_menus()
        c = self.controller
        c.layout_changed.connect(self._apply_layout)
        c.measured.connect(self.measurements.add)
        for view in self.slice_views.values():
            view.hovered.connect(self._hovered)
        self.display_panel.frame_box.valueChanged.connect(lambda value: self._frame_note(value - 1))
        self.notice_bar.answered.connect(self.focus_active_view)
        self._apply_layout()
        self.focus_filter = ClickFocusFilter(self, self.views.values())

    # -- construction ---------------------------------------------------------------------------
    def _build_central(self) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.grid_host = QWidget()
        self.grid_host.setObjectName("views")
        self.grid_host.setAttribute(Qt.WA_StyledBackground)
        self.grid_host.setStyleSheet("#views { background: #282828; }")  # not the floating bars
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(2)
        outer.addWidget(self.grid_host, 1)
        self.setCentralWidget(central)
        # errors over news, floating on the views below their titles: a bar never resizes them
        self.bars = OverlayStack(self.grid_host, (self.message_bar, self.notice_bar), top=TITLE_HEIGHT + 2)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.readout = QLabel()
        bar.addWidget(self.readout, 1)
        self.jobs = JobBar(bar, self.runner)
        self.progress, self.progress_text = self.jobs.progress, self.jobs.text
        self.cancel_button = self.jobs.cancel_button

    def _build_docks(self) -> None:
        self.display_panel = DisplayPanel(self.controller, self.view3d)
        self.segment_panel = SegmentPanel(self.controller)
        self.measurements = MeasurementPanel()
        self.segment_panel.statistics.connect(self.measurements.add)
        # the Display panel scrolls when the window is short (as the Segment editor's): its whole
        # height held the window 620 pixels tall, past a 540-pixel high screen (1080 at 200 %)
        for title, widget in (("Display", scrolled(self.display_panel)),
                              ("Segments", self.segment_panel), ("Measurements", self.measurements)):
            dock = QDockWidget(title, self)
            dock.setObjectName(title)
            dock.setWidget(widget)
            self.addDockWidget(Qt.RightDockWidgetArea, dock)
        self._display_dock = self.findChild(QDockWidget, "Display")

    def _action(self, menu, text, slot, shortcut=None, checkable=False) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        self._action(file_menu, "Open file(s)...", self.open_file_dialog, QKeySequence.Open)
        self._action(file_menu, "Open folder / DICOM...", self.open_folder_dialog, "Ctrl+Shift+O")
        self._action(file_menu, "Load labels...", self.open_labels_dialog, "Ctrl+L")
        self._action(file_menu, "Open follow-up...", self.open_followup_dialog)
        from .pacs_dialog import PacsActions

        self.pacs_actions = PacsActions(self)
        self.recent_menu = file_menu.addMenu("Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.file_menu = file_menu
        self.file_anchor = file_menu.addSeparator()
        self.settings_menu = QMenu("&Settings", self)  # added to the bar before Help, below
        self.pacs_actions.install_menus(file_menu, self.recent_menu.menuAction(), self.settings_menu)
        self._action(file_menu, "Export view as PNG...", self.export_view_dialog, "Ctrl+E")
        self._action(file_menu, "Export all views as PNG...", self.export_all_dialog, "Ctrl+Shift+E")
        file_menu.addSeparator()
        self._action(file_menu, "Quit", self.close, QKeySequence.Quit)
        view_menu = menus.addMenu("&View")
        self.edit_actions.install_menus(file_menu, self.file_anchor, menus, view_menu.menuAction())
        group = QActionGroup(self)
        self.layout_actions = {}
        for name, text in (("four-up", "Four-up"), ("one-row", "One row of three"),
                           ("single", "One view")):
            action = self._action(view_menu, text, lambda _=False, n=name: self.set_layout(n),
                                  checkable=True)
            group.addAction(action)
            self.layout_actions[name] = action
        self.layout_actions["four-up"].setChecked(True)
        view_menu.addSeparator()
        self._action(view_menu, "Reset views", self.reset_views, "Ctrl+R")
        self.interpolate_action = self._action(view_menu, "Smooth image (linear interpolation)",
                                               self.controller.set_interpolate, checkable=True)
        self.interpolate_action.setChecked(self.controller.interpolate)
        view_menu.addSeparator()   # a 4D image's time points, FSLeyes-style keys off the arrows' own use
        self._action(view_menu, "Next time point", lambda: self.step_frame(1), "Alt+Right")
        self._action(view_menu, "Previous time point", lambda: self.step_frame(-1), "Alt+Left")
        self.lesions = install_lesions_panel(self, view_menu)
        self.panel_focus = PanelFocus(self)   # F6 / Ctrl+Tab: views -> panels, keyboard only
        self.panel_focus.install(view_menu)
        tools = menus.addMenu("&Tools")
        tool_bar = self.addToolBar("Mouse mode")
        tool_bar.setObjectName("mouse-mode")
        modes = QActionGroup(self)
        modes.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self.mode_actions = {}
        for mode, text, keys in (("navigate", "Navigate", ("N", "F1")),
                                 ("window-level", "Window/level", ("F2",)),
                                 ("ruler", "Ruler", ("F3",)), ("rectangle", "Rectangle statistics", ("F4",)),
                                 ("angle", "Angle", ("F5",))):
            action = self._action(tools, text, lambda _=False, m=mode: self.controller.set_mode(m),
                                  checkable=True)
            action.setShortcuts([QKeySequence(k) for k in keys])
            modes.addAction(action)
            tool_bar.addAction(action)
            self.mode_actions[mode] = action
        self.mode_actions["navigate"].setChecked(True)
        self.edit_actions.add_navigate(self.mode_actions["navigate"])  # one Navigate, in Edit too
        self.controller.mode_changed.connect(self._mode_changed)
        self.training_actions.install_menus(file_menu, self.file_anchor, tool_bar)
        self.ai_actions.install_menus(menus, tools.menuAction(), tool_bar)  # File Edit View AI Tools
        self.model_actions = ModelActions(self)  # AI > Train model..., AI > Models...
        self.model_actions.install_menus(menus)
        menus.addMenu(self.settings_menu)
        help_menu = menus.addMenu("&Help")
        self._action(help_menu, "Keyboard shortcuts", self.show_shortcuts, "Ctrl+/")
        self._action(help_menu, "About neuroview", self.show_about)
        self.help_menu = help_menu
        self.help_dialog = None

    def show_shortcuts(self) -> None:
        """A non-modal list of every shortcut, made from the actions as they are now."""
        from .help_menu import ShortcutsDialog

        self.help_dialog = ShortcutsDialog(self)
        self.help_dialog.show()

    def show_about(self) -> None:
        from .help_menu import AboutDialog

        self.help_dialog = AboutDialog(self)
        self.help_dialog.show()

    def _mode_changed(self, mode: str) -> None:
        for name, action in self.mode_actions.items():
            action.setChecked(name == mode)

    # -- layout ---------------------------------------------------------------------------------
    def set_layout(self, layout: str) -> None:
        self.controller.set_layout(layout)
        self._apply_layout()

    def focus_active_view(self) -> None:
        """Give the keys back to the last clicked slice view (unless the user is typing)."""
        view = self.slice_views.get(self.controller.active_view)
        focus = QApplication.focusWidget()
        if view is not None and view.isVisible() and not typing_in(focus):
            view.setFocus(Qt.OtherFocusReason)

    def _apply_layout(self) -> None:
        focus = QApplication.focusWidget()
        views_had_focus = focus is None or focus in self.views.values()
        for widget in self.views.values():
            self.grid.removeWidget(widget)
            widget.hide()
        for r in range(3):
            self.grid.setRowStretch(r, 0)
            self.grid.setColumnStretch(r, 0)
        visible = self.controller.views()
        if len(visible) == 1:
            positions = {visible[0]: (0, 0)}
        elif len(visible) == 3:
            positions = {name: (0, n) for n, name in enumerate(visible)}
        else:  # Slicer's four-up: axial | 3D over sagittal | coronal
            positions = {"axial": (0, 0), "3d": (0, 1), "sagittal": (1, 0), "coronal": (1, 1)}
        for name, (r, col) in positions.items():
            self.grid.addWidget(self.views[name], r, col)
            self.grid.setRowStretch(r, 1)
            self.grid.setColumnStretch(col, 1)
            self.views[name].show()
        state = self.controller.state
        if state is not None and state.layout in self.layout_actions:
            self.layout_actions[state.layout].setChecked(True)
        if views_had_focus:  # hiding the focused view moved the focus away: bring it back
            self.focus_active_view()

    def reset_views(self) -> None:
        self.controller.reset_views()
        self.view3d.reset_camera()

    # -- opening --------------------------------------------------------------------------------
    def open_paths(self, paths, asked: bool = False, series=None) -> bool:
        """Scan ``paths`` in the background; choose a series if several; load it in the background.

        With unsaved edits, asks Save / Discard / Cancel first (unless the caller just ``asked``);
        False: cancelled, nothing opened. ``series`` (a Recent entry, ``app.viewer_recent``)
        opens the series chosen there last without the chooser, while the scan still finds it."""
        from ..io import scan

        paths = [os.fspath(p) for p in paths]
        if not paths or not (asked or self.edit_actions.confirm_replace()):
            return False
        name = os.path.basename(paths[0].rstrip(os.sep)) or paths[0]
        opening = self._begin_open()

        def scan_both(progress, cancel):
            """The scan; when a series has uneven slices, both ways of placing them, resampled
            and split into even runs, and whether the default chose the split (a grid mostly
            interpolated): the chooser offers both (headers read again, from the page cache)."""
            from ..io.dicom import DicomOptions

            result = scan(paths, progress, cancel)
            placed = {c.uneven_slices for c in result.candidates} - {""}

            def again(choice):
                return scan(paths, progress, cancel, dicom_options=DicomOptions(uneven=choice))

            if not placed:
                return result, None, False
            if placed == {"resampled"}:
                return result, again("split"), False
            return again("resample"), result if placed == {"split"} else again("split"), True

        self._open_job = self.runner.start(
            scan_both, on_error=lambda text: self._open_failed(opening, text),
            on_done=lambda results: self._current(opening) and self._scanned(paths, *results,
                                                                              series=series),
            label=f"Scanning {name}")
        return True

    def _begin_open(self) -> int:
        """A new open supersedes the one in progress (cancelled, its result dropped): the image
        shown is the one opened last, not the one whose loading happened to finish last."""
        if self._open_job is not None and not self._open_job.finished:
            self._open_job.cancel()
        self._opening += 1
        return self._opening

    def _current(self, opening: int) -> bool:
        """Whether the open numbered ``opening`` is still wanted: not superseded by a newer one
        and not cancelled (a loader that cannot stop midway still finishes: its result is
        dropped, and the image and edits on screen stay)."""
        job = self._open_job
        return opening == self._opening and not (job is not None and job.cancel_token.cancelled)

    def _open_failed(self, opening: int, text: str) -> None:
        if opening == self._opening:
            self.show_error(text)

    def _scanned(self, paths, result, split_result=None, split_first=False, series=None) -> None:
        # damaged files the scan left out: named once the image is open (a missing slice's
        # series otherwise opened with no word of the file, which `neuroview info` names)
        skipped = result.left_out()
        if len(result.candidates) == 1 and split_result is None:
            self._load_candidate(paths, result.candidates[0], skipped)
            return
        remembered = [c for r in (result, split_result) if r is not None for c in r.candidates
                      if series is not None and series.series
                      and (c.key, c.uneven_slices) == (series.series, series.uneven)]
        if remembered:                      # File > Recent: the series chosen last time
            self._load_candidate(paths, remembered[0], skipped, chosen=True)
            return
        dialog = SeriesChooserDialog(result, self, split_result, split_first)
        self.series_dialog = dialog

        def accepted() -> None:
            candidate = dialog.chosen()
            if candidate is not None:
                self._load_candidate(paths, candidate, skipped, chosen=True)

        dialog.accepted.connect(accepted)
        dialog.finished.connect(lambda _code: setattr(self, "series_dialog", None))
        dialog.open()

    def _load_candidate(self, paths, candidate, skipped=(), chosen: bool = False) -> None:
        """Load ``candidate`` in the background and show it; ``chosen``: one of several series
        (File > Recent remembers which)."""
        opening = self._begin_open()

        def done(volume) -> None:
            if not self._current(opening):
                return
            self.edit_actions.replacing()   # saved or discarded edits set aside, as after quitting
            self.controller.set_volume(volume)
            self.edit_actions.volume_opened(volume, paths)
            self.message_bar.hide()
            if chosen:
                self.recent.add(paths, candidate.key, candidate.uneven_slices, candidate.description)
            else:
                self.recent.add(paths)
            title = (volume.description or candidate.description
                     or os.path.basename(paths[0].rstrip(os.sep)) or paths[0])
            self.setWindowTitle(f"neuroview - {title}")
            for warning in volume.warnings:
                self.measurements.add(f"warning: {warning}")
            if volume.warnings:   # e.g. images left out, positions assumed: not only in a list
                more = (f" (and {len(volume.warnings) - 1} more)" if len(volume.warnings) > 1
                        else "")
                self.notice_bar.tell(f"Warning: {volume.warnings[0]}{more}; see Measurements.")
            if volume.n_frames > 1:   # under the warning or restore question: it replaced none
                self._frame_note(0, first=True)
            for note in skipped:
                self.measurements.add(f"note: {note}")
            if skipped:
                more = f" (and {len(skipped) - 1} more: see Measurements)" if len(skipped) > 1 else ""
                self.show_error(f"{len(skipped)} file(s) left out: {skipped[0]}{more}")

        self._open_job = self.runner.start(
            lambda progress, cancel: candidate.load(progress, cancel), on_done=done,
            on_error=lambda text: self._open_failed(opening, text),
            label=f"Loading {candidate.description or os.path.basename(paths[0])}")

    def step_frame(self, steps: int) -> None:
        """Alt+Right / Alt+Left: the next / previous time point of a 4D image (stops at the ends)."""
        box = self.display_panel.frame_box
        if self.controller.volume is not None and self.controller.volume.n_frames > 1:
            box.setValue(box.value() + steps)

    def _frame_note(self, frame: int, first: bool = False) -> None:
        """The notice of a 4D image: which time point (or a colour image's channel) the slice
        views show, and where to choose; shown when the image opens (``first``), then kept up to
        date while it is on screen."""
        volume = self.controller.volume
        text = frame_note(volume, frame) if volume is not None else ""
        if text and not self.notice_bar.replace_line(FRAME_NOTES, text) and first:
            self.notice_bar.add(text)   # below what the bar shows, never over it

    def open_labels(self, path) -> None:
        """Load a mask as the Session's label map (one undo step; another grid is resampled)."""
        if self.controller.volume is None:
            self.show_error(f"{path}: open an image before its labels")
            return
        self.edit_actions.load_labels(path)

    def open_file_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Open image", "", FILE_FILTER)
        if files:
            self.open_paths(files)

    def open_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open folder (DICOM series, NIfTI files)")
        if folder:
            self.open_paths([folder])

    def open_labels_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load labels", "", FILE_FILTER)
        if path:
            self.open_labels(path)

    def open_followup_dialog(self) -> None:
        from .followup_open import open_followup

        open_followup(self)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        entries = self.recent.entries()
        if not entries:
            self.recent_menu.addAction("(none)").setEnabled(False)
        for entry in entries:
            action = self.recent_menu.addAction(entry.label())
            action.triggered.connect(lambda _=False, e=entry: self.open_paths(e.paths, series=e))

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            # after the drop returns: the unsaved-edits question must not block the drag source
            QTimer.singleShot(0, lambda: self.open_paths(paths))

    # -- export ---------------------------------------------------------------------------------
    def view_picture(self, view: str, width: int | None = None, height: int | None = None):
        widget = self.views[view]
        width, height = width or max(widget.width(), 64), height or max(widget.height(), 64)
        if view == "3d":
            return self.view3d.render_image(width, height)
        # the rulers and statistics rectangle too, as on screen (the PNG used to leave them out)
        return with_measurements(widget.render(width, height), self.controller, view)

    def _require_image(self, path) -> None:
        if self.controller.volume is None:
            raise NeuroviewError("nothing to export, open an image first", path=path)

    def export_view(self, path, view: str | None = None) -> None:
        from ..render.png import write_png

        self._require_image(path)
        view = view or self.controller.active_view
        picture = self.view_picture(view)
        if picture is None:
            raise ValueError("nothing to export yet")
        write_png(picture, path)

    def export_all(self, path, width: int = 1024, height: int = 1024) -> None:
        from ..render.layout import compose_four_up, tile_sizes
        from ..render.png import write_png

        self._require_image(path)
        tile_w, tile_h = tile_sizes(width, height)
        images = {view: self.view_picture(view, tile_w, tile_h) for view in self.views}
        if images["3d"] is None:
            images["3d"] = images["axial"] * 0
        write_png(compose_four_up(images, width, height), path)

    def _export(self, function, title) -> None:
        if self.controller.volume is None:
            self.show_error("nothing to export: open an image first")
            return
        path, _ = QFileDialog.getSaveFileName(self, title, "view.png", "PNG (*.png)")
        if path and not path.lower().endswith(".png"):   # a name typed without it: no viewer
            path += ".png"                                  # opened the file as an image
        if path:
            try:
                function(path)
            except Exception as exc:  # shown in the message bar, the app keeps running
                self.show_error(str(exc))

    def export_view_dialog(self) -> None:
        self._export(self.export_view, "Export view")

    def export_all_dialog(self) -> None:
        self._export(self.export_all, "Export all views")

    def showEvent(self, event) -> None:
        """At the first show: the Display panel whole (as tall as it wants) where the screen has the
        room for the window with it, else it scrolls, so the window fits a short screen."""
        super().showEvent(event)
        if self._display_dock is not None:
            scroll, self._display_dock = self._display_dock.widget(), None
            needed = (self.minimumSizeHint().height() + scroll.sizeHint().height()
                      - scroll.minimumSizeHint().height())
            scroll.keep_whole(self.screen() is None
                              or needed <= self.screen().availableGeometry().height())

    # -- feedback -------------------------------------------------------------------------------
    def show_error(self, text: str) -> None:
        self.message_bar.show_error(text)

    def _hovered(self, p_ras) -> None:
        self.readout.setText(self.controller.readout(p_ras))

    def closeEvent(self, event) -> None:
        if not self.model_actions.confirm_stop_training():   # a training runs: Stop and quit / Cancel
            event.ignore()
            return
        if not self.edit_actions.confirm_close():   # unsaved edits: Save / Discard / Cancel
            event.ignore()
            return
        self.model_actions.stop_training()
        self.edit_actions.saving.wait()   # a save under way is finished: only Cancel stops one
        self.runner.wait(5000)
        self.edit_actions.close_case(set_workspace_aside=True)
        self.training_actions.leave_worklist()
        self.view3d.release()
        super().closeEvent(event)
