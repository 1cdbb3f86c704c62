"""Every item of the menu bar runs when clicked, on an image with a segment painted.

*View > Other series > Overlay series...* raised ``TypeError`` (``KeyError: False`` with no image)
on each click from session 43 to 44: its action's ``triggered(bool)`` gave ``checked`` to the
slot's first parameter, and no test clicked it. Here each enabled item of each menu and sub-menu
(also one filled as its menu is about to show: *File > Recent*) is triggered as a click does, a
checkable one twice (on, then off); every modal dialog it opens, file dialogs and questions
included, is rejected as soon as it shows (Qt's own, unpatched: a wrong argument still raises),
a window it shows is closed, a background job it starts is cancelled. Nothing may reach
``sys.excepthook``, the log or the error bar as an internal error, the segment painted is kept,
and the window still answers after. A scan of the source finds a slot that would take the
``checked`` of ``triggered`` or ``clicked`` for another parameter."""

from __future__ import annotations

import ast
from pathlib import Path

from checked_slots import Module, checked_slots
from four_d_run import write_run
from menu_clicks import Errors, menu_items, painted_worklist_case, reject_modal, run_action
from PySide6.QtCore import QTimer

SKIPPED = {("File", "Quit"): "ends the application (tests/ui/test_quit.py)"}
"""Items not clicked, and why."""

LAST = ("File", "Close")
"""Clicked after the others (it would close the image they need); its question is rejected."""


def click_every_item(qtbot, window, monkeypatch, caplog) -> tuple[dict, list, list]:
    """Trigger each enabled item of ``window``'s menu bar (:data:`LAST` last), asserting after
    each that no error reached ``sys.excepthook`` or the log, and no internal error the error bar:
    (each path clicked with what the error bar said after it, "" for nothing; the titles of the
    modal dialogs rejected; those of the other windows closed)."""
    errors = Errors(monkeypatch, caplog)
    rejected, shown, clicked = [], [], {}
    modal = QTimer(window, interval=10)
    modal.timeout.connect(lambda: reject_modal(rejected))
    modal.start()
    items = [(path, a) for path, a in menu_items(window.menuBar()) if path not in SKIPPED]
    items.sort(key=lambda item: item[0] == LAST)
    for path, action in items:
        if not action.isEnabled():
            continue
        window.message_bar.hide()   # Dismiss
        shown += run_action(qtbot, window, action)
        clicked[path] = errors.check(window, path)
    modal.stop()
    return clicked, rejected, shown


def test_every_menu_item_runs_with_no_image_open(qtbot, window, monkeypatch, caplog):
    clicked, rejected, shown = click_every_item(qtbot, window, monkeypatch, caplog)
    assert len(clicked) > 40
    assert clicked["View", "Other series", "Overlay series..."] == (
        "open an image first, then overlay another series of its study")
    assert {"Open image", "Load labels", "Train a model", "About neuroview"} <= set(rejected + shown)
    assert window.controller.volume is None


def test_every_menu_item_runs_on_an_image_with_a_segment_and_an_overlay(qtbot, window, tmp_path,
                                                                         monkeypatch, caplog):
    """The image a worklist's first case (its *Worklist* items enabled), a segment painted on it,
    a 4D series laid over it (the overlay's items enabled, its time points too)."""
    session, segment, painted = painted_worklist_case(qtbot, window, tmp_path)
    window.fusion.overlay_path(write_run(tmp_path, session.volume), aligned=True)
    qtbot.waitUntil(lambda: window.controller.state.fusion is not None and not window.runner.busy,
                    timeout=30000)
    clicked, rejected, shown = click_every_item(qtbot, window, monkeypatch, caplog)
    assert len(clicked) > 80 and clicked["View", "Other series", "Overlay series..."] == ""
    assert clicked["File", "Save to PACS..."] == (
        "Save to PACS needs an open DICOM image (the SEG refers to its series)")
    assert {("Edit", "Undo"), ("File", "Worklist", "Next case"), ("File", "Close"),
            ("View", "Other series", "Next overlay time point")} <= set(clicked)
    assert {"Overlay series", "Save labels", "Skip case", "Unsaved edits"} <= set(rejected)
    assert {"About neuroview", "DICOM servers", "Models"} <= set(shown)
    assert window.controller.volume is session.volume   # Close's question rejected: nothing lost
    assert ((session.labels.array == segment.value) == painted).all()
    assert window.controller.state.fusion is None        # Remove overlay did
    window.training_actions.next_action.trigger()   # the window still works: the next case opens
    qtbot.waitUntil(lambda: Path(window.controller.volume.source_path).name == "b_case.nii.gz"
                    and not window.runner.busy, timeout=30000)
    assert window.message_bar.text == ""


SESSION_43 = """
class FusionActions:
    def __init__(self, menu, button):
        self.add_action = self._action(menu, "Overlay series...", self.overlay_dialog)
        self.show_action = self._action(menu, "Show overlay", self.show)
        button.clicked.connect(lambda purpose="Compare": self.overlay_dialog(purpose))
        button.clicked.connect(lambda: self.overlay_dialog())

    def _action(self, menu, text, slot, key=""):
        action = QAction(text, self.window)
        action.triggered.connect(slot)

    def overlay_dialog(self, purpose="Overlay series"):
        pass

    def show(self, visible):
        pass
"""
"""Session 43's *Overlay series...*, connected through a helper, and a lambda of the same kind."""


def test_no_slot_takes_checked_for_another_parameter():
    ui = Path(__file__).resolve().parents[2] / "neuroview" / "ui"
    modules = {path.name: Module(ast.parse(path.read_text(encoding="utf-8")))
               for path in sorted(ui.glob("*.py"))}
    classes: dict = {}
    for cls in (cls for module in modules.values() for cls in module.classes):
        classes.setdefault(cls.name, []).append(cls)
    assert checked_slots(Module(ast.parse(SESSION_43)), classes) == [
        "4: self.overlay_dialog (purpose)", "6: lambda purpose='Compare': self.overlay_dialog(purpose) "
        "(purpose)"]
    found = {name: lines for name, module in modules.items()
             if (lines := checked_slots(module, classes))}
    assert not found
