"""Closing the window just after Help > About is immediate: About asks for the compute device,
whose probe imports torch (seconds, not cancellable). It ran as one of the window's jobs and the
close waited 5 s for it, then said "1 background job(s) still running 5 s after they were
cancelled: resolve_devices". A fresh interpreter (torch not imported yet, as in the window a user
opens) opens About, closes the window at once and leaves as ``neuroview`` does (``launch.leave``):
the close takes well under a second, nothing is said, and the process ends cleanly with the probe
abandoned (ending the interpreter under the half-done import aborted it, 1 time in 20)."""

from __future__ import annotations

import pytest
from fresh_window import run_fresh

pytest.importorskip("torch")

CHILD = r"""
about = next(a for a in window.help_menu.actions() if a.text().replace("&", "") == "About neuroview")
about.trigger()
app.processEvents()
start = time.perf_counter()
window.close()
seconds = time.perf_counter() - start
from neuroview.ui import model_choice
print(json.dumps({"close_s": seconds, "probe_running": model_choice.probe_running(),
                  "about_text": window.help_dialog.text if window.help_dialog else ""}), flush=True)
from neuroview.ui.launch import leave
sys.exit(leave(0))
"""


def test_closing_just_after_about_is_immediate_and_leaves_nothing(tmp_path):
    seen, stderr, code = run_fresh(CHILD, tmp_path)
    assert code == 0, stderr[-3000:]
    assert "checking" in seen["about_text"], seen      # closed while the device was unknown
    assert seen["close_s"] < 1.0, seen
    assert "still running" not in stderr, stderr[-3000:]
