"""Loading a promptable model once when two threads ask for it at once.

Until session 25 two threads loading the same model (the window's warm-up and a prompt's worker)
each loaded it."""

from __future__ import annotations

import json
import shutil
import threading
import time

import pytest

pytest.importorskip("torch")

from neuroview.app import prompting  # noqa: E402
from neuroview.paths import resources_dir  # noqa: E402


def _clickseg_copy(folder, version="9.0.0"):
    """The bundled clickseg's package under another version (a model the user trained)."""
    shutil.copytree(resources_dir() / "models" / "clickseg", folder)
    card = json.loads((folder / "model.json").read_text())
    card["version"] = version
    (folder / "model.json").write_text(json.dumps(card))
    return folder


def test_two_threads_loading_one_model_load_it_once(tmp_path, monkeypatch):
    """The window's warm-up and a prompt's worker ask for the same model at once: one load, and
    both get the same model (the loader ran for each of 6 threads before)."""
    from neuroview.ai.interactive import model as network_model

    folder = _clickseg_copy(tmp_path / "clickseg-7.0.0", "7.0.0")
    loads = []

    class SlowModel:
        def __init__(self, path=None):
            loads.append(path)
            time.sleep(0.3)   # a checkpoint being read: the other threads arrive meanwhile

    monkeypatch.setattr(network_model, "NetworkPromptModel", SlowModel)
    start = threading.Barrier(6)
    got = []

    def load():
        start.wait()
        got.append(prompting.load_promptable(str(folder)))

    threads = [threading.Thread(target=load) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(got) == 6 and len(loads) == 1
    assert all(model is got[0] for model in got)
