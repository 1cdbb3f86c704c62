"""A file dragged from a file manager onto a field of *File > Open follow-up...* fills it with the
file's path, as a drop on the main window opens it (s30 walk: a drag carrying the file's URL only
left the field empty; one carrying its text too wrote `file:///tmp/dir%20a/scan.nii.gz`, and OK then
said `no such file or folder`). A `file://` URL pasted into a field reads as its path, a path in
quotes as the path."""

from __future__ import annotations

from file_drops import drop_on, file_drag
from PySide6.QtCore import QUrl


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
