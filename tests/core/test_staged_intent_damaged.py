"""The intent file a killed ``followup`` run leaves in its output folder
(``.neuroview-moving.json``) damaged as JSON nested 100,000 deep: the next run drops it and goes
on. It was read with ``json.loads`` of the whole file: RecursionError, an internal error of every
later run into that folder (found reading what neuroview reads, session 51)."""

from __future__ import annotations

from neuroview.core.staged import INTENT, finish_moves


def test_an_intent_nested_deep_is_dropped(tmp_path):
    (tmp_path / "report.txt").write_text("kept")
    (tmp_path / INTENT).write_text("[" * 100_000 + "]" * 100_000)
    assert finish_moves(tmp_path) is True
    assert not (tmp_path / INTENT).exists() and (tmp_path / "report.txt").read_text() == "kept"
