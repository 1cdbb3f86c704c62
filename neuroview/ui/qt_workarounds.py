"""A work-around for PySide6 6.12.0's ``SignalInstance.emit``, applied once when ``neuroview.ui``
is imported.

On that release every ``signal.emit(...)`` made from Python returns ``True`` without taking a
reference to it, so each call releases one reference the interpreter holds on ``True``. After some
thousands of emits (a window that opens and closes views, a long editing session) the count
reaches zero and Python aborts with ``Fatal Python error: bool_dealloc``, usually at exit (issue
#16.12). The probe below emits once and, only when a reference was lost, wraps ``emit`` to give
back the reference each call takes; on a PySide6 without the bug nothing is changed.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal, SignalInstance

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


class _Probe(QObject):
    signal = Signal()


def _lost_per_emit() -> int:
    probe = _Probe()
    before = sys.getrefcount(True)
    probe.signal.emit()
    return before - sys.getrefcount(True)


def repair_emit() -> bool:
    """Compensate the reference ``emit`` drops, if it drops one; True when the wrap was installed."""
    if getattr(SignalInstance.emit, "_neuroview_repaired", False):
        return True
    lost = _lost_per_emit()
    if lost <= 0:
        return False
    _incref(True)  # the probe's own emit
    original = SignalInstance.emit

    def emit(self, *args):
        result = original(self, *args)
        if result is True:
            _incref(result)
        return result

    emit._neuroview_repaired = True
    SignalInstance.emit = emit
    return True


REPAIRED = repair_emit()
