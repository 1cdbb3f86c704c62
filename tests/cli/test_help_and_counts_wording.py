"""``--help`` says defaults one way, ``(default X)`` (it mixed ``(default X)`` and
``(default: X)``), and ``info`` counts in words (``1 file``, ``5 files``; it printed ``1 file(s)``)."""

from __future__ import annotations

import argparse
import importlib
import re

from neuroview.cli.main import VERBS
from tests.dataset.fake_dicom import make_ct_series

CLI_FORKED = "what `info` prints, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _helps(parser: argparse.ArgumentParser, name: str) -> list[tuple[str, str]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub, subparser in action.choices.items():
                found += _helps(subparser, f"{name} {sub}")
        elif action.help:
            found.append((f"{name} {'/'.join(action.option_strings) or action.dest}", action.help))
    return found


def test_help_says_defaults_one_way():
    mixed = []
    for verb, (module, _) in VERBS.items():
        parser = argparse.ArgumentParser(prog=f"neuroview {verb}")
        importlib.import_module(module).register(parser)
        mixed += [(where, text) for where, text in _helps(parser, verb)
                  if re.search(r"[(;,] *default:", text) or re.search(r"[a-z]\((s|es)\)", text)]
    assert mixed == []


def test_info_counts_files_in_words(tmp_path, cli):
    one, five = tmp_path / "one", tmp_path / "five"
    make_ct_series(one, shape=(16, 14, 1))
    make_ct_series(five, shape=(16, 14, 5), seed=8)
    result = cli("info", one)
    assert result.returncode == 0, result.stderr
    assert re.search(r"format DICOM, 1 file\b", result.stdout), result.stdout
    assert "(s)" not in result.stdout
    result = cli("info", five)
    assert re.search(r"format DICOM, 5 files\b", result.stdout), result.stdout
