"""The worst cases bench/editor_fuzz.py found, in the window: opening an image whose crash journal
is damaged or links elsewhere, and File > Load labels with a sidecar of the wrong type. Each is
one line in the message bar; the image stays on screen, editing works, nothing raised inside a Qt
slot (pytest-qt fails a test on such an exception), no other file is written."""

from __future__ import annotations

import json
import struct
import zlib

import numpy as np
from editor_helpers import (
    INSIDE_CASE_RAS,
    leave_a_crashed_workspace,
    open_image,
    wait_for_session,
    write_image,
)

from neuroview.app.case import workspace_for

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

HEAD = struct.Struct("<4sII")


def _edit_works(qtbot, window) -> None:
    session = wait_for_session(qtbot, window)
    segment = session.segments.add("after")
    session.apply("paint", at_ras=tuple(INSIDE_CASE_RAS), radius_mm=3.0, segment=segment)
    assert session.voxel_counts()["after"] > 0


def test_a_journal_linked_to_another_file_is_one_line_and_set_aside(qtbot, window, tmp_path):
    """Before: the journal was read through the link and appended to it, truncating the other
    file (another user's, here) at the first stroke. And the window's line saying a workspace
    was set aside was hidden as soon as shown (the image's opening cleared the bar after it)."""
    path, volume = write_image(tmp_path)
    leave_a_crashed_workspace(volume, INSIDE_CASE_RAS, radius_mm=5)
    workspace = workspace_for(volume)
    elsewhere = tmp_path / "another-users-notes.txt"
    elsewhere.write_text("not yours")
    (workspace / "journal-0.bin").unlink()
    (workspace / "journal-0.bin").symlink_to(elsewhere)
    open_image(qtbot, window, path)
    qtbot.waitUntil(lambda: window.message_bar.isVisible(), timeout=10000)
    text = window.message_bar.text
    assert "journal-0.bin is a symbolic link" in text and "the old workspace was kept aside" in text
    assert "\n" not in text and f"workspace {workspace.name}: " in text
    assert str(workspace.parent) not in text      # no absolute path (the user's home folder)
    _edit_works(qtbot, window)
    assert elsewhere.read_text() == "not yours"
    assert list(workspace.parent.glob(workspace.name + ".discarded-*"))   # kept, not deleted


def test_a_sealed_record_of_the_wrong_type_restores_what_comes_before_it(qtbot, window, tmp_path):
    """A record whose header says ``lo: [0, 0, []]`` under a valid CRC: Restore raised TypeError
    inside the notice bar's button slot and the image could not be edited; now the steps before
    it are offered and restored, and (since session 36: a whole sealed record is no torn tail)
    the question says the stroke was lost and the journal kept."""
    path, volume = write_image(tmp_path)
    leave_a_crashed_workspace(volume, INSIDE_CASE_RAS, radius_mm=5)   # segment added, one stroke
    journal = workspace_for(volume) / "journal-0.bin"
    data = journal.read_bytes()
    (length,) = struct.unpack_from("<I", data, 4)
    start = HEAD.size + length                                         # the stroke's record
    payload = data[start + HEAD.size:]
    (head_len,) = struct.unpack_from("<I", payload)
    header = json.loads(payload[4:4 + head_len])
    header["lo"] = [0, 0, []]
    head = json.dumps(header).encode()
    payload = struct.pack("<I", len(head)) + head + payload[4 + head_len:]
    magic = data[start:start + 4]
    journal.write_bytes(data[:start] + HEAD.pack(magic, len(payload), zlib.crc32(payload)) + payload)
    open_image(qtbot, window, path)
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=10000)
    assert ("(1 edit, never saved; 1 more was lost to a damaged crash journal, which is "
            "kept)" in bar.text)   # the segment added; the stroke lost
    bar.buttons["Restore"].click()
    session = wait_for_session(qtbot, window)
    assert [s.name for s in session.segments] == ["lesion"] and not session.labels.array.any()
    _edit_works(qtbot, window)


def test_a_base_cut_short_is_one_line_and_the_image_stays(qtbot, window, tmp_path):
    """Before: zipfile.BadZipFile inside the slot that opens the image's case: no editing."""
    path, volume = write_image(tmp_path)
    leave_a_crashed_workspace(volume, INSIDE_CASE_RAS, radius_mm=5)
    from neuroview.app.session import Session

    crashed = Session(volume, workspace_for(volume))
    crashed.checkpoint()
    crashed.journal.close()
    base = workspace_for(volume) / "base-1.npz"
    base.write_bytes(base.read_bytes()[:100])
    open_image(qtbot, window, path)
    qtbot.waitUntil(lambda: window.message_bar.isVisible(), timeout=10000)
    assert "base-1.npz" in window.message_bar.text and "cannot be read" in window.message_bar.text
    assert window.controller.volume is not None
    _edit_works(qtbot, window)


def test_load_labels_with_a_colour_of_300_in_its_sidecar_is_one_line(qtbot, window, tmp_path):
    """Before: the segment came in with colour (300, 0, 0) and the slice views' colour table
    raised OverflowError in every repaint."""
    from neuroview.io.nifti import save_nifti

    path, volume = write_image(tmp_path)
    labels = np.zeros(volume.shape, np.uint8)
    labels[20:28, 20:28, 20:28] = 1
    mask = tmp_path / "mask.nii.gz"
    save_nifti(labels, volume.ijk_to_ras, mask)
    (tmp_path / "mask.segments.json").write_text(json.dumps([{"value": 1, "name": "lesion",
                                                              "color": [300, 0, 0]}]))
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.edit_actions.load_labels(mask)
    qtbot.waitUntil(lambda: window.message_bar.isVisible() and not window.runner.busy, timeout=20000)
    text = window.message_bar.text
    assert "mask.segments.json" in text and "colour is [300, 0, 0], not 3 values 0-255" in text
    assert not session.labels.array.any()
    for view in window.slice_views.values():
        view.repaint()
    _edit_works(qtbot, window)
