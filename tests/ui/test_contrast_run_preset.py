"""A CT perfusion run opened in the window: it opens at *DICOM header* (80/40), the *Window
preset* box names *Contrast run* (the header's 80/40 with its top raised by the bolus's peak,
``app.contrast_run``) one choice away, and choosing *Contrast run* again from the box gives it back (it was
measured on the time point shown, which has no rise: 'not offered for this image')."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from perfusion_maker import write_perfusion  # noqa: E402


def test_a_perfusion_run_opens_at_its_header_and_chooses_contrast_run_again(qtbot, window, tmp_path):
    write_perfusion(tmp_path / "ctp", size=48, n_slices=2, n_times=10)
    window.open_paths([tmp_path / "ctp"])
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                    timeout=30000)
    panel, c = window.display_panel, window.controller
    assert panel.preset_box.currentText() == "DICOM header"
    assert (c.state.window, c.state.level) == (80.0, 40.0)
    assert panel.choose_preset("Contrast run")
    opened = (c.state.window, c.state.level)
    assert opened[1] - opened[0] / 2 == 0.0 and opened[1] + opened[0] / 2 > 500   # 0 HU to past the peak
    c.set_frame(7)   # another time point shown: the box still chooses the run's window
    assert panel.choose_preset("DICOM header") and (c.state.window, c.state.level) == (80.0, 40.0)
    assert panel.choose_preset("Contrast run") and (c.state.window, c.state.level) == opened
    assert panel.preset_box.currentText() == "Contrast run"
