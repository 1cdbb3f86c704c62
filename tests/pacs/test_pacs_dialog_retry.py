"""*Open from PACS...* as a user goes through a server lost mid-transfer: the red line says how
many images were received and kept; *Open from PACS...* again, the same series, *Retrieve and
open*: the red line goes (it stayed over the whole retry until session 48, saying the server went
away while the retry was under way), the retry starts at the images kept and the series opens.
Against the tests' Orthanc behind a proxy whose connections are cut as the third image arrives."""

from __future__ import annotations

import pytest
from orthanc_server import server_config
from pacs_window import menu_action, open_series, search_in_dialog, shown_window
from tcp_proxy import TcpProxy

from neuroview.io.pacs import store


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


def test_a_retry_after_the_server_went_away(empty_orthanc, small_series, tmp_path, monkeypatch, qtbot,
                                            window):
    import neuroview.ui.pacs_dialog as pacs_dialog

    store(server_config(empty_orthanc), [small_series.folder])
    proxy = TcpProxy(empty_orthanc.dicom_port)
    real_retrieve = pacs_dialog.retrieve
    seen = []

    def watched(*args, progress, **kwargs):   # the network drops as the third image arrives
        def told(done, total, text):
            if not text.startswith("checking"):   # the transfer's counts, not the kept images' check
                seen.append(done)
            if done == 3 and len(seen) == 3:
                proxy.cut()
            progress(done, total, text)
        return real_retrieve(*args, progress=told, **kwargs)

    monkeypatch.setattr(pacs_dialog, "retrieve", watched)
    try:
        config = server_config(empty_orthanc, name="lab", port=proxy.address, url="")
        dialog = search_in_dialog(window, qtbot, config, tmp_path / "home", monkeypatch)
        qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1, timeout=20000)
        open_series(qtbot, dialog)
        qtbot.waitUntil(lambda: bool(seen) and not window.runner.busy, timeout=30000)
        assert window.message_bar.text == (
            f"lab (NVORTHANC@127.0.0.1:{proxy.address}) went away during the transfer (3 of 12 images "
            "received); the 3 images received are kept for a retry, which fetches only the rest")
        seen.clear()
        menu_action(window, "Open from PACS...").trigger()
        open_series(qtbot, dialog)
        qtbot.waitUntil(lambda: window.runner.busy, timeout=5000)
        assert window.message_bar.text == ""   # the retry under way: the line of the failed try is gone
        qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                        timeout=30000)
    finally:
        proxy.close()
    assert window.controller.volume.shape[2] == 12
    assert seen[0] == 3 and seen[-1] == 12 and len(seen) == 10
