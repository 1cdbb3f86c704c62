"""Files that are not images dropped together on the window (a report and a note dragged from a
mail by mistake): the status line names them all, not the first alone. Until session 38 it said
'Nothing opened: report.pdf could not be read (no image found)' with notes.txt dropped too."""

from __future__ import annotations

from editor_helpers import open_image, write_image
from file_drops import drop_on
from PySide6.QtCore import QMimeData, QUrl

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_two_files_not_images_dropped_are_both_counted(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    shown = window.controller.volume
    report, note = tmp_path / "report.pdf", tmp_path / "notes.txt"
    report.write_bytes(b"%PDF-1.4 a report")
    note.write_text("not an image\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(report)), QUrl.fromLocalFile(str(note))])
    drop_on(window.slice_views["axial"], mime)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Nothing opened"),
                    timeout=30000)
    assert window.statusBar().currentMessage() == (
        "Nothing opened: report.pdf and 1 other could not be read (no image found); the image "
        "on screen stays as it was.")
    assert window.controller.volume is shown
