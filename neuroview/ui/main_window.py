"""The main window: four-up / one-row / one-plus-three / maximised views, menus, panels, background loading.

Every error lands in one message bar over the top of the views; news and questions (restore
earlier edits?) in the notice bar below it; both float over the views and never resize them
(``notice_bar``); ``notices.Notices`` decides where each notice goes (never *Measurements*).
Opening files is in the base ``window_open.WindowOpening``, exporting the views as PNG in
``window_export.WindowExport``. Editing (the Session, the segment editor, Save labels)
is wired in by ``actions_edit.EditActions``.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QGridLayout,
    QMainWindow,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from ..ai.runtime_import import install as import_torch_gently
from ..app.frames import FRAME_NOTES, frame_note, step_name
from ..app.view_state import PLANES
from ..app.viewer_recent import RecentFiles
from .action_keys import menu_item
from .actions_ai import AIActions
from .actions_edit import EditActions
from .actions_fusion import FusionActions
from .actions_models import ModelActions
from .actions_training import TrainingActions
from .cine import Cine
from .controller import ViewerController
from .dialog_parts import show_focused
from .dialogs import SeriesChooserDialog
from .dock_menu import install_dock_entries
from .dock_tabs import DockTabs
from .file_dialog_size import FileDialogSize
from .full_screen import FullScreen
from .invert import InvertAction
from .job_bar import JobBar
from .key_focus import ClickFocusFilter, typing_in
from .label_keys import LabelKeys
from .label_time_points import LabelTimePoints
from .lesions_panel import install_lesions_panel
from .loading_keys import LoadingKeys
from .measure_recall import MeasureRecall
from .mnemonics import give_mnemonics
from .notice_bar import MessageBar, NoticeBar, OverlayStack
from .notices import Notices
from .panel_focus import PanelFocus
from .panel_scroll import NoBlankBelow, scrolled
from .panels import DisplayPanel, MeasurementPanel, SegmentPanel
from .plain_text import plain_label
from .preset_keys import install_preset_keys
from .qt_guard import guard_overrides
from .settings_said import show_settings_said
from .slab_job import SlabWorker
from .slab_row import install_slab_key
from .slice_widget import SIDE_LETTERS_HALF, TITLE_HEIGHT, SliceViewWidget
from .time_cine import TimeCine
from .tool_indicators import ToolIndicators
from .tooltip_keys import name_keys_in_tooltips
from .view3d_widget import View3DWidget
from .view_context_menu import open_view_menu
from .view_places import view_places
from .window_export import WindowExport
from .window_open import WindowOpening
from .workers import JobRunner

TOOL_BAR_NAMES = {"rectangle": "Rectangle", "ellipse": "Ellipse"}
"""The mouse tools' buttons named shorter than their menu items (*Rectangle statistics*...), as
Slicer's and Horos's tool bars are: with the long names the tool bar ran past a 1024 px window's
width and its last button (*Segment with a model*) was behind the tool bar's ›› (until session
48)."""


@guard_overrides
class MainWindow(WindowOpening, WindowExport, QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("neuroview")
        self.resize(1200, 860)
        self.setAcceptDrops(True)
        self.controller = ViewerController(self)
        self.runner = JobRunner(self)
        import_torch_gently()   # an AI job's first import of torch leaves the GUI thread free
        self.recent = RecentFiles()
        self.series_dialog: SeriesChooserDialog | None = None
        self._opening = 0       # number of the latest open: an older scan or load is dropped
        self._open_job = None   # its running scan or load job (a newer open cancels it)
        self._shown_key = None  # the series on screen: (scan key, paths, its files' stamps)
        self.slice_views = {plane: SliceViewWidget(plane, self.controller) for plane in PLANES}
        # one slab worker for the three views, serving them one after another: M on three oblique
        # views drew its first slab in 0.5-0.6x the time of a worker each, the event loop's longest
        # stall 0.5x, the last slab 1.2-1.3x later (2 cores, bench/slab.py --three-only); the
        # follow-up window's panes use it too
        self.slab_worker = SlabWorker(self)
        for view in self.slice_views.values():
            view.slab.job.use(self.slab_worker)
        self.view3d = View3DWidget(self.controller)
        self.view3d.failed.connect(lambda text: self.notice_bar.tell(text))
        self.view3d.said.connect(lambda text: self.notices.status(text))
        self.view3d.aside.connect(lambda text: self.notices.aside(text))
        self.view3d.noted.connect(lambda text: self.notice_bar.add(text))
        self.view3d.slices_painted = lambda: all(
            v.shows_open_image for v in self.slice_views.values() if v.isVisible())
        self.views = dict(self.slice_views, **{"3d": self.view3d})
        self.view3d.slice_views = self.slice_views
        self.message_bar = MessageBar()
        self.notice_bar = NoticeBar()
        self.notices = Notices(self)
        self._build_central()
        self._build_status_bar()
        self._build_docks()
        self.edit_actions = EditActions(self)
        self.editor = self.edit_actions.editor
        # the brush cursor follows `[`/`]` and the radius box at once, not at the next mouse move
        self.editor.params_changed.connect(lambda: [v.update() for v in self.slice_views.values()])
        self.training_actions = TrainingActions(self)
        # the worklist's 3 s watch also tells when another window lets the image on screen go
        self.training_actions.watch.timer.timeout.connect(self.edit_actions.holder_check)
        self.ai_actions = AIActions(self)
        self.label_time_points = LabelTimePoints(self)   # a 4D image's labels: their time point
        self._build_menus()
        # tabbed docks' labels whole (1366x768: cut short); made after the menus: each of their
        # actions is a child of the window, and its filter took 155 Python calls a window, 48 so
        self.dock_tabs = DockTabs(self)
        c = self.controller
        c.layout_changed.connect(self._apply_layout)
        c.measured.connect(self.measurements.add)
        self.measurements.go_to.connect(lambda p_ras: c.show_point(c.voxel_centre(p_ras)))
        # another image takes the rulers and angles away: their lines too (they stayed, listed
        # under the next image with nothing to tell which image they measured)
        c.volume_changed.connect(self.measurements.clear)
        self.measure_recall = MeasureRecall(self)   # kept with the image, given back at its open
        for view in self.slice_views.values():
            view.hovered.connect(self._hovered)
            view.pointer_moved.connect(self.notices.pointer_moved)
            view.escape_unused.connect(self._escape)   # Esc: a long job stops from the keys
            view.menu_asked.connect(lambda pos, plane=view.plane: open_view_menu(self, plane, pos))
        self.view3d.escape_unused.connect(self._escape)   # also with the 3D view alone shown
        self.view3d.menu_asked.connect(lambda pos: open_view_menu(self, "3d", pos))
        self.display_panel.frame_box.valueChanged.connect(lambda value: self._frame_note(value - 1))
        self.notice_bar.answered.connect(self.focus_active_view)
        self._apply_layout()
        self.focus_filter = ClickFocusFilter(self, self.views.values())
        self.loading_keys = LoadingKeys(self, self.views.values())   # said while the first loads
        self.file_dialog_size = FileDialogSize(self)   # Qt's file dialogs: 900x560, not 632x412
        show_settings_said(self.notice_bar)   # a damaged recent.json (or other setting) is said

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
        self.bars = OverlayStack(self.grid_host, (self.message_bar, self.notice_bar),
                                 top=TITLE_HEIGHT + 2, end=self._bars_end)
        for view in self.views.values():   # their rulers' and angles' labels go below a bar
            view.covered_to = functools.partial(self.bars.covered_to, view)
        self.bars.placed.connect(self._bars_placed)

    def _bars_placed(self) -> None:
        """A bar shown, hidden or moved: the views with measurements draw their labels anew (the
        3D view a new frame, where a value moves)."""
        c = self.controller
        if c.rulers or c.angles or c.ellipses or c.rectangles:
            for view in self.slice_views.values():
                view.update()
            self.view3d.bars_moved()

    def _bars_end(self) -> int:
        """Where the bars end at the most: above the side letters (R, L) at the middle of the top
        row of views (the rows share the height evenly: four-up has two, the other layouts one)."""
        rows = sum(1 for r in range(self.grid.rowCount()) if self.grid.rowStretch(r) > 0) or 1
        row_height = (self.grid_host.height() - self.grid.spacing() * (rows - 1)) // rows
        return row_height // 2 - SIDE_LETTERS_HALF

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.readout = plain_label()
        bar.addWidget(self.readout, 1)
        self.jobs = JobBar(bar, self.runner)
        self.progress, self.progress_text = self.jobs.progress, self.jobs.text
        self.cancel_button = self.jobs.cancel_button

    def _build_docks(self) -> None:
        self.display_panel = DisplayPanel(self.controller, self.view3d)
        # the image's Window/Level boxes and the overlay series' (View > Other series > Overlay series)
        for boxes in (self.display_panel.wl_boxes, self.display_panel.fusion_row.wl_boxes):
            boxes.back_to_view = self.focus_active_view   # Enter, Esc
            boxes.tell = self.notice_bar.tell   # a width of 0 typed
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
        NoBlankBelow(self, self._display_dock)   # a taller window's room to the docks below

    def _action(self, menu, text, slot, shortcut=None, checkable=False) -> QAction:
        action = menu_item(self, menu, text, slot, shortcut)   # Close: Ctrl+W and Ctrl+F4
        action.setCheckable(checkable)
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
        self.export_view_action = self._action(file_menu, "Export view as PNG...",
                                               self.export_view_dialog, "Ctrl+E")
        self._action(file_menu, "Export all views as PNG...", self.export_all_dialog, "Ctrl+Shift+E")
        file_menu.addSeparator()
        # C and Q as in every program (File has more items than letters to go round)
        self.close_action = self._action(file_menu, "&Close", self.close_image, QKeySequence.Close)
        self._action(file_menu, "&Quit", self.close, QKeySequence.Quit)
        view_menu = menus.addMenu("&View")
        self.edit_actions.install_menus(file_menu, self.file_anchor, menus, view_menu.menuAction())
        group = QActionGroup(self)
        self.layout_actions = {}
        for name, text, key in (("four-up", "Four-up", "Ctrl+1"),
                                ("one-row", "One row of three", "Ctrl+2"),
                                ("single", "One view", "Ctrl+3"),
                                ("one-plus-three", "One large, three small", "Ctrl+4")):
            action = self._action(view_menu, text, lambda _=False, n=name: self.set_layout(n),
                                  key, checkable=True)
            group.addAction(action)
            self.layout_actions[name] = action
        self.layout_actions["four-up"].setChecked(True)
        view_menu.addSeparator()
        # T: R is the Ruler's in the views' right-click menu, which holds both
        self.reset_action = self._action(view_menu, "Rese&t views", self.reset_views, "Ctrl+R")
        self.full_screen = FullScreen(self, view_menu)   # F11
        self.interpolate_action = self._action(view_menu, "Smooth image (linear interpolation)",
                                               self.controller.set_interpolate, checkable=True)
        self.interpolate_action.setChecked(self.controller.interpolate)
        self.preset_actions = install_preset_keys(self, view_menu)   # 1-7 CT presets, 0 Auto
        self.slab_action = install_slab_key(self, view_menu, self.display_panel.slab_row)
        self.cine = Cine(self, view_menu)   # C: the view clicked last plays its slices
        self.time_cine = TimeCine(self, view_menu)   # Shift+C: a 4D image's time points played
        self.invert = InvertAction(self, view_menu)   # I: the grey scale turned over
        self.crosshair_action = self._action(view_menu, "Crosshair", self.controller.set_crosshair_shown,
                                             "X", checkable=True)   # X: its lines hidden, for key images
        self.crosshair_action.setChecked(self.controller.crosshair_shown)
        self.crosshair_action.triggered.connect(lambda on: self.notices.status(
            "Crosshair shown" if on else "Crosshair hidden (X shows it)"))
        self.fusion = FusionActions(self, view_menu)   # Overlay series...: O, Shift+O, Alt+O
        self.label_keys = LabelKeys(self, view_menu)   # Labels: G, Shift+G, Alt+G (Segments panel's)
        view_menu.addSeparator()   # a 4D image's time points, FSLeyes-style keys off the arrows' own use
        self.step_actions = (
            self._action(view_menu, "Next time point", lambda: self.step_frame(1), "Alt+Right"),
            self._action(view_menu, "Previous time point", lambda: self.step_frame(-1), "Alt+Left"))
        self.controller.volume_changed.connect(self._name_steps)   # a DWI's: Next volume
        self.lesions = install_lesions_panel(self, view_menu)
        self.jobs.watch(self.lesions.jobs())   # a long count gets the bar's Cancel
        self.jobs.watch(self.editor.preview_jobs())   # so does a long Grow / Fill preview
        view_menu.addSeparator()
        # View > Panels: each panel's show/hide (dock_menu), then F6's. In View itself until
        # session 43: 29 entries, 538 points, taller than a 1366x768 screen at 150 % (Qt put
        # Next and Previous panel in a second column over the views)
        self.panels_menu = view_menu.addMenu("Panels")
        panels_anchor = self.panels_menu.addSeparator()
        self.panel_focus = PanelFocus(self)   # F6 / Ctrl+Tab: views -> panels, keyboard only
        self.panel_focus.install(self.panels_menu)
        tools = menus.addMenu("&Tools")
        tool_bar = self.addToolBar("Mouse mode")
        tool_bar.setObjectName("mouse-mode")
        modes = QActionGroup(self)
        modes.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self.mode_actions = {}
        for mode, text, keys in (("navigate", "Navigate", ("N", "F1")),
                                 ("window-level", "Window/level", ("F2",)),
                                 ("ruler", "Ruler", ("F3",)), ("rectangle", "Rectangle statistics", ("F4",)),
                                 ("angle", "Angle", ("F5",)), ("ellipse", "Ellipse statistics", ("F7",))):
            action = self._action(tools, text, lambda _=False, m=mode: self.controller.set_mode(m),
                                  checkable=True)
            action.setShortcuts([QKeySequence(k) for k in keys])
            if mode in TOOL_BAR_NAMES:   # the full name in its menus and its button's tooltip
                action.setIconText(TOOL_BAR_NAMES[mode])
                action.setToolTip(text)
            modes.addAction(action)
            tool_bar.addAction(action)
            self.mode_actions[mode] = action
        self.mode_actions["navigate"].setChecked(True)
        self.edit_actions.add_navigate(self.mode_actions["navigate"])  # one Navigate, in Edit too
        self.tool_shown = ToolIndicators(self.controller, self.mode_actions, self.edit_actions)
        self.training_actions.install_menus(file_menu, self.file_anchor, tool_bar)
        self.ai_actions.install_menus(menus, tools.menuAction(), tool_bar)  # File Edit View AI Tools
        name_keys_in_tooltips(tool_bar)   # "Navigate (N, F1)": the buttons named no keys
        self.model_actions = ModelActions(self)  # AI > Train model..., AI > Models...
        self.model_actions.install_menus(menus)
        # every panel (the Worklist's too, made with the File menu's worklist items) closed by its
        # X comes back from the View menu, in the order they sit
        install_dock_entries(self, self.panels_menu, before=panels_anchor)
        menus.addMenu(self.settings_menu)
        help_menu = menus.addMenu("&Help")
        self._action(help_menu, "Keyboard shortcuts", self.show_shortcuts, "Ctrl+/")
        self._action(help_menu, "About neuroview", self.show_about)
        self.help_menu = help_menu
        self.help_dialog = None
        give_mnemonics(menus, skip=(self.recent_menu,))   # Alt+F, then Q: Quit

    def show_shortcuts(self) -> None:
        """A non-modal list of every shortcut, made from the actions as they are now."""
        from .help_menu import ShortcutsDialog

        self.help_dialog = ShortcutsDialog(self)
        show_focused(self.help_dialog, self.help_dialog.table)

    def show_about(self) -> None:
        from .help_menu import AboutDialog

        self.help_dialog = AboutDialog(self)
        show_focused(self.help_dialog, self.help_dialog.close_button)

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
        state = self.controller.state
        layout = state.layout if state is not None else self.controller.state_layout
        for name, (r, col, rows, stretch) in view_places(visible, layout, self._large()).items():
            self.grid.addWidget(self.views[name], r, col, rows, 1)
            for row in range(r, r + rows):
                self.grid.setRowStretch(row, 1)
            self.grid.setColumnStretch(col, stretch)
            self.views[name].show()
        # one view shown (a double-click, a single-slice image opened alone): *One view* ticked
        ticked = "single" if len(visible) == 1 else layout
        if ticked in self.layout_actions:
            self.layout_actions[ticked].setChecked(True)
        if views_had_focus:  # hiding the focused view moved the focus away: bring it back
            self.focus_active_view()
        self.grid.activate()   # the views' new sizes now: the readout reads the voxel under the
        if not [view for view in self.slice_views.values() if view.follow_pointer()]:   # pointer
            self.readout.clear()   # (over the 3D view or off the views: none)
        self.bars.place()   # they end above the side letters of the new top row

    def _escape(self) -> None:
        """Esc over a view with nothing of its own to drop: cancel the job the status bar shows,
        else stop the cines (C's slices, Shift+C's time points), else leave full screen (as a
        browser's or PACS viewer's)."""
        if self.jobs.shown is not None:
            self.jobs.cancel()
        elif self.cine.timer.isActive() or self.time_cine.timer.isActive():
            self.cine.stop()
            self.time_cine.stop()
        elif self.isFullScreen():
            self.full_screen.toggle()

    def _large(self) -> str:
        """The view drawn large in *One large, three small*: the one clicked last when chosen."""
        state = self.controller.state
        return state.large if state is not None else self.controller.active_view

    def reset_views(self) -> None:
        self.controller.reset_views()
        self.view3d.reset_camera()

    # -- time points ----------------------------------------------------------------------------
    def step_frame(self, steps: int) -> None:
        """Alt+Right / Alt+Left: the next / previous time point of a 4D image (stops at the ends)."""
        box = self.display_panel.frame_box
        if self.controller.volume is not None and self.controller.volume.n_frames > 1:
            box.setValue(box.value() + steps)

    def _name_steps(self) -> None:
        """The *View* menu's steps (and Help > Keyboard shortcuts) name what a step is, as the
        Display panel's row does: *Next volume* for a DWI, *Next time point* for a run."""
        name = step_name(self.controller.volume).lower()
        for action, which in zip(self.step_actions, ("Next", "Previous")):
            action.setText(f"{which} {name}")

    def _frame_note(self, frame: int, first: bool = False) -> None:
        """The notice of a 4D image: which time point (or a colour image's channel) the slice
        views show, and where to choose; shown when the image opens (``first``), then kept up to
        date while it is on screen."""
        volume = self.controller.volume
        text = frame_note(volume, frame) if volume is not None else ""
        if text and not self.notice_bar.replace_line(FRAME_NOTES, text) and first:
            self.notice_bar.add(text)   # below what the bar shows, never over it

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        full_screen = getattr(self, "full_screen", None)   # None while the window is being made
        if event.type() == QEvent.WindowStateChange and full_screen is not None:
            full_screen.sync()   # the View menu's check follows a window manager's full screen

    def focusNextPrevChild(self, forward: bool) -> bool:
        """Tab, or the focused widget hidden or disabled: Qt takes the next widget of the Tab chain,
        so the widgets made since the show are demoted first (key_focus.py: a view, never a box)."""
        focus_filter = getattr(self, "focus_filter", None)   # None while the window is being made
        if focus_filter is not None:
            focus_filter.demote_all()
        return super().focusNextPrevChild(forward)

    def showEvent(self, event) -> None:
        """At the first show: the Display panel whole (as tall as it wants) where the screen has the
        room for the window with it, else it scrolls, so the window fits a short screen."""
        super().showEvent(event)
        self.focus_filter.attach()   # at each show (again after a close)
        self.time_cine.step_keys.watch(self.windowHandle())   # Alt+Right held, where keys enter
        if self._display_dock is not None:
            scroll, self._display_dock = self._display_dock.widget(), None
            needed = (self.minimumSizeHint().height() + scroll.sizeHint().height()
                      - scroll.minimumSizeHint().height())
            scroll.keep_whole(self.screen() is None
                              or needed <= self.screen().availableGeometry().height())

    # -- feedback -------------------------------------------------------------------------------
    def show_error(self, text: str) -> None:
        volume = self.controller.volume
        self.message_bar.show_error(text, volume.source_path if volume is not None else None)

    def _hovered(self, p_ras) -> None:
        self.readout.setText(self.controller.readout(p_ras))

    def closeEvent(self, event) -> None:
        if not self.model_actions.confirm_stop_training():   # a training runs: Stop and quit / Cancel
            event.ignore()
            return
        if not self.edit_actions.confirm_close():   # unsaved edits: Save / Discard / Cancel
            event.ignore()
            return
        self.remember_view()   # the image's views, as left, for its next open
        self.model_actions.stop_training()
        self.training_actions.stop_ranking()
        self.model_actions.stop_measuring()
        self.edit_actions.saving.wait()   # a save under way is finished: only Cancel stops one
        # every runner of the window, not only its own: the lesion list's, the voxel counts', a
        # preview's ran on after the close, and one still running Python when the interpreter
        # ended was cut off ("Qt Concurrent has caught an exception thrown from a worker thread")
        for runner in self.findChildren(JobRunner):
            runner.wait(5000)
        self.edit_actions.close_case(set_workspace_aside=True)
        self.training_actions.leave_worklist()
        self.view3d.release()
        self.focus_filter.detach()
        super().closeEvent(event)
