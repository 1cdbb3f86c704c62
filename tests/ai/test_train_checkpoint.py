"""A training checkpoint killed between its two files: the epoch it resumes at is its weights'."""

from __future__ import annotations

import pytest

from neuroview.core import atomic

torch = pytest.importorskip("torch")

from neuroview.ai.checkpoint import load_checkpoint, save_checkpoint  # noqa: E402
from neuroview.ai.networks import build_network  # noqa: E402

HYPER = {"in_channels": 1, "out_channels": 2, "base_channels": 2, "levels": 2}


def _history(epochs: int) -> dict:
    return {"epochs": [{"epoch": e + 1} for e in range(epochs)], "best_epoch": epochs,
            "best_dice": 0.1 * epochs, "best_score": [0.1 * epochs, 0.1 * epochs], "iterations": epochs,
            "seconds": 1.0, "world_size": 1}


def test_a_kill_after_the_weights_resumes_the_epoch_of_those_weights(tmp_path, monkeypatch):
    """The weights' file is renamed into place, then state.json is written: a run killed between
    the two resumed epoch 2's weights as epoch 1 (it trained epoch 2 again on top of them) and
    took epoch 2's best weights for epoch 1's best Dice."""
    torch.manual_seed(0)
    network = build_network("unet3d", HYPER)
    optimizer = torch.optim.AdamW(network.parameters())
    folder = tmp_path / "blobs@1.0.0.checkpoint"
    best = {k: v.clone() for k, v in network.state_dict().items()}
    save_checkpoint(folder, network, optimizer, 1, _history(1), best, "split1")
    with torch.no_grad():
        for parameter in network.parameters():
            parameter.add_(1.0)                                  # epoch 2's weights
    epoch_2 = {k: v.clone() for k, v in network.state_dict().items()}

    def killed(*args, **kwargs):
        raise KeyboardInterrupt("killed before state.json")

    monkeypatch.setattr(atomic, "write_text_atomic", killed)
    with pytest.raises(KeyboardInterrupt):
        save_checkpoint(folder, network, optimizer, 2, _history(2), epoch_2, "split1")
    monkeypatch.undo()

    fresh = build_network("unet3d", HYPER)
    epoch, history, best_state = load_checkpoint(folder, fresh, torch.optim.AdamW(fresh.parameters()),
                                                 "split1")
    assert all(torch.equal(fresh.state_dict()[k], v) for k, v in epoch_2.items())
    assert epoch == 2 and history["best_epoch"] == 2 and len(history["epochs"]) == 2
    assert all(torch.equal(best_state[k], v) for k, v in epoch_2.items())
