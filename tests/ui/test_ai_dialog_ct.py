"""AI > Segment on a CT says before it runs that the bundled lesion model reads MR: the dialog
showed only the model and the device, and the warning came afterwards, inside the result's
notice among its other notes. Since its card's domain says MR, it refuses (with *Run anyway*);
a card that declares no modalities keeps the warning. An MR opens the dialog without it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from editor_helpers import open_image, wait_for_session, write_image
from key_presses import type_key
from PySide6.QtCore import Qt

from neuroview.ui import model_choice

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from ct_maker import write_ct  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _dialog(qtbot, window, monkeypatch):
    monkeypatch.setattr(model_choice, "_resolved", {"auto": "cpu", "cpu": "cpu", "cuda": "no",
                                                    "mps": "no"})
    window.slice_views["axial"].setFocus()
    type_key(window, Qt.Key_S, Qt.ControlModifier | Qt.ShiftModifier)
    dialog = window.ai_actions.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=10000)
    return dialog


@pytest.mark.parametrize("n_slices, why", [
    (6, "smaller than a head"),                                     # a 30 mm slab
    (20, "a CT, and the brain extraction network reads MR only")])  # 192 x 192 x 100 mm
def test_the_segment_dialog_warns_that_an_mr_model_will_mean_little_on_a_ct(qtbot, window,
                                                                             tmp_path, monkeypatch,
                                                                             n_slices, why):
    """Said once, and the card's brain extraction said to be skipped, as the result says it is:
    on a body CT the dialog said "before: brain extraction first: ..." and, under the CT warning,
    a second one (made for whole heads, not one: its result means little)."""
    written = write_ct(tmp_path / "ct", n_slices=n_slices)
    open_image(qtbot, window, written.folder)
    wait_for_session(qtbot, window)
    dialog = _dialog(qtbot, window, monkeypatch)
    card = dialog._cards[dialog.model_box.currentData()]
    assert dialog.ct_warning() == ""   # the card's domain says MR: refused, with a way on
    assert dialog.refused_label.isVisible() and not dialog.ct_label.isVisible()
    assert dialog.refused_label.text() == (
        f"{card.ref} is made for head MR; this image is a CT (the model was trained on MR only): "
        "not run on it.")
    assert dialog.anyway_button.isVisible() and not dialog.run_button.isEnabled()
    assert not dialog.domain_label.isVisible()
    no_domain = type(card)(**{**card.__dict__, "domain": {}})   # an older card: a warning
    dialog._cards[card.ref] = no_domain
    dialog._refused = lambda card: ""
    dialog._model_changed()
    assert dialog.ct_label.isVisible() and not dialog.anyway_button.isVisible()
    assert dialog.ct_label.text() == (
        f"This image is a CT; {card.ref} was made for MR ({', '.join(card.input_channels)}): "
        "its result will mean little.")
    assert dialog.steps_label.text() == (f"before: brain extraction, skipped on this image ({why}): "
                                         "the network reads the whole image")
    dialog.reject()


def test_the_segment_dialog_says_nothing_of_ct_on_an_mr(qtbot, window, tmp_path, monkeypatch):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    dialog = _dialog(qtbot, window, monkeypatch)
    assert not dialog.ct_label.isVisible() and dialog.ct_label.text() == ""
    dialog.reject()


def test_the_uncertainty_dialog_warns_on_a_ct_too(qtbot, window, tmp_path, monkeypatch):
    written = write_ct(tmp_path / "ct", n_slices=6)
    open_image(qtbot, window, written.folder)
    wait_for_session(qtbot, window)
    monkeypatch.setattr(model_choice, "_resolved", {"auto": "cpu", "cpu": "cpu", "cuda": "no",
                                                    "mps": "no"})
    uncertainty = window.ai_actions.uncertainty
    uncertainty.compute_dialog()
    dialog = uncertainty.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=10000)
    assert dialog.windowTitle() == "Uncertainty map"
    assert dialog.refused_label.isVisible() and "this image is a CT" in dialog.refused_label.text()
    # refused as in AI > Segment, with the same way on (it had none: Cancel alone)
    assert not dialog.run_button.isEnabled() and dialog.anyway_button.isVisible()
    dialog.reject()


def test_the_segment_dialog_says_a_crop_inside_the_brain_is_not_a_head(qtbot, window, monkeypatch):
    """nibabel's anatomical.nii (66 x 82 x 50 mm inside the brain): the bundled head model's
    result there means little (it marked a 0.4 mL midline 'lesion'); the dialog says so first."""
    import nibabel

    open_image(qtbot, window, Path(nibabel.__file__).parent / "tests" / "data" / "anatomical.nii")
    wait_for_session(qtbot, window)
    dialog = _dialog(qtbot, window, monkeypatch)
    card = dialog._cards[dialog.model_box.currentData()]
    assert not dialog.ct_label.isVisible() and dialog.domain_label.isVisible()
    assert dialog.domain_label.text() == (
        f"{card.ref} was made for whole heads, and this image is not one (66 x 82 x 50 mm: smaller "
        "than a head; no air round it): its result means little.")
    dialog.reject()
