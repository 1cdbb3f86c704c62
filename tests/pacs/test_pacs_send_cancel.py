"""Cancel on *Sending SEG to SERVER* (File > Save to PACS...: 3 s to write the SEG of a 512x512x300
CT before the send) stops it before anything reaches the server (real Orthanc: no SEG there
after), says so, and the next Send SEG sends one whole SEG. Before, the job did not look at
Cancel: the SEG was written and sent all the same."""

from __future__ import annotations

import threading

import pydicom
import pytest
from orthanc_server import server_config
from pacs_window import box_mask, menu_action, opened_from_lab, shown_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from neuroview.io.pacs import find, save_server, store
from neuroview.io.pacs import save_mask as save_mask_module


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


def _send(qtbot, window) -> None:
    menu_action(window, "Save to PACS...").trigger()
    dialog = window.pacs_actions.save_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    dialog.reader_edit.setText("Ann Smith")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)


def _segs(config, study_uid: str) -> list:
    return [s for s in find(config, "SERIES", StudyInstanceUID=study_uid) if s["Modality"] == "SEG"]


def test_cancel_before_the_seg_is_sent_leaves_nothing_on_the_server(
        empty_orthanc, small_series, tmp_path, monkeypatch, qtbot, window):
    config = opened_from_lab(window, qtbot, empty_orthanc, small_series, tmp_path / "home", monkeypatch)
    study_uid = str(pydicom.dcmread(small_series.files[0], stop_before_pixels=True).StudyInstanceUID)
    window.editor.case.apply_model_result(box_mask(window.editor.case.volume.shape), {1: "lesion"},
                                          model="wmh-unet@3")
    release, writing, real = threading.Event(), threading.Event(), save_mask_module.save_seg

    def held(*args, **kwargs):   # the SEG being written: held until the Cancel
        writing.set()
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(save_mask_module, "save_seg", held)
    _send(qtbot, window)
    qtbot.waitUntil(writing.is_set, timeout=30000)
    assert window.jobs.shown.label == "Sending SEG to lab"
    qtbot.mouseClick(window.jobs.cancel_button, Qt.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    assert window.notice_bar.text == ("Save to PACS cancelled: nothing was sent; lab holds no part "
                                      "of this SEG.")
    assert _segs(config, study_uid) == []
    monkeypatch.setattr(save_mask_module, "save_seg", real)
    _send(qtbot, window)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    assert window.notice_bar.text.startswith("Saved to lab: Ann Smith's version as DICOM SEG")
    assert "Cancel came" not in window.notice_bar.text
    assert len(_segs(config, study_uid)) == 1


def test_a_send_that_fails_says_it_was_the_seg(empty_orthanc, small_series, tmp_path, monkeypatch, qtbot,
                                               window):
    """*Send SEG* to a server that is not running: the line says that the SEG was not sent and
    the labels are kept, then why; the labels still count as unsaved. It said the reason alone
    (`no DICOM answer from lab ...`), which a reader back at the desk could not tie to the send.
    Sent again once the server runs, the red line goes (it stayed up beside 'Saved to lab')."""
    from orthanc_server import free_port

    from neuroview.io.pacs import ServerConfig

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    port = free_port()   # nothing listens there
    save_server(ServerConfig("lab", host="127.0.0.1", port=port, called_aet="PACS", timeout=5))
    window.open_paths([small_series.folder])
    qtbot.waitUntil(lambda: window.editor.case is not None and not window.runner.busy, timeout=30000)
    mask = box_mask(window.editor.case.volume.shape)
    window.editor.case.apply_model_result(mask, {1: "lesion"}, model="wmh-unet@3")
    _send(qtbot, window)
    qtbot.waitUntil(lambda: bool(window.message_bar.text) and not window.runner.busy, timeout=30000)
    assert window.message_bar.text == (
        f"Save to PACS: the SEG was not sent to lab (the labels are kept): no DICOM answer from lab "
        f"(PACS@127.0.0.1:{port}) (not reachable or nothing listening: is the server running?)")
    assert window.editor.case.modified and window.editor.case.labels.array.sum() == mask.sum()

    config = server_config(empty_orthanc, name="lab")   # the server running again
    save_server(config)
    store(config, [small_series.folder])
    _send(qtbot, window)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    assert window.notice_bar.text.startswith("Saved to lab: Ann Smith's version as DICOM SEG")
    assert window.message_bar.text == "" and not window.message_bar.isVisible()
