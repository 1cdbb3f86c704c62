"""A file dragged from a file manager onto a field of *File > Open follow-up...* fills it with the
file's path, as a drop on the main window opens it (s30 walk: a drag carrying the file's URL only
left the field empty; one carrying its text too wrote `file:///tmp/dir%20a/scan.nii.gz`, and OK then
said `no such file or folder`). A `file://` URL pasted into a field reads as its path, a path in
quotes as the path."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication


def drop_on(widget, mime: QMimeData) -> None:
    """A drag over ``widget`` and a drop on it, as a file manager sends them."""
    centre = widget.rect().center()
    for event in (QDragEnterEvent(centre, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier),
                  QDragMoveEvent(centre, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)):
        QApplication.sendEvent(widget, event)
    QApplication.sendEvent(widget, QDropEvent(QPointF(centre), Qt.CopyAction, mime,
                                              Qt.LeftButton, Qt.NoModifier))


def file_drag(path, with_text: bool) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    if with_text:   # what many file managers add: the URL as text
        mime.setText(QUrl.fromLocalFile(str(path)).toString(QUrl.FullyEncoded) + "\r\n")
    return mime


def test_a_file_dropped_on_a_field_fills_it_with_its_path(qtbot, tmp_path):
    from neuroview.ui.followup_open import OpenFollowupDialog

    folder = tmp_path / "dir with spaces ä"
    folder.mkdir()
    baseline, later = folder / "scan é ñ.nii.gz", folder / "later ö.nii.gz"
    dialog = OpenFollowupDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    drop_on(dialog.edits["baseline"], file_drag(baseline, with_text=False))
    drop_on(dialog.edits["followup"], file_drag(later, with_text=True))
    assert dialog.edits["baseline"].text() == str(baseline)
    assert dialog.edits["followup"].text() == str(later)
    paths = dialog.paths()
    assert paths["baseline"] == str(baseline) and paths["followup"] == str(later)


def test_a_file_url_or_a_quoted_path_pasted_in_a_field_reads_as_the_path(qtbot, tmp_path):
    from neuroview.ui.followup_open import OpenFollowupDialog

    mask = tmp_path / "dir with spaces ä" / "lesions ö.nii.gz"
    dialog = OpenFollowupDialog()
    qtbot.addWidget(dialog)
    dialog.edits["baseline_labels"].setText(
        " " + QUrl.fromLocalFile(str(mask)).toString(QUrl.FullyEncoded) + "\n")
    dialog.edits["followup_labels"].setText(f"  {mask}  ")   # a path as before, stripped
    dialog.edits["baseline"].setText(f'"{mask}"')            # Windows' Copy as path
    dialog.edits["followup"].setText(f"'{mask}' ")           # a terminal's quoting
    paths = dialog.paths()
    assert paths["baseline_labels"] == str(mask) and paths["followup_labels"] == str(mask)
    assert paths["baseline"] == str(mask) and paths["followup"] == str(mask)
