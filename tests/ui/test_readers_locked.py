"""*Apply to label map* writes no voxel of a locked segment: the first Apply's ``lesion``, renamed
and locked, keeps the voxels a second Apply would take, and the dialog's status line says how
many, and where (it said the whole mask was applied: in a walk, "562 voxels" of which 8 landed).
Ctrl+Z and Ctrl+Y give that line back as it was."""

from __future__ import annotations

from editor_helpers import shortcut
from PySide6.QtCore import Qt
from readers_helpers import adjudicate, find_and_compare, open_readers, study


def test_the_status_line_counts_the_voxels_a_locked_segment_kept(qtbot, window, tmp_path, mni_volume):
    dialog = find_and_compare(qtbot, window, open_readers(
        qtbot, window, study(tmp_path, mni_volume, ("Smith^Ann", "Jones^Bob"), huge=False)))
    adjudicate(qtbot, dialog, "Sam Senior")   # Bob's outline
    assert "locked" not in dialog.status.text()
    session = window.editor.session
    sam = session.labels.segments.by_name("lesion").value
    bob = session.labels.array == sam
    session.segments.rename(sam, "lesion (Sam)")
    session.segments.lock(sam)
    dialog.lesions.selectRow(0)
    qtbot.mouseClick(dialog.take_buttons["Smith^Ann"], Qt.LeftButton)
    qtbot.mouseClick(dialog.apply_button, Qt.LeftButton)
    ann = window.editor.case.adjudication.result.mask
    kept = int((ann & bob).sum())
    assert 0 < kept < ann.sum()
    assert (session.labels.array[ann] == sam).sum() == kept   # Ann's outline but where Sam's is
    applied = dialog.status.text()
    assert f"({ann.sum()} voxels; 1: Ann Smith). {kept} voxels of it stay in the locked segment " \
           "lesion (Sam): unlock, then Apply again to take them." in applied
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    shortcut(qtbot, window, Qt.Key_Y, Qt.ControlModifier)
    assert dialog.status.text() == applied
