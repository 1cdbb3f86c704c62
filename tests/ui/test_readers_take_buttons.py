"""With many readers the *Take* buttons wrap onto further rows: one row of eight buttons (six
readers, *Take consensus*, *Not a lesion*) made the Readers dialog 1117 pixels wide, past a
1366x768 laptop's room at 125 % (1093 points). Now the dialog keeps its default width, every
button is in it, and a wrapped button takes its reader's outline when clicked."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from readers_helpers import find_and_compare, open_readers, study

READERS = ("Smith^Ann", "Jones^Bob", "Lee^Cat", "Van der Berg-Oliveira^Maria Theresa^^Dr.", "Okafor^Chidi",
           "Nakamura^Yuki")


def test_many_readers_take_buttons_wrap_within_the_dialog(qtbot, window, tmp_path, mni_volume, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    dialog = find_and_compare(qtbot, window, open_readers(
        qtbot, window, study(tmp_path, mni_volume, READERS, huge=False)))
    tab_bar = dialog.tabs.tabBar()
    qtbot.mouseClick(tab_bar, Qt.LeftButton, pos=tab_bar.tabRect(1).center())
    qtbot.waitUntil(lambda: dialog.take_buttons["Nakamura^Yuki"].isVisible())
    assert len(dialog.take_buttons) == 8
    assert dialog.minimumSizeHint().width() <= 1093 - 40   # 1366x768 at 125 %, with its frame
    assert dialog.width() == 800   # not widened by the buttons

    rects = {option: QRect(button.mapTo(dialog, button.rect().topLeft()), button.size())
             for option, button in dialog.take_buttons.items()}
    for option, rect in rects.items():
        assert dialog.rect().contains(rect), (option, rect, dialog.rect())   # whole, in the dialog
        assert dialog.take_buttons[option].width() >= dialog.take_buttons[option].sizeHint().width()
    assert not any(a.intersects(b) for a in rects.values() for b in rects.values() if a is not b)
    assert len({rect.top() for rect in rects.values()}) >= 2   # wrapped onto a second row
    # the lesion table's columns all in view (the readers' headers shortened, whole on hover)
    lesions = dialog.lesions
    right = [lesions.columnViewportPosition(c) + lesions.columnWidth(c) for c in range(lesions.columnCount())]
    assert max(right) <= lesions.viewport().width()

    lesions.selectRow(0)
    qtbot.mouseClick(dialog.take_buttons["Nakamura^Yuki"], Qt.LeftButton)   # on the second row
    assert lesions.item(0, lesions.columnCount() - 1).text() == "Yuki Nakamura"
    assert dialog.plan.choices == {1: "Nakamura^Yuki"}
