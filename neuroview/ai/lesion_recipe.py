"""The bundled lesion model's recipe (``neuroview train --synthetic``): synthetic lesions painted
into deformed real anatomy, trained by :func:`train.fit` (from scratch or from a ``--base``), then
the finish step: the post-processing chosen on tuning heads, the held-out figures measured with it
and the package written with its card."""

from __future__ import annotations

import copy
import datetime as _dt
from pathlib import Path
from typing import Optional

import torch

from ..core.errors import ModelError
from .api import LabelInfo, ModelCard
from .base_rule import NOT_BETTER, judge
from .checkpoint import saved_plan
from .distributed import describe_device, distributed_rank
from .metrics import dice_text, format_summary, rounded
from .networks import build_network
from .normalize import TRAINING_CLIP_PERCENTILES
from .package import save_package
from .samplers import parallel_sampler, synthetic_sampler
from .train import check_automatic_base, fit, print_line
from .train_config import TrainConfig
from .train_plan import resumed_shape
from .validation import head_cases, held_out_metrics, validate

LESION_LABELS = [LabelInfo(1, "lesion", (255, 64, 0))]


def train_synthetic(config: TrainConfig, progress=None, cancel=None, log=None) -> Optional[Path]:
    """Train the bundled lesion model on synthetic lesions, from scratch or from
    ``config.extra["base"]`` (which an epoch must beat on the validation heads, :mod:`.base_rule`);
    writes the package."""
    from . import synth

    log = log or print_line
    if config.resume:   # the run's voxel size and patch edge go on (train_plan.resumed_shape)
        note = resumed_shape(saved_plan(config.out), config, config.extra.get("plan_given", ()))
        if note and distributed_rank()[0] == 0:
            log(note)
    anatomy = synth.load_mni_anatomy()
    hyper = {"in_channels": 1, "out_channels": 2, "base_channels": config.base_channels,
             "levels": config.levels}
    network = build_network("unet3d", hyper)
    rules, base_ref = None, ""
    if config.extra.get("base"):
        base = _start_from_base(network, config.extra["base"], hyper, log)
        config.extra["base_ref"], rules = base.ref, base.postprocessing or None
        base_ref = base.ref
        config.extra["validation_rules"] = rules
    sampler = (parallel_sampler(config, anatomy, config.workers, rank=distributed_rank()[0])
               if config.workers > 0 else synthetic_sampler(config, anatomy))
    # a fine-tune must beat its base, as on --dataset (base_rule): until session 36 the best of
    # its epochs was kept however far below the base, and registered
    history = fit(network, config, sampler, [], 1, progress, cancel, log, lesionwise=True,
                  rules=rules, base_ref=base_ref, base_given=config.extra.get("base") or "",
                  measure=_validation_heads(config, rules))
    if distributed_rank()[0] != 0:
        return None
    not_better = judge(history, config.extra.get("base_ref"), config.out, config.extra.get("keep_worse"),
                       "the recipe's validation heads", log=log,
                       hint="fine-tune again with fewer batches per epoch (--iterations) or a lower "
                            "--learning-rate", again=config.extra.get("again", ""))
    return finish_synthetic(network, config, history, hyper, log, not_better=not_better)


def _validation_heads(config: TrainConfig, rules: Optional[dict]):
    """The validation pass on the recipe's validation heads (seeds 10000..), the heads made at
    its first call: a run that measures nothing (a resumed run whose time was spent, one refused
    for another base) makes none (seconds of CPU each)."""
    heads: list = []

    def measure(network) -> dict:
        if not heads:
            heads.extend(head_cases(range(10_000, 10_000 + config.validation_cases), config.spacing))
        return validate(network, heads, config, 1, torch.device(config.device), True, rules)

    return measure


def _start_from_base(network, ref: str, hyper: dict, log) -> ModelCard:
    """Load the weights of the lesion model ``ref`` (a package folder or a registry reference)
    into ``network``: the recipe then fine-tunes it (a fresh optimiser and schedule; ``--resume``
    is for continuing one run). Its architecture must be the recipe's."""
    from .package import load_model
    from .segment import get_model

    loaded = load_model(Path(ref)) if Path(ref).is_dir() else get_model(ref)
    card = loaded.card
    check_automatic_base(card, loaded.path)
    if card.architecture != "unet3d" or dict(card.hyperparameters) != hyper:
        raise ModelError(f"{card.ref} is a {card.architecture} {card.hyperparameters}, not the "
                         f"recipe's unet3d {hyper}", path=loaded.path,
                         hint="give --base-channels to match it, or train without --base")
    network.load_state_dict(loaded.network.state_dict())
    log(f"starting from {card.ref}")
    return card


def finish_synthetic(network, config: TrainConfig, history: Optional[dict], hyper: dict, log,
                     training: Optional[dict] = None, not_better: bool = False) -> Path:
    """Choose the post-processing on tuning heads, measure on held-out cases (and the base of a
    fine-tune on the same ones: ``metrics.base_held_out``), write the package. ``training`` (the
    record of how the weights were made) replaces the one ``history`` gives when the weights were
    not trained by this run (:func:`finish_base`)."""
    from .api import LoadedModel
    from .operating_point import choose_operating_point

    card = ModelCard(
        name=config.name, version=config.version, architecture="unet3d", hyperparameters=hyper,
        input_channels=["T1"], target_spacing=(config.spacing,) * 3, patch_size=(config.patch,) * 3,
        mirror_axes=list(config.mirror_axes),
        labels=list(LESION_LABELS),
        normalization={"scheme": "zscore_foreground", "foreground_fraction": 0.1,
                       "clip_percentiles": list(TRAINING_CLIP_PERCENTILES)},
        preprocessing=[{"step": "brain_extraction", "margin_mm": 3, "report_margin_mm": 1}],
        domain={"modalities": ["MR"], "body_parts": ["HEAD", "BRAIN"]},
        description="Focal brain lesions (3-30 mm, brighter or darker than surrounding tissue) on "
                    "T1-, T2- or FLAIR-weighted MR of the head, after brain extraction. Trained only "
                    "on synthetic lesions painted into deformed real anatomy with synthesised "
                    "contrasts: a research demonstration, not a clinical device.",
        training=training or _training_record(config, history),
        created=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        license="Apache-2.0",
    )
    log("choosing the post-processing on tuning heads")
    network.eval()
    card.postprocessing, card.postprocessing_thick, tuning = choose_operating_point(
        LoadedModel(card, network, "", "safetensors"), config.spacing, config.device, log)
    log(f"post-processing chosen: {card.postprocessing}; on thick slices: {card.postprocessing_thick}")
    log("evaluating on held-out test cases")
    card.metrics = held_out_metrics(network, config, card.postprocessing)
    if history is not None:
        card.metrics["validation_dice"] = {"lesion": rounded(history["best_dice"])}
    card.metrics.update(tuning)
    if config.extra.get("base_ref"):
        card.parent = config.extra["base_ref"]
    log(f"held-out Dice {dice_text(card.metrics['held_out_dice']['lesion'])} on "
        f"{card.metrics['held_out_cases']} cases; other brain "
        f"{dice_text(card.metrics['other_brain_dice']['lesion'])}")
    log("held-out lesion-wise: " + format_summary(card.metrics["held_out_lesionwise"]))
    log("other brain lesion-wise: " + format_summary(card.metrics["other_brain_lesionwise"]))
    if history is not None and config.extra.get("base"):   # trained from a base: it on the same cases
        card.metrics["base_held_out"] = _measure_base(config, hyper, log)
    if not_better:   # kept with --keep-worse: said on the card, and promotion refuses it
        card.metrics[NOT_BETTER] = True
    return save_package(config.out, card, copy.deepcopy(network.state_dict()))


def _measure_base(config: TrainConfig, hyper: dict, log) -> dict:
    """The base of a fine-tune on the held-out cases the new model was measured on, with its own
    post-processing (its card's figures may be of other cases or another run of the recipe)."""
    network = build_network("unet3d", hyper)
    base = _start_from_base(network, config.extra["base"], hyper, lambda line: None)
    network.to(torch.device(config.device)).eval()   # where the new model was measured
    log(f"evaluating the base {base.ref} on the same held-out cases")
    figures = held_out_metrics(network, config, base.postprocessing or None)
    measured = {"ref": base.ref, "dice": figures["held_out_dice"],
                "lesionwise": figures["held_out_lesionwise"]}
    log(f"base {base.ref} on the same held-out cases: Dice {dice_text(figures['held_out_dice']['lesion'])}")
    log(f"base {base.ref} held-out lesion-wise: " + format_summary(figures["held_out_lesionwise"]))
    return measured


def _training_record(config: TrainConfig, history: dict) -> dict:
    return {
        "data": "nilearn's MNI152 2009a T1 template with its GM/WM maps (one real brain "
                "template) under random affine+elastic deformations; the image is the real T1 "
                "(a fifth of the time) or painted from the tissue maps with T1-, T2-, FLAIR-like "
                "or random tissue intensities (neuroview.ai.contrast), texture, gamma, bias "
                "field and any intensity scale, zero outside the brain but for a thin shell; "
                "noise, blur and lost-resolution augmentation; 0-3 synthetic lesions per patch "
                "(none in a third of them; irregular ellipsoids, 3-30 mm, 20-80 % brighter "
                "or 20-60 % darker with a soft edge; a share tissue_lesions of them instead "
                "hard-edged spheres or irregular ellipsoids of 5-25 mm in white matter at "
                "0.5-0.6 or 1.4-1.5 of its intensity)",
        "tissue_lesions": round(config.tissue_lesions, 4),
        "recipe": config.command or "neuroview train --synthetic --out " + config.name,
        "seed": config.seed, "iterations": history["iterations"],
        "validation": f"heads.lesion_head seeds 10000-{10_000 + config.validation_cases - 1} (T1, T2, "
                      f"FLAIR-like in turn, {config.spacing:g} mm) after every epoch; the epoch kept "
                      "has the highest lesion-wise F1 pooled over them, then Dice, with the base's "
                      f"post-processing {config.extra.get('validation_rules')} (None: the argmax)",
        "epochs_run": len(history["epochs"]), "best_epoch": history["best_epoch"],
        "minutes": round(history["seconds"] / 60, 1), "device": describe_device(config.device),
        "sampler_workers": config.workers,
        "processes": history["world_size"], "history": history["epochs"],
    }


def finish_base(config: TrainConfig, log=None) -> Path:
    """The recipe's finish step alone on the weights of the lesion model ``config.extra['base']``
    (no training): its post-processing chosen again and its held-out figures measured with it,
    written as ``config.version`` with the base as parent and the base's training record."""
    log = log or print_line
    torch.set_num_threads(config.threads)
    hyper = {"in_channels": 1, "out_channels": 2, "base_channels": config.base_channels,
             "levels": config.levels}
    network = build_network("unet3d", hyper)
    base = _start_from_base(network, config.extra["base"], hyper, log)
    config.extra["base_ref"] = base.ref
    training = {**base.training, "finish_recipe": config.command or "neuroview train --synthetic --base "
                f"{base.ref} --finish-only --version {config.version}"}
    return finish_synthetic(network, config, None, hyper, log, training=training)
