"""``neuroview train --resume`` continues only from the base the checkpoint started from: the
checkpoint's epoch 0 (the figures an epoch must beat) and the weights it keeps are that base's,
so a resume with another ``--base`` (or none, or the same name with other weights) stops in one
line naming both, and how to start afresh; it went on, and judged "beats the base" against the
old base's figures. A checkpoint written before the base was recorded resumes, with a note."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.ui.train_data import install, make_raw_dataset, stopped_fine_tune

torch = pytest.importorskip("torch")


def _cli(capsys, *args):
    from neuroview.cli.main import main

    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def stopped_run(tmp_path, rng, capsys, monkeypatch):
    """A one-epoch fine-tune of blobs@1.0.0 stopped after its epoch, and another base,
    other@1.0.0, of the same shape; the command's arguments but --base."""
    dataset = make_raw_dataset(tmp_path, rng)
    install(tmp_path, "blobs", "1.0.0", 0.2, head_bias=[0.0, 3.0])
    install(tmp_path, "other", "1.0.0", 0.2, head_bias=[3.0, 0.0])
    common = stopped_fine_tune(dataset, "blobs", monkeypatch)
    out, err = capsys.readouterr()
    assert "stopped after the epochs" in err and "epoch 1:" in out
    return common


def test_a_resume_from_another_base_stops_naming_both(stopped_run, capsys):
    from neuroview.ai.registry import Registry

    checkpoint = Registry().models_dir / "mine@1.1.0.checkpoint"
    before = (checkpoint / "state.safetensors").read_bytes()
    code, out, err = _cli(capsys, *stopped_run, "--base", "other", "--resume")
    assert code == 1 and "epoch" not in out, out
    assert err == (f"neuroview: error: {checkpoint}: the checkpoint started from blobs@1.0.0, not "
                   "other@1.0.0: its epoch 0, the figures to beat, are blobs@1.0.0's; resume with "
                   "--base blobs@1.0.0, or train again without --resume (or Resume unticked) to "
                   "start afresh\n")
    code, out, err = _cli(capsys, *stopped_run[:-2], "--epochs", "1", "--resume",
                          "--base-channels", "2", "--patch", "16", "--spacing", "2")
    assert code == 1 and "started from blobs@1.0.0, not scratch (no --base): " in err, err
    assert (checkpoint / "state.safetensors").read_bytes() == before   # nothing of it lost
    # the base it started from resumes it
    code, out, err = _cli(capsys, *stopped_run, "--base", "blobs@1.0.0", "--resume")
    assert "resumed from " in out and "note:" not in out.replace("note: 1 held-out", ""), out


def test_a_checkpoint_without_its_base_recorded_resumes_with_a_note(stopped_run, capsys):
    from safetensors.torch import load_file, save_file

    from neuroview.ai.registry import Registry

    checkpoint = Registry().models_dir / "mine@1.1.0.checkpoint"
    weights = checkpoint / "state.safetensors"
    from safetensors import safe_open

    with safe_open(str(weights), framework="pt") as handle:
        meta = json.loads(handle.metadata()["neuroview"])
    assert meta["base"]["ref"] == "blobs@1.0.0" and len(meta["base"]["weights"]) == 40
    del meta["base"]   # as checkpoints were written before session 38
    save_file(load_file(str(weights)), str(weights), metadata={"neuroview": json.dumps(meta)})
    (checkpoint / "state.json").write_text(json.dumps(meta))
    code, out, err = _cli(capsys, *stopped_run, "--epochs", "2", "--base", "other", "--resume")
    notes = [line for line in out.splitlines() if "does not record" in line]
    assert notes == ["note: the checkpoint does not record the model it started from (written "
                     "before neuroview recorded it): resumed as a run from other@1.0.0 as given"], out
    assert "resumed from " in out and "epoch 2:" in out, out


def test_the_same_name_with_other_weights_stops(stopped_run, capsys):
    """blobs@1.0.0's package replaced under the same name@version (its folder written again)."""
    from neuroview.ai.package import load_model, save_package
    from neuroview.ai.registry import Registry

    folder = Registry().models_dir / "blobs@1.0.0"
    loaded = load_model(folder)
    state = loaded.network.state_dict()
    state["head.bias"] = torch.tensor([3.0, 0.0])   # another answer under the same name@version
    shutil.rmtree(folder)
    save_package(folder, loaded.card, state)
    code, out, err = _cli(capsys, *stopped_run, "--base", "blobs@1.0.0", "--resume")
    assert code == 1 and "resumed" not in out, out
    assert ".checkpoint: the checkpoint started from blobs@1.0.0 with other weights (digest " in err
    assert "resume with --base blobs@1.0.0, or train again without --resume" in err, err


def test_a_base_given_as_a_folder_is_named_as_given(tmp_path, rng, capsys, monkeypatch):
    """``--base FOLDER`` (a package folder, registered or not): the refusal says that folder,
    not its name@version, which ``--base`` finds only when registered."""
    from neuroview.ai.registry import Registry

    dataset = make_raw_dataset(tmp_path, rng)
    install(tmp_path, "other", "1.0.0", 0.2)
    install(tmp_path, "blobs", "1.0.0", 0.2)
    Registry().remove("blobs@1.0.0")   # a folder of the user's only
    (tmp_path / "blobs-1.0.0").rename(tmp_path / "my base")
    common = stopped_fine_tune(dataset, str(tmp_path / "my base"), monkeypatch)
    capsys.readouterr()
    code, out, err = _cli(capsys, *common, "--base", "other", "--resume")
    assert code == 1 and err.endswith(f"resume with --base '{tmp_path / 'my base'}', or train "
                                      "again without --resume (or Resume unticked) to start "
                                      "afresh\n"), err
    code, out, err = _cli(capsys, *common, "--base", tmp_path / "my base", "--resume")
    assert "resumed from " in out and "does not record" not in out, out


@pytest.mark.parametrize("damaged", [{"weights": "ab"}, {"ref": 3}, {"ref": "blobs@1.0.0", "given": ["x"]}])
def test_a_damaged_base_record_is_said_in_one_line(stopped_run, capsys, damaged):
    """A checkpoint whose 'base' entry is not a name and digests (hand-edited, damaged) stops in
    one line naming it; a KeyError or TypeError came out of the comparison before."""
    from safetensors.torch import load_file, save_file

    from neuroview.ai.registry import Registry

    checkpoint = Registry().models_dir / "mine@1.1.0.checkpoint"
    weights = checkpoint / "state.safetensors"
    from safetensors import safe_open

    with safe_open(str(weights), framework="pt") as handle:
        meta = json.loads(handle.metadata()["neuroview"])
    meta["base"] = damaged
    save_file(load_file(str(weights)), str(weights), metadata={"neuroview": json.dumps(meta)})
    (checkpoint / "state.json").write_text(json.dumps(meta))
    code, out, err = _cli(capsys, *stopped_run, "--base", "blobs@1.0.0", "--resume")
    assert code == 1 and err == (f"neuroview: error: {checkpoint}: the checkpoint's record of the "
                                 "model it started from is damaged (its 'base' entry is not a name "
                                 "and digests); train again without --resume (or Resume unticked) "
                                 "to start afresh\n"), err
