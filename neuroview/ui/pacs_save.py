"""File > Save to PACS...: the label map of the open DICOM image goes to a configured server as a
SEG naming the reader and the proposing model, sent off the GUI thread (a part of
``pacs_dialog.PacsActions``, which installs the menu)."""

from __future__ import annotations

import copy

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit

from ..app.frames import labels_frame
from ..app.reader_name import proposed_annotator, remember_reader, remembered_reader
from ..core.errors import NeuroviewError
from ..core.labels import LabelMap
from ..io.dicom.person_name import dicom_name, readable_name
from ..io.pacs import PROTOCOLS, load_servers
from ..io.pacs.save_mask import save_mask_to_pacs
from .compaction import mark_saved_and_compact

READER_PLACEHOLDER = "Your name, as you write it: Ann Smith (or Smith, Ann)"
READER_TIP = ("Written in the SEG as DICOM writes names (Smith^Ann), and in its description as "
              "you read it (Ann Smith's version)")


def not_sent(server: str) -> str:
    """What a SEG send cancelled before it reached the server leaves there: nothing."""
    return f"Save to PACS cancelled: nothing was sent; {server} holds no part of this SEG."


def not_sent_because(server: str, text: str) -> str:
    """The line for a SEG send that failed: what failed and that the labels are kept, before the
    reason (the reason alone, 'no DICOM answer from ...', did not say that it was the SEG)."""
    return f"Save to PACS: the SEG was not sent to {server} (the labels are kept): {text}"


def sent_after_cancel(job) -> str:
    """Said after a SEG whose send was under way when Cancel came (it is not cut short)."""
    cancelled = job is not None and job.cancel_token.cancelled
    return " (Cancel came while it was being sent: the server holds it whole)" if cancelled else ""


class SaveToPacsDialog(QDialog):
    """Server, reader name (remembered) and protocol for File > Save to PACS..."""

    def __init__(self, window, servers: dict) -> None:
        super().__init__(window)
        self.setWindowTitle("Save to PACS")
        self.servers = servers
        form = QFormLayout(self)
        self.server_box = QComboBox()
        self.server_box.addItems(sorted(servers))
        form.addRow("Server", self.server_box)
        self.reader_edit = QLineEdit()
        self.reader_edit.setPlaceholderText(READER_PLACEHOLDER)
        self.reader_edit.setToolTip(READER_TIP)
        hint = self.reader_edit.fontMetrics().horizontalAdvance(READER_PLACEHOLDER)
        self.reader_edit.setMinimumWidth(hint + 24)   # the placeholder whole, not "Your name, as yo..."
        self.reader_edit.setText(readable_name(remembered_reader()))
        form.addRow("Reader", self.reader_edit)
        self.protocol_box = QComboBox()
        self.protocol_box.addItems(PROTOCOLS)
        form.addRow("Protocol", self.protocol_box)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("Send SEG")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)


class PacsSaving:
    """File > Save to PACS...: the dialog, then the SEG sent off the GUI thread."""

    def open_save_dialog(self) -> None:
        window = self.window
        case = window.editor.case
        if case is None and window.controller.volume is not None:   # its restore question waits
            window.show_error(f"Save to PACS: {window.editor.no_case_message()}")
            return
        if case is None or not case.is_dicom:
            window.show_error("Save to PACS needs an open DICOM image (the SEG refers to its series)")
            return
        servers = load_servers()
        if not servers:
            window.show_error("no DICOM server configured: neuroview pacs add NAME ... (README, PACS)")
            return
        dialog = SaveToPacsDialog(window, servers)
        self.save_dialog = dialog
        dialog.accepted.connect(lambda: self._send(case, dialog))
        dialog.show()

    def _send(self, case, dialog: SaveToPacsDialog) -> None:
        window = self.window
        reader = dicom_name(dialog.reader_edit.text())   # "Ann Smith" -> Smith^Ann, as DICOM wants
        if not reader:
            window.show_error("Save to PACS: say who the reader is")
            return
        remember_reader(reader)
        shown = readable_name(reader)
        config = dialog.servers[dialog.server_box.currentText()]
        protocol = dialog.protocol_box.currentText()
        labels = case.labels  # a snapshot: the user may keep painting while it is sent
        version = case.version
        snapshot = LabelMap(labels.array.copy(), labels.ijk_to_ras.copy(), copy.deepcopy(labels.segments))
        source, model = case.volume.source_path, case.proposing_model(snapshot)
        done_by = case.work_done(proposed_annotator(), snapshot)   # everyone's time, kept in the SEG
        uid = str(case.volume.source_metadata["SeriesInstanceUID"])
        try:   # a 4D run: the time point the labels were drawn on (else the one shown)
            frame = labels_frame(case.volume, labels, case.session.frame, "send again")
        except NeuroviewError as exc:
            window.show_error(f"Save to PACS: {exc}")
            return

        def work(progress, cancel):
            from ..io.seg import read_series_headers

            headers = read_series_headers([source], series_uid=uid, time_point=frame)   # 4D: drawn on
            return save_mask_to_pacs(config, snapshot, headers, reader=reader, model=model,
                                     protocol=protocol, work=done_by, cancel=cancel)

        training = window.training_actions
        worklist, worklist_id = training.worklist, training.worklist_id
        job = None

        def done(_uid) -> None:
            mark_saved_and_compact(window, case, version)  # quitting no longer asks about it
            window.message_bar.hide()   # an earlier error (a send that failed) is over: this one worked
            window.notice_bar.show_message(f"Saved to {config.name}: {shown}'s version as DICOM SEG"
                                           + sent_after_cancel(job))
            if worklist is not None and worklist_id:  # the reader's worklist: this case is done
                if worklist.case(worklist_id).status != "in_training_set":
                    worklist.set_status(worklist_id, "sent_to_pacs")
                training.show_worklist()   # its row at once, not when the case is left

        def failed(text: str) -> None:
            window.show_error(not_sent_because(config.name, text))

        job = window.runner.start(work, label=f"Sending SEG to {config.name}", on_done=done,
                                  on_error=failed, on_cancel=lambda: window.notice_bar.show_message(
                                      not_sent(config.name)))
