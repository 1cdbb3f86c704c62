"""A Python callback that VTK calls (an observer) and that raises never takes the process down.

VTK 9.7 calls an observer from C++ (``vtkPythonCommand``). When it raises an ``Exception``, VTK
prints it (``sys.excepthook``) on every call and goes on: a 3D frame's progress observer printed
the same traceback 15 times in one frame. A ``KeyboardInterrupt`` or ``SystemExit`` raised there
ends the process on the spot (``Py_Exit``, "Caught a Ctrl-C within python, exiting program."):
Ctrl+C during the frame of ``neuroview snapshot --view 3d`` ended it with a segmentation fault
(rc -11, 2 runs of 2, its clean-up not run), and in the window it would have ended it with the
edits its journal held only in memory. An observer added with :func:`observe` says an exception
once, as VTK would (``sys.excepthook``: the window's, ``ui.qt_guard``, logs it, says one line in
the notice bar and flushes the journal), and holds a Ctrl+C (or SIGTERM's ``KeyboardInterrupt``)
until the VTK call has returned: :func:`raise_held`, after it, raises it where Python can unwind.
"""

from __future__ import annotations

import functools
import sys

_said: set[tuple[str, str]] = set()
_held: list[BaseException] = []


def observe(vtk_object, event, callback) -> int:
    """``vtk_object.AddObserver(event, callback)``, guarded (:func:`guarded`); its tag."""
    return vtk_object.AddObserver(event, guarded(callback))


def guarded(callback):
    """``callback(caller, event)`` whose exception is said once (:func:`say`) and whose Ctrl+C
    waits for :func:`raise_held`; once a Ctrl+C is held, the observers do nothing more."""
    what = getattr(callback, "__qualname__", type(callback).__name__)

    @functools.wraps(callback)
    def observer(caller, event):
        if _held:
            return
        try:
            callback(caller, event)
        except Exception as error:
            say(what, error)
        except BaseException as stop:   # VTK would end the process here (Py_Exit)
            _held.append(stop)

    observer.vtk_guarded = True
    return observer


def say(what: str, error: BaseException) -> None:
    """``error`` to ``sys.excepthook``, the first time ``what`` raises one of its type."""
    key = (what, type(error).__name__)
    if key not in _said:
        _said.add(key)
        sys.excepthook(type(error), error, error.__traceback__)


def raise_held() -> None:
    """Raise the Ctrl+C an observer held during the VTK call that has just returned, if any."""
    if _held:
        stop = _held[0]
        _held.clear()
        raise stop
