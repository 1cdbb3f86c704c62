"""Every option and argument of every verb says what it is in ``--help`` (session 19: ``neuroview
train --help`` listed ``--epochs``, ``--learning-rate`` and others bare, and the arguments of
``models show/remove/compare`` and ``dataset list`` said nothing)."""

from __future__ import annotations

import argparse
import importlib

from neuroview.cli.main import VERBS


def _bare(parser: argparse.ArgumentParser, name: str) -> list[str]:
    bare = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub, subparser in action.choices.items():
                bare += _bare(subparser, f"{name} {sub}")
        elif not isinstance(action, argparse._HelpAction) and not (action.help or "").strip():
            bare.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
    return bare


def test_every_option_of_every_verb_has_help_text():
    bare = []
    for verb, (module, _) in VERBS.items():
        parser = argparse.ArgumentParser(prog=f"neuroview {verb}")
        importlib.import_module(module).register(parser)
        bare += _bare(parser, verb)
    assert bare == []


def test_train_help_names_the_defaults_the_code_uses(capsys):
    from neuroview.ai.train_config import TrainConfig
    from neuroview.cli import train

    parser = argparse.ArgumentParser(prog="neuroview train")
    train.register(parser)
    helps = {a.dest: a.help for a in parser._actions}
    config = TrainConfig(out=".", name="x")
    assert f"default {config.epochs}" in helps["epochs"]
    assert f"default {config.batch_size}" in helps["batch_size"]
    assert f"default {config.base_channels}" in helps["base_channels"]
    assert config.learning_rate is None   # fit starts at 3e-3, a fine-tune on a dataset at 1e-3
    assert "default 0.003; 0.001 when fine-tuning" in helps["learning_rate"]
    assert f"default {parser.get_default('validation_fraction'):g}" in helps["validation_fraction"]
