"""What the window tests of *Open from PACS...* share: the main window, shown, its File menu, and a
reader's SEG on the server."""

from __future__ import annotations

from tests.jobs_stopped import stop_jobs


def shown_window(qtbot):
    """The main window, shown (a generator for a fixture: waits for its jobs after the test)."""
    from neuroview.ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1000, 760)
    win.show()
    qtbot.waitExposed(win)
    yield win
    stop_jobs(win.runner)


def search_in_dialog(window, qtbot, config, home, monkeypatch):
    """*File > Open from PACS...* with ``config`` the user's one server (saved under ``home``),
    *Search* clicked: the dialog."""
    from PySide6.QtCore import Qt

    from neuroview.io.pacs import save_server

    monkeypatch.setenv("NEUROVIEW_HOME", str(home))
    save_server(config)
    window.pacs_actions.open_dialog()
    dialog = window.pacs_actions.dialog
    qtbot.mouseClick(dialog.search_button, Qt.LeftButton)
    return dialog


def menu_action(window, text):
    """An action of the File menu, found by its text as a user finds it."""
    return next(a for a in window.file_menu.actions() if a.text().replace("&", "") == text)


def reader_seg_on_server(orthanc, series, tmp_path, monkeypatch, name="lab"):
    """A server ``name`` saved for the user, holding ``series`` and a reader's (Smith^Ann) SEG of
    a box over it sent by *Save to PACS*: ``(config, volume, mask)``, the server's config, the
    series as loaded and the box."""
    import numpy as np
    from orthanc_server import server_config

    from neuroview.core.labels import LabelMap
    from neuroview.io import load
    from neuroview.io.pacs import save_server, store
    from neuroview.io.pacs.save_mask import save_mask_to_pacs

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    config = server_config(orthanc, name=name)
    save_server(config)
    store(config, [series.folder])
    volume = load(series.folder)
    mask = np.zeros(volume.shape, np.uint8)
    mask[4:9, 5:10, 2:6] = 1
    labels = LabelMap(mask, volume.ijk_to_ras)
    labels.segments.add("lesion", value=1)
    save_mask_to_pacs(config, labels, series.folder, reader="Smith^Ann")
    return config, volume, mask
