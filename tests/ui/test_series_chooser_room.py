"""The series chooser is as tall as its series want, within the screen: at 720 x 360 it showed
four series of a study folder (pydicom's 98892003/MR2: 7 series with their warnings) and the rest
had to be scrolled to on a 1920x1080 screen; on a short screen it still fits, its buttons inside."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QDialogButtonBox

from neuroview.ui.dialogs import SeriesChooserDialog

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


class Screen:
    def __init__(self, width, height) -> None:
        self.room = QRect(0, 0, width, height)

    def availableGeometry(self) -> QRect:   # noqa: N802 (Qt's name)
        return self.room


@pytest.fixture(scope="module")
def mr2():
    from pydicom.data import get_testdata_file

    path = get_testdata_file("DICOMDIR")
    folder = Path(path).parent / "98892003" / "MR2" if path else None
    if folder is None or not folder.is_dir():
        pytest.skip("pydicom's dicomdirtests study 98892003/MR2 is not installed")
    return folder


def _opened_chooser(qtbot, window, monkeypatch, mr2, screen):
    monkeypatch.setattr(SeriesChooserDialog, "screen", lambda self: screen)
    window.open_paths([mr2])   # read-only files: the scan writes nothing beside them
    qtbot.waitUntil(lambda: window.series_dialog is not None, timeout=30000)
    dialog = window.series_dialog
    qtbot.waitExposed(dialog)
    dialog.layout().activate()
    return dialog


def test_every_series_shows_where_the_screen_has_room(qtbot, window, monkeypatch, mr2):
    dialog = _opened_chooser(qtbot, window, monkeypatch, mr2, Screen(1920, 1080))
    assert dialog.list.count() == 7
    last = dialog.list.visualItemRect(dialog.list.item(6))
    assert last.bottom() <= dialog.list.viewport().height(), "the last series is below the list's end"
    assert dialog.list.verticalScrollBar().maximum() == 0
    assert dialog.height() <= 1080 - 40


def test_on_a_short_screen_it_fits_and_scrolls(qtbot, window, monkeypatch, mr2):
    dialog = _opened_chooser(qtbot, window, monkeypatch, mr2, Screen(960, 540))
    assert dialog.height() <= 540 - 40
    box = dialog.findChild(QDialogButtonBox)
    assert box.mapTo(dialog, box.rect().bottomLeft()).y() < dialog.height()   # its buttons inside
    assert dialog.list.verticalScrollBar().maximum() > 0
