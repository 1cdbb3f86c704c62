"""What the window tests of *Open from PACS...* and *Save to PACS...* share: the main window, shown,
its File menu, a series opened from the server, a SEG sent and read back, and a reader's SEG on
the server."""

from __future__ import annotations

from tests.jobs_stopped import stop_jobs


def shown_window(qtbot, size=(1000, 760)):
    """The main window, shown at ``size`` (a generator for a fixture: waits for its jobs after the
    test)."""
    from neuroview.ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(*size)
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


def connection_test_cancelled(qtbot, window, name: str, config, asked, home, monkeypatch,
                              within: float):
    """*Settings > DICOM servers...*: a server ``name`` typed in (``config``'s DICOMweb URL, or
    its host and port), *Test connection* clicked, and once the server holds it (``asked()``
    true) the status bar's Cancel: the dialog, the test ended within ``within`` seconds."""
    from PySide6.QtCore import Qt

    monkeypatch.setenv("NEUROVIEW_HOME", str(home))
    window.pacs_actions.open_servers_dialog()
    dialog = window.pacs_actions.servers_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    qtbot.keyClicks(dialog.name_edit, name)
    if config.url:
        qtbot.keyClicks(dialog.url_edit, config.url)
    else:
        qtbot.keyClicks(dialog.host_edit, config.host)
        dialog.port_box.setValue(config.port)
    qtbot.mouseClick(dialog.test_button, Qt.LeftButton)
    qtbot.waitUntil(asked, timeout=10000)
    cancel_ends_at_once(qtbot, window, within)
    return dialog


def cancel_ends_at_once(qtbot, window, within: float) -> None:
    """The status bar's Cancel clicked: the job under way ends within ``within`` seconds."""
    import time

    from PySide6.QtCore import Qt

    started = time.monotonic()
    qtbot.mouseClick(window.jobs.cancel_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=int((within + 5) * 1000))
    assert time.monotonic() - started < within


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


def opened_from_lab(window, qtbot, orthanc, series, home, monkeypatch):
    """A server ``lab`` saved for the user (under ``home``) and holding ``series``; the series
    opened in ``window`` (waited for): the server's config."""
    from orthanc_server import server_config

    from neuroview.io.pacs import save_server, store

    monkeypatch.setenv("NEUROVIEW_HOME", str(home))
    config = server_config(orthanc, name="lab")
    save_server(config)
    store(config, [series.folder])
    window.open_paths([series.folder])
    qtbot.waitUntil(lambda: window.editor.case is not None and not window.runner.busy, timeout=30000)
    return config


def box_mask(shape):
    """A box of 7 x 9 x 7 voxels (value 1) in a mask of ``shape`` (the small series')."""
    import numpy as np

    mask = np.zeros(shape[:3], np.uint8)
    mask[4:11, 5:14, 2:9] = 1
    return mask


def save_to_pacs_as(qtbot, window, typed: str) -> None:
    """File > Save to PACS..., the reader typed as ``typed``, Send SEG; waits for the send."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    menu_action(window, "Save to PACS...").trigger()
    dialog = window.pacs_actions.save_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    dialog.reader_edit.clear()
    qtbot.keyClicks(dialog.reader_edit, typed)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)


def sent_seg(config, series, cache):
    """The one SEG of ``series``' study on the server, retrieved into ``cache`` (a folder):
    ``(its series description, its file)``."""
    import pydicom

    from neuroview.io.pacs import SeriesCache, find, retrieve

    study_uid = str(pydicom.dcmread(series.files[0], stop_before_pixels=True).StudyInstanceUID)
    (seg,) = [s for s in find(config, "SERIES", StudyInstanceUID=study_uid) if s["Modality"] == "SEG"]
    folder = retrieve(config, study_uid, seg["SeriesInstanceUID"], SeriesCache(cache))
    (seg_file,) = folder.glob("*.dcm")
    return seg["SeriesDescription"], seg_file


def pick_series(qtbot, description: str = "") -> None:
    """In the PACS browser (the dialog shown modal): *Search* clicked, the series whose row names
    ``description`` (the first, with none) clicked, then *Choose*."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    browser = QApplication.activeModalWidget()
    tree = browser.tree
    qtbot.mouseClick(browser.search_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 1, timeout=30000)
    patient = tree.topLevelItem(0)
    rows = [patient.child(s).child(n) for s in range(patient.childCount())
            for n in range(patient.child(s).childCount())]
    row = next(r for r in rows if description in r.text(0))
    qtbot.mouseClick(tree.viewport(), Qt.LeftButton, pos=tree.visualItemRect(row).center())
    qtbot.mouseClick(browser.open_button, Qt.LeftButton)


def open_series(qtbot, dialog, patient: int = 0) -> None:
    """In *Open from PACS...* (searched): the first series of ``patient``'s first study clicked,
    then *Retrieve and open*."""
    from PySide6.QtCore import Qt

    tree = dialog.tree
    item = tree.topLevelItem(patient).child(0).child(0)
    qtbot.mouseClick(tree.viewport(), Qt.LeftButton, pos=tree.visualItemRect(item).center())
    qtbot.mouseClick(dialog.open_button, Qt.LeftButton)


def slowed_retrieval(monkeypatch, seconds: float) -> list[int]:
    """The window's retrievals the real one over a slow link: ``seconds`` more at each image
    received. Returns the counts of images received, as they are told."""
    import time

    import neuroview.ui.pacs_dialog as pacs_dialog

    real_retrieve, seen = pacs_dialog.retrieve, []

    def slow_link(*args, progress, cancel, **kwargs):
        def slow(done, total, text):
            seen.append(done)
            time.sleep(seconds)
            progress(done, total, text)
        return real_retrieve(*args, progress=slow, cancel=cancel, **kwargs)

    monkeypatch.setattr(pacs_dialog, "retrieve", slow_link)
    return seen
