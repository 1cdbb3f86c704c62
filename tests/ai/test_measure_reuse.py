"""``models compare A B --dataset D`` then ``models promote B --dataset D``: the second reuses the
first's measurements while the model files and the dataset's content are the same by hash (it ran
both models again), says so on the line it prints, and measures again after any change: one label
file, one file of a model's package."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np
import pytest

from tests.ai.model_cards import two_tiny_models
from tests.ui.train_data import make_raw_dataset

torch = pytest.importorskip("torch")


def _cli(capsys, *args):
    from neuroview.cli.main import main

    code = main([str(a) for a in args])
    return code, *capsys.readouterr()


def _measured_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if ": held-out Dice on " in line]


def test_promote_reuses_compare_until_a_label_file_changes(capsys, tmp_path, rng, card_factory,
                                                          monkeypatch):
    from neuroview.ai import finetune

    raw_dataset = make_raw_dataset(tmp_path, rng)
    registry = two_tiny_models(tmp_path, card_factory)
    registry.promote("tiny@1.0.0", force=True)
    runs = []
    real = finetune.evaluate_cases

    def counted(model, *args, **kwargs):
        runs.append(model.card.ref)
        return real(model, *args, **kwargs)

    monkeypatch.setattr(finetune, "evaluate_cases", counted)
    compare = ("models", "compare", "tiny@1.0.0", "tiny@1.1.0", "--dataset", raw_dataset,
               "--device", "cpu")
    promote = ("models", "promote", "tiny@1.1.0", "--dataset", raw_dataset, "--device", "cpu")

    code, out, err = _cli(capsys, *compare)
    assert code == 0, err
    assert runs == ["tiny@1.0.0", "tiny@1.1.0"]
    first = _measured_lines(out)
    assert len(first) == 2 and not any("reused" in line for line in first)
    stored = json.loads((registry.home / "measurements.json").read_text())
    assert str(tmp_path) not in json.dumps(stored)              # digests and figures, no paths

    code, out, err = _cli(capsys, *promote)                     # refused or not: measured first
    lines = _measured_lines(out)
    assert runs == ["tiny@1.0.0", "tiny@1.1.0"], "measured again with nothing changed"
    assert len(lines) == 2
    for line, before in zip(lines, reversed(first)):            # promote measures B, then A
        assert line.startswith(before)                          # the same figures
        assert "reused from " in line and "the same model files and dataset content by hash" in line

    label = next((raw_dataset / "labelsTr").glob("*.nii.gz"))    # one label file changed
    image = nib.load(label)
    changed = np.asarray(image.dataobj).copy()
    changed[0, 0, 0] = 1 - changed[0, 0, 0]
    nib.save(nib.Nifti1Image(changed, image.affine), label)
    code, out, err = _cli(capsys, *promote)
    assert runs[2:] == ["tiny@1.1.0", "tiny@1.0.0"]
    assert not any("reused" in line for line in _measured_lines(out))

    (registry.models_dir / "tiny@1.1.0" / "notes.txt").write_text("changed")   # one model's file
    code, out, err = _cli(capsys, *promote)
    assert runs[4:] == ["tiny@1.1.0"]                           # the other is reused
    lines = _measured_lines(out)
    assert "reused" not in lines[0] and "reused" in lines[1]
