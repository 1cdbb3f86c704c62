"""The command a stopped ``neuroview train`` gives to save its best trained epoch: the command as
typed with ``--resume --keep-worse`` and the epoch kept, the epochs said once (it said
``--epochs 3 ... --keep-worse --epochs=1``, two --epochs, the window's fine-tune too)."""

from __future__ import annotations

import argparse
import shlex

import pytest

from neuroview.cli.train import register
from neuroview.cli.train_recipe import again


@pytest.fixture(scope="module")
def parser():
    parser = argparse.ArgumentParser()
    register(parser)
    return parser


@pytest.mark.parametrize("typed, expected", [
    ("--dataset /d --base m --out n --epochs 3 --device cpu",
     "--dataset /d --base m --out n --epochs 1 --device cpu --resume --keep-worse"),
    ("--dataset /d --out n --epochs=3 --resume", "--dataset /d --out n --epochs=1 --resume --keep-worse"),
    ("--dataset /d --out n --epoch 3 --epochs 5", "--dataset /d --out n --epoch 1 --resume --keep-worse"),
    ("--dataset /d --out n", "--dataset /d --out n --resume --keep-worse --epochs=1"),
])
def test_the_command_that_saves_the_kept_epoch_says_each_option_once(parser, typed, expected):
    said = again(shlex.split(typed), parser, "--resume", "--keep-worse", "--epochs=1")
    assert said == "neuroview train " + expected
    args = parser.parse_args(shlex.split(said)[2:])
    assert (args.epochs, args.resume, args.keep_worse) == (1, True, True)


def test_a_path_with_spaces_stays_one_word(parser):
    said = again(["--dataset", "/my data", "--out", "n", "--minutes", "5", "--interactive"], parser,
                 "--resume", "--keep-worse", "--minutes=0")
    assert shlex.split(said)[2:] == ["--dataset", "/my data", "--out", "n", "--minutes", "0",
                                     "--interactive", "--resume", "--keep-worse"]
