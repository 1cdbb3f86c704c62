"""Settings > DICOM servers...: add, edit, remove and test the configured DICOM servers; and
Settings > PACS cache...: the bound (GB) of the local cache of retrieved series.

The same store as ``neuroview pacs add`` (the list in ``pacs/servers.json``, credentials in the 0600
``pacs/credentials.json``). *Test connection* runs C-ECHO and/or a QIDO-RS search (which checks the
user name and password), for each protocol the server has, in the background and shows the answer
in one line.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from ..app.error_paths import short_error
from ..app.shown_path import full_path, short_path
from ..core.errors import NeuroviewError
from ..io.pacs import ServerConfig, echo, load_servers, remove_server, save_server
from ..io.pacs.cache import SeriesCache, cache_limit_gb, set_cache_limit_gb
from .dialog_parts import close_buttons
from .plain_text import plain_label, plain_tooltip


class CacheDialog(QDialog):
    """The cache's bound in GB, remembered; Open from PACS evicts the least recently used series
    beyond it when it next retrieves one."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.main_window = window
        self.setWindowTitle("PACS cache")
        form = QFormLayout(self)
        self.size_box = QDoubleSpinBox()
        self.size_box.setRange(0.001, 100000.0)
        self.size_box.setDecimals(3)
        self.size_box.setSuffix(" GB")
        self.size_box.setValue(cache_limit_gb())
        form.addRow("Keep at most", self.size_box)
        cache = SeriesCache(max_gb=cache_limit_gb())
        cut = len(cache.kept_folders())
        kept = f" and {cut} cut short (their images kept for a retry)" if cut else ""
        used = plain_label(f"{len(cache.series())} series{kept}, {cache.size() / 1024**3:.3f} GB now "
                      f"in {short_path(cache.root)}")   # the folder by name and place, whole on hover
        used.setToolTip(plain_tooltip(full_path(cache.root)))
        used.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.used_label = used
        form.addRow("In use", used)
        form.addRow(QLabel("Beyond it, the images kept for a retry, then the least recently used "
                           "series, are deleted when the next series is retrieved."))
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def save(self) -> None:
        try:
            set_cache_limit_gb(self.size_box.value())
        except (NeuroviewError, OSError) as exc:
            self.main_window.show_error(f"PACS cache: {exc}")
            return
        self.accept()


class ServersDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.main_window = window
        self.setWindowTitle("DICOM servers")
        outer = QHBoxLayout(self)
        self.list = QListWidget()
        self.list.currentTextChanged.connect(self._show_server)
        outer.addWidget(self.list, 1)
        right = QVBoxLayout()
        form = QFormLayout()
        self.name_edit, self.host_edit = QLineEdit(), QLineEdit()
        self.port_box = QSpinBox()
        self.port_box.setRange(1, 65535)
        self.port_box.setValue(104)
        self.aet_edit, self.calling_edit = QLineEdit("ANY-SCP"), QLineEdit("NEUROVIEW")
        self.url_edit, self.user_edit, self.password_edit = QLineEdit(), QLineEdit(), QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.Password)
        self.move_box = QSpinBox()
        self.move_box.setRange(0, 65535)
        self.move_box.setSpecialValueText("C-GET (no port)")
        for label, widget in (("Name", self.name_edit), ("Host (DIMSE)", self.host_edit),
                              ("Port", self.port_box), ("Server AE title", self.aet_edit),
                              ("Our AE title", self.calling_edit), ("C-MOVE port", self.move_box),
                              ("DICOMweb URL", self.url_edit), ("User", self.user_edit),
                              ("Password", self.password_edit)):
            form.addRow(label, widget)
        right.addLayout(form)
        buttons = QHBoxLayout()
        self.test_button = QPushButton("Test connection")
        self.save_button = QPushButton("Save")
        self.remove_button = QPushButton("Remove")
        self.test_button.clicked.connect(self.test_connection)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        for button in (self.test_button, self.save_button, self.remove_button):
            buttons.addWidget(button)
        right.addLayout(buttons)
        self.status = plain_label()
        self.status.setWordWrap(True)   # a failure's files by name and folder, whole on hover
        right.addWidget(self.status)
        right.addStretch(1)
        right.addWidget(close_buttons(self))
        outer.addLayout(right, 2)
        self._reload()

    def _say(self, text: str, whole: str = "") -> None:
        """``text`` in the status line, the files it names by name and folder (the server list's
        whole path pushed the problem out of sight), the whole text (or ``whole``) on hover."""
        shown = short_error(text)
        self.status.setText(shown)
        self.status.setToolTip(plain_tooltip(whole or (text if shown != text else "")))

    def _reload(self, select: str = "") -> None:
        try:
            self.servers = load_servers()
        except NeuroviewError as exc:   # the list unreadable: said, kept as it is on disk
            self.servers = {}
            self._say(str(exc))
        self.list.clear()
        self.list.addItems(sorted(self.servers))
        matches = self.list.findItems(select, Qt.MatchExactly) if select else []
        if matches:
            self.list.setCurrentItem(matches[0])

    def _show_server(self, name: str) -> None:
        config = self.servers.get(name)
        if config is None:
            return
        self.name_edit.setText(config.name)
        self.host_edit.setText(config.host)
        self.port_box.setValue(config.port)
        self.aet_edit.setText(config.called_aet)
        self.calling_edit.setText(config.calling_aet)
        self.move_box.setValue(config.move_port)
        self.url_edit.setText(config.url)
        self.user_edit.setText(config.username)
        self.password_edit.setText(config.password)

    def config(self) -> ServerConfig:
        name = self.name_edit.text().strip()
        if not name:
            raise NeuroviewError("give the server a name")
        if not (self.host_edit.text().strip() or self.url_edit.text().strip()):
            raise NeuroviewError("give a host (DIMSE) or a DICOMweb URL")
        return ServerConfig(name=name, host=self.host_edit.text().strip(), port=self.port_box.value(),
                            called_aet=self.aet_edit.text().strip(),
                            calling_aet=self.calling_edit.text().strip(),
                            move_port=self.move_box.value(), url=self.url_edit.text().strip(),
                            username=self.user_edit.text().strip(), password=self.password_edit.text())

    def save(self) -> None:
        try:
            config = self.config()
            kept = save_server(config)
        except NeuroviewError as exc:
            self._say(str(exc))
            return
        saved = f"saved {config.describe()}"
        where, private = kept, " (mode 0600)"
        if kept.endswith(private):   # the credentials file by name and folder, whole on hover
            where = short_path(kept[:-len(private)]) + private
        self._say(saved + (f"; password kept in {where}" if kept else ""),
                  f"{saved}; password kept in {kept}" if where != kept else "")
        self._reload(config.name)

    def remove(self) -> None:
        name = self.name_edit.text().strip()
        try:
            remove_server(name)
        except NeuroviewError as exc:
            self._say(str(exc))
            return
        self._say(f"removed {name}")
        self._reload()

    def test_connection(self) -> None:
        try:
            config = self.config()
        except NeuroviewError as exc:
            self._say(str(exc))
            return
        self._say(f"testing {config.name}...")
        self.test_button.setEnabled(False)

        def done(checked) -> None:
            self.test_button.setEnabled(True)
            self._say(f"connection ok ({' and '.join(checked)}): {config.describe()}")

        def failed(text: str) -> None:
            self.test_button.setEnabled(True)
            self._say(text)

        def cancelled() -> None:
            failed(f"test of {config.name} cancelled")

        self.main_window.runner.start(lambda progress, cancel: echo(config, cancel=lambda: cancel.cancelled),
                                      on_done=done, on_error=failed, on_cancel=cancelled,
                                      label=f"Testing {config.name}")
