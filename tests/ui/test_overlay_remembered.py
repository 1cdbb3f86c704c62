"""The overlay series an image was left with comes back when the image opens again (*File >
Close*, then open; another window or a restart after a crash), with its colours, opacity,
window/level and time point, as the image's own window/level and slices come back; its file gone:
one line says so and the image opens without it. Until session 44 an overlay was not kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pydicom
from editor_helpers import grab, open_image, write_image
from four_d_run import write_run
from two_series import write_study

from neuroview.paths import user_data_path

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _laid(qtbot, window, path, **options):
    window.fusion.overlay_path(path, **options)
    qtbot.waitUntil(lambda: window.controller.state.fusion is not None and not window.runner.busy,
                    timeout=30000)
    return window.controller.state.fusion


def _picture(window):
    view = window.slice_views["axial"]
    window.controller.changed.emit()
    view.repaint()
    return grab(view)


def test_a_4d_overlay_comes_back_as_left(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    run = write_run(tmp_path, volume)
    open_image(qtbot, window, path)
    _laid(qtbot, window, run, aligned=True)                # a NIfTI: Overlay anyway
    row = window.display_panel.fusion_row
    row.opacity_slider.setValue(80)                        # as a user sets them in the panel
    row.wl_boxes.apply(250.0, 150.0)
    row.colours_box.setCurrentIndex(row.colours_box.findData("grey"))
    row.colours_box.activated.emit(row.colours_box.currentIndex())
    row.frame_box.setValue(2)
    left = _picture(window)
    assert window.close_image()
    assert window.controller.volume is None

    open_image(qtbot, window, path)
    qtbot.waitUntil(lambda: window.controller.state.fusion is not None and not window.runner.busy,
                    timeout=30000)
    layer = window.controller.state.fusion
    assert (layer.opacity, layer.window, layer.level, layer.colours, layer.frame) == \
        (0.8, 250.0, 150.0, "grey", 1)
    assert (row.opacity_slider.value(), row.frame_box.value()) == (80, 2)   # the panel says so
    np.testing.assert_array_equal(_picture(window), left)   # the views as they were left
    assert "Overlay: run laid again, as this image was left" in window.notice_bar.text
    assert "Nothing overlaid" not in window.notice_bar.text   # Overlay anyway is not asked again
    # the file keeps no patient value: numbers, the path picked and its series' key
    kept = json.loads((user_data_path() / "overlays.json").read_text())
    assert list(kept.values())[0]["path"] == str(run)

    window.fusion.remove()                                 # removed: the image opens without it
    assert window.close_image()
    open_image(qtbot, window, path)
    assert window.controller.state.fusion is None and not window.runner.busy


def test_an_overlay_laid_comes_back_in_another_window_after_a_crash(qtbot, window, second_window,
                                                                    tmp_path, mni_volume):
    """A DICOM folder of two series, the FLAIR chosen in the chooser, made 70 % opaque: the window
    that laid it is never closed (killed); the next one that opens the T1 lays the same series,
    no chooser, at 70 %."""
    axial, oblique, other = write_study(tmp_path, mni_volume)
    both = tmp_path / "both"
    both.mkdir()
    for prefix, written in (("a_", oblique), ("b_", other)):
        for file in written.files:
            shutil.copy(file, both / f"{prefix}{file.name}")
    open_image(qtbot, window, axial.folder)
    window.fusion.overlay_path(both)
    qtbot.waitUntil(lambda: window.fusion.chooser is not None, timeout=30000)
    chooser = window.fusion.chooser
    ours = [Path(c.files[0]).name.startswith("a_") for c in chooser.listed.candidates]   # not
    chooser.list.setCurrentRow(ours.index(True))   # the FLAIR of another frame of reference
    key = chooser.chosen().key
    chooser.accept()
    qtbot.waitUntil(lambda: window.controller.state.fusion is not None and not window.runner.busy,
                    timeout=30000)
    row = window.display_panel.fusion_row
    row.opacity_slider.setValue(70)                          # kept a second after, not at a close
    memory = user_data_path() / "overlays.json"
    qtbot.waitUntil(lambda: '"opacity": 0.7' in memory.read_text(), timeout=5000)
    # the series by a digest of its key: no UID of the study in the data folder (it was kept)
    header = pydicom.dcmread(oblique.files[0])
    assert key.startswith(header.SeriesInstanceUID)   # the key is the UID
    uids = {key, *(str(header[k].value) for k in ("SeriesInstanceUID", "StudyInstanceUID",
                                                   "FrameOfReferenceUID"))}
    assert [uid for uid in uids if uid in memory.read_text()] == []

    open_image(qtbot, second_window, axial.folder)          # the restart
    qtbot.waitUntil(lambda: second_window.controller.state.fusion is not None
                    and not second_window.runner.busy, timeout=30000)
    assert second_window.fusion.chooser is None
    layer = second_window.controller.state.fusion
    assert layer.volume.description == "OBL FLAIR" and layer.opacity == 0.7
    assert window.fusion.picked[1] == key and np.array_equal(
        layer.volume.array, window.controller.state.fusion.volume.array)

    # the folder no longer holds that series (the FLAIR deleted, the other one left): one line,
    # not the other series in its place; forgotten
    for file in both.glob("a_*"):
        file.unlink()
    assert second_window.close_image()
    open_image(qtbot, second_window, axial.folder)
    qtbot.waitUntil(lambda: "no longer holds" in second_window.notice_bar.text, timeout=30000)
    assert [line for line in second_window.notice_bar.text.splitlines() if "no longer" in line] == [
        f"The overlay series this image was left with, both in …/{tmp_path.name}, no longer holds "
        "the series overlaid: the image shows without it."]
    assert second_window.controller.state.fusion is None
    assert "another frame of reference" not in second_window.notice_bar.text


def test_an_overlay_whose_file_is_gone_is_said_in_one_line(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    run = write_run(tmp_path, volume)
    open_image(qtbot, window, path)
    _laid(qtbot, window, run, aligned=True)
    assert window.close_image()
    run.unlink()
    open_image(qtbot, window, path)
    qtbot.waitUntil(lambda: "is gone" in window.notice_bar.text, timeout=10000)
    lines = [line for line in window.notice_bar.text.splitlines() if "is gone" in line]
    assert lines == [f"The overlay series this image was left with, run.nii.gz in …/{tmp_path.name},"
                     " is gone: the image shows without it."]
    assert window.controller.state.fusion is None and window.controller.volume is not None
    assert not window.runner.busy
    assert json.loads((user_data_path() / "overlays.json").read_text()) == {}   # said once
