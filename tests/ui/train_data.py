"""A tiny nnU-Net v2 raw dataset for the training and model GUI tests (as tests/ai make theirs), and
tiny model packages in the registry."""

from __future__ import annotations

import json

import numpy as np


def make_raw_dataset(folder, rng):
    """Six 2 mm 24^3 cases of bright blobs on noisy tissue, label 1 = lesion, channel T1."""
    import nibabel as nib

    root = folder / "Dataset001_Blobs"
    (root / "imagesTr").mkdir(parents=True)
    (root / "labelsTr").mkdir()
    affine = np.diag([2.0, 2.0, 2.0, 1.0])
    grid = np.indices((24, 24, 24)).transpose(1, 2, 3, 0)
    for number in range(6):
        centre = rng.uniform(8, 16, 3)
        label = (np.linalg.norm(grid - centre, axis=-1) < rng.uniform(3, 6)).astype(np.uint8)
        image = 100 + 10 * rng.standard_normal(label.shape) + 150 * label
        nib.save(nib.Nifti1Image(image.astype(np.float32), affine),
                 root / "imagesTr" / f"c{number}_0000.nii.gz")
        nib.save(nib.Nifti1Image(label, affine), root / "labelsTr" / f"c{number}.nii.gz")
    (root / "dataset.json").write_text(json.dumps({
        "channel_names": {"0": "T1"}, "labels": {"background": 0, "lesion": 1},
        "numTraining": 6, "file_ending": ".nii.gz"}))
    return root


def damage_training_labels(root) -> None:
    """Every training case's label emptied (a damaged correction); the held-out ones kept."""
    import nibabel as nib

    from neuroview.ai.finetune import read_dataset, split

    train, _, _ = split(read_dataset(root))
    for case in train:
        image = nib.load(case.label)
        nib.save(nib.Nifti1Image(np.zeros(image.shape, np.uint8), image.affine), case.label)


def stopped_fine_tune(dataset, base, monkeypatch, out="mine", version="1.1.0") -> list[str]:
    """``neuroview train`` of ``out@version`` from ``base`` on ``dataset``, one epoch of one batch,
    stopped after its epoch (as a Cancel leaves its checkpoint); the command's arguments but
    ``--base``."""
    from neuroview.ai import finetune
    from neuroview.cli.main import main
    from neuroview.core.errors import ModelError

    def stopped(*args, **kwargs):
        raise ModelError("stopped after the epochs")

    common = ["train", "--dataset", str(dataset), "--out", out, "--version", version, "--epochs",
              "1", "--iterations", "1", "--batch-size", "1"]
    with monkeypatch.context() as patch:
        patch.setattr(finetune, "judge", lambda *a, **k: False)   # kept, whatever its Dice
        patch.setattr(finetune, "changed_cases", stopped)   # the first step after the epochs
        assert main([*common, "--base", base]) == 1
    return common


def resume_dialog(qtbot, window, root, monkeypatch):
    """AI > Train model... on ``root`` as mine@1.1.0, its checkpoint found (Resume ticked); its
    process sleeps: (dialog, the arguments of each run started)."""
    from neuroview.ui import training_runner

    started = []
    monkeypatch.setattr(training_runner, "neuroview_command",
                        lambda arguments: started.append(arguments) or ("sleep", ["30"]))
    window.model_actions.train_action.trigger()
    dialog = window.model_actions.train_dialog
    qtbot.waitExposed(dialog)
    dialog.dataset_edit.setText(str(root))
    dialog.name_edit.setText("mine")
    dialog.version_edit.setText("1.1.0")
    assert dialog.resume_check.isChecked()   # its checkpoint found
    return dialog, started


def install(tmp_path, name, version, dice, split="split-a", parent=None, head_bias=None, cases=3,
            metrics=None, **fields):
    """A real (tiny, random) safetensors package with ``dice`` on its card (and ``metrics``, and
    any other card ``fields``: ``description``, ``training``...), added to the registry."""
    import torch

    from neuroview.ai.api import LabelInfo, ModelCard
    from neuroview.ai.networks import build_network
    from neuroview.ai.package import save_package
    from neuroview.ai.registry import Registry

    hyper = {"in_channels": 1, "out_channels": 2, "base_channels": 2, "levels": 2}
    card = ModelCard(name=name, version=version, architecture="unet3d", hyperparameters=hyper,
                     input_channels=["T1"], target_spacing=(2.0, 2.0, 2.0), patch_size=(16, 16, 16),
                     labels=[LabelInfo(1, "lesion", (255, 0, 0))], parent=parent,
                     **fields,
                     created=f"2026-01-0{int(version[2]) + 1}T10:00:00+00:00",
                     metrics={"held_out_dice": {"lesion": dice}, "held_out_split": split,
                              "held_out_cases": cases, **(metrics or {})})
    torch.manual_seed(0)   # the same tiny network every run: a fine-tune beat a random one by chance
    network = build_network("unet3d", hyper)
    if head_bias is not None:  # a constant answer: every voxel background, or every voxel lesion
        with torch.no_grad():
            network.head.weight.zero_()
            network.head.bias.copy_(torch.tensor(head_bias))
    return Registry().add(save_package(tmp_path / f"{name}-{version}", card, network.state_dict()))


def two_chains_at_800_px(qtbot, window, tmp_path):
    """Two models whose cards carry long lineages (as the bundled ones write them: name@2.5.0 <-
    name@2.4.0 <- ...), the Models dialog comparing them at its narrowest width, 800 px."""
    install(tmp_path, "chain", "1.0.0", 0.5, parent="chain@0.9.0 <- chain@0.8.0 <- chain@0.7.0")
    install(tmp_path, "chain", "1.4.0", 0.7,
            parent="chain@1.3.0 <- chain@1.2.0 <- chain@1.1.0 <- chain@1.0.0 <- chain@0.9.0")
    dialog = window.model_actions.open_models_dialog("chain@1.0.0", "chain@1.4.0")
    dialog.resize(800, dialog.height())
    qtbot.waitUntil(lambda: dialog.width() == 800)
    return dialog


def sleeping_run(qtbot, window, monkeypatch):
    """A run of blobs@1.0.0 from the Train dialog whose process sleeps (60 s) until it is
    stopped: (dialog, process)."""
    from neuroview.ui import training_runner
    from neuroview.ui.training_runner import TrainRequest

    monkeypatch.setattr(training_runner, "neuroview_command", lambda arguments: ("sleep", ["60"]))
    window.model_actions.train_action.trigger()
    dialog = window.model_actions.train_dialog
    dialog.process.start(TrainRequest(dataset="d", name="blobs", version="1.0.0"))
    qtbot.waitUntil(lambda: dialog.process.running, timeout=5000)
    return dialog, dialog.process
