"""An exception in one of neuroview's Qt overrides never takes the window down.

Qt calls a widget's ``paintEvent``, an event filter's ``eventFilter``, a delegate's ``paint`` from
C++. When such an override raises, shiboken 6.11 keeps the exception pending and lets the C++ call
go on: when Python made that call (``widget.grab()``, ``QApplication.sendEvent``, a ``resize``,
a dialog's ``exec``), the next override Qt calls before returning meets the pending exception, and
the process was seen to die of a segmentation fault (tests/ui/test_qt_guard_crash.py), or the other
overrides were skipped and the error lost. :func:`guard_overrides`, on every neuroview class with
such overrides, catches the exception where it is raised: the traceback is logged once, the
window's notice bar says one line (``Internal error in SliceViewWidget.paintEvent: ...; your work
is kept``), the editing session's journal is flushed, and Qt gets its own default (the Qt base
class's implementation; a close or a dialog's accept/reject is refused instead, so nothing unsaved
goes). :func:`install_excepthook` does the same for an exception escaping a slot.
"""

from __future__ import annotations

import functools
import gc
import logging
import sys
import threading
import traceback

import shiboken6
from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from ..app.error_paths import short_error
from ..core.errors import private_reason

log = logging.getLogger(__name__)

QT_CALLS = frozenset({
    "event", "eventFilter", "paint", "sizeHint", "minimumSizeHint", "hasHeightForWidth",
    "heightForWidth", "createEditor", "setEditorData", "setModelData", "updateEditorGeometry",
    "initStyleOption", "displayText", "pixelMetric", "sizeFromContents", "drawControl",
    "drawPrimitive", "drawComplexControl", "styleHint", "subElementRect", "addItem", "count",
    "itemAt", "takeAt", "expandingDirections", "setGeometry", "minimumSize", "maximumSize",
    "data", "setData", "headerData", "rowCount", "columnCount", "flags", "accept", "reject", "done",
    "validate", "fixup", "textFromValue", "valueFromText", "stepBy", "focusNextPrevChild",
    "setVisible", "filterAcceptsRow", "lessThan", "mimeData", "canFetchMore", "fetchMore",
})
"""The virtual methods Qt calls that do not end in ``Event`` (those all count)."""

KEEP_OPEN = frozenset({"closeEvent", "accept", "reject", "done"})
"""Overrides whose Qt default would close a window or a dialog: on an error it stays open."""

PURE_DEFAULTS = {"count": int, "rowCount": int, "columnCount": int, "sizeHint": QSize}
"""What a pure virtual (no Qt implementation to fall back on) answers after an error, made by these
(``int()`` is 0, ``QSize()`` an empty size); None for the others (a void, a null pointer)."""

caught = 0
"""How many exceptions the guards caught in this process (the tests fail on a new one)."""

_said: set[tuple[str, str]] = set()


def called_by_qt(name: str) -> bool:
    """True for the name of a Qt virtual method that Qt itself calls."""
    return name.endswith("Event") or name in QT_CALLS


def guard_overrides(cls):
    """Class decorator: wrap each Qt override ``cls`` defines (:func:`called_by_qt`) so that an
    exception in it is said (:func:`said`) and Qt's default is returned. Works on mixins too."""
    for name, method in list(vars(cls).items()):
        if called_by_qt(name) and callable(method) and not getattr(method, "qt_guarded", False):
            setattr(cls, name, _guarded(f"{cls.__name__}.{name}", name, method))
    return cls


def _guarded(what: str, name: str, method):
    @functools.wraps(method)
    def guarded(self, *args):   # Qt passes arguments by position
        try:
            return method(self, *args)
        except Exception as error:
            said(what, error, self)
            return qt_default(self, name, args)
    guarded.qt_guarded = True
    return guarded


def qt_default(obj, name: str, args: tuple):
    """What Qt's own class answers for ``obj.name(*args)``; a close is ignored, a dialog's
    accept/reject not done."""
    if name in KEEP_OPEN:
        if name == "closeEvent" and args:
            args[0].ignore()
        return None
    for base in type(obj).__mro__:
        if base.__module__.startswith("PySide6") and name in vars(base):
            try:
                return getattr(base, name)(obj, *args)
            except Exception:   # a pure virtual (NotImplementedError), or Qt refusing the state
                break
    make = PURE_DEFAULTS.get(name)
    return None if make is None else make()


def said(what: str, error: BaseException, obj=None) -> None:
    """Log ``error`` (the first time ``what`` raises it) and say it in the window's notice bar
    after the call Qt is in has returned; never raises."""
    global caught
    caught += 1
    try:
        key = (what, type(error).__name__)
        if key in _said:
            return
        text = one_line(error)
        frames = "".join(traceback.format_tb(error.__traceback__))
        log.error("Internal error in %s: %s\n%s", what, text, frames.rstrip())
        say_once(key, f"Internal error in {what}: {text}; your work is kept", obj)
    except Exception:   # the report itself must never raise inside Qt
        pass
    finally:   # free the frames' locals (an active QPainter) before Qt's default runs
        end_painters(error.__traceback__)
        traceback.clear_frames(error.__traceback__)


def end_painters(tb) -> None:
    """End each QPainter still painting in the frames of traceback ``tb``. A picture made in one
    of them (a QImage, a QPixmap) can go before its painter as the frames are freed (their
    locals in order, or the garbage collector in any order): the painter's destructor then ends
    on freed memory, a segmentation fault (session 47's CI: a failed test's painter, freed by
    the collector a few tests later). The frames' own references are read (``gc.get_referents``),
    not ``f_locals``, whose copy would keep the locals past ``traceback.clear_frames``."""
    while tb is not None:
        for value in gc.get_referents(tb.tb_frame):
            if isinstance(value, QPainter) and shiboken6.isValid(value) and value.isActive():
                value.end()
        tb = tb.tb_next


def say_once(key: tuple, line: str, obj=None) -> None:
    """Say ``line`` (:func:`tell`) after the call Qt is in has returned, unless ``key`` was said
    before in this process (off Qt's GUI thread: the log's line alone)."""
    if key in _said:
        return
    _said.add(key)
    if threading.current_thread() is threading.main_thread():
        window, dialog = window_of(obj), dialog_of(obj)
        QTimer.singleShot(0, lambda: tell(window, line, dialog))


def one_line(error: BaseException) -> str:
    """``error``'s type and the first line of its message, the paths in it shortened as the error
    bar shortens them (a file's name and folder, never the whole path)."""
    message = short_error(private_reason(error)) if str(error).strip() else ""
    if len(message) > 160:
        message = message[:157] + "..."
    name = type(error).__name__
    return f"{name}: {message}" if message else name


def window_of(obj):
    """The window with a notice bar that ``obj`` (a widget, a filter or delegate parented in one) is
    in; else the active one, or any shown main window; None when there is none."""
    try:
        widget = obj
        while widget is not None and not isinstance(widget, QWidget):
            widget = widget.parent() if isinstance(widget, QObject) else None
        if widget is None:
            widget = QApplication.activeWindow()
        while widget is not None:
            top = widget.window()
            if hasattr(top, "notices"):
                return top
            widget = top.parentWidget()
        return next((top for top in QApplication.topLevelWidgets()
                     if hasattr(top, "notices") and top.isVisible()), None)
    except RuntimeError:   # a C++ object already deleted
        return None


def dialog_of(obj):
    """The dialog ``obj`` is in, else the modal dialog open (whose window, behind it, the user
    does not see until it closes); None when there is none."""
    try:
        widget = obj
        while widget is not None and not isinstance(widget, QWidget):
            widget = widget.parent() if isinstance(widget, QObject) else None
        top = widget.window() if widget is not None else QApplication.activeModalWidget()
        if not isinstance(top, QDialog):
            top = QApplication.activeModalWidget()
        return top if isinstance(top, QDialog) else None
    except RuntimeError:   # a C++ object already deleted
        return None


def tell(window, line: str, dialog=None) -> None:
    """Say ``line`` in ``window``'s notice bar, and in a message box over ``dialog`` when one is
    open (it covers the bar); flush every open editing session's journal."""
    flush_journals()
    try:
        if window is not None:
            window.notices.news(line)
        if dialog is not None and shiboken6.isValid(dialog) and dialog.isVisible():
            box_over(dialog, line)
    except Exception:   # a window closed meanwhile: the line is in the log
        log.debug("notice not shown", exc_info=True)


def box_over(dialog, line: str) -> QMessageBox:
    """A message box parented to ``dialog``, not modal (the dialog goes on), that says ``line``:
    one per dialog, a later line added under the first."""
    box = dialog.findChild(QMessageBox, "internal_error")
    if box is not None and box.isVisible():
        box.setText(f"{box.text()}\n{line}")
        return box
    box = QMessageBox(QMessageBox.Warning, "Internal error", line, QMessageBox.Ok, dialog)
    box.setTextFormat(Qt.PlainText)   # an error may name a file
    box.setObjectName("internal_error")
    box.setWindowModality(Qt.NonModal)
    box.setAttribute(Qt.WA_DeleteOnClose)
    box.show()
    return box


def flush_journals() -> None:
    """Write what each window's editing session keeps only in memory to its crash journal."""
    for top in QApplication.topLevelWidgets():
        session = getattr(getattr(top, "editor", None), "session", None)
        try:
            if session is not None:
                session.flush_journal()
        except Exception:
            log.debug("journal not flushed", exc_info=True)


def install_excepthook() -> None:
    """An exception escaping a slot (or any Python code Qt calls) is logged and said as the
    guards say theirs, the journals flushed, and the window goes on; Ctrl+C still stops."""
    previous = sys.excepthook

    def hook(kind, error, tb) -> None:
        if not issubclass(kind, Exception):
            previous(kind, error, tb)
            return
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = tb.tb_frame.f_code.co_qualname if tb is not None else kind.__name__
        flush_journals()
        said(where, error)

    hook.neuroview_hook = True
    if not getattr(previous, "neuroview_hook", False):
        sys.excepthook = hook


class _ThreadLines(QObject):
    """Carries a thread's internal-error line to the GUI thread (a queued signal)."""

    line = Signal(str)


def install_thread_hook(app: QApplication) -> None:
    """An exception that ends one of neuroview's threads (``core.thread_errors``) said in the
    window's notice bar, as a slot's is (the journals flushed), its traceback in the log only;
    the thread's job is ended by what it named (``when_failed``). Python printed the traceback on
    the terminal, and the job never heard."""
    from ..core.thread_errors import install, listen

    install()
    relay = _ThreadLines(app)
    relay.line.connect(lambda text: tell(window_of(None), text[:1].upper() + text[1:]),
                       Qt.QueuedConnection)
    listen(relay.line.emit)

