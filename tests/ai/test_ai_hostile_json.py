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


@pytest.mark.parametrize("color, said", [
    ("[-Infinity, 0, 0]", "model card has a malformed field (cannot convert float infinity to integer)"),
    ("[1e999, 0, 0]", "model card has a malformed field (cannot convert float infinity to integer)"),
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
    result = _neuroview(tmp_path, "models", "add", tiny_package)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and lines == [f"neuroview: error: {card}: {said}"], result.stderr
    assert not (tmp_path / "home" / "models").exists() or not any((tmp_path / "home" / "models").iterdir())
