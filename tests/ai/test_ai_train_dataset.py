"""``neuroview train --dataset`` on an nnU-Net v2 raw folder, fine-tuning, and model comparison."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.ai.model_cards import two_tiny_models
from tests.ui.train_data import make_raw_dataset

torch = pytest.importorskip("torch")


@pytest.fixture
def raw_dataset(tmp_path, rng):
    """Six 2 mm cases of bright blobs on noisy tissue, in nnU-Net v2 raw layout."""
    return make_raw_dataset(tmp_path, rng)


def _cli(capsys, *args):
    """Run the command line in this process (torch is already imported) and capture its output."""
    from neuroview.cli.main import main

    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_train_finetune_compare(capsys, raw_dataset, tmp_path):
    from neuroview.ai.finetune import dataset_hash, read_dataset, split
    from neuroview.ai.registry import Registry
    from neuroview.paths import user_data_dir

    common = ["--epochs", "2", "--iterations", "3", "--patch", "16", "--spacing", "2",
              "--base-channels", "4", "--batch-size", "2"]
    code, out, err = _cli(capsys, "train", "--dataset", raw_dataset, "--out", "blobs", *common)
    assert code == 0, err
    assert "held-out Dice" in out
    registry = Registry()
    assert registry.get("blobs").path.parent == user_data_dir() / "models"
    card = registry.get("blobs").card
    dataset = read_dataset(raw_dataset)
    _, held_out, split_id = split(dataset)
    assert card.ref == "blobs@1.0.0" and card.parent is None
    assert card.metrics["held_out_split"] == split_id and card.metrics["held_out_cases"] == len(held_out)
    # whose figures per_case are, in its order (the card named no held-out case until session 50)
    assert card.metrics["held_out_case_ids"] == [c.name for c in held_out]
    code, shown, err = _cli(capsys, "models", "show", "blobs@1.0.0")
    per_case = [line for line in shown.splitlines() if line.startswith("  per held-out case: ")]
    figures = card.metrics["held_out_lesionwise"]["per_case"]
    assert code == 0 and per_case == ["  per held-out case: " + ", ".join(
        f"{c.name} Dice {'not measured' if d is None else format(d, '.3f')} F1 {format(f, '.2f')}"
        for c, d, f in zip(held_out, figures["dice"], figures["f1"]))], shown
    assert 0.0 <= card.metrics["held_out_dice"]["lesion"] <= 1.0
    lesionwise = card.metrics["held_out_lesionwise"]
    assert lesionwise["cases"] == len(held_out) and len(lesionwise["per_case"]["f1"]) == len(held_out)
    assert set(lesionwise["by_size"]) == {"<5mm", "5-10mm", ">10mm"}
    assert "held-out lesion-wise: Dice" in out and "FP/case" in out
    assert card.training["dataset_sha256"] == dataset_hash(dataset)
    assert len(card.training["history"]) == 2 and "val_dice" in card.training["history"][0]

    # --keep-worse: whether 2 epochs of 3 batches beat the base is chance; what is checked here is
    # the card's record of the base measured on the same cases
    code, out, err = _cli(capsys, "train", "--dataset", raw_dataset, "--base", "blobs", "--out", "blobs",
                          "--keep-worse", *common)
    assert code == 0, err
    child = registry.get("blobs").card
    assert child.ref == "blobs@1.1.0" and child.parent == "blobs@1.0.0"
    # the base measured on the same held-out cases (its card's figures are of the run before)
    from neuroview.ai.finetune import evaluate_cases
    from neuroview.ai.segment import get_model

    base_dice, base_lesionwise = evaluate_cases(get_model("blobs@1.0.0"), held_out, "cpu")
    measured = child.metrics["base_held_out"]
    assert measured["ref"] == "blobs@1.0.0"
    assert measured["dice"] == {"lesion": round(base_dice[0], 4)}
    assert measured["lesionwise"] == json.loads(json.dumps(base_lesionwise))
    assert f"base blobs@1.0.0 on the same held-out cases: Dice lesion {round(base_dice[0], 4):.3f}" in out
    assert "base blobs@1.0.0 held-out lesion-wise: Dice" in out

    # the same name and version again: refused before training, the package untouched
    weights = registry.get("blobs@1.1.0").path / "weights.safetensors"
    before = weights.read_bytes()
    code, out, err = _cli(capsys, "train", "--dataset", raw_dataset, "--out", "blobs",
                          "--version", "1.1.0", *common)
    assert code == 1 and "model blobs@1.1.0 exists already" in err and "--force" in err
    assert weights.read_bytes() == before and "epoch" not in out
    assert not (registry.models_dir / "blobs@1.1.0.checkpoint").exists()  # removed after success

    code, out, err = _cli(capsys, "models", "compare", "blobs@1.0.0", "blobs@1.1.0", "--dataset",
                          raw_dataset, "--device", "cpu", "--json", tmp_path / "compared.json")
    assert code == 0, err
    assert out.count(f"split {split_id}") == 4  # two cards, two measurements on the same split
    compared = json.loads((tmp_path / "compared.json").read_text())
    assert compared["case_ids"] == [c.name for c in held_out]
    assert len(compared["models"]["blobs@1.1.0"]["lesionwise"]["per_case"]["f1"]) == len(held_out)
    assert out.count("card held-out lesion-wise Dice") == 2 and out.count(": lesion-wise Dice") == 2


def test_bad_dataset_is_a_clear_error(capsys, raw_dataset):
    (raw_dataset / "imagesTr" / "c3_0000.nii.gz").unlink()
    code, out, err = _cli(capsys, "train", "--dataset", raw_dataset, "--out", "x")
    assert code == 1
    assert "case c3 lacks c3_0000.nii.gz" in err and err.count("\n") == 1


def test_data_parallel_training_with_two_cpu_processes(raw_dataset, tmp_path):
    """torchrun with 2 gloo processes: gradients are averaged, so both ranks end on equal weights."""
    import os
    import re
    import subprocess
    import sys
    from pathlib import Path

    from neuroview.ai.registry import Registry

    repo = Path(__file__).resolve().parents[2]
    env = dict(os.environ, NEUROVIEW_HOME=str(tmp_path / "home"),
               PYTHONPATH=str(repo) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    result = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
         "-m", "neuroview", "train", "--dataset", str(raw_dataset), "--out", "ddp", "--epochs", "2",
         "--iterations", "2", "--patch", "16", "--spacing", "2", "--base-channels", "4",
         "--threads", "1"],
        env=env, capture_output=True, text=True, timeout=300)
    # a rank that aborts (SIGABRT, once in a loaded fresh-clone run) says why before torchrun's
    # summary: keep those lines, not only the summary at the end
    why = [line for line in result.stderr.splitlines()
           if any(word in line for word in ("terminate called", "what()", "Error", "error:"))]
    assert result.returncode == 0, "\n".join(why[:20]) + "\n...\n" + result.stderr[-1500:]
    checksums = dict(re.findall(r"rank (\d) of 2: last weights checksum (-?\d+\.\d+)", result.stdout))
    output = result.stdout + result.stderr[-1500:]
    assert set(checksums) == {"0", "1"} and checksums["0"] == checksums["1"], output
    card = Registry(home=tmp_path / "home").get("ddp").card
    assert card.training["processes"] == 2 and card.training["iterations"] == 4


def _train_while_a_label_is_emptied(capsys, raw_dataset, case, monkeypatch):
    """One epoch of `neuroview train --dataset`, the label of ``case`` replaced by an empty one
    while it trains (Send to training set's Replace beside a running Train model...)."""
    import nibabel as nib

    from neuroview.ai import train

    fit = train.fit

    def fit_while_a_label_is_replaced(*args, **kwargs):
        label = raw_dataset / "labelsTr" / f"{case}.nii.gz"
        image = nib.load(label)
        nib.save(nib.Nifti1Image(np.zeros(image.shape, np.uint8), image.affine), label)
        return fit(*args, **kwargs)

    monkeypatch.setattr(train, "fit", fit_while_a_label_is_replaced)
    return _cli(capsys, "train", "--dataset", raw_dataset, "--out", "blobs", "--epochs", "1",
                "--iterations", "1", "--patch", "16", "--spacing", "2", "--base-channels", "2",
                "--batch-size", "1")


def test_the_card_hashes_the_files_trained_on(capsys, raw_dataset, monkeypatch):
    """A label replaced while the model trains (Send to training set's Replace, from the window
    beside a running Train model...) is not what the model learned from: the card's
    dataset_sha256 is the dataset as read for training (it was hashed after the epochs, naming
    files the model never saw)."""

    from neuroview.ai.finetune import dataset_hash, read_dataset
    from neuroview.ai.registry import Registry

    before = dataset_hash(read_dataset(raw_dataset))
    code, out, err = _train_while_a_label_is_emptied(capsys, raw_dataset, "c0", monkeypatch)
    assert code == 0, err
    card = Registry().get("blobs").card
    assert card.training["dataset_sha256"] == before != dataset_hash(read_dataset(raw_dataset))


def test_a_held_out_case_sent_again_during_training_is_named_on_the_card(capsys, raw_dataset,
                                                                         monkeypatch):
    """The held-out cases are read again for the final figures, after the epochs: one whose label
    was replaced meanwhile was measured on the new label while the card's dataset_sha256 named the
    old, with no word. Now the run says so and the card lists the case."""

    from neuroview.ai.finetune import read_dataset, split
    from neuroview.ai.registry import Registry

    held = split(read_dataset(raw_dataset))[1][0].name
    code, out, err = _train_while_a_label_is_emptied(capsys, raw_dataset, held, monkeypatch)
    assert code == 0, err
    assert f"held-out case {held} changed since training began" in out + err
    card = Registry().get("blobs").card
    assert card.metrics["held_out_changed_during_training"] == [held]


def test_an_unchanged_held_out_case_is_not_named(raw_dataset):
    from neuroview.ai.finetune import changed_cases, dataset_hash, read_dataset

    dataset = read_dataset(raw_dataset)
    digests: dict = {}
    dataset_hash(dataset, digests)
    assert changed_cases(dataset.cases, digests) == []
    (raw_dataset / "imagesTr" / "c2_0000.nii.gz").write_bytes(b"other")
    assert changed_cases(dataset.cases, digests) == ["c2"]


def test_promotion_measured_on_lesion_free_held_out_cases_is_refused(capsys, raw_dataset, tmp_path,
                                                                    card_factory):
    """`models promote B --dataset DIR` on a dataset whose held-out cases hold no lesion: a model
    that finds nothing scores Dice and F1 1.0 there. The cards' check refused such a promotion;
    measured on a dataset it went through."""
    import shutil

    import nibabel as nib

    from neuroview.ai.finetune import read_dataset, split
    from neuroview.ai.held_out import MIN_HELD_OUT_CASES
    from neuroview.ai.registry import Registry

    for number in range(6, 15):   # 15 cases: 3 held out, enough evidence by the case count
        shutil.copy(raw_dataset / "imagesTr" / f"c{number % 6}_0000.nii.gz",
                    raw_dataset / "imagesTr" / f"c{number}_0000.nii.gz")
        shutil.copy(raw_dataset / "labelsTr" / f"c{number % 6}.nii.gz",
                    raw_dataset / "labelsTr" / f"c{number}.nii.gz")
    meta = json.loads((raw_dataset / "dataset.json").read_text())
    (raw_dataset / "dataset.json").write_text(json.dumps({**meta, "numTraining": 15}))
    assert len(split(read_dataset(raw_dataset))[1]) >= MIN_HELD_OUT_CASES
    for label in (raw_dataset / "labelsTr").glob("*.nii.gz"):
        image = nib.load(label)
        nib.save(nib.Nifti1Image(np.zeros(image.shape, np.uint8), image.affine), label)
    registry = two_tiny_models(tmp_path, card_factory)
    registry.promote("tiny@1.0.0", force=True)
    code, out, err = _cli(capsys, "models", "promote", "tiny@1.1.0", "--dataset", raw_dataset)
    assert code != 0 and "hold no lesion" in err, (out, err)
    assert "hold no lesion" in out                    # the measurement's own note
    assert Registry().default_ref() == "tiny@1.0.0"
    code, out, err = _cli(capsys, "models", "promote", "tiny@1.1.0", "--dataset", raw_dataset, "--force")
    assert code == 0 and Registry().default_ref() == "tiny@1.1.0", err


def test_a_fine_tune_starts_at_the_learning_rate_asked_for(capsys, raw_dataset, monkeypatch):
    """A fine-tune (--base) starts gentler, at 1e-3, unless a rate is asked for: an explicit
    --learning-rate 0.003 (the from-scratch default) was silently lowered to 1e-3. (One base for
    the three fine-tunes: each trained its own.)"""
    from neuroview.ai import train

    seen = []
    fit = train.fit

    def recording_fit(network, config, *args, **kwargs):
        history = fit(network, config, *args, **kwargs)
        seen.append(config.learning_rate)   # what the optimiser started at
        return history

    monkeypatch.setattr(train, "fit", recording_fit)
    common = ["train", "--dataset", raw_dataset, "--epochs", "1", "--iterations", "1", "--patch", "16",
              "--spacing", "2", "--base-channels", "2", "--batch-size", "1"]
    assert _cli(capsys, *common, "--out", "blobs")[0] == 0
    assert seen == [3e-3]
    for number, (given, used) in enumerate([(None, 1e-3), ("0.003", 3e-3), ("0.0005", 5e-4)]):
        rate = [] if given is None else ["--learning-rate", given]
        code, out, err = _cli(capsys, *common, "--out", f"tuned{number}", "--base", "blobs", *rate)
        assert code == 0, err
        assert seen[-1] == pytest.approx(used), given


def test_resume_on_another_held_out_split_stops(capsys, raw_dataset, monkeypatch):
    """Cancel, send more cases, Start with Resume (ticked by itself): the held-out split moved, so
    the checkpoint's epochs trained on cases now held out and the card's 'held-out' Dice would
    include them. The resume stops, saying so (it continued and wrote such a card)."""
    import shutil

    from neuroview.ai import finetune
    from neuroview.core.errors import ModelError
    from neuroview.paths import user_data_dir

    def stopped(*args, **kwargs):
        raise ModelError("stopped after the epochs")   # as a Cancel leaves the checkpoint

    common = ["--out", "blobs", "--version", "1.0.0", "--epochs", "1", "--iterations", "1",
              "--patch", "16", "--spacing", "2", "--base-channels", "2", "--batch-size", "1"]
    with monkeypatch.context() as patch:
        patch.setattr(finetune, "changed_cases", stopped)   # the first step after the epochs
        code, out, err = _cli(capsys, "train", "--dataset", raw_dataset, *common)
    checkpoint = user_data_dir() / "models" / "blobs@1.0.0.checkpoint"
    assert code == 1 and (checkpoint / "state.json").exists()
    images, labels = raw_dataset / "imagesTr", raw_dataset / "labelsTr"
    for number in range(6, 10):                                # four more cases sent
        shutil.copy(images / "c0_0000.nii.gz", images / f"c{number}_0000.nii.gz")
        shutil.copy(labels / "c0.nii.gz", labels / f"c{number}.nii.gz")
    meta = json.loads((raw_dataset / "dataset.json").read_text())
    (raw_dataset / "dataset.json").write_text(json.dumps({**meta, "numTraining": 10}))
    code, out, err = _cli(capsys, "train", "--dataset", raw_dataset, *common, "--epochs", "2", "--resume")
    assert code == 1 and "held-out split changed since the checkpoint" in err and "without --resume" in err
    assert "epoch 2" not in out
    code, out, err = _cli(capsys, "train", "--dataset", raw_dataset, *common)   # a fresh run
    assert code == 0, err


def test_a_dataset_with_the_ignore_label_is_refused_not_learned(capsys, raw_dataset):
    """Partially reviewed cases (``dataset add --reviewed``) add nnU-Net's ``ignore`` label. It was
    trained as a class: the card read 'labels lesion, ignore', the held-out report gave 'ignore
    0.000' and counted the unreviewed voxels as a lesion (session 19). Until training leaves
    them out, train and compare --dataset refuse in one line."""
    import nibabel as nib

    meta = json.loads((raw_dataset / "dataset.json").read_text())
    meta["labels"]["ignore"] = 2
    (raw_dataset / "dataset.json").write_text(json.dumps(meta))
    label_path = raw_dataset / "labelsTr" / "c0.nii.gz"
    label = nib.load(label_path)
    array = np.asarray(label.dataobj).copy()
    array[:, :, :6] = 2  # voxels nobody reviewed
    nib.save(nib.Nifti1Image(array, label.affine), label_path)
    for command in (["train", "--dataset", raw_dataset, "--out", "x", "--epochs", "1",
                     "--iterations", "1", "--patch", "16", "--base-channels", "4"],
                    ["models", "compare", "lesionseg", "lesionseg", "--dataset", raw_dataset]):
        code, out, err = _cli(capsys, *command)
        assert code == 1 and "held-out Dice on" not in out  # compare: nothing measured
        assert not any(line.startswith(("epoch", "held-out")) for line in out.splitlines())  # train
        assert err.count("\n") == 1 and "'ignore' label (partially reviewed cases)" in err, err
    from neuroview.ai.registry import Registry

    assert "x" not in {entry.card.name for entry in Registry().entries()}


def test_resume_without_a_checkpoint_says_it_starts_from_the_start(capsys, raw_dataset):
    """``--resume`` with no checkpoint trained from scratch without a word (session 19)."""
    code, out, err = _cli(capsys, "train", "--dataset", raw_dataset, "--out", "fresh", "--resume",
                          "--epochs", "1", "--iterations", "1", "--patch", "16", "--spacing", "2",
                          "--base-channels", "4", "--batch-size", "1")
    assert code == 0, err
    assert "note: --resume found no checkpoint" in out and "fresh@1.0.0.checkpoint" in out
    assert "resumed from" not in out


def test_resume_of_a_run_killed_after_writing_its_model_finishes_it(capsys, raw_dataset, monkeypatch):
    """Killed after the package was written, before the checkpoint was removed: ``--resume``
    said 'model exists already' though the model was complete, and the checkpoint stayed. Now it
    says the run had finished and removes the leftover. A ``--force`` retrain killed half-way (the
    old package, newer checkpoints) still resumes."""
    import os
    import shutil

    from neuroview.cli import train as cli_train
    from neuroview.paths import user_data_dir

    def killed(path, *args, **kwargs):
        raise KeyboardInterrupt("killed before the checkpoint was removed")

    common = ["--out", "blobs", "--version", "1.0.0", "--epochs", "1", "--iterations", "1",
              "--patch", "16", "--spacing", "2", "--base-channels", "2", "--batch-size", "1"]
    with monkeypatch.context() as patch:
        patch.setattr(cli_train.shutil, "rmtree", killed)
        code, _, _ = _cli(capsys, "train", "--dataset", raw_dataset, *common)
    assert code != 0
    folder = user_data_dir() / "models" / "blobs@1.0.0"
    checkpoint = folder.with_name("blobs@1.0.0.checkpoint")
    assert (folder / "model.json").exists() and (checkpoint / "state.safetensors").exists()
    weights = (folder / "weights.safetensors").read_bytes()
    code, out, err = _cli(capsys, "train", "--dataset", raw_dataset, *common, "--resume")
    assert code == 0, err
    assert "was finished before the last run ended" in out and not checkpoint.exists()
    assert (folder / "weights.safetensors").read_bytes() == weights

    # a --force retrain killed half-way: its checkpoint is newer than the old package
    shutil.copytree(folder, checkpoint)   # any checkpoint files; only the order of writes counts
    state = checkpoint / "state.safetensors"
    shutil.copy(folder / "weights.safetensors", state)
    later = (folder / "model.json").stat().st_mtime_ns + 10**9
    os.utime(state, ns=(later, later))
    assert not cli_train._finished_before_kill(folder)
