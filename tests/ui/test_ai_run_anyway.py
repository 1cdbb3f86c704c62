"""AI > Segment on an image the model's card refuses has a way on: scanners tag heads wrongly
(BodyPartExamined CSPINE on a head and neck), and the dialog's refusal offered only Cancel. Its
*Run anyway* runs the model, the notice says so, and each of the model's segments keeps the
refusal it overrode (``outside_domain``, written to the labels' ``.segments.json``). A run the
image refuses only once its brain extraction has looked (an untagged knee) is answered with the
same choice on the notice bar (a stand-in for the model there: the bundled one found nothing on
these small phantoms, and a brain extraction costs seconds)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from editor_helpers import open_image, wait_for_session, write_image
from PySide6.QtCore import Qt

from neuroview.ui import model_choice

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from ct_maker import write_ct  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window
WHY = ("lesionseg@2.5.1 is made for head MR; this series is a cervical spine MR (BodyPartExamined "
       "CSPINE)")


def test_run_anyway_in_the_dialog_runs_and_records_it(qtbot, window, tmp_path, monkeypatch):
    open_image(qtbot, window, write_ct(tmp_path / "head", modality="MR", body_part="CSPINE",
                                       n_slices=6).folder)
    wait_for_session(qtbot, window)
    monkeypatch.setattr(model_choice, "_resolved", {"auto": "cpu", "cpu": "cpu", "cuda": "no",
                                                    "mps": "no"})
    window.ai_actions.segment_dialog()
    dialog = window.ai_actions.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=10000)
    assert dialog.refused_label.text() == WHY + ": not run on it."
    assert not dialog.run_button.isEnabled() and dialog.anyway_button.isVisible()
    qtbot.mouseClick(dialog.anyway_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "lesionseg@2.5.1 on " in window.notice_bar.text, timeout=60000)
    # the bundled model finds nothing on this phantom: the notice says it was run anyway and why
    # it had no brain extraction in a few words (it gave the refusal whole and "was made for whole
    # heads" after it, 62 words; then the field of view's figures, 38), the refusal and the field
    # of view whole when the pointer rests on it
    assert window.notice_bar.text == (
        "lesionseg@2.5.1 on cpu found no lesion (no brain extraction: not a whole head; run anyway "
        "on an image it refuses: its result means little): nothing was added.")
    assert window.notice_bar.label.toolTip().split("\n") == [
        WHY, "brain extraction skipped: the field of view (192 x 192 x 30 mm) is smaller than a head"]


def test_a_refusal_after_brain_extraction_offers_run_anyway(qtbot, window, tmp_path, monkeypatch):
    from neuroview.ai import segment as segmenting
    from neuroview.ai.api import LabelInfo, SegmentationResult
    from neuroview.core.errors import OutsideDomainError

    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    line = "fake@1 is made for head MR; this image does not look like a head (its brain ...)"
    asked = []

    def stand_in(volume, model="", device="auto", progress=None, cancel=None,
                 allow_domain_mismatch=False):
        asked.append(allow_domain_mismatch)
        if not allow_domain_mismatch:
            raise OutsideDomainError(line + ": not run on it", path=volume.source_path)
        labels = np.zeros(volume.shape[:3], np.uint8)
        labels[2:5, 2:5, 2:5] = 1
        return SegmentationResult(labels, volume.ijk_to_ras, [LabelInfo(1, "lesion", (250, 0, 0))],
                                  "fake@1", "cpu", notes=[f"run anyway: {line}"], outside_domain=line)

    monkeypatch.setattr(segmenting, "preload", lambda *a, **k: None)
    monkeypatch.setattr(segmenting, "segment", stand_in)
    window.ai_actions.segment("", "cpu")   # the stand-in answers for the default model
    qtbot.waitUntil(lambda: "Run anyway" in window.notice_bar.buttons, timeout=30000)
    assert window.notice_bar.text == f"{path}: {line}: not run on it."
    window.notice_bar.buttons["Run anyway"].click()
    qtbot.waitUntil(lambda: "fake@1 on cpu" in window.notice_bar.text, timeout=30000)
    assert asked == [False, True]
    assert session.segments["lesion"].outside_domain == line
    from neuroview.app.label_files import save_label_files

    save_label_files(session.labels, session.labels.ijk_to_ras, tmp_path / "labels.nii.gz")
    [lesion] = json.loads((tmp_path / "labels.segments.json").read_text())
    assert (lesion["model"], lesion["outside_domain"]) == ("fake@1", line)



def test_uncertainty_offers_run_anyway_and_its_map_says_so(qtbot, window, tmp_path, monkeypatch):
    """AI > Compute uncertainty on the same head tagged CSPINE: its dialog refused with Cancel alone
    (the map could not be had at all). Now *Run anyway* computes it (one flip here: the dialog's
    choice and the map are what is checked) and the notice and the pointer's readout say so."""
    from neuroview.app import uncertainty

    open_image(qtbot, window, write_ct(tmp_path / "head", modality="MR", body_part="CSPINE",
                                       n_slices=6).folder)
    wait_for_session(qtbot, window)
    monkeypatch.setattr(model_choice, "_resolved", {"auto": "cpu", "cpu": "cpu", "cuda": "no",
                                                    "mps": "no"})
    real, asked = uncertainty.compute_uncertainty, []

    def one_flip(volume, model="", flips=(), device="auto", progress=None, cancel=None,
                 allow_domain_mismatch=False):
        asked.append(allow_domain_mismatch)
        return real(volume, model, [()], device, progress, cancel, allow_domain_mismatch)

    monkeypatch.setattr(uncertainty, "compute_uncertainty", one_flip)
    actions = window.ai_actions.uncertainty
    actions.compute_dialog()
    dialog = actions.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=10000)
    assert dialog.refused_label.text() == WHY + ": not run on it."
    assert not dialog.run_button.isEnabled() and dialog.anyway_button.isVisible()
    qtbot.mouseClick(dialog.anyway_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.notice_bar.text.startswith("Showing the uncertainty"),
                    timeout=60000)
    assert asked == [True]
    assert "(run anyway on an image it refuses: its result means little)" in window.notice_bar.text
    assert window.notice_bar.label.toolTip() == WHY
    heat = window.controller.state.heat
    assert heat.outside_domain == WHY and heat.array.shape == window.controller.volume.shape
    volume = window.controller.volume
    centre = volume.ijk_to_ras @ [*(n // 2 for n in volume.shape[:3]), 1]
    assert window.controller.readout(centre[:3]).endswith("bits (run anyway)")


def test_an_uncertainty_refused_after_brain_extraction_offers_run_anyway(qtbot, window, tmp_path,
                                                                         monkeypatch):
    """An untagged knee is refused once its brain extraction has looked: the error bar alone
    said so for the uncertainty map; now the notice bar offers *Run anyway*, as for Segment."""
    from neuroview.app import uncertainty
    from neuroview.app.uncertainty import UncertaintyMap
    from neuroview.core.errors import OutsideDomainError

    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    line = "fake@1 is made for head MR; this image does not look like a head (its brain ...)"
    asked = []

    def stand_in(volume, model="", device="auto", progress=None, cancel=None,
                 allow_domain_mismatch=False):
        asked.append(allow_domain_mismatch)
        if not allow_domain_mismatch:
            raise OutsideDomainError(line + ": not run on it", path=volume.source_path)
        return UncertaintyMap(np.full(volume.shape[:3], 0.7, np.float32), volume.ijk_to_ras,
                              "fake@1", [()], notes=["run anyway on an image it refuses: its "
                                                     "result means little"], outside_domain=line)

    monkeypatch.setattr(uncertainty, "compute_uncertainty", stand_in)
    window.ai_actions.uncertainty.compute("", "cpu")
    qtbot.waitUntil(lambda: "Run anyway" in window.notice_bar.buttons, timeout=30000)
    assert window.notice_bar.text == f"{path}: {line}: not run on it."
    window.notice_bar.buttons["Run anyway"].click()
    qtbot.waitUntil(lambda: window.notice_bar.text.startswith("Showing the uncertainty of fake@1"),
                    timeout=30000)
    assert asked == [False, True] and window.controller.state.heat.outside_domain == line
