"""*Compare readers* names each reader as people read a name: the legend, the pairs, the lesion
list, the *Take* buttons and the *Taken* column showed DICOM's raw ``Smith^Ann`` (a SEG's
ContentCreatorName), ``Van der Berg-Oliveira^Maria Theresa^^Dr.`` for a longer one. Now ``Ann
Smith`` and ``Dr. Maria Theresa Van der Berg-Oliveira``, whole in the cell or on hover; the raw
value is kept where DICOM and the provenance record it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from readers_helpers import find_and_compare, open_readers, study

from neuroview.io.dicom.person_name import readable_name

READERS = ("Smith^Ann", "Van der Berg-Oliveira^Maria Theresa^^Dr.", "=山田^太郎")
SHOWN = ["Ann Smith", "Dr. Maria Theresa Van der Berg-Oliveira", "山田 太郎"]


def _texts(dialog) -> list[str]:
    """Every text of the dialog a user reads: cells, headers, buttons, tooltips, status lines."""
    texts = [dialog.status.text(), dialog.progress.text()]
    for table in (dialog.legend, dialog.pairs, dialog.lesions):
        for col in range(table.columnCount()):
            header = table.horizontalHeaderItem(col)
            texts += [header.text(), header.toolTip()] if header else []
            for row in range(table.rowCount()):
                item = table.item(row, col)
                texts += [item.text(), item.toolTip()] if item else []
    for button in dialog.findChildren(QPushButton):
        texts += [button.text(), button.toolTip()]
    return texts


def test_readers_are_named_as_people_read_names(qtbot, window, tmp_path, mni_volume, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    dialog = find_and_compare(qtbot, window, open_readers(
        qtbot, window, study(tmp_path, mni_volume, READERS, huge=False)))
    assert dialog.status.text() == "3 readers; consensus by STAPLE."
    legend = dialog.legend
    assert [legend.item(r, 0).text() for r in range(3)] == SHOWN
    assert [legend.item(r, 0).toolTip() for r in range(3)] == SHOWN   # whole on hover
    # whole in the list: the column is at least as wide as the longest name
    metrics = legend.fontMetrics()
    assert legend.columnWidth(0) >= max(metrics.horizontalAdvance(name) for name in SHOWN)
    pairs = {(dialog.pairs.item(r, 0).text(), dialog.pairs.item(r, 1).text())
             for r in range(dialog.pairs.rowCount())}
    assert pairs == {(SHOWN[0], SHOWN[1]), (SHOWN[0], SHOWN[2]), (SHOWN[1], SHOWN[2])}

    tab_bar = dialog.tabs.tabBar()
    qtbot.mouseClick(tab_bar, Qt.LeftButton, pos=tab_bar.tabRect(1).center())
    headers = [dialog.lesions.horizontalHeaderItem(c).text() for c in range(dialog.lesions.columnCount())]
    assert headers == ["Lesion"] + [f"{name} voxels" for name in SHOWN] + ["Taken"]
    button = dialog.take_buttons[READERS[1]]
    assert button.text() == f"Take {SHOWN[1]}"
    dialog.lesions.selectRow(0)
    qtbot.mouseClick(button, Qt.LeftButton)
    assert dialog.lesions.item(0, dialog.lesions.columnCount() - 1).text() == SHOWN[1]
    assert dialog.plan.choices == {1: READERS[1]}   # the record keeps the DICOM value
    dialog.adjudicator_edit.clear()
    qtbot.keyClicks(dialog.adjudicator_edit, "Senior^Sam")
    qtbot.mouseClick(dialog.apply_button, Qt.LeftButton)
    assert f"1: {SHOWN[1]}" in dialog.status.text(), dialog.status.text()
    texts = "\n".join(_texts(dialog))
    assert "^" not in texts and "=山田" not in texts, texts


def test_a_person_name_reads_as_people_write_it():
    assert readable_name("Smith^Ann") == "Ann Smith"
    assert readable_name("Smith^Ann^B^Dr.^PhD") == "Dr. Ann B Smith PhD"
    assert readable_name("Yamada^Tarou=山田^太郎") == "Tarou Yamada"
    assert readable_name("=山田^太郎") == "山田 太郎"
    assert readable_name(" Ann ") == "Ann" and readable_name("(unknown reader)") == "(unknown reader)"
    assert readable_name("^") == ""
