"""The AI click default when the promoted model cannot be used, and loading a model once.

Until session 25 a promoted AI click model whose package was damaged made every click fail with
the same error (AI click did nothing), and two threads loading the same model (the window's
warm-up and a prompt's worker) each loaded it."""

from __future__ import annotations

import json
import shutil
import threading
import time

import numpy as np
import pytest

pytest.importorskip("torch")

from neuroview.ai.registry import Registry  # noqa: E402
from neuroview.app import prompt_models, prompting  # noqa: E402
from neuroview.app.session import Session  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402
from neuroview.paths import resources_dir  # noqa: E402

CENTRE = np.array([6.0, -4.0, 8.0])


@pytest.fixture
def fresh_models(monkeypatch):
    monkeypatch.setattr(prompt_models, "_MODELS", {})
    monkeypatch.setattr(prompt_models, "_FAILED", {})
    monkeypatch.setattr(prompt_models, "_PASSED_OVER", {})


def _clickseg_copy(folder, version="9.0.0"):
    """The bundled clickseg's package under another version (a model the user trained)."""
    shutil.copytree(resources_dir() / "models" / "clickseg", folder)
    card = json.loads((folder / "model.json").read_text())
    card["version"] = version
    (folder / "model.json").write_text(json.dumps(card))
    return folder


def _promoted(tmp_path):
    """A copy of clickseg added and promoted as the AI click default: its ref and stored folder."""
    registry = Registry()
    entry = registry.add(_clickseg_copy(tmp_path / "clickseg-9.0.0"))
    registry.promote(entry.ref, "interactive", force=True)
    return entry.ref, registry.get(entry.ref).path


def _blob():
    """A bright sphere (r 8 mm) at ``CENTRE`` on a 1.5 x 1.5 x 2 mm grid (``tests/ui/test_ai_click``'s)."""
    shape = (64, 64, 48)
    affine = np.diag([1.5, 1.5, 2.0, 1.0])
    affine[:3, 3] = -affine[:3, :3] @ ((np.asarray(shape) - 1) / 2)
    ras = np.indices(shape).reshape(3, -1).T @ affine[:3, :3].T + affine[:3, 3]
    d = np.linalg.norm(ras - CENTRE, axis=1).reshape(shape)
    image = 100 + 800 / (1 + np.exp((d - 8) / 0.6))
    return Volume(image.astype(np.float32), affine), d <= 8


@pytest.mark.parametrize("damage", ["weights cut short", "package removed"])
def test_a_promoted_model_that_cannot_be_used_gives_way_to_the_bundled_one(tmp_path, fresh_models, damage):
    bundled = Registry().bundled_default_ref("interactive")
    ref, stored = _promoted(tmp_path)
    if damage == "weights cut short":
        weights = stored / "weights.safetensors"
        weights.write_bytes(weights.read_bytes()[:1000])
    else:
        shutil.rmtree(stored)

    model, problem = prompting.load_default()
    assert model.name == bundled
    if damage == "weights cut short":
        assert problem.startswith(f"AI click: the promoted model {ref} cannot be loaded (")
        assert "weights file is corrupt" in problem
        assert prompting.default_label() == f"Default: {bundled} ({ref} cannot be loaded)"
    else:
        assert problem.startswith(f"AI click: the promoted model cannot be used: {ref} is missing "
                                  "from the model registry")
        assert prompting.default_label() == f"Default: {bundled}"   # the registry passes it over
    assert problem.endswith(f"; AI click uses the bundled {bundled} instead") and "\n" not in problem

    volume, sphere = _blob()
    session = Session(volume)
    lesion = session.segments.add("lesion")
    assert prompting.prepare(session) == problem        # the window's warm-up gets the line
    session.prompt(lesion, point=CENTRE)                # the click answers, with the bundled model
    assert session.pending_preview.meta["model"] == bundled
    session.accept_preview()
    painted = session.labels.array == lesion.value
    assert 2 * (painted & sphere).sum() / (painted.sum() + sphere.sum()) > 0.8   # Dice


def test_a_damaged_package_is_not_read_again_until_it_changes(tmp_path, fresh_models, monkeypatch):
    """Each click would read the damaged package again (a checkpoint of hundreds of MB): the
    failure is kept until the package's files change; a repaired package loads."""
    ref, stored = _promoted(tmp_path)
    weights = stored / "weights.safetensors"
    good = weights.read_bytes()
    weights.write_bytes(good[:1000])
    from neuroview.ai.interactive import model as network_model

    tried = []
    real = network_model.NetworkPromptModel

    def counting(*args, **kwargs):
        tried.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(network_model, "NetworkPromptModel", counting)
    for _ in range(3):
        _model, problem = prompting.load_default()
        assert ref in problem
    assert len([a for a in tried if a]) == 1            # the promoted package, read once
    weights.write_bytes(good)                           # repaired (size and time change)
    model, problem = prompting.load_default()
    assert problem is None and model.name == ref
    assert prompting.default_label() == f"Default: {ref}"   # the Model list names it again


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
