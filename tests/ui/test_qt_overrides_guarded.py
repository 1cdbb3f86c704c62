"""Every method Qt calls on a neuroview object is guarded (``ui.qt_guard.guard_overrides``), so a
new ``paintEvent`` or event filter added without ``@guard_overrides`` fails here, as a hidden Qt
name fails tests/ui/test_qt_names_kept.py. A Qt class is walked with the neuroview classes it
derives from (mixins such as ``SliceViewInput``); a method there named like one of its Qt bases'
methods is either one Qt calls (``qt_guard.called_by_qt``), and must be guarded, or one only
neuroview calls, listed below with why. And what a guard does when its override raises."""

from __future__ import annotations

import ast
import importlib
import inspect
import logging
import pkgutil
import types
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLayout, QVBoxLayout, QWidget

import neuroview
import neuroview.render
import neuroview.ui
from neuroview.ui import qt_guard
from neuroview.ui.qt_guard import called_by_qt, guard_overrides

CALLED_BY_NEUROVIEW = {
    "ReadersDialog.find": "its Find box's search; QWidget.find is a static lookup by window id",
    "SliceViewWidget.render": "its picture for paintEvent and the exports; QWidget.render is not virtual",
    "StatusLine.setText": "QLabel.setText is a slot, not virtual: only neuroview calls it",
    "StatusLine.clear": "QLabel.clear is a slot, not virtual: only neuroview calls it",
}


def _modules(packages=(neuroview.ui, neuroview.render)):
    for package in packages:
        for info in pkgutil.iter_modules(package.__path__):
            yield importlib.import_module(f"{package.__name__}.{info.name}")


def unguarded(modules) -> list[str]:
    """``Class.method`` for each method of a neuroview Qt class (or of a neuroview class it derives
    from) that shares a name with its Qt bases and is neither guarded nor known to be called by
    neuroview only."""
    found = set()
    for module in modules:
        for cls in vars(module).values():
            if not (inspect.isclass(cls) and issubclass(cls, QObject)
                    and cls.__module__ == module.__name__):
                continue
            qt_bases = [base for base in cls.__mro__ if base.__module__.startswith("PySide6")]
            for own in cls.__mro__:
                if own.__module__.startswith(("PySide6", "shiboken6", "builtins")):
                    continue
                for name, method in vars(own).items():
                    if (name.startswith("__") or not inspect.isfunction(method)
                            or not any(hasattr(base, name) for base in qt_bases)):
                        continue
                    what = f"{own.__name__}.{name}"
                    guarded = getattr(method, "qt_guarded", False)
                    if not guarded and (called_by_qt(name) or what not in CALLED_BY_NEUROVIEW):
                        found.add(what)
    return sorted(found)


def test_every_qt_override_in_ui_and_render_is_guarded():
    missing = unguarded(_modules())
    assert not missing, ("Qt overrides without @guard_overrides (or, for a method Qt never calls, "
                         "add it to CALLED_BY_NEUROVIEW):\n  " + "\n  ".join(missing))


def test_the_walk_sees_unguarded_overrides_and_mixins():
    fake = types.ModuleType("fake_panels")

    class Mixin:
        def mousePressEvent(self, event):
            pass

    class Unguarded(Mixin, QWidget):
        def paintEvent(self, event):
            pass

        def helper(self):   # no Qt name: not a concern
            pass

    @guard_overrides
    class Guarded(QWidget):
        def paintEvent(self, event):
            pass

    class Filter(QObject):
        def eventFilter(self, watched, event):
            return False

        def setParent(self, parent):   # a Qt name nobody classified
            pass

    class Plain:
        def paintEvent(self, event):
            pass

    for cls in (Mixin, Unguarded, Guarded, Filter, Plain):
        cls.__module__ = fake.__name__
        setattr(fake, cls.__name__, cls)
    assert unguarded([fake]) == ["Filter.eventFilter", "Filter.setParent", "Mixin.mousePressEvent",
                                 "Unguarded.paintEvent"]


def unguarded_observers(files) -> list[str]:
    """``file:line`` of each VTK ``AddObserver`` call outside ``render.observers``, whose
    :func:`observe` adds an observer guarded (an observer raising Ctrl+C ended the process)."""
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        if "AddObserver" not in text or path.as_posix().endswith("render/observers.py"):
            continue
        for node in ast.walk(ast.parse(text)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "AddObserver"):
                found.append(f"{path.name}:{node.lineno}")
    return found


def test_every_vtk_observer_is_guarded(tmp_path):
    package = Path(neuroview.__file__).parent
    missing = unguarded_observers(sorted(package.rglob("*.py")))
    assert not missing, "VTK observers added without render.observers.observe: " + ", ".join(missing)
    added = tmp_path / "scene.py"
    added.write_text("def build(mapper, seen):\n    mapper.AddObserver('ProgressEvent', seen)\n")
    assert unguarded_observers([added]) == ["scene.py:2"]   # the walk sees one


# -- what a guard does (tests/ui/conftest.py's fresh_guard) -----------------------------------

@guard_overrides
class RaisingPaint(QWidget):
    def paintEvent(self, event):
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.red)
        raise ZeroDivisionError("/home/ana/cases/doe/a.nii.gz: no pixels")


@guard_overrides
class CountedPaint(QWidget):
    def __init__(self):
        super().__init__()
        self.painted = 0

    def paintEvent(self, event):
        self.painted += 1


def test_a_raising_paint_is_logged_once_and_the_others_still_paint(qtbot, fresh_guard, caplog):
    top = QWidget()
    qtbot.addWidget(top)
    layout = QVBoxLayout(top)
    raising, counted = RaisingPaint(), CountedPaint()
    layout.addWidget(raising)
    layout.addWidget(counted)
    top.resize(80, 120)
    with caplog.at_level(logging.ERROR, logger="neuroview.ui.qt_guard"):
        top.grab()
        top.grab()
    assert counted.painted == 2 and qt_guard.caught == 2
    assert len(caplog.records) == 1   # once, not on every paint
    message = caplog.records[0].getMessage()
    line = message.splitlines()[0]   # the file named as the error bar names it, not its folders
    assert line == ("Internal error in RaisingPaint.paintEvent: ZeroDivisionError: a.nii.gz in …/doe: "
                    "no pixels")
    assert "test_qt_overrides_guarded.py" in message   # the traceback, for whoever fixes it


@guard_overrides
class RaisingFilter(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.KeyPress:
            raise RuntimeError("filter fault")
        return False


@guard_overrides
class KeyCounter(QWidget):
    def __init__(self):
        super().__init__()
        self.keys = 0

    def keyPressEvent(self, event):
        self.keys += 1


def test_a_raising_event_filter_lets_the_event_through(qtbot, fresh_guard):
    widget = KeyCounter()
    qtbot.addWidget(widget)
    keep = RaisingFilter(widget)
    widget.installEventFilter(keep)
    qtbot.keyClick(widget, Qt.Key_A)
    assert widget.keys == 1 and qt_guard.caught == 1   # Qt's default: False, not filtered


@guard_overrides
class RefusingClose(QWidget):
    broken = True

    def closeEvent(self, event):
        if self.broken:
            raise OSError("journal gone")
        event.accept()


def test_a_raising_close_keeps_the_window_open(qtbot, fresh_guard):
    widget = RefusingClose()
    qtbot.addWidget(widget)
    widget.show()
    assert widget.close() is False and widget.isVisible()   # nothing unsaved goes with it
    assert qt_guard.caught == 1
    widget.broken = False
    assert widget.close()


@guard_overrides
class BrokenLayout(QLayout):
    def count(self):
        raise IndexError("count fault")

    def itemAt(self, index):
        return None

    def takeAt(self, index):
        return None

    def addItem(self, item):
        pass

    def sizeHint(self):
        raise ValueError("size fault")


def test_pure_virtual_and_size_defaults(qtbot, fresh_guard):
    host = QWidget()
    qtbot.addWidget(host)
    layout = BrokenLayout(host)
    assert layout.count() == 0   # a pure virtual: no Qt code to fall back on
    assert layout.sizeHint().isValid() is False   # QLayoutItem's own answer: an empty size
    assert qt_guard.caught == 2
