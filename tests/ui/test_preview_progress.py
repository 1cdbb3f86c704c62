"""A Fill between slices preview computed past half a second shows on the status bar's job bar,
busy, with Cancel: the first one took 10.3 s at load 6 (importing scipy.ndimage, 0.4-0.6 s on a
warm disk) with a word in the status line alone (walk of 7 Dec 2026). Cancel drops it as Esc does.
The tool's ``propose`` is held in the worker: a slow stand-in, not a timing."""

from __future__ import annotations

import numpy as np
from editor_helpers import held_in_workers
from preview_cases import _ask_preview, _two_discs
from PySide6.QtCore import Qt

from neuroview.core.edit import InterpolateTool

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

LINE = "The Fill between slices result: computing the preview (Esc cancels)"


def test_a_long_preview_shows_on_the_job_bar_and_its_cancel_drops_it(qtbot, window, tmp_path, monkeypatch):
    session, _ = _two_discs(qtbot, window, tmp_path)
    drawn = session.labels.array.copy()
    calls, release = held_in_workers(monkeypatch, InterpolateTool, "propose")
    _ask_preview(qtbot, window, calls)
    jobs = window.jobs
    qtbot.waitUntil(lambda: jobs.text.isVisible() and jobs.text.text() == LINE, timeout=5000)
    assert jobs.progress.isVisible() and jobs.progress.maximum() == 0        # busy
    assert jobs.cancel_button.isVisible() and jobs.cancel_button.isEnabled()
    qtbot.mouseClick(jobs.cancel_button, Qt.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: not jobs.text.isVisible(), timeout=10000)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage()
                    == "The Fill between slices result: cancelled, nothing changed", timeout=10000)
    assert window.controller.preview_labels is None and not window.editor.has_preview()
    assert not window.editor.computing_preview
    np.testing.assert_array_equal(session.labels.array, drawn)
