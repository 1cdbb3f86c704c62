"""AI > Segment with a model on a series outside the chosen model's domain (its card: head MR)
says why in the dialog and offers no run: on a knee MR tagged KNEE the bundled head model ran
for 12 s and added a 554 mL "brain" and 1944 voxels of "lesion", with no word."""

from __future__ import annotations

import sys
from pathlib import Path

from editor_helpers import open_image, wait_for_session
from key_presses import type_key
from PySide6.QtCore import QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from neuroview.ui import model_choice

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from ct_maker import write_ct  # noqa: E402

KNEE = ("lesionseg@2.5.1 is made for head MR; this series is a knee MR (BodyPartExamined KNEE): "
        "not run on it.")


def _open(qtbot, window, monkeypatch, folder):
    open_image(qtbot, window, folder)
    wait_for_session(qtbot, window)
    monkeypatch.setattr(model_choice, "_resolved", {"auto": "cpu", "cpu": "cpu", "cuda": "no",
                                                    "mps": "no"})


def test_a_knee_mr_is_refused_in_the_segment_dialog(qtbot, window, tmp_path, monkeypatch):
    _open(qtbot, window, monkeypatch, write_ct(tmp_path / "knee", modality="MR",
                                               body_part="KNEE").folder)
    window.slice_views["axial"].setFocus()
    type_key(window, Qt.Key_S, Qt.ControlModifier | Qt.ShiftModifier)
    dialog = window.ai_actions.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=10000)
    assert dialog.model_box.currentData() == "lesionseg@2.5.1"
    assert dialog.refused_label.isVisible() and dialog.refused_label.text() == KNEE
    assert not dialog.ct_label.isVisible() and not dialog.domain_label.isVisible()
    assert not dialog.run_button.isEnabled()
    QTest.keyClick(dialog, Qt.Key_Return)   # Enter runs nothing
    assert dialog.isVisible() and window.ai_actions.job is None
    dialog.reject()


def test_a_head_mr_is_not_refused(qtbot, window, tmp_path, monkeypatch):
    _open(qtbot, window, monkeypatch, write_ct(tmp_path / "head", modality="MR",
                                               body_part="HEAD", n_slices=20).folder)
    window.ai_actions.segment_dialog()
    dialog = window.ai_actions.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=10000)
    assert not dialog.refused_label.isVisible() and dialog.refused_label.text() == ""
    assert dialog.run_button.isEnabled()
    dialog.reject()


def test_the_uncertainty_dialog_refuses_a_knee_too(qtbot, window, tmp_path, monkeypatch):
    _open(qtbot, window, monkeypatch, write_ct(tmp_path / "knee", modality="MR",
                                               body_part="KNEE").folder)
    uncertainty = window.ai_actions.uncertainty
    uncertainty.compute_dialog()
    dialog = uncertainty.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=10000)
    assert dialog.refused_label.text() == KNEE and not dialog.run_button.isEnabled()
    dialog.reject()


def test_the_models_dialog_says_what_a_model_is_for():
    from neuroview.ai.package import read_card
    from neuroview.ui.model_compare import one_model_text

    card = read_card(Path(__file__).resolve().parents[2] / "resources" / "models" / "lesionseg")
    assert one_model_text(card.ref, card).splitlines()[1] == (
        "  for head MR (BodyPartExamined HEAD, BRAIN): a series of another body part is refused")


def test_a_ct_model_by_its_domain_gets_no_ct_warning(qtbot, monkeypatch):
    """A model whose channel is named 'image' but whose card's domain says CT reads CT: the dialog
    warned 'made for MR (image)' on a CT, which the run itself (ai.domain.reads_ct) did not say."""
    import dataclasses
    from types import SimpleNamespace

    from neuroview.ai.package import read_card

    monkeypatch.setattr(model_choice, "_resolved", {"auto": "cpu", "cpu": "cpu", "cuda": "no",
                                                    "mps": "no"})
    card = read_card(Path(__file__).resolve().parents[2] / "resources" / "models" / "lesionseg")
    ct_model = dataclasses.replace(card, name="ctseg", input_channels=["image"], preprocessing=[],
                                   domain={"modalities": ["CT"]})
    mr_model = dataclasses.replace(ct_model, name="mrseg", domain={"modalities": ["MR"]})
    entries = [SimpleNamespace(ref=c.ref, card=c) for c in (ct_model, mr_model)]
    parent = QWidget()   # a runner: the devices known above, not probed here (torch's import)
    parent.runner = QObject()
    qtbot.addWidget(parent)
    dialog = model_choice.SegmentDialog(entries, ct_model.ref, parent, image_is_ct=True)
    assert dialog.ct_warning() == ""
    dialog.model_box.setCurrentIndex(1)
    assert dialog.ct_warning() == ("This image is a CT; mrseg@2.5.1 was made for MR (image): its "
                                   "result will mean little.")
