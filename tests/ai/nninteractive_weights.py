"""An nnInteractive weights folder with random weights, laid out as the published one
(``nnInteractive_v1.0/``: ``plans.json``, ``dataset.json``, ``inference_session_class.json``,
``fold_0/checkpoint_final.pth``), for tests (tiny network) and ``bench/interactive.py``
(a network of the published size: nnU-Net's ResEnc-L, 192^3 patch).

The network comes from nnU-Net's own ``get_network_from_plans`` (He initialisation), with the
input channels nnInteractive's session builds (image + 7 interaction channels) and 2 outputs;
the checkpoint is saved the way nnInteractive's released checkpoints are (network weights,
``init_args`` with the configuration, ``trainer_name = nnInteractiveTrainer_stub``).
"""

from __future__ import annotations

import json
from pathlib import Path

CONFIGURATION = "3d_fullres_ps192_bs24"
N_INPUT = 1 + 7  # image + nnInteractive's legacy interaction channels (6 + previous mask)


def tiny_architecture() -> dict:
    """Three stages, 4..16 features, no normalisation and no conv bias: where the input is zero
    (padding around a small image) every activation is zero, so the answer there is the output
    layer's bias alone (see :func:`_background_outside`)."""
    return {
        "network_class_name": "dynamic_network_architectures.architectures.unet.PlainConvUNet",
        "arch_kwargs": {
            "n_stages": 3, "features_per_stage": [4, 8, 16], "conv_op": "torch.nn.modules.conv.Conv3d",
            "kernel_sizes": [[3, 3, 3]] * 3, "strides": [[1, 1, 1], [2, 2, 2], [2, 2, 2]],
            "n_conv_per_stage": [1, 1, 1], "n_conv_per_stage_decoder": [1, 1], "conv_bias": False,
            "norm_op": None, "norm_op_kwargs": None, "dropout_op": None,
            "dropout_op_kwargs": None, "nonlin": "torch.nn.LeakyReLU",
            "nonlin_kwargs": {"inplace": True}},
        "_kw_requires_import": ["conv_op", "norm_op", "dropout_op", "nonlin"],
    }


def resenc_l_architecture() -> dict:
    """nnU-Net's ResEnc-L 3d_fullres network (nnUNetResEncUNetLPlans), which nnInteractive v1.0
    was trained with; its real plans.json cannot be downloaded here, so this is that planner's
    layout for a 192^3 isotropic patch."""
    return {
        "network_class_name": "dynamic_network_architectures.architectures.unet.ResidualEncoderUNet",
        "arch_kwargs": {
            "n_stages": 6, "features_per_stage": [32, 64, 128, 256, 320, 320],
            "conv_op": "torch.nn.modules.conv.Conv3d", "kernel_sizes": [[3, 3, 3]] * 6,
            "strides": [[1, 1, 1]] + [[2, 2, 2]] * 5, "n_blocks_per_stage": [1, 3, 4, 6, 6, 6],
            "n_conv_per_stage_decoder": [1, 1, 1, 1, 1], "conv_bias": True,
            "norm_op": "torch.nn.modules.instancenorm.InstanceNorm3d",
            "norm_op_kwargs": {"eps": 1e-05, "affine": True}, "dropout_op": None,
            "dropout_op_kwargs": None, "nonlin": "torch.nn.LeakyReLU",
            "nonlin_kwargs": {"inplace": True}},
        "_kw_requires_import": ["conv_op", "norm_op", "dropout_op", "nonlin"],
    }


def plans(architecture: dict, patch_size) -> dict:
    return {
        "dataset_name": "Dataset999_RandomWeights", "plans_name": "nnUNetResEncUNetLPlans_noResampling",
        "original_median_spacing_after_transp": [1.0, 1.0, 1.0],
        "original_median_shape_after_transp": [64, 64, 64],
        "image_reader_writer": "SimpleITKIO", "transpose_forward": [0, 1, 2],
        "transpose_backward": [0, 1, 2], "experiment_planner_used": "nnUNetPlannerResEncL",
        "label_manager": "LabelManager",
        "foreground_intensity_properties_per_channel": {"0": {
            "max": 1.0, "mean": 0.0, "median": 0.0, "min": 0.0, "percentile_00_5": 0.0,
            "percentile_99_5": 1.0, "std": 1.0}},
        "configurations": {CONFIGURATION: {
            "data_identifier": "nnUNetPlans_3d_fullres", "preprocessor_name": "DefaultPreprocessor",
            "batch_size": 2, "patch_size": list(patch_size),
            "median_image_size_in_voxels": [64.0, 64.0, 64.0], "spacing": [1.0, 1.0, 1.0],
            "normalization_schemes": ["ZScoreNormalization"], "use_mask_for_norm": [False],
            "resampling_fn_data": "resample_data_or_seg_to_shape",
            "resampling_fn_seg": "resample_data_or_seg_to_shape",
            "resampling_fn_data_kwargs": {"is_seg": False, "order": 3, "order_z": 0,
                                          "force_separate_z": None},
            "resampling_fn_seg_kwargs": {"is_seg": True, "order": 1, "order_z": 0, "force_separate_z": None},
            "resampling_fn_probabilities": "resample_data_or_seg_to_shape",
            "resampling_fn_probabilities_kwargs": {"is_seg": False, "order": 1, "order_z": 0,
                                                   "force_separate_z": None},
            "architecture": architecture, "batch_dice": False}},
    }


def _background_outside(network, patch_size, margin: float = 0.5) -> None:
    """Shift the output layer's background bias so that where the input is all zero (the
    padding around a small image: normalised image 0, no interaction) the answer is background.
    He-initialised networks otherwise answer "object" on whole faces of the patch, nnInteractive
    zooms out to its limit on every prompt, and its refinement planner fails on such output
    (exact for :func:`tiny_architecture`, whose zero input gives zero activations)."""
    import torch

    seg = network.decoder.seg_layers[-1]
    if margin >= 100:  # background everywhere, whatever the input: no need to look
        with torch.no_grad():
            seg.bias[0] += margin
        return
    with torch.no_grad():
        logits = network.eval()(torch.zeros((1, N_INPUT) + tuple(patch_size)))
        excess = float((logits[0, 1] - logits[0, 0]).max())
        seg.bias[0] += max(excess, 0.0) + margin


def make_weights_folder(root: Path, seed: int = 0, architecture=None, patch_size=(32, 32, 32),
                        checkpoint_extra=None, background_margin: float = 0.5) -> Path:
    """``root/nnInteractive_random/`` with random weights; ``checkpoint_extra`` goes into the
    checkpoint as is (e.g. a pickled object, to test the refusal). A large ``background_margin``
    makes the network answer background everywhere (bench: one forward pass per prompt, as for
    a lesion that fits nnInteractive's patch, instead of random zooming out)."""
    import numpy as np
    import torch
    from nnunetv2.utilities.get_network_from_plans import get_network_from_plans

    folder = Path(root) / "nnInteractive_random"
    (folder / "fold_0").mkdir(parents=True)
    arch = architecture or tiny_architecture()
    the_plans = plans(arch, patch_size)
    dataset = {"channel_names": {"0": "image"}, "labels": {"background": 0, "object": 1},
               "numTraining": 1, "file_ending": ".nii.gz"}
    (folder / "plans.json").write_text(json.dumps(the_plans, indent=2))
    (folder / "dataset.json").write_text(json.dumps(dataset, indent=2))
    (folder / "inference_session_class.json").write_text(json.dumps(
        {"inference_class": "nnInteractiveInferenceSession", "point_radius": 4,
         "preferred_scribble_thickness": [2, 2, 2], "interaction_decay": 0.9}))
    (folder / "LICENSE").write_text("random weights for tests\n")
    torch.manual_seed(seed)
    network = get_network_from_plans(arch["network_class_name"], arch["arch_kwargs"],
                                     arch["_kw_requires_import"], N_INPUT, 2, allow_init=True,
                                     deep_supervision=False)
    _background_outside(network, patch_size, background_margin)
    checkpoint = {
        "network_weights": network.state_dict(),
        "init_args": {"plans": the_plans, "configuration": CONFIGURATION, "fold": 0,
                      "device": torch.device("cpu")},
        "trainer_name": "nnInteractiveTrainer_stub",
        "current_epoch": 0, "_best_ema": np.float64(0.5),
        "logging": {"mean_fg_dice": [np.float64(0.5)]},
    }
    checkpoint.update(checkpoint_extra or {})
    torch.save(checkpoint, folder / "fold_0" / "checkpoint_final.pth")
    return folder
