"""``neuroview train`` does not load torch's compiler (``torch._dynamo``: 1.3 s of CPU in every
training process, for ``torch.optim``'s compile markers), and its optimizer, :class:`EagerAdamW`,
gives torch's AdamW bit for bit: steps with changing learning rates and clipped gradients, its
state saved and loaded into another (a resumed run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from tests.checkout import REPO

torch = pytest.importorskip("torch")

WATCHED = ("import atexit, runpy, sys; "
           "atexit.register(lambda: print('compiler loaded:', 'torch._dynamo' in sys.modules)); "
           "sys.argv = ['neuroview', *sys.argv[1:]]; runpy.run_module('neuroview', run_name='__main__')")


def blobs(folder, rng):
    """Four 2 mm 24^3 cases, a bright blob (label 1) on noise each: an nnU-Net v2 raw dataset."""
    import nibabel as nib

    root = folder / "Dataset001_Blobs"
    for sub in ("imagesTr", "labelsTr"):
        (root / sub).mkdir(parents=True)
    grid = np.indices((24, 24, 24)).transpose(1, 2, 3, 0)
    for number in range(4):
        label = (np.linalg.norm(grid - rng.uniform(8, 16, 3), axis=-1) < 5).astype(np.uint8)
        image = (100 + 10 * rng.standard_normal(label.shape) + 150 * label).astype(np.float32)
        affine = np.diag([2.0, 2.0, 2.0, 1.0])
        nib.save(nib.Nifti1Image(image, affine), root / "imagesTr" / f"c{number}_0000.nii.gz")
        nib.save(nib.Nifti1Image(label, affine), root / "labelsTr" / f"c{number}.nii.gz")
    (root / "dataset.json").write_text(json.dumps({
        "channel_names": {"0": "T1"}, "labels": {"background": 0, "lesion": 1}, "numTraining": 4,
        "file_ending": ".nii.gz"}))
    return root


def test_a_training_run_does_not_load_the_compiler(tmp_path, rng):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
               OMP_NUM_THREADS="1")
    done = subprocess.run(
        [sys.executable, "-c", WATCHED, "train", "--dataset", str(blobs(tmp_path, rng)), "--out", "blobs",
         "--version", "1.0.0", "--epochs", "1", "--iterations", "2", "--device", "cpu", "--patch", "16",
         "--spacing", "2", "--base-channels", "4", "--batch-size", "2", "--threads", "1"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "held-out Dice" in done.stdout   # it trained and measured
    assert done.stdout.splitlines()[-1] == "compiler loaded: False", done.stdout[-500:]


def run(optimizer_class):
    torch.manual_seed(7)
    network = torch.nn.Sequential(torch.nn.Linear(6, 5), torch.nn.ReLU(), torch.nn.Linear(5, 2))
    optimizer = optimizer_class(network.parameters(), lr=3e-3, weight_decay=3e-5)
    x = torch.randn(4, 6)
    for step in range(6):
        if step == 3:   # a resumed run: a new optimizer given the state
            state = optimizer.state_dict()
            optimizer = optimizer_class(network.parameters(), lr=3e-3, weight_decay=3e-5)
            optimizer.load_state_dict(state)
        for group in optimizer.param_groups:
            group["lr"] = 3e-3 * (1 - step / 6) ** 0.9
        optimizer.zero_grad(set_to_none=True)
        network(x).pow(2).mean().backward()
        torch.nn.utils.clip_grad_norm_(network.parameters(), 0.01)
        optimizer.step()
    return [p.detach().clone() for p in network.parameters()], optimizer.state_dict()


def test_eager_adamw_gives_torchs_adamw_bit_for_bit():
    from neuroview.ai.eager_optim import EagerAdamW

    ours, our_state = run(EagerAdamW)
    theirs, their_state = run(torch.optim.AdamW)
    assert all(torch.equal(a, b) for a, b in zip(ours, theirs))
    assert our_state["param_groups"] == their_state["param_groups"]
    for index, state in their_state["state"].items():
        assert all(torch.equal(state[key], our_state["state"][index][key]) for key in state)
