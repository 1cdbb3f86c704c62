"""Dialogs: choosing one image series when a folder holds several."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout


class SeriesChooserDialog(QDialog):
    """Lists scan candidates (description, size, spacing, orientation) with their warnings."""

    def __init__(self, result, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Choose a series")
        self.result = result
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{len(result.candidates)} image series found; choose one to open:"))
        self.list = QListWidget()
        best = result.best()
        for candidate in result.candidates:
            text = candidate.describe()
            if candidate.warnings:
                text += "\n    warning: " + "\n    warning: ".join(candidate.warnings)
            item = QListWidgetItem(text)
            self.list.addItem(item)
            if candidate is best:
                self.list.setCurrentItem(item)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.Open | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 320)

    def chosen(self):
        row = self.list.currentRow()
        return self.result.candidates[row] if row >= 0 else None
