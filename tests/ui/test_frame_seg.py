"""*Save labels as DICOM SEG* on a classic 4D DICOM series (a DWI or perfusion run, one slice per
file, every file in one folder) writes a SEG referencing the slices of the time point on screen,
one SEG frame per slice, that reads back as the labels. It was refused, "cannot build a DICOM SEG
from this series (Source images must all be part of the same series and must have the same image
dimensions ...)": the SEG was built on every time point's files, several at each position."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pydicom
from editor_helpers import open_image, save_and_wait, wait_for_session
from pydicom.uid import generate_uid

from neuroview.io.seg import load_seg

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from series_maker import SeriesSpec, write_series  # noqa: E402


def _dwi_run(folder: Path, mni_volume, n_times: int = 3) -> list:
    """b=0 then b=1000 volumes of one series, 8 slices each, all files in ``folder``: the SOP
    instance UIDs of each time point (in acquisition order)."""
    uid, instances = generate_uid(), []
    for t in range(n_times):
        written = write_series(folder.parent / f"t{t}", mni_volume, SeriesSpec(
            series_uid=uid, n_slices=8, rows=40, cols=36, value_scale=1.0 - 0.2 * t,
            first_instance=1 + 8 * t, seed=t, description="DWI",
            extra=(("DiffusionBValue", 0.0 if t == 0 else 1000.0),)))
        folder.mkdir(exist_ok=True)
        for file in written.files:
            shutil.copy(file, folder / f"t{t}_{file.name}")
        instances.append({str(pydicom.dcmread(f, stop_before_pixels=True).SOPInstanceUID)
                          for f in written.files})
    return instances


def _show(qtbot, window, session, frame: int) -> None:
    """Time point ``frame`` (1-based, as the Time point box) on screen."""
    window.display_panel.frame_box.setValue(frame)
    qtbot.waitUntil(lambda: session.frame == frame - 1, timeout=5000)


def _painted(qtbot, window, tmp_path, mni_volume, frame: int):
    """The DWI run open, a ball painted on its time point ``frame`` (1-based): (the SOP instance
    UIDs of each time point, the session)."""
    instances = _dwi_run(tmp_path / "dwi", mni_volume)
    open_image(qtbot, window, tmp_path / "dwi")
    session = wait_for_session(qtbot, window)
    _show(qtbot, window, session, frame)
    session.segments.add("lesion")
    session.apply("paint", at_ras=session.volume.center_ras, radius_mm=8.0, mode="3d")
    return instances, session


def _sources(seg) -> set[str]:
    """The SOP instance UIDs the frames of ``seg`` (a pydicom dataset) were derived from."""
    return {str(item.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID)
            for item in seg.PerFrameFunctionalGroupsSequence}


def test_a_seg_of_a_4d_series_refers_to_the_time_point_shown(qtbot, window, tmp_path, mni_volume):
    instances, session = _painted(qtbot, window, tmp_path, mni_volume, 2)
    assert window.controller.volume.n_frames == 3
    assert session.labels.array.sum() > 20

    path = save_and_wait(window, tmp_path / "dwi-seg.dcm", seg=True)
    assert not window.message_bar.isVisible(), window.message_bar.text
    seg = pydicom.dcmread(path)
    assert int(seg.NumberOfFrames) == 8                           # one frame per slice
    assert _sources(seg) == instances[1]                          # time point 2's slices
    read_back = load_seg(path, session.volume)
    np.testing.assert_array_equal(read_back.array > 0, session.labels.array > 0)


def test_a_seg_refers_to_the_time_point_the_labels_were_drawn_on(qtbot, window, tmp_path,
                                                                   mni_volume):
    """Drawn on time point 2, saved while 3 is shown: the SEG refers to time point 2's slices
    (it referred to the slices shown, images the labels were not drawn on)."""
    instances, session = _painted(qtbot, window, tmp_path, mni_volume, 2)
    _show(qtbot, window, session, 3)

    path = save_and_wait(window, tmp_path / "dwi-seg.dcm", seg=True)
    assert not window.message_bar.isVisible(), window.message_bar.text
    assert _sources(pydicom.dcmread(path)) == instances[1]


def test_save_to_pacs_sends_the_seg_of_the_time_point_drawn_on(qtbot, window, tmp_path, mni_volume,
                                                                monkeypatch):
    """*Save to PACS* builds its SEG on the slices of the time point the labels were drawn on
    (the server is left out: what the window hands over is the point)."""
    from neuroview.ui import pacs_save

    instances, session = _painted(qtbot, window, tmp_path, mni_volume, 3)
    _show(qtbot, window, session, 1)
    handed = []

    def save_mask_to_pacs(config, label_map, sources, reader, model="", protocol="auto", cancel=None,
                          work=None):
        handed.append({str(header.SOPInstanceUID) for header in sources})
        return "1.2.3"

    monkeypatch.setattr(pacs_save, "save_mask_to_pacs", save_mask_to_pacs)
    dialog = pacs_save.SaveToPacsDialog(window, {"pacs": SimpleNamespace(name="pacs")})
    dialog.reader_edit.setText("Smith^Ann")
    window.pacs_actions._send(window.editor.case, dialog)
    qtbot.waitUntil(lambda: "Saved to" in window.notice_bar.text or window.message_bar.isVisible(),
                    timeout=30000)
    assert not window.message_bar.isVisible(), window.message_bar.text
    assert handed == [instances[2]]
