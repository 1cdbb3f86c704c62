"""``models rollback`` says what it did: with no earlier default it printed the default as if it
had just been restored (``default for lesion: lesionseg@2.5.1``), exit 0, nothing changed; now it
says there was nothing to roll back, and a real rollback names the default it replaced."""

from __future__ import annotations

import contextlib
import io

from neuroview.ai.registry import Registry
from neuroview.cli.main import main


def _run(*args) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(list(args)) == 0
    return out.getvalue().strip()


def test_rollback_says_when_there_is_nothing_to_roll_back():
    bundled = Registry().default_ref()
    assert _run("models", "rollback") == (f"default for lesion: {bundled} "
                                          "(nothing to roll back: no earlier default)")
    assert Registry().default_ref() == bundled


def test_rollback_names_the_default_it_replaced(tmp_path):
    from neuroview.ai.networks import build_network
    from neuroview.ai.package import save_package
    from tests.ai.model_cards import make_card

    bundled = Registry().default_ref()
    card = make_card(version="4.0.0", metrics={"held_out_dice": {"lesion": 0.1}, "held_out_split": "s1"})
    network = build_network(card.architecture, card.hyperparameters)
    Registry().add(save_package(tmp_path / "tiny-4.0.0", card, network.state_dict()))
    promoted = _run("models", "promote", "tiny@4.0.0", "--force")
    assert promoted == f"default for lesion: tiny@4.0.0 (was {bundled})"
    assert _run("models", "rollback") == f"default for lesion: {bundled} (was tiny@4.0.0)"
    assert Registry().default_ref() == bundled
