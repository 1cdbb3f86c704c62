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
