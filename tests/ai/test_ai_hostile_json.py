"""JSON from elsewhere that a model package or a dataset brings: nested past Python's recursion
limit, gigabytes long (sparse here) or a named pipe. Each is one line naming the file, at once
(they were an internal RecursionError, 6 GB of memory and 13 s, and a hang)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _neuroview(tmp_path, *args):
    env = dict(os.environ, NEUROVIEW_HOME=str(tmp_path / "home"))
    return subprocess.run([sys.executable, "-m", "neuroview", *map(str, args)], capture_output=True,
                          text=True, timeout=60, env=env)


def _forked(tmp_path, *args):
    """The command line's main in a forked copy of this process (tests.checkout.run_main_forked),
    for the cards whose claim is the line, not the process: a fresh ``python -m neuroview models
    add`` of the tiny package spent 2 s of CPU importing torch before it read the card."""
    from tests.checkout import run_main_forked

    return run_main_forked(*args, env={"NEUROVIEW_HOME": str(tmp_path / "home")})


def _nested(path):
    path.write_text("[" * 100_000 + "]" * 100_000)


def _huge(path):
    with open(path, "wb") as handle:
        handle.write(b'{"name": "')
        handle.truncate(3 << 30)


def _pipe(path):
    os.mkfifo(path)


@pytest.mark.parametrize("make, said", [
    (_nested, "model card is not valid JSON (it is nested too deeply to read)"),
    (_huge, "cannot read the model card (it is 3072 MB, more than such a file holds (at most 64 MB))"),
    pytest.param(_pipe, "cannot read the model card (it is not a regular file",
                 marks=pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX")),
])
def test_a_hostile_model_card_is_one_line(tmp_path, make, said):
    package = tmp_path / "package"
    package.mkdir()
    make(package / "model.json")
    result = _neuroview(tmp_path, "models", "add", package)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, result.stderr
    assert lines[0].startswith(f"neuroview: error: {package / 'model.json'}: {said}")


def test_a_deeply_nested_dataset_json_is_one_line(tmp_path):
    dataset = tmp_path / "Dataset001_X"
    dataset.mkdir()
    _nested(dataset / "dataset.json")
    result = _neuroview(tmp_path, "train", "--dataset", dataset, "--out", "x")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"neuroview: error: {dataset / 'dataset.json'}: dataset.json is malformed (it is nested too "
        "deeply to read)"]


LABELS_SAID = ('model card\'s labels must be a list of labels, each {"value": 1, "name": "lesion", '
               '"color": [230, 25, 75]}, not [{"value": 1, "name": "lesion"')


@pytest.mark.parametrize("color, said", [
    # Python's "model card has a malformed field (cannot convert float infinity to integer)" until
    # session 39
    ("[-Infinity, 0, 0]", LABELS_SAID),
    ("[1e999, 0, 0]", LABELS_SAID),
    ("[300, 0, 0]", "model card label colors must be 3 values 0-255"),
    ("[255, 0]", "model card label colors must be 3 values 0-255"),
])
def test_a_label_color_that_is_no_color_is_one_line(tmp_path, tiny_package, color, said):
    """A label color of -inf or 1e999 was an internal OverflowError in ``models add``; one of 300
    or of two values was accepted onto the card (found by bench/folder_fuzz.py)."""
    import json

    card = tiny_package / "model.json"
    data = json.loads(card.read_text())
    data["labels"][0]["color"] = "COLOR"
    card.write_text(json.dumps(data).replace('"COLOR"', color))
    result = _forked(tmp_path, "models", "add", tiny_package)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, result.stderr
    assert lines[0].startswith(f"neuroview: error: {card}: {said}"), lines[0]
    assert not (tmp_path / "home" / "models").exists() or not any((tmp_path / "home" / "models").iterdir())


@pytest.mark.parametrize("metrics, said", [
    ({"held_out_dice": {"lesion": "x"}}, "metrics.held_out_dice must map label names to numbers"),
    ({"held_out_dice": [0.5]}, "metrics.held_out_dice must map label names to numbers"),
    ({"held_out_lesionwise": {"f1": "x"}}, "metrics.held_out_lesionwise must hold numbers"),
    ({"held_out_lesionwise": {"f1": 0.5, "found": 1.5}}, "metrics.held_out_lesionwise must hold numbers"),
    ({"test_objects": {"dice_1_click": "x"}}, "metrics.test_objects must hold numbers"),
    ({"base_held_out": {"ref": "a@1", "dice": {"lesion": "x"}}}, "metrics.base_held_out must hold"),
])
def test_card_metrics_that_are_not_figures_are_one_line(tmp_path, tiny_package, metrics, said):
    """A card whose held-out Dice was text or a list was added, and then every ``models list``
    (and show, promote, compare) was an internal ValueError, TypeError or AttributeError, for all
    models, not only that one. Now refused by ``models add`` naming the card; one already
    installed is left out of the list with its line (found by bench/folder_fuzz.py's registry
    cases, then by hand)."""
    import json

    card = tiny_package / "model.json"
    card.write_text(json.dumps({**json.loads(card.read_text()), "metrics": metrics}))
    result = _forked(tmp_path, "models", "add", tiny_package)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, result.stderr
    assert lines[0].startswith(f"neuroview: error: {card}: model card's {said}"), lines[0]
    installed = tmp_path / "home" / "models" / "tiny@1.0.0"
    installed.parent.mkdir(parents=True, exist_ok=True)
    tiny_package.rename(installed)
    listed = _forked(tmp_path, "models", "list")
    assert listed.returncode == 0 and "lesionseg@" in listed.stdout, listed.stderr
    assert f"note: not listed, its card cannot be read: {installed / 'model.json'}" in listed.stderr


@pytest.mark.parametrize("change, said", [
    ({"hyperparameters": {"in_channels": 1, "out_channels": 2, "base_channels": None, "levels": 2}},
     # an internal "bad hyperparameters for unet3d: unsupported operand type(s) for *: 'NoneType'
     # and 'int'" until session 39
     "model card hyperparameter base_channels=None must be an integer between 1 and 320"),
    ({"architecture": "no-such-net"}, "unknown architecture 'no-such-net'"),
])
def test_a_card_whose_network_cannot_be_made_is_named(tmp_path, tiny_package, change, said):
    """The card's architecture or hyperparameters that no network can be made from: the line
    named no file (found by bench/folder_fuzz.py)."""
    import json

    card = tiny_package / "model.json"
    card.write_text(json.dumps({**json.loads(card.read_text()), **change}))
    result = _forked(tmp_path, "models", "add", tiny_package)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, result.stderr
    assert lines[0].startswith(f"neuroview: error: {card}: {said}"), lines[0]
