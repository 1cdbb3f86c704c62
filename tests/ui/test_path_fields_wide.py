"""The path fields of *File > Open follow-up...* show a study's whole path, as typed or filled in
(s45 walk: a DICOM series' folder `/tmp/walka/study1/t1_sag3d` read `ka/study1/t1_sag3d` in a field
about 17 characters wide, so which study was chosen could not be read)."""

from __future__ import annotations

from PySide6.QtWidgets import QStyle

PATH = "/home/reader/studies/2026-01-01/MR_T1_SAG_3D_005"   # 48 characters, a PACS export's


def test_each_path_field_shows_a_48_character_path_whole(qtbot):
    from neuroview.ui.followup_open import OpenFollowupDialog

    dialog = OpenFollowupDialog()
    qtbot.addWidget(dialog)
    for edit in dialog.edits.values():
        edit.setText(PATH)
    dialog.show()
    qtbot.waitExposed(dialog)
    for key, edit in dialog.edits.items():
        frame = edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth)
        room = edit.contentsRect().width() - 2 * frame - 2 * 2   # Qt's 2-pixel text margin a side
        needed = edit.fontMetrics().horizontalAdvance(PATH)
        assert needed <= room, f"{key}: {needed} px of path in a field of {room} px ({edit.width()} wide)"
