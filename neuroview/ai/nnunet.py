"""A trained nnU-Net v2 results folder as a neuroview model (optional extra: ``nnunetv2``).

The folder is what nnU-Net's training writes, e.g.
``nnUNet_results/Dataset501_Brain/nnUNetTrainer__nnUNetPlans__3d_fullres/`` with ``plans.json``,
``dataset.json`` and ``fold_N/checkpoint_final.pth`` (or ``checkpoint_best.pth``). neuroview reads
the plans with nnU-Net's own ``PlansManager``, builds the network with
``dynamic_network_architectures`` and runs it in its own sliding window, so the image is
reoriented, resampled and put back on its grid as for any other model. The folder's files are
read by :mod:`.nnunet_files`, the network is built by :mod:`.nnunet_network`.

Nothing is unpickled as code: checkpoints are read with ``torch.load(weights_only=True)``, whose
restricted unpickler builds only tensors, plain containers and numbers (numpy scalars and dtypes
are allowed too, because nnU-Net's training log stores its Dice values as numpy floats). The
network class named by the plans must live in ``dynamic_network_architectures.architectures`` and
its building blocks in ``torch.nn``: a plans file cannot make neuroview import anything else
(nnU-Net's own ``get_network_from_plans`` would ``pydoc.locate`` any name).

Axis order. nnU-Net's arrays are the image file's voxel axes reversed: SimpleITKIO gives
``(z, y, x)`` and NibabelIO transposes nibabel's ``[i, j, k]`` to ``[k, j, i]`` to match; the plans'
``transpose_forward`` then permutes those, and the configuration's ``spacing`` and ``patch_size``
are in that final order. neuroview gives the network its closest-RAS grid ``[R, A, S]`` reversed to
``[S, A, R]`` (then ``transpose_forward``), which is exactly what nnU-Net saw for training images
stored with i ~ left-right, j ~ anterior-posterior, k ~ inferior-superior (axial NIfTI, the usual
case; whether an axis pointed L or R does not matter for nnU-Net models, which train with
mirroring on every axis). The card's ``target_spacing`` and ``patch_size`` are given in RAS order.

Folds: every ``fold_N`` with a checkpoint is used and their logits are averaged, as nnU-Net's
predictor does (``fold_all`` only when no numbered fold exists). The sliding window runs in its
nnU-Net style (nnU-Net's window placement and Gaussian, logits averaged). Differences that remain
from ``nnUNetv2_predict`` are listed in the README: neuroview resamples linearly where nnU-Net
uses third-order splines, sums windows in float32 where nnU-Net uses float16, and does not crop
to the image's nonzero bounding box before predicting.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Optional

from ..core.errors import ModelError, first_line
from ..core.plural import plural
from ..core.safepath import copy_with_room, file_inside
from .api import LabelInfo, LoadedModel, ModelCard
from .nnunet_files import (
    CHECKPOINTS,
    DATASET_FILE,
    PLANS_FILE,
    check_labels,
    find_checkpoints,
    load_checkpoint,
    read_json_file,
)
from .nnunet_network import build_network, check_shapes, ensemble_class, load_weights

SUPPORTED_NORMALISATION = ("ZScoreNormalization", "CTNormalization", "NoNormalization",
                           "RescaleTo01Normalization", "RGBTo01Normalization")
FORMAT = "nnunet"


def _configuration_name(folder: Path, checkpoint: dict) -> tuple[str, str, str]:
    """``(trainer, plans identifier, configuration)``: the checkpoint's own record, else the
    folder's name ``TRAINER__PLANS__CONFIGURATION``."""
    init_args = checkpoint.get("init_args") or {}
    parts = folder.name.split("__")
    configuration = init_args.get("configuration")
    if isinstance(configuration, str):
        trainer = checkpoint.get("trainer_name")
        return (str(trainer) if trainer else (parts[0] if len(parts) == 3 else "nnUNetTrainer"),
                str(init_args.get("plans", {}).get("plans_name", "nnUNetPlans"))
                if isinstance(init_args.get("plans"), dict) else "nnUNetPlans", configuration)
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    raise ModelError("cannot tell the nnU-Net configuration: the folder is not named "
                     "TRAINER__PLANS__CONFIGURATION and the checkpoint does not say", path=folder)


def read_nnunet_card(folder: str | Path) -> ModelCard:
    """The card neuroview makes for an nnU-Net results folder (loads the checkpoints to check)."""
    return load_nnunet(folder).card


def copy_results(folder: str | Path, card: ModelCard, target: str | Path) -> None:
    """Copy what neuroview needs of an nnU-Net folder (JSONs and the card's checkpoints) to
    ``target``; the optimizer states inside the checkpoints come along (they are not split out,
    so that the copy is byte-identical to what nnU-Net wrote)."""
    folder, target = Path(folder), Path(target)
    target.mkdir(parents=True)
    for name in (PLANS_FILE, DATASET_FILE):
        copy_with_room(file_inside(folder, name, folder, "file", ModelError), target / name,
                       name, ModelError, folder)
    checkpoint = str(card.hyperparameters.get("checkpoint", CHECKPOINTS[0]))
    for fold in card.hyperparameters.get("folds", []):
        (target / f"fold_{fold}").mkdir()
        # a symlink out of the folder (another user's files, /dev/zero) is refused, not copied
        copy_with_room(file_inside(folder, f"fold_{fold}/{checkpoint}", folder, "checkpoint",
                                   ModelError), target / f"fold_{fold}" / checkpoint,
                       f"checkpoint fold_{fold}/{checkpoint}", ModelError, folder)


def _import_nnunet(folder: Path):
    try:
        from nnunetv2.utilities.plans_handling.plans_handler import PlansManager
    except ImportError:
        raise ModelError("nnU-Net results folders need the optional nnunetv2 package", path=folder,
                         hint="pip install nnunetv2 (or neuroview[nnunet])") from None
    return PlansManager


def _ras_axes(transpose_forward) -> tuple[int, int, int]:
    """RAS axis fed to each network axis: nnU-Net axis r is voxel axis 2 - r, then transposed."""
    return tuple(2 - int(r) for r in transpose_forward)


def _channel_names(dataset: dict, folder: Path) -> list[str]:
    names = dataset.get("channel_names") or dataset.get("modality")
    if not isinstance(names, dict) or not names:
        raise ModelError("dataset.json lists no channel_names", path=folder / DATASET_FILE)
    return [str(names[k]) for k in sorted(names, key=lambda k: int(k))]


def _grid_and_schemes(folder: Path, plans_manager, configuration) -> tuple[list, list, list]:
    """The configuration's spacing and patch in RAS order, and its normalisation per channel."""
    axes = _ras_axes(plans_manager.transpose_forward)
    spacing_ras = [0.0, 0.0, 0.0]
    patch_ras = [0, 0, 0]
    for net_axis, ras_axis in enumerate(axes):
        spacing_ras[ras_axis] = float(configuration.spacing[net_axis])
        patch_ras[ras_axis] = int(configuration.patch_size[net_axis])
    intensity = plans_manager.foreground_intensity_properties_per_channel or {}
    schemes = []
    for index, method in enumerate(configuration.normalization_schemes):
        if not isinstance(method, str) or method not in SUPPORTED_NORMALISATION:
            raise ModelError(f"unknown nnU-Net normalisation {method!r} in plans.json",
                             path=folder / PLANS_FILE, hint=f"known: {', '.join(SUPPORTED_NORMALISATION)}")
        schemes.append({"method": method, "use_mask_for_norm": bool(configuration.use_mask_for_norm[index]),
                        "intensity": dict(intensity.get(str(index), {}))})
    return spacing_ras, patch_ras, schemes


def _card(folder: Path, plans_manager, configuration, config_name: str, dataset: dict,
          label_manager, folds: list[str], checkpoint: dict, checkpoint_name: str,
          trainer: str) -> ModelCard:
    from ..core.labels import default_color

    channels = _channel_names(dataset, folder)
    value_to_name = {}
    for name, value in (dataset.get("labels") or {}).items():
        if isinstance(value, int):
            value_to_name[value] = str(name)
    ignore = label_manager.ignore_label
    values = [int(v) for v in label_manager.all_labels if v != 0 and v != ignore]
    labels = [LabelInfo(v, value_to_name.get(v, f"label {v}"), default_color(v)) for v in values]
    try:   # values of another type or count (a spacing of [], use_mask_for_norm shorter)
        spacing_ras, patch_ras, schemes = _grid_and_schemes(folder, plans_manager, configuration)
    except (IndexError, TypeError, ValueError, KeyError, AttributeError, OverflowError) as exc:
        raise ModelError(f"plans.json's {config_name} configuration cannot be read ({type(exc).__name__}: "
                         f"{first_line(exc, 120)})", path=folder / PLANS_FILE) from None
    name = folder.parent.name if folder.parent.name.startswith("Dataset") else \
        str(plans_manager.plans.get("dataset_name", folder.name))
    short_arch = configuration.network_arch_class_name.rsplit(".", 1)[-1]
    epoch = checkpoint.get("current_epoch")
    return ModelCard(
        name=re.sub(r"[^A-Za-z0-9._-]+", "_", name),
        version=f"nnunet-{config_name}-fold{'+'.join(folds)}",
        architecture=f"nnunet/{short_arch}",
        hyperparameters={"configuration": config_name, "folds": folds, "checkpoint": checkpoint_name,
                         "trainer": trainer, "plans": plans_manager.plans_name},
        input_channels=channels,
        target_spacing=tuple(spacing_ras),
        patch_size=tuple(patch_ras),
        labels=labels,
        normalization={"scheme": "nnunet", "channels": schemes},
        overlap=0.5,  # nnU-Net's default tile_step_size
        format=FORMAT,
        weights_file="",
        description=f"nnU-Net v2 {config_name} model ({trainer}, {plural(len(folds), 'fold')}) read from "
                    f"{folder.name}",
        training={"source": "nnU-Net v2 results folder", "trainer": trainer,
                  "epochs": int(epoch) if isinstance(epoch, (int, float)) else None,
                  "image_reader_writer": plans_manager.image_reader_writer_class.__name__
                  if hasattr(plans_manager, "image_reader_writer_class") else None},
    )


def load_nnunet(folder: str | Path, card: Optional[ModelCard] = None):
    """A :class:`LoadedModel` for an nnU-Net v2 results folder (``card``: a stored card to keep)."""
    folder = Path(folder)
    PlansManager = _import_nnunet(folder)
    plans = read_json_file(folder / PLANS_FILE)
    dataset = read_json_file(folder / DATASET_FILE)
    check_labels(dataset, folder / DATASET_FILE)
    for key in ("transpose_forward", "transpose_backward"):
        order = plans.get(key, [0, 1, 2])
        if not isinstance(order, list) or sorted(map(repr, order)) != ["0", "1", "2"]:
            raise ModelError(f"plans.json's {key} must order the axes 0, 1, 2 (e.g. [0, 1, 2]), "
                             f"not {str(order)[:40]}", path=folder / PLANS_FILE)
    wanted = [str(f) for f in card.hyperparameters.get("folds", [])] if card else None
    items = find_checkpoints(folder, wanted or None,
                             card.hyperparameters.get("checkpoint") if card else None)
    checkpoints = [(fold, path, load_checkpoint(path)) for fold, path in items]
    trainer, _, config_name = _configuration_name(folder, checkpoints[0][2])
    if card is not None:  # a copy in the registry: its folder name no longer says
        trainer = str(card.hyperparameters.get("trainer", trainer))
        config_name = str(card.hyperparameters.get("configuration", config_name))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nnU-Net's notes about old plans formats
        try:
            plans_manager = PlansManager(plans)
            configuration = plans_manager.get_configuration(config_name)
            label_manager = plans_manager.get_label_manager(dataset)
        except (KeyError, TypeError, ValueError, AssertionError, RuntimeError, AttributeError,
                IndexError, OverflowError) as exc:
            raise ModelError(f"plans.json has no usable configuration {config_name!r} ({exc!r})",
                             path=folder / PLANS_FILE) from None
    if len(configuration.patch_size) != 3:
        raise ModelError(f"nnU-Net configuration {config_name} is {len(configuration.patch_size)}D; "
                         "neuroview runs 3D configurations (3d_fullres, 3d_lowres)", path=folder)
    if configuration.configuration.get("previous_stage"):
        raise ModelError(f"nnU-Net configuration {config_name} is a cascade stage that needs the "
                         "previous stage's segmentation; use 3d_fullres or 3d_lowres", path=folder)
    if label_manager.has_regions:
        raise ModelError("region-based nnU-Net models (overlapping labels) are not supported",
                         path=folder / DATASET_FILE)
    n_channels = len(_channel_names(dataset, folder))
    if len(configuration.normalization_schemes) != n_channels:
        raise ModelError(f"plans.json normalises {len(configuration.normalization_schemes)} channels "
                         f"but dataset.json lists {n_channels}", path=folder / PLANS_FILE)
    n_outputs = label_manager.num_segmentation_heads
    members = []
    for _, path, checkpoint in checkpoints:
        check_shapes(configuration, n_channels, n_outputs, folder, checkpoint, path)
        network = build_network(configuration, n_channels, n_outputs, folder)
        load_weights(network, checkpoint, path)
        members.append(network.eval())
    made = _card(folder, plans_manager, configuration, config_name, dataset, label_manager,
                 [fold for fold, _, _ in checkpoints], checkpoints[0][2], items[0][1].name, trainer)
    if card is not None:
        if card.n_classes != made.n_classes or card.n_channels != made.n_channels:
            raise ModelError("the stored card does not match the nnU-Net folder's labels/channels",
                             path=folder)
        made = card
    network = ensemble_class()(members, _ras_axes(plans_manager.transpose_forward)).eval()
    return LoadedModel(made, network, str(folder), FORMAT, window="nnunet")


