"""The window's paths a user takes on a study full of identifying markers leave none of them
where they are not stated: the data folder (recent files, the crash journal), the training set,
saved labels and their sidecar, exported view pictures and the window's title. The DICOM SEG
keeps the patient and study (README, "Security and privacy"); it is checked against that list,
and read back by highdicom.

The whole audit of every command is ``bench/privacy_audit.py``.
"""

from __future__ import annotations

import gzip
import logging
import os
from pathlib import Path

import highdicom as hd
import nibabel as nib
import pydicom
from editor_helpers import open_image, paint_a_ball, save_and_wait
from PIL import Image
from training_dialog_steps import send_to_new
from two_series import compare_beside

from tests.marked_study import TEXT, UIDS, another_series, markers, write_marked_study

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

# What the README says a DICOM SEG keeps of its source (it joins the patient's study).
SEG_KEEPS_KEYWORDS = ("PatientName", "PatientID", "IssuerOfPatientID", "PatientBirthDate",
                      "StudyInstanceUID", "StudyDate", "StudyTime", "AccessionNumber", "StudyID",
                      "ReferringPhysicianName")


def _hits(root: Path, needles) -> list[tuple[str, str]]:
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            data = path.read_bytes()
            if name.endswith(".gz"):
                data += gzip.decompress(data)
            if name.endswith(".png"):
                with Image.open(path) as image:
                    data += repr(image.info).encode()   # text chunks
            relative = str(path.relative_to(root))
            found += [(relative, n) for n in needles if n in relative or n.encode() in data]
    return found


def test_window_paths_leave_no_marker(qtbot, window, tmp_path, capfd, caplog):
    caplog.set_level(logging.DEBUG)   # every logger, as a user debugging the window would set it
    study = write_marked_study(tmp_path / "in" / "study", burned_in="NO")  # YES: refused
    home = Path(os.environ["NEUROVIEW_HOME"])
    out = tmp_path / "out"
    out.mkdir()
    paint_a_ball(qtbot, window, study)   # a 4 mm ball of segment "lesion"
    window.export_all(out / "views.png", 256, 256)     # File > Export all views
    window.export_view(out / "axial.png", "axial")
    # the title names the series by its description (stated), and nothing else of the header
    assert [m for m in markers() if m in window.windowTitle()] == [TEXT["SeriesDescription"]]
    save_and_wait(window, out / "labels.nii.gz")
    save_and_wait(window, out / "labels-seg.dcm", seg=True)
    send_to_new(qtbot, window, out / "datasets", "Audit", annotator="reader1", timeout=60000)

    needles = markers()
    assert {n for _, n in _hits(study, needles)} >= {TEXT["PatientID"], UIDS["SeriesInstanceUID"]}
    seg = pydicom.dcmread(out / "labels-seg.dcm")
    hd.seg.Segmentation.from_dataset(seg)   # a valid SEG
    kept = {str(seg.get(k, "")) for k in SEG_KEEPS_KEYWORDS}
    kept |= {part for value in kept for part in value.split("^")}
    referenced = seg.ReferencedSeriesSequence[0].ReferencedInstanceSequence
    kept |= {str(item.ReferencedSOPInstanceUID) for item in referenced}
    kept |= {UIDS["SeriesInstanceUID"], UIDS["FrameOfReferenceUID"], UIDS["StudyInstanceUID"]}
    assert TEXT["PatientID"] in kept
    seg_data = (out / "labels-seg.dcm").read_bytes()
    seg_leaks = [n for n in needles if n.encode() in seg_data and not any(n in k for k in kept)]
    assert seg_leaks == []
    assert nib.load(out / "labels.nii.gz").get_fdata().sum() > 10
    # the data folder: its link file holds the way back (stated); nothing else holds a marker
    leaks = [(f, n) for f, n in _hits(home, needles) if not f.startswith("private-links")]
    leaks += [(f, n) for f, n in _hits(out, needles) if not f.endswith("-seg.dcm")]
    assert leaks == []
    # nor what the window printed or logged meanwhile (workers included)
    printed = "".join(capfd.readouterr()) + caplog.text
    assert [m for m in needles if m in printed] == []


def test_overlay_and_compare_of_another_series_leave_no_marker(qtbot, window, tmp_path, capfd, caplog):
    """Session 44's *Overlay series...* (kept in ``overlays.json``, laid again at the next open)
    and *Compare series side by side* of the patient's other series: the data folder keeps no
    marker (``overlays.json`` kept the series UID), the window's lines and titles only the series
    and study descriptions, dates and times that tell series apart, the logs none."""
    caplog.set_level(logging.DEBUG)
    study = write_marked_study(tmp_path / "in" / "study", burned_in="NO")
    later = another_series(write_marked_study(tmp_path / "in" / "later", variant=1, burned_in="NO"))
    home = Path(os.environ["NEUROVIEW_HOME"])
    open_image(qtbot, window, study)
    window.fusion.overlay_path(later)
    qtbot.waitUntil(lambda: window.controller.state.fusion is not None and not window.runner.busy,
                    timeout=30000)
    compare_beside(qtbot, window, later)
    said = "\n".join([window.notice_bar.text, window.windowTitle(), window.compare_window.windowTitle(),
                      window.statusBar().currentMessage()])
    assert "Overlay: " in said
    assert window.close_image()                       # the overlay kept with the image...
    open_image(qtbot, window, study)                  # ...and laid again by its digest
    qtbot.waitUntil(lambda: window.controller.state.fusion is not None and not window.runner.busy,
                    timeout=30000)
    said += "\n" + window.notice_bar.text
    assert "laid again, as this image was left" in said

    needles = markers()
    assert {m for m in needles if m in said} <= {TEXT["SeriesDescription"], TEXT["StudyDescription"],
                                                 "1917-06-11", "13:47:12", "13:47:13"}
    assert (home / "overlays.json").exists() and _hits(home, needles) == []
    printed = "".join(capfd.readouterr()) + caplog.text
    assert [m for m in needles if m in printed] == []
