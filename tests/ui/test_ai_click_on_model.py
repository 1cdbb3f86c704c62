"""An AI click object accepted on a model's segment: the segment editor's From column reads
``name@version + AI click`` (the prompts on hover) and Ctrl+Z of the accept gives back the model
alone, and *Send to training set* says the proposal was refined with AI click (until session 27
both said the model alone, as of a mask nobody touched)."""

from __future__ import annotations

import numpy as np
from ai_click_cases import _setup, accepted_then_undone

from neuroview.dataset.layout import init_dataset
from neuroview.ui.actions_training import sent_notes
from tests.app.refined_prompts import refined  # noqa: F401


def test_ai_click_on_a_models_segment_reads_model_and_ai_click_and_undoes(qtbot, window, tmp_path):
    session, first, second = _setup(qtbot, window, tmp_path)
    proposal = np.zeros(session.labels.shape, np.uint8)
    proposal[second] = 1                                      # the model found the other blob
    session.apply_model_result(proposal, {1: "lesion"}, "lesionnet@1.0")
    session.active_segment = session.segments["lesion"].value
    table = window.edit_actions.panel.table
    qtbot.waitUntil(lambda: table.rowCount() == 1 and table.item(0, 4).text() == "lesionnet@1.0")
    accepted, undone, undone_source = accepted_then_undone(qtbot, window, session, first)
    assert accepted == ("lesionnet@1.0 + AI click", "lesionnet@1.0 + AI click, 1 prompt")
    assert np.array_equal(undone, second)
    assert undone_source == "lesionnet@1.0"


def test_the_status_bar_says_the_proposal_was_refined_with_ai_click(refined,  # noqa: F811
                                                                    tmp_path, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    case, _array = refined
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"], channels=["CT"])
    record = case.send_to_training_set(folder, annotator="a")
    dice = record.segments[0].dice
    assert sent_notes(record)[0] == f"model: lesion Dice {dice:.3f} + AI click"
