"""Regenerate the README's screenshots of Settings > DICOM servers... and File > Open from PACS... (a
development checkout with Debian's orthanc and orthanc-dicomweb: it starts a throw-away Orthanc on
the loopback interface the way the tests do, and writes its DICOM series with the tests' series
maker).

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python packaging/pacs_screenshot.py

The server holds two made-up patients: Doe^Jane with one MR study of three series (T1, T2, FLAIR)
and Roe^Max with a CT. Writes ``docs/images/dicom-servers.png`` (after *Test connection*) and
``docs/images/open-from-pacs.png`` (``Doe Jane`` and ``MR`` typed, *Search* clicked, the T1
retrieved and opened, the dialog shown again with the T1 marked cached, another series clicked).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "io" / "dicom"))
sys.path.insert(0, str(REPO / "tests" / "pacs"))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")
os.environ.setdefault("NEUROVIEW_HOME", tempfile.mkdtemp(prefix="neuroview-screenshots-"))
os.environ["NEUROVIEW_PACS_KEYRING"] = "0"  # the made-up password never reaches a real keyring
OUT = REPO / "docs" / "images"


def make_studies(folder: Path) -> list:
    from pydicom.uid import generate_uid
    from series_maker import SeriesSpec, write_series

    from neuroview.io.nifti import load_nifti
    from neuroview.paths import demo_image

    head = load_nifti(demo_image())
    study = (("StudyInstanceUID", generate_uid()), ("StudyDescription", "MRI brain"))
    written = [write_series(folder / name, head, SeriesSpec(
        rows=64, cols=56, n_slices=24, series_number=number, description=name.replace("-", " "),
        extra=study)) for number, name in ((3, "T1-MPRAGE"), (4, "FLAIR-axial"), (5, "T2-axial"))]
    written.append(write_series(folder / "ct", head, SeriesSpec(
        rows=64, cols=56, n_slices=20, modality="CT", series_number=2, description="CT head",
        extra=(("PatientName", "Roe^Max"), ("PatientID", "NV-TEST-0002"), ("StudyDate", "20240615"),
               ("StudyDescription", "Head CT")))))
    return written


def wait(app, condition, seconds: float = 60.0) -> None:
    end = time.monotonic() + seconds
    while not condition() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def main() -> int:
    from orthanc_server import CLIENT_AET, PASSWORD, SERVER_AET, USER, OrthancServer, server_config
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from neuroview.io.pacs import store
    from neuroview.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        server = OrthancServer(Path(folder) / "orthanc")
        server.root.mkdir()
        server.start()
        try:
            store(server_config(server), [s.folder for s in make_studies(Path(folder) / "series")])
            window = MainWindow()
            window.resize(1000, 760)
            window.show()
            window.pacs_actions.open_servers_dialog()
            servers = window.pacs_actions.servers_dialog
            for edit, text in ((servers.name_edit, "hospital-pacs"), (servers.host_edit, "127.0.0.1"),
                               (servers.url_edit, server.dicomweb_url), (servers.user_edit, USER),
                               (servers.password_edit, PASSWORD), (servers.aet_edit, SERVER_AET),
                               (servers.calling_edit, CLIENT_AET)):
                edit.setText(text)
            servers.port_box.setValue(server.dicom_port)
            servers.save_button.click()
            servers.test_button.click()
            wait(app, lambda: servers.status.text().startswith("connection ok"))
            servers.resize(640, 330)
            wait(app, lambda: False, 0.3)
            servers.grab().save(str(OUT / "dicom-servers.png"))
            servers.close()
            window.pacs_actions.open_dialog()
            dialog = window.pacs_actions.dialog
            wait(app, dialog.isVisible, 5)
            # typed and clicked as a user does: the name as people write it, then Search
            QTest.keyClicks(dialog.fields["PatientName"], "Doe Jane")
            QTest.keyClicks(dialog.fields["ModalitiesInStudy"], "MR")
            QTest.mouseClick(dialog.search_button, Qt.LeftButton)
            wait(app, lambda: dialog.tree.topLevelItemCount() > 0 and not window.runner.busy)
            first = dialog.tree.topLevelItem(0).child(0).child(0)   # T1 retrieved: marked cached
            QTest.mouseClick(dialog.tree.viewport(), Qt.LeftButton,
                             pos=dialog.tree.visualItemRect(first).center())
            QTest.mouseClick(dialog.open_button, Qt.LeftButton)
            wait(app, lambda: window.controller.volume is not None and not window.runner.busy)
            window.pacs_actions.open_dialog()
            series = dialog.tree.topLevelItem(0).child(0).child(1)
            QTest.mouseClick(dialog.tree.viewport(), Qt.LeftButton,
                             pos=dialog.tree.visualItemRect(series).center())
            wait(app, lambda: False, 0.3)
            dialog.grab().save(str(OUT / "open-from-pacs.png"))
            assert dialog.open_button.isEnabled(), "no series selected"
            dialog.close()
            window.close()
        finally:
            server.stop()
    print(f"wrote {OUT / 'dicom-servers.png'} and {OUT / 'open-from-pacs.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
