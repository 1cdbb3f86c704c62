"""Model packages and the registry's settings survive a kill or a full disk."""

from __future__ import annotations

import json
import random
import signal
import time

import pytest

from neuroview.ai.package import load_model, read_card, save_package
from neuroview.ai.registry import Registry
from neuroview.core.errors import ModelError
from tests.ai.model_cards import make_card
from tests.durability import fail_fsync_of, fork_killed


def _weights(version):
    import torch

    from neuroview.ai.networks import build_network

    card = make_card(description=f"version-{version}")
    torch.manual_seed(version)
    return card, build_network(card.architecture, card.hyperparameters).state_dict()


def _package(folder, version):
    return save_package(folder, *_weights(version))


def test_package_save_killed_anywhere_keeps_one_whole_package(tmp_path):
    registry = Registry(home=tmp_path / "home")
    folder = registry.models_dir / "tiny@1.0.0"
    _package(folder, 0)

    def save(version, point=None, delay=None):
        # the network built here, saved in a forked copy of this process that is killed (a fresh
        # process spent 85 % of its time importing torch, where most delay-kills landed)
        return fork_killed(save_package, folder, *_weights(version), point=point, delay=delay)

    start = time.monotonic()
    assert save(1) == (0, "")
    duration = time.monotonic() - start
    rng = random.Random(3)
    plan = [("package-written", None), ("package-swapped", None)]
    plan += [(None, rng.uniform(0.1, 1.0) * duration) for _ in range(3)]
    saved = 1
    for version, (point, delay) in enumerate(plan, start=2):
        code, err = save(version, point, delay)
        assert "Traceback" not in err
        if point:
            assert code == -signal.SIGKILL, point
        # The registry's listing puts back a package a kill took away mid-swap.
        assert [e.ref for e in registry.entries() if not e.bundled] == ["tiny@1.0.0"], point
        loaded = load_model(folder)  # the weights match their card's hash: one whole package
        got = int(loaded.card.description.split("-")[1])
        assert got in (saved, version), (point, delay)
        if point:
            assert got == saved  # killed before the new one was in place: the old one stays
        saved = got
        assert not (folder.parent / ".tiny@1.0.0.old").exists()
    # The next save of the package removes the temporary folders the kills left.
    assert save(99) == (0, "")
    assert load_model(folder).card.description == "version-99"
    assert not [p.name for p in folder.parent.iterdir() if p.name.startswith(".")]


def test_package_on_a_full_disk_keeps_the_old_one(tmp_path, monkeypatch):
    folder = _package(tmp_path / "tiny", 0)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    fail_fsync_of(monkeypatch, "weights")
    with pytest.raises(ModelError, match="model package not saved: the disk is full"):
        _package(folder, 1)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert read_card(folder).description == "version-0"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny"]


def test_registry_default_on_a_full_disk_is_a_clear_error(tmp_path, monkeypatch):
    registry = Registry(home=tmp_path / "home")
    _package(registry.models_dir / "tiny@1.0.0", 0)
    registry.set_default("tiny@1.0.0")
    before = registry.state_file.read_bytes()
    fail_fsync_of(monkeypatch, "models.")
    with pytest.raises(ModelError, match="model settings not saved: the disk is full"):
        registry.set_default("tiny@1.0.0", task="other")
    assert registry.state_file.read_bytes() == before
    assert "other" not in json.loads(before)["defaults"]
    # no temporary left: the lock file two windows share (since session 42) is no leftover
    assert not [p for p in registry.home.iterdir()
                if p.name.startswith(".") and p.name != ".models.json.lock"]
