"""``neuroview train --interactive --resume`` checks its base as ``--dataset`` and ``--synthetic``
do: the checkpoint records the base's name@version and a digest of its weights, and a resume from
another base, or the same name@version with other weights, stops in the same one line (it kept the
base's ref among its settings, and went on from a package of the same name with other weights,
judging against the old base's epoch 0). A checkpoint written before that (its settings hold the
base's ref only) resumes from that ref with one note, and is refused for another."""

from __future__ import annotations

import json

import pytest

torch = pytest.importorskip("torch")

from tests.ai.interactive_fine_tune import fine_tune as _fine_tune  # noqa: E402


def _other_weights(base, folder, version="1.0.0"):
    """``base``'s package written again at ``folder`` with other weights (and ``version``)."""
    from neuroview.ai.package import load_model, save_package

    loaded = load_model(base)
    loaded.card.version = version
    state = {k: v + 0.5 for k, v in loaded.network.state_dict().items()}
    return save_package(folder, loaded.card, state)


@pytest.fixture(scope="module")
def refused_once(tiny_click_base, tmp_path_factory):
    """A one-epoch fine-tune of tiny_click_base that did not beat it: its checkpoint kept."""
    out = tmp_path_factory.mktemp("refused") / "tinyclick-1.1.0"
    refused, _ = _fine_tune(tiny_click_base, out, keep_worse=False)
    assert "--resume --keep-worse" in str(refused), refused
    assert not out.exists()
    return out


@pytest.fixture
def refused_run(refused_once, tmp_path):
    """:func:`refused_once`'s run as each test's own: its checkpoint copied (a test changes it;
    the fine-tune, the same for both, runs once: 1.8 s of CPU)."""
    import shutil

    out = tmp_path / refused_once.name
    shutil.copytree(refused_once.with_name(refused_once.name + ".checkpoint"),
                    out.with_name(out.name + ".checkpoint"))
    return out


def test_another_base_or_other_weights_are_refused_in_one_line(tiny_click_base, refused_run, tmp_path,
                                                                monkeypatch):
    """A resume from another base, or from the same name@version with other weights, is refused
    in one line, its checkpoint untouched; the base's own resume, its time spent, saves the trained
    epoch without making the held-out objects or the training cubes first (seconds of CPU it
    spent on them until session 45)."""
    from neuroview.ai.interactive import train as interactive_train
    from neuroview.core.errors import ModelError

    checkpoint = refused_run.with_name(refused_run.name + ".checkpoint")
    before = (checkpoint / "state.safetensors").read_bytes()
    same_name = _other_weights(tiny_click_base, tmp_path / "same name")
    error, lines = _fine_tune(same_name, refused_run, keep_worse=True, resume=True)
    assert isinstance(error, ModelError) and not any(line.startswith("resumed") for line in lines)
    said = str(error)
    assert said.startswith(f"{checkpoint}: the checkpoint started from tinyclick@1.0.0 with other "
                           "weights (digest "), said
    assert said.endswith(f"resume with --base {tiny_click_base}, or train again without --resume "
                         "(or Resume unticked) to start afresh"), said
    error, _ = _fine_tune(_other_weights(tiny_click_base, tmp_path / "next", "1.0.1"), refused_run,
                          keep_worse=True, resume=True)
    assert str(error).startswith(f"{checkpoint}: the checkpoint started from tinyclick@1.0.0, not "
                                 "tinyclick@1.0.1: its epoch 0, the figures to beat, are "
                                 "tinyclick@1.0.0's; resume with --base "), error
    assert (checkpoint / "state.safetensors").read_bytes() == before
    for made in ("validation_objects", "ObjectSampler", "ParallelCubes"):
        monkeypatch.setattr(interactive_train, made, lambda *a, made=made, **k: pytest.fail(f"{made} made"))
    folder, lines = _fine_tune(tiny_click_base, refused_run, keep_worse=True, resume=True)
    assert folder.is_dir() and not any(line.startswith("note: the checkpoint") for line in lines)
    assert "kept the best trained epoch, 1 (--keep-worse)" in lines, lines


def test_a_checkpoint_without_the_record_resumes_from_its_ref_with_a_note(tiny_click_base,
                                                                          refused_run, tmp_path):
    from safetensors.torch import load_file, save_file

    from neuroview.ai.checkpoint import read_meta

    checkpoint = refused_run.with_name(refused_run.name + ".checkpoint")
    meta = read_meta(checkpoint)
    assert meta["base"]["ref"] == "tinyclick@1.0.0" and meta["history"]["settings"]["base"] == \
        "tinyclick@1.0.0"
    del meta["base"]   # as checkpoints were written before session 38
    weights = checkpoint / "state.safetensors"
    save_file(load_file(str(weights)), str(weights), metadata={"neuroview": json.dumps(meta)})
    (checkpoint / "state.json").write_text(json.dumps(meta))
    error, _ = _fine_tune(_other_weights(tiny_click_base, tmp_path / "next", "1.0.1"), refused_run,
                          keep_worse=True, resume=True)
    assert "the checkpoint started from tinyclick@1.0.0, not tinyclick@1.0.1: " in str(error), error
    same_name = _other_weights(tiny_click_base, tmp_path / "same name")
    folder, lines = _fine_tune(same_name, refused_run, keep_worse=True, resume=True)
    notes = [line for line in lines if line.startswith("note: the checkpoint")]
    assert notes == ["note: the checkpoint does not record tinyclick@1.0.0's weights (written "
                     "before neuroview recorded it): resumed as a run from tinyclick@1.0.0 as "
                     "given"], lines
    assert folder.is_dir()
