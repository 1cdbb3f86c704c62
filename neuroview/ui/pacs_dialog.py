"""File > Open from PACS...: search a configured DICOM server, browse patient / study / series, retrieve.

The search (C-FIND or QIDO-RS) and the retrieval (C-GET or WADO-RS into the local cache) run as
background jobs of the window's runner, so the status bar shows their progress and its Cancel
button stops them; a retrieved series opens like a local folder. Servers are configured with
``neuroview pacs add`` (README, "PACS").
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from ..io.pacs import PacsError, SeriesCache, find, load_servers, retrieve

SEARCH_FIELDS = (("PatientName", "Patient name", "DOE* (wildcards * and ?)"),
                 ("PatientID", "Patient ID", ""),
                 ("StudyDate", "Study date", "20240101-20241231, or one day"),
                 ("ModalitiesInStudy", "Modality", "MR, CT..."),
                 ("StudyDescription", "Study description", "*brain*"))


def search_studies(config, query: dict, cancel=None) -> list[tuple[dict, list[dict]]]:
    """Studies matching ``query``, each with its series (sorted by series number)."""
    studies = find(config, "STUDY", **query)
    out = []
    for study in studies:
        if cancel is not None and cancel.cancelled:
            break
        series = find(config, "SERIES", StudyInstanceUID=study["StudyInstanceUID"])
        series.sort(key=lambda s: int(s.get("SeriesNumber") or 0) if str(
            s.get("SeriesNumber", "")).isdigit() else 0)
        out.append((study, series))
    return out


class PacsDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.setWindowTitle("Open from PACS")
        self.resize(760, 520)
        self.servers = load_servers()
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.server_box = QComboBox()
        self.server_box.addItems(sorted(self.servers))
        form.addRow("Server", self.server_box)
        self.fields: dict[str, QLineEdit] = {}
        for keyword, label, hint in SEARCH_FIELDS:
            edit = QLineEdit()
            edit.setPlaceholderText(hint)
            edit.returnPressed.connect(self.search)
            form.addRow(label, edit)
            self.fields[keyword] = edit
        layout.addLayout(form)
        self.search_button = QPushButton("Search")
        self.search_button.clicked.connect(self.search)
        layout.addWidget(self.search_button)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Patient / study / series", "Date", "Modality", "Images"])
        self.tree.setColumnWidth(0, 380)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.itemDoubleClicked.connect(lambda *_: self.open_selected())
        layout.addWidget(self.tree, 1)
        self.status = QLabel()
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.open_button = buttons.addButton("Retrieve and open", QDialogButtonBox.AcceptRole)
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_selected)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if not self.servers:
            self.search_button.setEnabled(False)
            self.status.setText("No DICOM server configured: neuroview pacs add NAME --host ... "
                                "(see the README, PACS)")

    @property
    def config(self):
        return self.servers.get(self.server_box.currentText())

    def query(self) -> dict:
        return {k: e.text().strip() for k, e in self.fields.items() if e.text().strip()}

    def search(self) -> None:
        config = self.config
        if config is None:
            return
        query = self.query()
        self.search_button.setEnabled(False)
        self.status.setText("Searching...")
        self.window.runner.start(lambda progress, cancel: search_studies(config, query, cancel),
                                 on_done=self._show, on_error=self._failed,
                                 on_cancel=lambda: self._failed("search cancelled"),
                                 label=f"Searching {config.name}")

    def _failed(self, text: str) -> None:
        self.search_button.setEnabled(bool(self.servers))
        self.status.setText(text)

    def _show(self, results) -> None:
        self.search_button.setEnabled(True)
        self.tree.clear()
        patients: dict[tuple, QTreeWidgetItem] = {}
        n_series = 0
        for study, series_list in results:
            key = (study.get("PatientID", ""), study.get("PatientName", ""))
            if key not in patients:
                name = study.get("PatientName", "").replace("^", " ").strip() or "(no name)"
                patients[key] = QTreeWidgetItem(self.tree, [f"{name}  [{key[0]}]", "", "", ""])
            study_item = QTreeWidgetItem(patients[key], [
                study.get("StudyDescription") or "(study)", study.get("StudyDate", ""),
                study.get("ModalitiesInStudy", ""), f"{len(series_list)} series"])
            for series in series_list:
                item = QTreeWidgetItem(study_item, [
                    f"{series.get('SeriesNumber', '')} {series.get('SeriesDescription', '')}".strip(),
                    series.get("SeriesDate", ""), series.get("Modality", ""),
                    series.get("NumberOfSeriesRelatedInstances", "")])
                item.setData(0, Qt.UserRole, (study["StudyInstanceUID"], series["SeriesInstanceUID"]))
                n_series += 1
        for item in patients.values():
            item.setText(3, f"{item.childCount()} stud{'y' if item.childCount() == 1 else 'ies'}")
        self.tree.expandAll()
        self.status.setText(f"{len(patients)} patient(s), {len(results)} stud(ies), {n_series} series")

    def selected_series(self) -> list[tuple[str, str]]:
        return [item.data(0, Qt.UserRole) for item in self.tree.selectedItems()
                if item.data(0, Qt.UserRole)]

    def _selection_changed(self) -> None:
        self.open_button.setEnabled(bool(self.selected_series()))

    def open_selected(self) -> None:
        chosen = self.selected_series()
        config = self.config
        if not chosen or config is None:
            return
        study_uid, series_uid = chosen[0]
        window = self.window

        def work(progress, cancel):
            return retrieve(config, study_uid, series_uid, SeriesCache(), progress=progress,
                            cancel=lambda: cancel.cancelled)

        window.runner.start(work, on_done=lambda folder: window.open_paths([folder]),
                            on_error=window.show_error, label=f"Retrieving from {config.name}")
        self.accept()


class PacsActions:
    """File > Open from PACS..."""

    def __init__(self, window) -> None:
        self.window = window
        self.dialog: PacsDialog | None = None

    def install_menus(self, file_menu, before) -> None:
        self.open_action = QAction("Open from PACS...", self.window)
        self.open_action.triggered.connect(self.open_dialog)
        file_menu.insertAction(before, self.open_action)

    def open_dialog(self) -> None:
        try:
            self.dialog = PacsDialog(self.window)
        except PacsError as exc:
            self.window.show_error(str(exc))
            return
        self.dialog.show()
