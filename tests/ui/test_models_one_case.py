"""AI > Models...: a model found better than the default on a single held-out case is not promoted
without a question (one case is too little evidence); the question says why, and only Yes
promotes it."""

from __future__ import annotations

import pytest
from models_dialog_cases import Answers
from train_data import install

from neuroview.ai.registry import Registry

pytest.importorskip("torch")


def test_better_on_one_held_out_case_asks_before_promoting(qtbot, window, tmp_path, monkeypatch):
    answers = Answers(monkeypatch)
    registry = Registry()
    install(tmp_path, "blobs", "1.0.0", 0.70, cases=1)
    install(tmp_path, "blobs", "1.1.0", 0.90, cases=1, parent="blobs@1.0.0")
    registry.promote("blobs@1.0.0", force=True)
    window.model_actions.models_action.trigger()
    dialog = window.model_actions.models_dialog
    qtbot.waitExposed(dialog)
    dialog.select_refs("blobs@1.1.0")
    answers.replies = [False]
    dialog.promote_button.click()
    assert len(answers.asked) == 1
    assert "measured on 1 held-out case: too little evidence that it is better" in answers.asked[0]
    assert "not promoted" not in answers.asked[0]   # the question asks whether to promote it
    refused = dialog.status_label.text()
    assert registry.default_ref() == "blobs@1.0.0" and refused.startswith("Not promoted: ")
    # the window's words, not the command line's hint (it said "... or use --force ...")
    assert "--force" not in refused and "--dataset" not in refused and "; not promoted" not in refused
    answers.replies = [True]
    dialog.promote_button.click()
    assert registry.default_ref() == "blobs@1.1.0"
    promoted = dialog.status_label.text()
    # it read "blobs@1.1.0 promoted although: ... too little evidence that it is better; not
    # promoted (was blobs@1.0.0)": promoted and not promoted in one line
    # and "X promoted although cannot tell whether ... (was Y)", the reason's words after
    # "although" unreadable, the previous default after the reason
    assert promoted.startswith("blobs@1.1.0 is the default for lesion (was blobs@1.0.0), promoted "
                               "anyway: blobs@1.1.0's held-out Dice")
    assert "not promoted" not in promoted and "although" not in promoted
