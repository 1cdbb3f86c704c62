"""*Compare readers...*, *Adjudicate...* and *Save to PACS...* on a DICOM series whose earlier edits
wait for the restore question: they said "needs an open DICOM image" with the series on screen
(session 36's walk: the adjudicator opened the series a reader had worked on, and File >
Adjudicate... said so). They now say what to do, as the editor's actions do."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from editor_helpers import leave_a_crashed_workspace, open_image

from neuroview.io import load

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "dataset"))


@pytest.mark.parametrize("menu_entry, word", [("Adjudicate...", "Compare readers"),
                                              ("Save to PACS...", "Save to PACS")])
def test_a_pending_restore_question_is_named(qtbot, window, tmp_path, menu_entry, word):
    from fake_dicom import make_ct_series

    make_ct_series(tmp_path / "series")
    volume = load([tmp_path / "series"])
    leave_a_crashed_workspace(volume, volume.center_ras, radius_mm=4)
    open_image(qtbot, window, tmp_path / "series")
    qtbot.waitUntil(lambda: window.editor.restore_pending, timeout=10000)
    next(a for a in window.file_menu.actions() if a.text().replace("&", "") == menu_entry).trigger()
    assert window.message_bar.text == f"{word}: answer the restore question above the views first"
