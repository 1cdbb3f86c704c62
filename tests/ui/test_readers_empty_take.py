"""*Adjudicate*'s take buttons: the button of a reader who drew none of the chosen lesion is greyed
out, saying why on hover (in session 48's walk *Take ben* on the lesion only anna drew kept
nothing, recorded as a lesion kept: ``tests/app/test_adjudication_empty_take.py``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from readers_helpers import find_and_compare, open_readers

from tests.app.readers_series import BOB_REFUSED as REFUSED
from tests.app.readers_series import bob_misses_lesion_2


def test_the_take_button_of_a_reader_who_drew_none_is_greyed(qtbot, window, tmp_path, mni_volume):
    volume = bob_misses_lesion_2(tmp_path, mni_volume)
    dialog = find_and_compare(qtbot, window, open_readers(qtbot, window, volume.source_path))
    tab_bar = dialog.tabs.tabBar()
    qtbot.mouseClick(tab_bar, Qt.LeftButton, pos=tab_bar.tabRect(1).center())
    dialog.lesions.selectRow(1)
    bob = dialog.take_buttons["Jones^Bob"]
    assert not bob.isEnabled() and bob.toolTip() == REFUSED
    assert dialog.take_buttons["Smith^Ann"].isEnabled()
    dialog.lesions.selectRow(0)
    assert bob.isEnabled()
