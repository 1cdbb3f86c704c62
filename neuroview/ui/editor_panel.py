"""The segment editor panel: segment list, overwrite policy, tool buttons and their options.

Like Slicer's Segment Editor: pick a segment, pick a tool, set its options; paint, erase and fill
work with the mouse in the slice views, the other tools run on the selected segment with Apply,
and grow-from-seeds / fill-between-slices show a preview first (Preview, then Apply or Cancel).
Every widget here only calls the :class:`~neuroview.ui.edit_controller.EditController`. The
tools' options and their widgets are in ``editor_options``, the segment list's rows and
buttons in ``editor_segments``.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..app.view_presets import shown_unit
from ..core.edit import TOOLS as EDIT_TOOLS
from .check_delegate import CentredCheckDelegate
from .edit_controller import ONE_SHOT_TOOLS, WATCHING_REASON
from .edit_preview import PREVIEW_TOOLS
from .editor_options import (
    ISLAND_HELP,
    OPTIONS,
    POLICIES,
    TOOL_NAMES,
    TOOLS,
    OptionalNumber,
    OptionPages,
    intensity_decimals,
    option_widget,
    show_value,
)
from .editor_segments import EditorSegmentList, NameEditDelegate, RenameKey, SelectedInSight
from .header_icons import set_icon_headers
from .plain_text import plain_label, plain_tooltip
from .qt_guard import guard_overrides
from .segment_from_column import FromColumnFit
from .swatch import SwatchDelegate
from .threshold_tool import ThresholdOptions
from .wheel_focus import wheel_only_when_focused

MOUSE_TOOLS = ("paint", "erase", "fill", "ai-click")
SLICE_BY_SLICE = ("paint", "erase")
"""The brushes a case opens with in 2D: radiologists paint slice by slice (Slicer's default)."""
TOOL_COLUMNS = 3
COMPACT = 4
"""Pixels between the panel's rows (the style gives 6): with the Measurements dock behind the
editor's tabs (``editor_fold``), Paint's, Fill's, Islands' and Threshold's options and Apply
fit a 1366x768 screen whole; 16 pixels were missing."""
LIST_ROWS = (2, 6)
"""The segment list shows this many rows at least and at most (more scroll), and shrinks first
when the dock is short: at 1600x1000 a list stretched over the dock's room pushed the tool's
options and Apply below its fold."""

PAGES_WIDTH: dict[tuple, int] = {}
"""The options pages' least width (the widest page's), per (font, style, dots per inch)."""


@guard_overrides
class SegmentEditorPanel(EditorSegmentList, QWidget):
    tool_changed = Signal(str)   # a tool picked (``tool_indicators`` shows it everywhere)
    COLUMNS = ("Show", "Lock", "Colour", "Name", "From")

    def __init__(self, editor, parent=None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.viewer = editor.viewer
        self._syncing = False
        self.color_dialog = None
        self.remove_question = None
        self._asked_remove = None   # (session, segment value) the open remove question is about
        self.watched = None   # the labels of a watched worklist's case, listed read only
        self._read_only = False   # the rows are those (nothing ticked, renamed or selected)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(9, 2, 9, 2)   # the sides as a child panel's; less above, below
        layout.setSpacing(COMPACT)   # rows closer than the style's 6 px: the options above the fold
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        set_icon_headers(self.table)   # Show, Lock, Colour: an eye, a lock, a swatch (words on hover)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(len(self.COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.Stretch if column == 3
                                        else QHeaderView.ResizeToContents)
        self.table.setItemDelegateForColumn(2, SwatchDelegate(self.table))  # visible when selected
        self.table.setItemDelegateForColumn(3, NameEditDelegate(self.table))  # a 12-letter rename box
        for column in (0, 1):   # Show, Lock: the box centred, a click anywhere in the cell toggles it
            self.table.setItemDelegateForColumn(column, CentredCheckDelegate(self.table))
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.setSelectionMode(QTableWidget.SingleSelection)
        self.table.setEditTriggers(QTableWidget.DoubleClicked | QTableWidget.EditKeyPressed)
        self.rename_key = RenameKey(self.table)   # F2 renames here, not the window's Window/level
        self.in_sight = SelectedInSight(self.table)   # its row stays in sight as the list shrinks
        self.from_fit = FromColumnFit(self.table)   # the names whole, the From text elided
        # the list takes the room the tool's options leave (2 rows at least, its rows at most)
        self.table.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Ignored)
        layout.addWidget(self.table, 10)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add")
        self.remove_button = QPushButton("Remove")
        self.color_button = QPushButton("Colour...")
        for button in (self.add_button, self.remove_button, self.color_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.policy_box = QComboBox()
        for value, text in POLICIES:
            self.policy_box.addItem(text, value)
        layout.addWidget(self.policy_box)
        grid = QGridLayout()
        grid.setVerticalSpacing(COMPACT - 1)
        self.tool_group = QButtonGroup(self)
        self.tool_group.setExclusive(True)
        self.tool_buttons = {}
        for n, (name, text, tip) in enumerate(TOOLS):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setCheckable(True)
            button.setSizePolicy(button.sizePolicy().horizontalPolicy().Expanding,
                                 button.sizePolicy().verticalPolicy())
            self.tool_group.addButton(button)
            self.tool_buttons[name] = button
            grid.addWidget(button, n // TOOL_COLUMNS, n % TOOL_COLUMNS)
            button.clicked.connect(lambda _=False, t=name: self.pick(t))
        layout.addLayout(grid)
        self.help = plain_label()
        self.help.setWordWrap(True)
        layout.addWidget(self.help)
        self.stack = QStackedWidget()
        self.pages: dict[str, int] = {}   # a tool's page's index in the stack, once built
        self.option_widgets = OptionPages(self._build_page)
        self._ai_backend = self._scribble_check = None   # AI click's page's own rows, once built
        editor.ai_click.default_loaded.connect(self.refresh_ai_models)
        editor.ai_click.backend_kept.connect(self._show_ai_backend)
        layout.addWidget(self.stack)
        self.threshold = ThresholdOptions(self)   # its sliders, Use for masking, the preview
        actions = QHBoxLayout()
        self.preview_button = QPushButton("Preview")
        self.apply_button = QPushButton("Apply")
        self.cancel_button = QPushButton("Cancel")
        for button in (self.preview_button, self.apply_button, self.cancel_button):
            actions.addWidget(button)
        layout.addLayout(actions)
        layout.addStretch(1)   # room left over goes below Apply, not into the list
        self.stack.currentChanged.connect(self._fit_stack)
        self.tool = "navigate"
        self.add_button.clicked.connect(self.add_segment)
        self.remove_button.clicked.connect(self.remove_selected)
        self.color_button.clicked.connect(self.choose_color)
        for button in (self.remove_button, self.color_button):   # no segment yet (refresh)
            button.setEnabled(False)
        self.policy_box.activated.connect(
            lambda _i: self.editor.set_policy(self.policy_box.currentData()))
        self.table.itemChanged.connect(self._item_changed)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.cellDoubleClicked.connect(self._double_clicked)
        self.preview_button.clicked.connect(lambda: self.editor.make_preview(self.tool))
        self.apply_button.clicked.connect(self.apply)
        self.cancel_button.clicked.connect(self.editor.discard_preview)
        editor.segments_changed.connect(self.refresh)
        editor.watching_changed.connect(self._watching)
        self.viewer.labels_changed.connect(self.labels_replaced)
        editor.segments_changed.connect(self._update_remove_question)
        editor.history_changed.connect(self._update_remove_question)
        editor.history_changed.connect(self.refresh_sources)
        editor.case_changed.connect(self._case_changed)
        editor.params_changed.connect(self.sync_params)
        editor.preview_changed.connect(self._update_buttons)
        self.viewer.mode_changed.connect(self._mode_changed)
        self.wheel_filter = wheel_only_when_focused(self)   # a brush size or option scrolled past
        self._fit_pages_width()
        self.select_tool("navigate")
        self.sync_params()   # the options a case opens with, before there is one
        self.fit_list_height()
        self._fit_stack(self.stack.currentIndex())

    # -- height ---------------------------------------------------------------------------------
    def fit_list_height(self) -> None:
        """The segment list: at least :data:`LIST_ROWS` [0] rows tall, at most as tall as its rows
        (up to :data:`LIST_ROWS` [1]); between, what the tool's options leave of the dock."""
        table = self.table
        row_height = table.verticalHeader().defaultSectionSize()
        frame = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
        rows = min(max(table.rowCount(), LIST_ROWS[0]), LIST_ROWS[1])
        table.setMinimumHeight(frame + LIST_ROWS[0] * row_height)
        table.setMaximumHeight(frame + rows * row_height)

    def _fit_pages_width(self) -> None:
        """The options area as wide as the widest tool's page (Islands'), built or not: the dock
        does not widen when that page is first built. Measured once per process (per font,
        style and pixel density), on the first panel, which builds every page."""
        key = (self.font().key(), self.style().name(), self.logicalDpiX())
        if key not in PAGES_WIDTH:
            for tool in TOOL_NAMES:
                self.option_widgets[tool]
            PAGES_WIDTH[key] = self.stack.minimumSizeHint().width()
        self.stack.setMinimumWidth(PAGES_WIDTH[key])

    def sizeHint(self):
        """Tall enough for the tool's options and every row of the list (up to its most): the
        list, whose own hint is ignored so that it shrinks first, counted at its rows."""
        hint = super().sizeHint()
        table = self.table
        hint.setHeight(max(hint.height(), self.minimumSizeHint().height()
                           + table.maximumHeight() - table.minimumHeight()))
        return hint

    def _fit_stack(self, index: int) -> None:
        """The options area as tall as the shown tool's options (AI click's held every page's)."""
        for n in range(self.stack.count()):
            policy = QSizePolicy.Preferred if n == index else QSizePolicy.Ignored
            self.stack.widget(n).setSizePolicy(QSizePolicy.Preferred, policy)
        self.stack.adjustSize()

    # -- options --------------------------------------------------------------------------------
    def _build_page(self, tool: str) -> dict[str, QWidget]:
        """The options page of ``tool`` (:class:`OptionPages`): its widgets, showing the open
        image's decimals and the values remembered for it, added to the stack (not shown)."""
        page = QWidget()
        page.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Ignored)   # until shown (_fit_stack)
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(COMPACT)
        widgets = {}
        for param, label, kind, extra in OPTIONS.get(tool, []):
            widget = option_widget(kind, extra, lambda value, t=tool, p=param: self._set(t, p, value))
            widgets[param] = widget
            form.addRow(label, widget)
        if tool == "ai-click":
            self._add_ai_click_rows(form)
        elif tool == "threshold":
            self.threshold.attach(form, widgets)   # its sliders, Use for masking
        elif tool == "islands":   # the help line says what the operation shown will do
            widgets["operation"].currentIndexChanged.connect(self._island_operation_shown)
        self.pages[tool] = self.stack.addWidget(page)
        self._tab_after_tools(page)
        self.wheel_filter.watch(page)
        if self.editor.session is not None:
            self._show_decimals(tool, widgets)
        self._show_params(tool, widgets)   # no case yet: those a case opens with
        return widgets

    def _tab_after_tools(self, page: QWidget) -> None:
        """Tab (in a panel F6 took the keys to) goes from the tool buttons to ``page``'s boxes,
        then to Preview and Apply, as when every page was built with the panel: a page built
        later came last, after Apply and the panels below."""
        boxes, widget = [], page.nextInFocusChain()
        while widget is not page and page.isAncestorOf(widget):
            if widget.focusPolicy() != Qt.NoFocus and not any(b.isAncestorOf(widget) for b in boxes):
                boxes.append(widget)   # a spin box, not its line edit
            widget = widget.nextInFocusChain()
        # Qt moves a widget only after one that takes the focus: not the stack, nor the tool
        # buttons (in keyboard use Qt lets only the group's current one take it)
        self.stack.setFocusPolicy(Qt.ClickFocus)
        before = self.stack
        for box in boxes:
            QWidget.setTabOrder(before, box)
            before = box
        self.stack.setFocusPolicy(Qt.NoFocus)

    def _add_ai_click_rows(self, form: QFormLayout) -> None:
        self._scribble_check = QCheckBox("Drag draws a scribble (not a box)")
        self._scribble_check.setToolTip("Ctrl+drag draws a lasso (a closed outline) in either mode")
        self._scribble_check.toggled.connect(lambda on: setattr(self.editor.ai_click, "scribble", on))
        form.addRow(self._scribble_check)
        self._ai_backend = QComboBox()
        self._ai_backend.addItem("Default network", "network")
        self._ai_backend.addItem("Grow from seeds (no AI)", "grow")
        self.refresh_ai_models()
        self._show_ai_backend()   # one chosen before the page was built
        self._ai_backend.activated.connect(lambda _i: self.choose_ai_backend())
        form.addRow("Model", self._ai_backend)

    @property
    def ai_backend(self) -> QComboBox:
        """AI click's *Model* list (its page built if not yet)."""
        self.option_widgets["ai-click"]
        return self._ai_backend

    def _set(self, tool: str, param: str, value) -> None:
        if not self._syncing:
            self.editor.set_params(tool, **{param: value})

    def sync_params(self) -> None:
        """Show the Session's remembered parameters in the option widgets."""
        for tool, widgets in self.option_widgets.built.items():
            self._show_params(tool, widgets)

    def _show_params(self, tool: str, widgets: dict[str, QWidget]) -> None:
        params = self._params_shown(tool)
        self._syncing = True
        try:
            for param, widget in widgets.items():
                show_value(widget, getattr(params, param, None))
        finally:
            self._syncing = False

    def _params_shown(self, tool: str):
        """The parameters the options show: the Session's, else (no image, or its restore question
        not answered yet) those a case opens with, the tool's defaults with the brush 2D: the
        radius box read 0.25 mm, its minimum, and the brush box 3D while the view drew a 5 mm
        brush."""
        session = self.editor.session
        if session is not None:
            return self.editor.params(tool) if tool in session.params else None
        if tool not in EDIT_TOOLS:
            return None
        params = EDIT_TOOLS[tool].Params()
        return dataclasses.replace(params, mode="2d") if tool in SLICE_BY_SLICE else params

    def _show_decimals(self, tool: str, widgets: dict[str, QWidget]) -> None:
        """Paint's and Fill's intensity boxes: the image's decimals (0.35 on a 0-1 image); theirs and
        Threshold's the image's unit ("55 HU" on a CT, nothing on most MR: they showed no unit)."""
        volume = self.editor.session.volume
        unit = shown_unit(volume)
        suffix = f" {unit}" if unit else ""
        if tool == "threshold":
            for widget in widgets.values():
                widget.setSuffix(suffix)
        if tool in ("paint", "fill"):
            decimals = intensity_decimals(volume)
            for widget in widgets.values():
                if isinstance(widget, OptionalNumber):
                    widget.set_decimals(*decimals)
                    widget.spin.setSuffix(suffix)

    def _case_changed(self) -> None:
        if self.editor.session is not None:
            for tool, widgets in self.option_widgets.built.items():
                self._show_decimals(tool, widgets)
            for tool in SLICE_BY_SLICE:   # radiologists paint slice by slice (Slicer's default)
                self.editor.set_params(tool, mode="2d")
            index = self.policy_box.findData(self.editor.session.policy)
            self.policy_box.setCurrentIndex(max(index, 0))
        self.refresh()
        self.sync_params()

    def _watching(self, on: bool) -> None:
        """A watched worklist's case on screen (``on``): every tool but Navigate, Add and the
        overwrite policy greyed out, saying why on hover and under the tools; given back after."""
        tips = {name: tip for name, _text, tip in TOOLS}
        for name, button in self.tool_buttons.items():
            if name != "navigate":
                button.setEnabled(not on)
                tip = f"{tips[name]}. Greyed out: {WATCHING_REASON}" if on else tips[name]
                button.setToolTip(plain_tooltip(tip))
        for widget in (self.add_button, self.policy_box):
            widget.setEnabled(not on)
            widget.setToolTip(f"Greyed out: {WATCHING_REASON}" if on else "")
        if on and self.tool != "navigate":
            self.pick("navigate")
        if on:
            self.help.setText(f"Shown without editing: {WATCHING_REASON}.")
        else:
            self._show_help()

    # -- tools ----------------------------------------------------------------------------------
    def refresh_ai_models(self) -> None:
        """The AI click model picker: the registry's AI click default, named (the one promoted
        with ``neuroview models promote REF --task interactive``, else the bundled network),
        grow from seeds, then the registry's promptable models (``neuroview models add`` of an
        nnInteractive weights folder, say)."""
        from ..app.prompting import default_label, default_ref, promptable_choices

        combo = self._ai_backend
        if combo is None:   # AI click's page not built: it fills the list when it is
            return
        current = combo.currentData()
        ref = default_ref()
        combo.setItemText(0, default_label())   # a promoted model that cannot load: who answers
        combo.setItemData(0, "The AI click default: 'neuroview models promote REF --task interactive' "
                             "makes a trained model the default; with none, the bundled network",
                          Qt.ToolTipRole)
        while combo.count() > 2:
            combo.removeItem(2)
        try:
            choices = promptable_choices()
        except Exception:  # an unreadable registry: the bundled choices stay
            choices = []
        for label, choice in choices:
            if choice != ref:   # the default is the first choice already
                combo.addItem(label, f"model:{choice}")
        index = combo.findData(current)
        combo.setCurrentIndex(index if index >= 0 else 0)

    def choose_ai_backend(self) -> None:
        """The AI click model picked in the list: an object in progress is asked about first
        (Cancel puts the list back); picking the model in use again changes nothing."""
        combo, ai_click = self.ai_backend, self.editor.ai_click
        name = combo.currentData()
        if name == ai_click.backend and ai_click.loading is None:
            return
        if not ai_click.ask_switch(combo.currentText(), self):
            self._show_ai_backend()
            return
        ai_click.set_backend(name)

    def _show_ai_backend(self) -> None:
        """The *Model* list names the AI click model in use."""
        if self._ai_backend is not None:
            index = self._ai_backend.findData(self.editor.ai_click.backend)
            self._ai_backend.setCurrentIndex(max(0, index))

    def select_tool(self, tool: str) -> None:
        self.option_widgets[tool]   # its page built, the first time
        if tool == "ai-click" and self.tool != tool:
            self.refresh_ai_models()
            self.editor.ai_click.warm_up()
        if tool in PREVIEW_TOOLS:
            self.editor.warm_up_previews()   # the first Preview: 0.42 -> 0.03 s on the demo case
        self.tool = self.editor.picked_tool = tool
        self.tool_buttons[tool].setChecked(True)
        self.stack.setCurrentIndex(self.pages[tool])
        self._show_help()
        self.threshold.update()   # its preview shows while the tool is picked
        if tool in MOUSE_TOOLS:
            self.viewer.set_mode(tool)
        elif self.viewer.mode in MOUSE_TOOLS or (tool != "navigate" and self.viewer.mode != "navigate"):
            self.viewer.set_mode("navigate")   # Threshold picked with the Ruler on: one tool, not two
        self._update_buttons()
        self.tool_changed.emit(tool)

    def _show_help(self) -> None:
        """The line under the tools: the tool's help; Islands' says what its operation will do."""
        if self.tool == "islands":
            text = ISLAND_HELP[self.option_widgets["islands"]["operation"].currentData()]
        else:
            text = dict((n, tip) for n, _t, tip in TOOLS)[self.tool]
        self.help.setText(text)

    def _island_operation_shown(self, _index: int) -> None:
        if self.tool == "islands":
            self._show_help()

    def pick(self, tool: str) -> None:
        """A tool button clicked: Navigate ends the Ruler, Window/level... too (the views' mode)."""
        self.select_tool(tool)
        if tool == "navigate" and self.viewer.mode != "navigate":
            self.viewer.set_mode("navigate")

    def _mode_changed(self, mode: str) -> None:
        if mode in MOUSE_TOOLS and self.tool != mode:
            self.select_tool(mode)
        elif mode not in MOUSE_TOOLS and self.tool != "navigate" and \
                (self.tool in MOUSE_TOOLS or mode != "navigate"):
            self.select_tool("navigate")   # the Ruler picked: Paint, or Threshold, is over

    def _update_buttons(self) -> None:
        previewing = self.editor.has_preview()
        self.preview_button.setVisible(self.tool in PREVIEW_TOOLS)
        # a preview waiting for an answer keeps its Apply / Cancel whatever tool is picked
        self.cancel_button.setVisible(self.tool in PREVIEW_TOOLS + ("ai-click",) or previewing)
        self.apply_button.setVisible(self.tool in PREVIEW_TOOLS + ONE_SHOT_TOOLS + ("ai-click",)
                                     or previewing)
        self.apply_button.setEnabled(self.tool in ONE_SHOT_TOOLS or previewing)
        self.cancel_button.setEnabled(previewing or self.editor.computing_preview)

    def apply(self) -> None:
        if self.tool in PREVIEW_TOOLS + ("ai-click",) or self.editor.has_preview():
            self.editor.accept_asked()
        elif self.tool == "threshold" and not self.threshold.measured:
            self.threshold.say_measuring("Apply")
        elif self.tool in ONE_SHOT_TOOLS:
            self.editor.apply_tool(self.tool)
