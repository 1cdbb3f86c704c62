"""Open from PACS... > Make worklist...: the series of the current search that a reader has not
segmented yet, retrieved in the background into a folder with the reader's worklist CSV, which
then opens as the annotation session (as ``neuroview pacs worklist`` does from the command line).
"""

from __future__ import annotations

import datetime

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from ..app.reader_name import remember_reader, remembered_reader
from ..io.dicom.person_name import dicom_name, readable_name
from ..io.pacs import SeriesCache
from ..io.pacs.worklist import build_worklist, file_name, pending_series
from ..paths import user_data_dir
from .pacs_save import READER_PLACEHOLDER
from .plain_text import plain_label


def default_folder(reader: str) -> str:
    """``worklists/Smith_Ann-DATE`` for ``Ann Smith``, ``Smith, Ann`` or ``Smith^Ann`` alike."""
    return str(user_data_dir() / "worklists" / f"{file_name(reader)}-{datetime.date.today():%Y-%m-%d}")


class WorklistDialog(QDialog):
    """Reader, series description and folder for a worklist made from the search fields."""

    def __init__(self, parent, search_text: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Make worklist")
        self.setMinimumWidth(620)  # the folder's path readable whole
        form = QFormLayout(self)
        # a patient's name or ID (the image's, filled in) or a series description as written
        form.addRow(plain_label(f"From the search: {search_text or 'every study'}"))
        self.reader_edit = QLineEdit(readable_name(remembered_reader()))
        self.reader_edit.setPlaceholderText(READER_PLACEHOLDER)
        self.reader_edit.setToolTip("Found in the descriptions of the SEGs Save to PACS sent "
                                    "(Lesions - Ann Smith's version)")
        form.addRow("Reader", self.reader_edit)
        self.series_edit = QLineEdit()
        self.series_edit.setPlaceholderText("*FLAIR* (wildcards; empty: every series)")
        form.addRow("Series description", self.series_edit)
        self.folder_edit = QLineEdit()
        self.folder_edit.setPlaceholderText("where the series and the worklist CSV go")
        form.addRow("Folder", self.folder_edit)
        form.addRow(QLabel("Leaves out the series this reader already has a SEG of on the server."))
        self.reader_edit.textChanged.connect(self._follow_reader)
        self._follow_reader(self.reader_edit.text())
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("Make worklist")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def _follow_reader(self, reader: str) -> None:
        """The default folder names the reader, until the user types a folder of their own."""
        if not self.folder_edit.isModified():
            self.folder_edit.setText(default_folder(reader.strip()))


def make_worklist(pacs_dialog, dialog: WorklistDialog) -> None:
    """Run the worklist of ``dialog`` for the search of ``pacs_dialog`` off the GUI thread and open
    it in the window."""
    window = pacs_dialog.main_window
    config, query = pacs_dialog.config, pacs_dialog.query()
    reader = dicom_name(dialog.reader_edit.text())   # "Ann Smith" -> Smith^Ann
    shown = readable_name(reader)
    series_description = dialog.series_edit.text().strip()
    folder = dialog.folder_edit.text().strip() or default_folder(reader)
    if config is None:
        return
    if not reader:
        pacs_dialog.status.setText("Make worklist: say who the reader is")
        return
    remember_reader(reader)

    def work(progress, cancel):
        cache = SeriesCache()
        entries = pending_series(config, reader, series_description, cache=cache, **query)
        if not entries:
            return None
        return build_worklist(
            config, entries, folder, reader, cache, cancel=lambda: cancel.cancelled,
            progress=lambda done, total, _text: progress(
                done, total, f"Worklist from {config.name}: {done} of {total} series"))

    def done(path) -> None:
        pacs_dialog.worklist_button.setEnabled(True)
        if path is None:
            pacs_dialog.status.setText(f"Nothing left to segment for {shown} in this search")
            return
        pacs_dialog.accept()
        window.training_actions.open_worklist(path)

    def failed(text: str) -> None:
        pacs_dialog.worklist_button.setEnabled(True)
        pacs_dialog.status.setText(text)

    pacs_dialog.worklist_button.setEnabled(False)
    pacs_dialog.status.setText(f"Making {shown}'s worklist...")
    window.runner.start(work, on_done=done, on_error=failed, label=f"Worklist from {config.name}",
                        on_cancel=lambda: failed("worklist cancelled; the series already retrieved "
                                                 "stay in its folder"))
