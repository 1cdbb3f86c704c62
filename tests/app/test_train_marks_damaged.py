"""A training run's mark (``.training-REF.json`` in the models folder) or its checkpoint's
``state.json`` damaged: the window still opens, the mark is dropped as an unreadable one is, and
the checkpoint counts as none. The window reads them as it opens (``cut_short_runs``, *Train*'s
Resume): JSON nested 100,000 deep raised RecursionError and an epoch of 1e999 OverflowError, so
the window did not open (found reading what the app reads at start, session 51)."""

from __future__ import annotations

import json

import pytest

from neuroview.app.train_marker import checkpoint_epoch, checkpoint_plan, cut_short_runs, trained_epoch

NESTED = "[" * 100_000 + "]" * 100_000
MARK = '{"ref": "lesions@1.0.0", "started": "2026-12-07T10:00:00", "epochs": 3}'


@pytest.mark.parametrize("mark", [NESTED, MARK.replace(": 3", ": 1e999")])
def test_a_damaged_mark_is_dropped(tmp_path, mark):
    path = tmp_path / ".training-lesions@1.0.0.json"
    path.write_text(mark)
    assert cut_short_runs(tmp_path) == []
    assert not path.exists()


@pytest.mark.parametrize("state", [NESTED, '{"epoch": 1e999, "history": {"plan": {"epochs": 1e999, '
                                   '"iterations": 5}, "trained_best": {"epoch": 1e999}, "best_epoch": 0}}'])
def test_a_damaged_checkpoint_counts_as_none(tmp_path, state):
    (tmp_path / ".training-lesions@1.0.0.json").write_text(MARK)
    folder = tmp_path / "lesions@1.0.0.checkpoint"
    folder.mkdir()
    (folder / "state.json").write_text(state)
    assert checkpoint_epoch(tmp_path, "lesions@1.0.0") == 0
    assert checkpoint_plan(tmp_path, "lesions@1.0.0") is None and trained_epoch(folder) == 0
    [(ref, line)] = cut_short_runs(tmp_path)
    assert ref == "lesions@1.0.0" and "before its first epoch ended" in line


@pytest.mark.parametrize("ref", ["x" * 100_000, "../../lesions@1.0.0", "other@2.0.0", "lesions@1.0.0\nx"])
def test_a_mark_naming_another_run_is_dropped(tmp_path, ref):
    """A ref of 100,000 characters raised OSError (file name too long) as the window opened
    (``bench/mutate_readers.py --only train_marks``, seed 55, case 29); one with a line break made
    the notice two lines."""
    path = tmp_path / ".training-lesions@1.0.0.json"
    path.write_text(MARK.replace('"lesions@1.0.0"', json.dumps(ref)))
    assert cut_short_runs(tmp_path) == []
    assert not path.exists()
