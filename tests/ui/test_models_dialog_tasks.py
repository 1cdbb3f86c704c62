"""AI > Models..., the bundled lesion model and the AI click model selected together: the compare
view said "neither card names its held-out split ..." as for two versions of one model, and no
word that they do different tasks. It now says so, in the line under the table."""

from __future__ import annotations

import pytest

from neuroview.ai.registry import Registry

pytest.importorskip("torch")


def test_the_compare_view_says_a_lesion_and_an_ai_click_model_do_not_compare(qtbot, window):
    refs = {entry.card.name: entry.ref for entry in Registry().entries()}
    lesion, click = refs["lesionseg"], refs["clickseg"]
    dialog = window.model_actions.open_models_dialog(lesion, click)
    qtbot.waitExposed(dialog)
    assert sorted(dialog.selected_refs()) == sorted([lesion, click])
    a, b = (dialog.compare_table.horizontalHeaderItem(c).text() for c in (1, 2))
    words = {lesion: "segments whole images (labels lesion)",
             click: "is a promptable (AI click) model that segments one object from clicks"}
    assert dialog.compare_label.text() == (
        f"{a} (A) against {b} (B), from their cards: {a} {words[a]}, {b} {words[b]}: the two "
        "models do different tasks, so their figures do not compare.")


def test_measure_on_a_dataset_is_disabled_for_a_lesion_and_an_ai_click_model(qtbot, window):
    """Measure on a dataset... was offered for the pair; measuring ran the lesion model, then
    failed on the AI click model. It is now off, the reason in its tooltip; the tooltip goes
    with the pair."""
    refs = {entry.card.name: entry.ref for entry in Registry().entries()}
    lesion, click = refs["lesionseg"], refs["clickseg"]
    dialog = window.model_actions.open_models_dialog(lesion, click)
    qtbot.waitExposed(dialog)
    assert not dialog.measure_button.isEnabled()
    tip = dialog.measure_button.toolTip()
    assert tip.endswith("the two models do different tasks, so their figures do not compare.")
    assert "is a promptable (AI click) model" in tip and "segments whole images (labels lesion)" in tip
    dialog.table.clearSelection()
    dialog.table.selectRow(next(r for r, e in enumerate(dialog.entries) if e.ref == lesion))
    assert not dialog.measure_button.isEnabled()   # one selected: the tip asks for two, not the tasks
    assert dialog.measure_button.toolTip().startswith("Select two models (Ctrl+click)")
