"""A training checkpoint whose record of its epochs is damaged (``bench/mutate_readers.py``'s
reader ``checkpoint``): nested 100,000 deep, an epoch of 1e999, a history of the wrong type, in
the weights' metadata or in an older checkpoint's ``state.json``. ``--resume`` (and the
window's Resume) stops in one line naming the checkpoint and how to start afresh; before, the
record was read with ``json.loads`` of the whole text: RecursionError, OverflowError or
AttributeError out of the training run (an internal error)."""

from __future__ import annotations

import json

import pytest

torch = pytest.importorskip("torch")

from neuroview.ai.checkpoint import load_checkpoint, save_checkpoint, saved_plan  # noqa: E402
from neuroview.ai.networks import build_network  # noqa: E402
from neuroview.core.errors import ModelError  # noqa: E402

HYPER = {"in_channels": 1, "out_channels": 2, "base_channels": 2, "levels": 2}
NESTED = "[" * 100_000 + "]" * 100_000
HISTORY = {"epochs": [{"epoch": 1}], "best_epoch": 1, "best_dice": 0.1, "best_score": [0.1, 0.1],
           "iterations": 1, "seconds": 1.0, "world_size": 1, "plan": {"patch": [16, 16, 16]}}


@pytest.fixture(scope="module")
def network():
    torch.manual_seed(0)
    return build_network("unet3d", HYPER)


def _saved(tmp_path, network):
    folder = tmp_path / "mine@1.0.0.checkpoint"
    optimizer = torch.optim.AdamW(network.parameters())
    save_checkpoint(folder, network, optimizer, 1, HISTORY, network.state_dict(), "split1")
    return folder


def _rewrite(folder, text: str, older: bool) -> None:
    """The record ``text`` in the weights' metadata, or (``older``) in state.json beside weights
    without one (checkpoints written before the metadata carried it)."""
    from safetensors.torch import load_file, save_file

    weights = folder / "state.safetensors"
    tensors = load_file(str(weights))
    save_file(tensors, str(weights), metadata=None if older else {"neuroview": text})
    (folder / "state.json").write_text(text)


RECORDS = {
    "nested": NESTED,
    "nested-history": '{"epoch": 1, "history": ' + NESTED + "}",
    "epoch-1e999": json.dumps({"epoch": 1, "history": HISTORY}).replace('"epoch": 1,', '"epoch": 1e999,'),
    "history-list": json.dumps({"epoch": 1, "history": [1, 2]}),
    "epoch-text": json.dumps({"epoch": "1", "history": HISTORY}),
    "a-list": "[1, 2]",
    "cut": json.dumps({"epoch": 1, "history": HISTORY})[:40],
}


@pytest.mark.parametrize("older", [False, True], ids=["metadata", "state.json"])
@pytest.mark.parametrize("record", list(RECORDS))
def test_a_damaged_checkpoint_record_is_one_line_naming_it(tmp_path, network, record, older):
    folder = _saved(tmp_path, network)
    _rewrite(folder, RECORDS[record], older)
    fresh = build_network("unet3d", HYPER)
    before = {k: v.clone() for k, v in fresh.state_dict().items()}
    with pytest.raises(ModelError) as error:
        load_checkpoint(folder, fresh, torch.optim.AdamW(fresh.parameters()), "split1")
    said = str(error.value)
    assert said.startswith(f"{folder}: the checkpoint") and "\n" not in said and len(said) < 400, said
    assert said.endswith("train again without --resume (or Resume unticked)"), said
    assert all(torch.equal(fresh.state_dict()[k], v) for k, v in before.items())   # nothing loaded
    assert saved_plan(tmp_path / "mine@1.0.0") == {}   # the plan of a new run: none kept


def test_an_intact_checkpoint_still_resumes_and_keeps_its_plan(tmp_path, network):
    folder = _saved(tmp_path, network)
    fresh = build_network("unet3d", HYPER)
    epoch, history, _best = load_checkpoint(folder, fresh, torch.optim.AdamW(fresh.parameters()), "split1")
    assert epoch == 1 and history["best_dice"] == 0.1
    assert saved_plan(tmp_path / "mine@1.0.0") == {"patch": [16, 16, 16]}
