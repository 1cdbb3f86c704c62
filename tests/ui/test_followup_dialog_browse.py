"""*Browse...* in *Open follow-up...* starts where the studies are: in the folder of the path in
its field, else of a path already in another field (the baseline chosen, the later study lies
beside it), else where *File > Open* starts (the folder opened last). It started in the program's
working folder every time (s30 walk: four browses from / for one follow-up)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QFormLayout, QPushButton


def browse_button(dialog, key):
    """The *Browse...* button on the row of field ``key`` (in its row's layout, beside it)."""
    edit = dialog.edits[key]
    for row in range(dialog.form.rowCount()):
        item = dialog.form.itemAt(row, QFormLayout.FieldRole)
        layout = item.layout() if item is not None else None
        if layout is not None and layout.count() and layout.itemAt(0).layout() is not None:
            layout = layout.itemAt(0).layout()   # an image field's row, its PACS series named under it
        widgets = [layout.itemAt(i).widget() for i in range(layout.count())] if layout else []
        if edit in widgets:
            return next(w for w in widgets if isinstance(w, QPushButton) and w.text() == "Browse...")
    raise AssertionError(f"no row holds the field {key}")


def test_browse_starts_beside_the_studies_already_chosen(qtbot, tmp_path, monkeypatch):
    from neuroview.ui.followup_open import OpenFollowupDialog

    patient = tmp_path / "patient ä"
    (patient / "2024").mkdir(parents=True)
    (patient / "2025").mkdir()
    asked = []

    def fake_open(parent, title, folder="", *args, **kwargs):
        asked.append(folder)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_open))
    dialog = OpenFollowupDialog()
    qtbot.addWidget(dialog)
    dialog.edits["baseline"].setText(str(patient / "2024" / "t1.nii.gz"))
    qtbot.mouseClick(browse_button(dialog, "followup"), Qt.LeftButton)
    assert asked[-1] == str(patient / "2024")        # beside the baseline
    dialog.edits["followup"].setText(str(patient / "2025" / "t1.nii.gz"))
    qtbot.mouseClick(browse_button(dialog, "followup_labels"), Qt.LeftButton)
    assert asked[-1] == str(patient / "2025")        # beside the study chosen last
    qtbot.mouseClick(browse_button(dialog, "baseline_labels"), Qt.LeftButton)
    assert asked[-1] == str(patient / "2025")
    qtbot.mouseClick(browse_button(dialog, "baseline"), Qt.LeftButton)
    assert asked[-1] == str(patient / "2024")        # its own field's folder first
    dialog.add_followup()
    dialog.edits["followup_2"].setText(str(patient / "2025"))   # a DICOM folder: beside it
    qtbot.mouseClick(browse_button(dialog, "followup_2_labels"), Qt.LeftButton)
    assert asked[-1] == str(patient)
