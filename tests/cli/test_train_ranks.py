"""``RANK`` / ``WORLD_SIZE`` / ``LOCAL_RANK`` (torchrun's) that are not whole numbers in range:
``neuroview train`` fails in one line naming the variable. ``WORLD_SIZE=two`` was an internal
error (``invalid literal for int()``), ``LOCAL_RANK=a WORLD_SIZE=2`` torch's rendezvous message."""

from __future__ import annotations

import pytest

pytest.importorskip("torch")


@pytest.mark.parametrize("environment, named", [
    ({"WORLD_SIZE": "two"}, "WORLD_SIZE='two'"),
    ({"RANK": "x"}, "RANK='x'"),
    ({"WORLD_SIZE": "2", "RANK": "0", "LOCAL_RANK": "a"}, "LOCAL_RANK='a'"),
    ({"WORLD_SIZE": "2", "RANK": "5"}, "RANK=5, WORLD_SIZE=2"),
])
def test_a_rank_that_is_not_a_number_is_one_clear_line(capsys, monkeypatch, tmp_path, environment, named):
    from neuroview.cli.main import main

    for key in ("RANK", "WORLD_SIZE", "LOCAL_RANK"):
        monkeypatch.delenv(key, raising=False)
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    code = main(["train", "--dataset", str(tmp_path), "--out", "x", "--device", "cpu"])
    err = capsys.readouterr().err
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("neuroview: error: ") and named in lines[0], err
    assert "internal error" not in err


def test_unset_or_empty_ranks_are_a_single_process(monkeypatch):
    from neuroview.cli.train import torchrun_ranks

    monkeypatch.delenv("RANK", raising=False)
    monkeypatch.setenv("WORLD_SIZE", "")
    monkeypatch.setenv("LOCAL_RANK", " 0 ")
    assert torchrun_ranks() == (0, 1, 0)
