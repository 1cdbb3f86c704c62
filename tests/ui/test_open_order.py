"""Opening is the user's last word: Cancel keeps the image on screen, and of two opens the one made
last is shown (found walking the window: a NIfTI loader cannot stop midway, and its volume
replaced the image on screen after Cancel, or after a later, faster open)."""

from __future__ import annotations

import threading

import nibabel as nib
import numpy as np
import pytest
from editor_helpers import open_image
from PySide6.QtCore import Qt

from neuroview.io.candidates import SeriesCandidate

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _write(folder, name, shape):
    path = folder / f"{name}.nii.gz"
    nib.save(nib.Nifti1Image(np.arange(np.prod(shape), dtype=np.int16).reshape(shape), np.eye(4)),
             path)
    return path


@pytest.fixture
def slow_loads(monkeypatch):
    """Loading a file named slow*.nii.gz waits until the test lets it go, then finishes whatever
    was asked meanwhile (as nibabel does: it has no way to stop in the middle of a file)."""
    gate = threading.Event()
    original = SeriesCandidate.load

    def load(self, progress=None, cancel=None):
        if self.description.startswith("slow"):
            assert gate.wait(30)
        return original(self, progress, None)

    monkeypatch.setattr(SeriesCandidate, "load", load)
    yield gate
    gate.set()


def test_cancel_while_loading_keeps_the_image_on_screen(qtbot, window, tmp_path, slow_loads):
    first = _write(tmp_path, "first", (20, 24, 16))
    slow = _write(tmp_path, "slow", (30, 30, 30))
    open_image(qtbot, window, first)
    shown = window.controller.volume
    window.open_paths([slow])
    qtbot.waitUntil(lambda: window.progress_text.text() == "Loading slow.nii.gz"
                    and window.cancel_button.isVisible(), timeout=20000)
    qtbot.mouseClick(window.cancel_button, Qt.LeftButton)
    # the Cancel was heard while the job finishes its step (the bar kept 'Loading slow.nii.gz'
    # and an enabled Cancel, seconds with no answer: 3.9 s for AI > Segment's brain extraction)
    qtbot.waitUntil(lambda: window.progress_text.text().startswith("Cancelling")
                    and window.cancel_button.isVisible() and not window.cancel_button.isEnabled(),
                    timeout=10000)
    slow_loads.set()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    qtbot.wait(50)
    assert window.controller.volume is shown
    assert window.windowTitle() == "neuroview - first"
    assert not window.cancel_button.isVisible()


def test_the_image_opened_last_is_shown_when_an_earlier_open_finishes_later(
        qtbot, window, tmp_path, slow_loads):
    slow = _write(tmp_path, "slow", (30, 30, 30))
    fast = _write(tmp_path, "fast", (18, 22, 26))
    window.open_paths([slow])
    qtbot.waitUntil(lambda: window.progress_text.text() == "Loading slow.nii.gz", timeout=20000)
    window.open_paths([fast])
    qtbot.waitUntil(lambda: window.controller.volume is not None, timeout=20000)
    slow_loads.set()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    qtbot.wait(50)
    assert window.controller.volume.shape == (18, 22, 26)
    assert window.windowTitle() == "neuroview - fast"


def test_a_damaged_file_left_out_of_a_series_is_named_once_it_opens(qtbot, window, tmp_path):
    """A series folder with a truncated file opened with one slice fewer and no word of the file
    (found walking the window; `neuroview info` names it)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "dataset"))
    from fake_dicom import make_ct_series

    folder = tmp_path / "ct"
    make_ct_series(folder, shape=(32, 28, 10))
    last = folder / "IM0009.dcm"            # the top slice: the others stay evenly spaced
    last.write_bytes(last.read_bytes()[:-700])
    window.open_paths([folder])
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                    timeout=30000)
    assert window.controller.volume.shape[2] == 9
    text = window.message_bar.text
    assert "1 file left out" in text and "IM0009.dcm" in text and "truncated" in text
    assert window.measurements.count() == 0   # the red bar says it (Measurements did too, until 28)
