"""*Find and compare* in the Readers dialog is its own Cancel while the search and the measures
run (3 readers on a 512x512x300 CT: 54 s at load 6-11); a Cancel mid-way shows nothing half
compared, says so, and the button finds and compares again. Before, the job did not look at
Cancel: it ran to its end and its figures were shown."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from readers_helpers import find_and_compare, open_readers, study

from neuroview.app import readers

READERS = ("Smith^Ann", "Jones^Bob", "Lee^Cat")


def test_cancel_mid_comparison_shows_nothing_half_done(qtbot, window, tmp_path, mni_volume, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    dialog = open_readers(qtbot, window, study(tmp_path, mni_volume, READERS, huge=False))
    release, measured, real = threading.Event(), [], readers.pairwise

    def held(*args, **kwargs):   # the pairs measured; held before STAPLE until the Cancel
        pairs = real(*args, **kwargs)
        measured.append(len(pairs))
        release.wait(30)
        return pairs

    monkeypatch.setattr(readers, "pairwise", held)
    dialog.server_box.setCurrentIndex(dialog.server_box.findText("(this computer only)"))
    qtbot.mouseClick(dialog.find_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: measured == [3], timeout=30000)
    assert dialog.find_button.text() == "Cancel" and dialog.find_button.isEnabled()
    qtbot.mouseClick(dialog.find_button, Qt.LeftButton)
    assert not dialog.find_button.isEnabled()          # heard: it ends at its next look
    release.set()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    assert dialog.status.text() == "Cancelled: nothing was compared."
    assert dialog.comparison is None and dialog.legend.rowCount() == 0 and dialog.pairs.rowCount() == 0
    assert dialog.find_button.text() == "Find and compare" and dialog.find_button.isEnabled()
    monkeypatch.setattr(readers, "pairwise", real)
    find_and_compare(qtbot, window, dialog)            # the same button: compared whole
    assert dialog.status.text() == "3 readers; consensus by STAPLE."
    assert dialog.pairs.rowCount() == 3
