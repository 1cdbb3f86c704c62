"""A failed test leaves no QPainter painting: ``tests/conftest.py`` takes this hook. A helper that
paints into a QImage of its own and fails before ``painter.end()`` left the painter active in
the failure's frames; pytest keeps them (``sys.last_traceback``) until the next test, then the
garbage collector freed the picture before its painter and the worker died of a segmentation
fault tests later (session 47's CI: ``test_measure_labels_apart.py`` failed, and the worker
crashed while ``test_open_known_again.py`` built a window). Now the failure is a failure."""

from __future__ import annotations

import sys

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.excinfo is not None and "PySide6.QtGui" in sys.modules:
        from neuroview.ui.qt_guard import end_painters

        end_painters(call.excinfo.tb)
    return report
