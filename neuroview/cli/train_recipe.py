"""The command line a model card records as ``training.recipe``: the run's options and values as
typed, each path replaced by a word that says what it was.

A card travels with its model (shared, bundled, sent to a colleague), and the whole local command
line named the dataset's folder (``--dataset /home/dr/patients/Smith_John/...``) and the output's:
a path can name a patient, a person or an institution. Now ``--dataset DATASET``, ``--out OUT``
(a model name, ``--out blobs``, is kept: it is the model's own name), and ``--base`` the base
model's reference (``--base clickseg@1.9.0``, also when it was given as a package folder; ``BASE``
when that folder has no readable card). What else the recipe says is kept: it reproduces the run
on another machine with that dataset and base.
"""

from __future__ import annotations

import argparse
import os
import shlex
from pathlib import Path

PLACEHOLDERS = {"dataset": "DATASET", "out": "OUT", "base": "BASE"}
"""The options whose values are paths (or may be), and the word that replaces a path there."""


def is_path(value: str) -> bool:
    """As ``--out`` reads it: a folder when it has a ``/`` or starts with a dot."""
    return "/" in value or os.sep in value or value.startswith(".")


def recipe(words: list[str], parser: argparse.ArgumentParser) -> str:
    """``neuroview train WORDS`` with the values of :data:`PLACEHOLDERS`' options made safe;
    ``parser`` (the train verb's) says which option an abbreviation (``--data``) is."""
    options = {name: action for action in parser._actions for name in action.option_strings}
    kept: list[str] = []
    pending = ""   # the option whose value is the next word
    for word in words:
        if pending:
            kept.append(safe_value(pending, word))
            pending = ""
            continue
        name, equals, value = word.partition("=")
        dest = _dest(name, options) if word.startswith("--") else None
        if dest in PLACEHOLDERS:
            if equals:
                word = f"{name}={safe_value(dest, value)}"
            else:
                pending = dest
        kept.append(word)
    return "neuroview train " + " ".join(shlex.quote(word) for word in kept)


def again(words: list[str], parser: argparse.ArgumentParser, *flags: str) -> str:
    """``neuroview train WORDS`` as typed (its paths kept: it is said to the user who typed them),
    with the ``flags`` it lacks added; a ``--NAME=VALUE`` flag replaces the value typed for that
    option (``--epochs 3`` becomes ``--epochs 1``, said once: the hint after a stop said
    ``--epochs 3 ... --keep-worse --epochs=1``): the command a message gives to go on from the
    checkpoint."""
    options = {name: action for action in parser._actions for name in action.option_strings}
    words = list(words)
    given = {_dest(word.partition("=")[0], options) for word in words if word.startswith("--")}
    added = []
    for flag in flags:
        name, equals, value = flag.partition("=")
        dest = options[name].dest
        if equals and dest in given:
            words = _set_value(words, options, dest, value)
        elif equals or dest not in given:
            added.append(flag)
    return "neuroview train " + shlex.join([*words, *added])


def _set_value(words: list[str], options: dict, dest: str, value: str) -> list[str]:
    """``words`` with the option ``dest``'s first value (``--NAME V`` or ``--NAME=V``) made
    ``value``, and any later one dropped."""
    kept: list[str] = []
    found, skip = False, False
    for index, word in enumerate(words):
        if skip:
            skip = False
            continue
        name, equals, _ = word.partition("=")
        if not (word.startswith("--") and _dest(name, options) == dest):
            kept.append(word)
            continue
        skip = not equals and index + 1 < len(words)   # its value is the next word
        if not found:
            kept.extend([name, value] if not equals else [f"{name}={value}"])
        found = True
    return kept


def _dest(name: str, options: dict) -> str | None:
    """The option ``name`` stands for, as argparse reads it (exactly, or an unambiguous prefix)."""
    if name in options:
        return options[name].dest
    dests = {action.dest for option, action in options.items() if option.startswith(name)}
    return dests.pop() if len(dests) == 1 else None


def safe_value(dest: str, value: str) -> str:
    if dest == "out" and not is_path(value):
        return value
    if dest == "base":
        return base_reference(value)
    return PLACEHOLDERS[dest]


def base_reference(value: str) -> str:
    """The base's ``NAME@VERSION``: a registry reference with the version it resolved to (``--base
    lesionseg`` is the default's version now, another one once a fine-tune is promoted), a package
    folder or model file as its card's."""
    from ..ai.registry import Registry

    registry = Registry()
    try:
        path = registry.resolve_path(value)
    except Exception:   # the run stops on it in its own words; the recipe names nothing
        return PLACEHOLDERS["base"]
    if Path(path) != Path(value):   # found in the registry under that name
        try:
            return registry.get(value).ref
        except Exception:
            return value
    from ..ai.package import read_card

    try:
        return read_card(path).ref
    except Exception:
        return PLACEHOLDERS["base"]
