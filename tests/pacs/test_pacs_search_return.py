"""File > Open from PACS...: after a click on Search, Return searches again, as it does after a
typed search; it opened the *Make worklist...* dialog (Search, disabled while it ran, had handed
its focus on to that button)."""

from __future__ import annotations

from orthanc_server import free_port
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from neuroview.io.pacs import ServerConfig, save_server


def test_return_after_clicking_search_searches_again(tmp_path, monkeypatch, qtbot):
    import neuroview.ui.pacs_dialog as pacs_dialog
    from neuroview.ui.main_window import MainWindow

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    save_server(ServerConfig(name="lab", host="127.0.0.1", port=free_port(), called_aet="PACS",
                             calling_aet="NEUROVIEW"))   # nothing listens there
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.pacs_actions.open_dialog()
    dialog = window.pacs_actions.dialog
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    searched = []
    real = pacs_dialog.search_studies
    monkeypatch.setattr(pacs_dialog, "search_studies",
                        lambda *args: searched.append(1) or real(*args))
    qtbot.mouseClick(dialog.search_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("no DICOM answer from lab"), timeout=30000)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    assert searched == [1]
    dialog.status.clear()
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key_Return)

    def worklist_shown():
        return getattr(dialog, "worklist_dialog", None) is not None and dialog.worklist_dialog.isVisible()

    qtbot.waitUntil(lambda: worklist_shown() or dialog.status.text().startswith("no DICOM answer"),
                    timeout=30000)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    assert not worklist_shown()   # it opened
    assert searched == [1, 1]     # it was [1]
