"""Every ``neuroview VERB [SUBVERB] --option`` README.md writes (in a code block or in backticks) is
a verb the command has and an option that verb's parser takes, so a command copied from the README
is not refused for a renamed or removed option."""

from __future__ import annotations

import argparse
import importlib
import re
from pathlib import Path

from neuroview.cli.main import VERBS

README = Path(__file__).resolve().parent.parent.parent / "README.md"


def readme_commands() -> list[str]:
    """The ``neuroview ...`` commands of the README: the lines of its bash blocks (continuations
    joined, comments dropped) and its backticked commands."""
    text = README.read_text(encoding="utf-8")
    # fences alternate: the odd pieces are the code blocks, each opening with its language
    pieces = re.split(r"^```", text, flags=re.M)
    commands = []
    for block in pieces[1::2]:
        language, _, code = block.partition("\n")
        if language.strip() not in ("", "bash", "text"):
            continue
        for line in code.replace("\\\n", " ").splitlines():
            found = re.search(r"\bneuroview(?:\.cli\.main)? ([a-z].*)", line.split("  #")[0])
            if found:
                commands.append(found.group(1).strip())
    inline = re.sub(r"\s+", " ", "".join(pieces[0::2]))
    commands += re.findall(r"`(?:python -m )?neuroview ([a-z][^`]*)`", inline)
    return commands


def _parser(verb: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"neuroview {verb}")
    importlib.import_module(VERBS[verb][0]).register(parser)
    return parser


def _subparser(parser: argparse.ArgumentParser, word: str):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices.get(word), True
    return None, False


def test_the_readme_commands_are_found():
    commands = readme_commands()
    assert any(c.startswith("convert run/ out/ --frame 10") for c in commands)
    assert any(c.startswith("pacs find --server hospital --level series") for c in commands)
    assert len(commands) > 80


def test_every_option_of_a_readme_command_is_the_verbs():
    problems = []
    for command in readme_commands():
        words = command.split()
        verb = words[0]
        if verb not in VERBS:
            continue   # `neuroview brain.nii.gz`, `neuroview view DIR`, prose ("neuroview keeps")
        parser, rest = _parser(verb), words[1:]
        if rest and not rest[0].startswith("-"):
            sub, has_subverbs = _subparser(parser, rest[0])
            if has_subverbs and sub is None and re.fullmatch(r"[a-z]+", rest[0]):
                problems.append(f"neuroview {verb} {rest[0]}: no such command")
                continue
            if sub is not None:
                parser, rest = sub, rest[1:]
        options = set(parser._option_string_actions)
        for word in rest:
            option = re.match(r"\[?(--[a-z][a-z0-9-]*)", word)
            if option and option.group(1) not in options:
                problems.append(f"neuroview {command}: {option.group(1)} is not an option of it")
    assert not problems, "\n".join(sorted(set(problems)))
