"""Training and fine-tuning: the bundled model's recipe and ``neuroview train --dataset``.

One loop serves both: random patches with augmentation, Dice + cross-entropy loss, AdamW with a
polynomial learning-rate decay over the epoch or wall-clock budget, Dice per label on a held-out
split after every epoch, the best epoch kept, early stopping after ``patience`` epochs without
improvement, and a checkpoint after every epoch (``--resume`` continues from it). The result is a
model package whose card records the data, the recipe, the metrics and the parent model.
"""

from __future__ import annotations

import copy
import datetime as _dt
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import numpy as np
import torch

from ..core.errors import ModelError
from ..core.jobs import CancelToken, ProgressFn, check, report
from .api import LabelInfo, ModelCard
from .distributed import _agree, autocast, describe_device, distributed_rank
from .infer import sliding_window
from .metrics import format_summary, lesion_metrics, pooled_f1, summarize
from .networks import build_network
from .normalize import TRAINING_CLIP_PERCENTILES
from .package import save_package
from .postprocess import postprocess

LESION_LABELS = [LabelInfo(1, "lesion", (255, 64, 0))]


@dataclass
class TrainConfig:
    out: Path
    name: str
    version: str = "1.0.0"
    epochs: int = 40
    iterations_per_epoch: int = 60
    minutes: Optional[float] = None
    batch_size: int = 2
    patch: int = 64
    spacing: float = 1.5
    learning_rate: Optional[float] = None
    """AdamW's starting rate; ``None``: 3e-3 from scratch, 1e-3 when fine-tuning (``--base``)."""
    weight_decay: float = 3e-5
    patience: int = 10
    seed: int = 0
    device: str = "cpu"
    threads: int = 2
    base_channels: int = 8
    levels: int = 4
    validation_cases: int = 6  # two each of T1, T2, FLAIR-like heads
    test_cases: int = 12  # per-case Dice scatters widely (small lesions): many cases
    other_cases: int = 8
    resume: bool = False
    mirror_axes: tuple = ()
    """The card's test-time mirroring (axes of the closest-RAS grid; 0 is left-right): the
    finish step tunes the post-processing and measures the held-out cases with it."""
    command: str = ""
    tissue_lesions: float = 1 / 3
    """The synthetic recipe's share of training lesions painted at another tissue's intensity
    (:func:`synth.paint_tissue_lesion`; 0: the recipe before 2.4.0)."""
    workers: int = 0
    """Processes that make the synthetic recipe's patches (0: the training process itself). On a
    GPU the patches, not the network, are the limit: 64^3 patches take about 0.3 s per batch of 4
    on one core."""
    extra: dict = field(default_factory=dict)


def print_line(message: str) -> None:
    """Print one log line in one write (ranks of a distributed run share stdout; ``print`` writes
    the text and the newline separately, so lines of two ranks could interleave)."""
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def dice_per_label(prediction: np.ndarray, truth: np.ndarray, n_labels: int) -> list[float]:
    """Dice of each label 1..n (1.0 when both are empty)."""
    scores = []
    for value in range(1, n_labels + 1):
        p, t = prediction == value, truth == value
        denominator = int(p.sum()) + int(t.sum())
        scores.append(1.0 if denominator == 0 else 2.0 * int((p & t).sum()) / denominator)
    return scores


def _loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Cross-entropy + soft Dice over the foreground classes (batch Dice, as nnU-Net)."""
    ce = torch.nn.functional.cross_entropy(logits, target)
    probs = torch.softmax(logits, 1)[:, 1:]
    onehot = torch.nn.functional.one_hot(target, logits.shape[1]).permute(0, 4, 1, 2, 3)[:, 1:].float()
    dims = (0, 2, 3, 4)
    intersection = (probs * onehot).sum(dims)
    dice = (2 * intersection + 1e-5) / (probs.sum(dims) + onehot.sum(dims) + 1e-5)
    return ce + (1 - dice.mean())


def predict_probabilities(network, image: np.ndarray, patch: int, n_classes: int, device="cpu",
                          overlap: float = 0.25, mirror_axes: tuple = ()) -> np.ndarray:
    """Class probabilities ``(K, X, Y, Z)`` of a normalised ``(C, X, Y, Z)`` image on its grid,
    averaged over the flips along ``mirror_axes`` (:func:`infer.sliding_window`)."""
    tensor = torch.from_numpy(np.ascontiguousarray(image, dtype=np.float32))
    # two windows a batch: a CPU runs a batch of one as two anyway (networks.run_network)
    return sliding_window(network, tensor, (patch,) * 3, n_classes, overlap=overlap, batch_size=2,
                          device=device, pad_value=float(tensor.min()), mirror_axes=mirror_axes).numpy()


def labels_from_probabilities(probs: np.ndarray, rules: Optional[dict] = None, image=None,
                              voxel_mm3: float = 1.0) -> np.ndarray:
    """Argmax labels of class probabilities ``(K, X, Y, Z)``, with a card's post-processing
    ``rules`` (:func:`postprocess.postprocess`; the contrast rule reads the normalised ``image``)."""
    labels = probs.argmax(0).astype(np.uint8)
    if not rules:
        return labels
    foreground_labels = (probs[1:].argmax(0) + 1).astype(np.uint8)
    return postprocess(labels, probs.max(0), 1.0 - probs[0], foreground_labels, image, rules, voxel_mm3)


def predict_labels(network, image: np.ndarray, patch: int, n_classes: int, device="cpu",
                   overlap: float = 0.25, rules: Optional[dict] = None, voxel_mm3: float = 1.0,
                   mirror_axes: tuple = ()) -> np.ndarray:
    """Labels of a normalised ``(C, X, Y, Z)`` image on its own grid, post-processed by ``rules``
    (``mirror_axes``: :func:`predict_probabilities`)."""
    probs = predict_probabilities(network, image, patch, n_classes, device, overlap, mirror_axes)
    return labels_from_probabilities(probs, rules, image[0], voxel_mm3)


def _reported(labels: np.ndarray, case: tuple) -> np.ndarray:
    """``labels`` limited to where the case allows findings (its third item, when it has one:
    the brain grown by the card's report margin, as inference limits them)."""
    return np.where(case[2], labels, 0).astype(labels.dtype) if len(case) > 2 else labels


def _state_copy(network) -> dict:
    return {k: v.detach().clone() for k, v in network.state_dict().items()}


def fit(network, config: TrainConfig, sample: Callable[[np.random.Generator], tuple],
        validation: list[tuple[np.ndarray, np.ndarray]], n_labels: int,
        progress: Optional[ProgressFn] = None, cancel: Optional[CancelToken] = None,
        log: Optional[Callable[[str], None]] = None, lesionwise: bool = False,
        rules: Optional[dict] = None, split_id: str = "") -> dict:
    """Train ``network`` in place (ending on its best epoch); returns the history.

    The best epoch has the highest mean validation Dice or, with ``lesionwise`` (one lesion label),
    the highest lesion-wise F1 of the validation cases pooled (:func:`metrics.pooled_f1`), Dice
    breaking ties: the lesions found and the false regions, which mean Dice hides. ``rules``: the
    post-processing validation applies (a card's; none: the argmax, with its specks). ``split_id``:
    the held-out split of a dataset's run, kept in the checkpoint; a resume on another split stops.

    Under torchrun (``torch.distributed`` initialised, gloo or nccl) every rank trains on its own
    patches and DistributedDataParallel averages the gradients; rank 0 validates, keeps the best
    epoch and writes checkpoints, and the ranks agree on learning rate and stopping.
    """
    log = log or print_line
    rank, world = distributed_rank()
    torch.set_num_threads(config.threads)
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed + 1000 * rank)
    device = torch.device(config.device)
    # channels-last 3D: the same arithmetic, 1.5x faster convolutions on a CPU (measured)
    layout = torch.channels_last_3d if device.type == "cpu" else torch.contiguous_format
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True  # one patch size throughout: pick the fastest kernels
    network.to(device=device, memory_format=layout)
    trained = network
    if world > 1:
        trained = torch.nn.parallel.DistributedDataParallel(network)
    if config.learning_rate is None:
        config.learning_rate = 3e-3   # from scratch (a fine-tune on a dataset starts at 1e-3)
    optimizer = torch.optim.AdamW(network.parameters(), lr=config.learning_rate,
                                  weight_decay=config.weight_decay)
    checkpoint = Path(config.out).with_name(Path(config.out).name + ".checkpoint")
    history = {"epochs": [], "best_epoch": -1, "best_dice": -1.0, "best_score": [-1.0, -1.0],
               "iterations": 0, "seconds": 0.0, "world_size": world}
    best_state = _state_copy(network)
    start_epoch = 0
    if config.resume and (checkpoint / "state.safetensors").exists():  # it holds the epoch
        start_epoch, history, best_state = _load_checkpoint(checkpoint, network, optimizer, split_id)
        history["world_size"] = max(world, int(history.get("world_size", 1)))
        log(f"resumed from {checkpoint} at epoch {start_epoch}")
    elif config.resume:  # it started from scratch without a word
        log(f"note: --resume found no checkpoint ({checkpoint}): training from the start")
    started = time.monotonic() - history["seconds"]
    budget = config.minutes * 60 if config.minutes else None
    planned = config.epochs * config.iterations_per_epoch
    stale = 0
    for epoch in range(start_epoch, config.epochs):
        network.train()
        losses = []
        for _ in range(config.iterations_per_epoch):
            check(cancel)
            # The schedule follows iterations, so a run that ends before its budget is
            # reproducible; on a machine too slow (or too busy) to finish within the budget it
            # follows the clock instead, so the learning rate still decays before the end.
            fraction = history["iterations"] / planned
            if budget:
                fraction = _agree(max(fraction, (time.monotonic() - started) / budget), world)
            for group in optimizer.param_groups:
                group["lr"] = config.learning_rate * max(1 - min(fraction, 1.0), 0.02) ** 0.9
            images, labels = sample(rng)
            x = torch.from_numpy(images).to(device).contiguous(memory_format=layout)
            y = torch.from_numpy(labels.astype(np.int64)).to(device)
            with autocast(device):
                logits = trained(x)
            loss = _loss(logits.float(), y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(network.parameters(), 12.0)
            optimizer.step()
            losses.append(float(loss.detach()))
            history["iterations"] += 1
        network.eval()
        history["seconds"] = time.monotonic() - started
        stop = False
        if rank == 0:
            figures = validate(network, validation, config, n_labels, device, lesionwise, rules)
            per_label, lesion_line = figures.pop("val_dice"), figures.pop("line")
            mean_dice = float(np.mean(per_label))
            history["epochs"].append({"epoch": epoch + 1, "loss": float(np.mean(losses)),
                                      "val_dice": per_label, **figures,
                                      "seconds": round(history["seconds"], 1)})
            score = [figures["val_f1"] if lesionwise else mean_dice, mean_dice]
            improved = score > history.get("best_score", [history["best_dice"]] * 2)
            if improved:
                history.update(best_epoch=epoch + 1, best_dice=mean_dice, best_score=score)
                best_state = _state_copy(network)
                stale = 0
            else:
                stale += 1
            # The checkpoint first: a run stopped right after an epoch's line keeps that epoch.
            _save_checkpoint(checkpoint, network, optimizer, epoch + 1, history, best_state, split_id)
            log(f"epoch {epoch + 1}: loss {np.mean(losses):.3f}  held-out Dice "
                f"{', '.join(f'{d:.3f}' for d in per_label)}{'  (best)' if improved else ''}  "
                f"{history['seconds'] / 60:.1f} min{lesion_line}")
            report(progress, epoch + 1, config.epochs, f"epoch {epoch + 1}: Dice {mean_dice:.3f}")
            if stale >= config.patience and epoch + 1 >= config.epochs // 4:  # not while warming up
                log(f"stopping early: no improvement for {config.patience} epochs")
                stop = True
            elif budget and time.monotonic() - started > budget:
                log("stopping: time budget reached")
                stop = True
        if _agree(1.0 if stop else 0.0, world) > 0:
            break
    if world > 1:  # DDP keeps the ranks' weights identical: show it
        checksum = float(sum(float(v.double().sum()) for v in network.state_dict().values()))
        log(f"rank {rank} of {world}: last weights checksum {checksum:.6f}")
    network.to(memory_format=torch.contiguous_format)
    network.load_state_dict(best_state)
    network.eval()
    return history


def validate(network, validation: list[tuple], config: TrainConfig, n_labels: int, device,
             lesionwise: bool = False, rules: Optional[dict] = None) -> dict:
    """One validation pass, post-processed by ``rules`` if given: ``val_dice`` (mean per label)
    and, with ``lesionwise``, the lesions found, the false regions per case and the pooled
    lesion-wise F1, with ``line``, what the epoch's log line adds."""
    predicted = [_reported(predict_labels(network, case[0], config.patch, n_labels + 1, device,
                                          rules=rules, voxel_mm3=config.spacing ** 3), case)
                 for case in validation]
    scores = [dice_per_label(labels, case[1], n_labels) for labels, case in zip(predicted, validation)]
    figures = {"val_dice": np.mean(scores, axis=0).tolist() if scores else [0.0] * n_labels, "line": ""}
    if lesionwise:
        cases = [lesion_metrics(labels > 0, case[1] > 0, (config.spacing,) * 3)
                 for labels, case in zip(predicted, validation)]
        figures.update(val_found=[sum(c["found"] for c in cases), sum(c["lesions"] for c in cases)],
                       val_false_per_case=round(float(np.mean([c["false_positives"] for c in cases])), 2),
                       val_f1=round(pooled_f1(cases), 4))
        figures["line"] = (f"  lesion-wise found {figures['val_found'][0]}/{figures['val_found'][1]}, "
                           f"{figures['val_false_per_case']:.1f} false/case, F1 {figures['val_f1']:.3f}")
    return figures


def _save_checkpoint(folder: Path, network, optimizer, epoch: int, history: dict, best: dict,
                     split_id: str = "") -> None:
    from safetensors.torch import save_file

    from ..core.atomic import atomic_path, write_text_atomic

    folder.mkdir(parents=True, exist_ok=True)
    tensors = {f"model.{k}": v.detach().cpu().contiguous() for k, v in network.state_dict().items()}
    tensors.update({f"best.{k}": v.cpu().contiguous() for k, v in best.items()})
    opt = optimizer.state_dict()
    for index, state in opt["state"].items():
        for key, value in state.items():
            if torch.is_tensor(value):
                tensors[f"optim.{index}.{key}"] = value.detach().cpu().reshape(-1).clone() \
                    if value.ndim == 0 else value.detach().cpu().contiguous()
    # the epoch and history travel in the weights' file, renamed into place in one step: a run
    # killed between it and state.json (the dialog's 'checkpoint of epoch n') resumed the next
    # epoch's weights as the epoch before, its best weights with another epoch's best Dice
    meta = json.dumps({"epoch": epoch, "history": history, "split": split_id})
    with atomic_path(folder / "state.safetensors") as tmp:
        save_file(tensors, str(tmp), metadata={"neuroview": meta})
    write_text_atomic(folder / "state.json", meta)


def _load_checkpoint(folder: Path, network, optimizer, split_id: str = ""):
    from safetensors import safe_open
    from safetensors.torch import load_file

    with safe_open(str(folder / "state.safetensors"), framework="pt") as handle:
        stored = (handle.metadata() or {}).get("neuroview")
    meta = json.loads(stored if stored else (folder / "state.json").read_text())  # older: no metadata
    if split_id and meta.get("split") and meta["split"] != split_id:
        # cases sent since the run stopped moved the held-out split: the checkpoint's epochs
        # trained on cases now held out, whose Dice the card would report as unseen
        raise ModelError(f"the dataset's held-out split changed since the checkpoint (split "
                         f"{meta['split']}, now {split_id}): its epochs trained on cases that are "
                         "now held out; train again without --resume (or Resume unticked)",
                         path=folder)
    tensors = load_file(str(folder / "state.safetensors"))
    network.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")})
    best = {k[5:]: v for k, v in tensors.items() if k.startswith("best.")}
    opt = optimizer.state_dict()
    for index in range(len(opt["param_groups"][0]["params"])):
        keys = {k.split(".", 2)[2]: v for k, v in tensors.items() if k.startswith(f"optim.{index}.")}
        if keys:
            if "step" in keys:
                keys["step"] = keys["step"].reshape(())
            opt["state"][index] = keys
    optimizer.load_state_dict(opt)
    return int(meta["epoch"]), meta["history"], best


# -- the bundled model: synthetic lesions on real anatomy ----------------------------------------
def synthetic_sampler(config: TrainConfig, anatomy, pool_size: int = 10, redeform_every: int = 500,
                      recontrast_every: int = 20):
    """Batches of patches from a pool of deformed anatomies, each painted with a synthesised
    contrast (:mod:`.contrast`); one anatomy is deformed anew every ``redeform_every`` batches
    (seconds of CPU) and one image repainted every ``recontrast_every`` (a fraction of one)."""
    from . import contrast, synth

    rng = np.random.default_rng(config.seed + 1)
    tissues = [contrast.deformed_tissues(anatomy, rng, config.spacing) for _ in range(pool_size)]
    bases = [contrast.base_case(t, rng) for t in tissues]
    calls = {"n": 0}

    def sample(batch_rng: np.random.Generator):
        calls["n"] += 1
        if calls["n"] % redeform_every == 0:
            index = int(rng.integers(pool_size))
            tissues[index] = contrast.deformed_tissues(anatomy, rng, config.spacing)
            bases[index] = contrast.base_case(tissues[index], rng)
        elif calls["n"] % recontrast_every == 0:
            index = int(rng.integers(pool_size))
            bases[index] = contrast.base_case(tissues[index], rng)
        pairs = [synth.training_patch(bases[int(batch_rng.integers(pool_size))], batch_rng,
                                      config.patch, config.spacing, in_brain=0.65, with_lesions=0.7,
                                      on_edge=0.25, tissue_share=config.tissue_lesions)
                 for _ in range(config.batch_size)]
        return (np.stack([p[0] for p in pairs])[:, None].astype(np.float32),
                np.stack([p[1] for p in pairs]))

    return sample


class _WorkerStream(torch.utils.data.IterableDataset):
    """Endless items of ``make(worker)()``: each DataLoader worker process builds its own source."""

    def __init__(self, make: Callable[[int], Callable[[], object]]) -> None:
        super().__init__()
        self.make = make

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        torch.set_num_threads(1)
        draw = self.make(info.id if info is not None else 0)
        while True:
            yield draw()


def _as_is(item):
    return item


def worker_stream(make: Callable[[int], Callable[[], object]], workers: int, prefetch: int = 4):
    """An endless iterator over ``make(worker)()`` drawn in ``workers`` processes (the training
    recipes' samples: on a GPU they, not the network, are the limit). Items come as drawn."""
    loader = torch.utils.data.DataLoader(_WorkerStream(make), batch_size=None, num_workers=workers,
                                         prefetch_factor=prefetch, persistent_workers=True,
                                         collate_fn=_as_is)
    return iter(loader)


def _synthetic_draw(config: TrainConfig, anatomy, pool_size: int, rank: int, worker: int):
    import dataclasses

    seed = config.seed + 7919 * (worker + 1) + 104_729 * rank
    sample = synthetic_sampler(dataclasses.replace(config, seed=seed), anatomy, pool_size)
    rng = np.random.default_rng(seed + 1)
    return lambda: sample(rng)


def parallel_sampler(config: TrainConfig, anatomy, workers: int, pool_size: int = 10,
                     rank: int = 0) -> Callable[[np.random.Generator], tuple]:
    """:func:`synthetic_sampler` run in ``workers`` processes (each with its own pool of
    anatomies and seed; the stream is the same on every run with the same seed): a function
    like the one :func:`synthetic_sampler` returns, which ignores its generator."""
    import functools

    batches = worker_stream(functools.partial(_synthetic_draw, config, anatomy, pool_size, rank), workers)
    return lambda _rng: next(batches)


def synthetic_cases(anatomy, seeds, spacing: float, deform: bool = True) -> list[tuple]:
    """Held-out synthetic cases as ``(normalised (1, X, Y, Z) image, labels)``."""
    from . import synth
    from .normalize import apply_stats

    cases = []
    for seed in seeds:
        case = synth.make_case(anatomy, int(seed), spacing, deform=deform)
        cases.append((apply_stats(case.image, case.stats)[None], case.label))
    return cases


def head_cases(seeds, spacing: float) -> list[tuple]:
    """Whole heads (T1, T2, FLAIR in turn) masked as inference masks them:
    ``(image, labels, where findings may be reported)``."""
    from .contrast import masked_head_cases

    return [(image, label, report) for image, label, _, report in
            masked_head_cases(seeds, int(round(spacing)))]


def train_synthetic(config: TrainConfig, progress=None, cancel=None, log=None) -> Optional[Path]:
    """Train the bundled lesion model from scratch on synthetic lesions; writes the package."""
    from . import synth

    log = log or print_line
    anatomy = synth.load_mni_anatomy()
    hyper = {"in_channels": 1, "out_channels": 2, "base_channels": config.base_channels,
             "levels": config.levels}
    network = build_network("unet3d", hyper)
    rules = None
    if config.extra.get("base"):
        base = _start_from_base(network, config.extra["base"], hyper, log)
        config.extra["base_ref"], rules = base.ref, base.postprocessing or None
        config.extra["validation_rules"] = rules
    validation = head_cases(range(10_000, 10_000 + config.validation_cases), config.spacing)
    sampler = (parallel_sampler(config, anatomy, config.workers, rank=distributed_rank()[0])
               if config.workers > 0 else synthetic_sampler(config, anatomy))
    history = fit(network, config, sampler, validation, 1, progress, cancel, log, lesionwise=True,
                  rules=rules)
    if distributed_rank()[0] != 0:
        return None
    return finish_synthetic(network, config, history, hyper, log)


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
                     training: Optional[dict] = None) -> Path:
    """Choose the post-processing on tuning heads, measure on held-out cases, write the package.
    ``training`` (the record of how the weights were made) replaces the one ``history`` gives when
    the weights were not trained by this run (:func:`finish_base`)."""
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
        card.metrics["validation_dice"] = {"lesion": round(history["best_dice"], 4)}
    card.metrics.update(tuning)
    if config.extra.get("base_ref"):
        card.parent = config.extra["base_ref"]
    log(f"held-out Dice {card.metrics['held_out_dice']['lesion']:.3f} on {card.metrics['held_out_cases']} "
        f"cases; other brain {card.metrics['other_brain_dice']['lesion']:.3f}")
    log("held-out lesion-wise: " + format_summary(card.metrics["held_out_lesionwise"]))
    log("other brain lesion-wise: " + format_summary(card.metrics["other_brain_lesionwise"]))
    return save_package(config.out, card, copy.deepcopy(network.state_dict()))


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


def held_out_metrics(network, config: TrainConfig, rules: dict) -> dict:
    """The card's held-out figures with post-processing ``rules``: whole heads from seeds
    20000.. (lesions training never saw) and another real brain (seeds 30000..)."""
    from . import synth

    def measure(*case) -> dict:
        labels = predict_labels(network, case[0], config.patch, 2, config.device, rules=rules,
                                voxel_mm3=config.spacing ** 3, mirror_axes=config.mirror_axes)
        return lesion_metrics(_reported(labels, case) > 0, case[1] > 0, (config.spacing,) * 3)

    test = head_cases(range(20_000, 20_000 + config.test_cases), config.spacing)
    test_cases = [measure(*case) for case in test]
    by_contrast = {name: summarize(test_cases[index::3]) for index, name in enumerate(("t1", "t2", "flair"))}
    test_dice = [c["dice"] for c in test_cases]
    other = synth.load_nibabel_anatomy()
    other_cases = synthetic_cases(other, range(30_000, 30_000 + config.other_cases), config.spacing,
                                  deform=False)
    other_measured = [measure(*case) for case in other_cases]
    other_dice = [c["dice"] for c in other_measured]
    return {
        "held_out_dice": {"lesion": round(float(np.mean(test_dice)), 4)},
        "held_out_cases": len(test_dice),
        "held_out_description": f"whole heads from seeds 20000-{20_000 + config.test_cases - 1} "
                                "(neuroview.ai.heads.lesion_head, T1, T2, FLAIR-like in turn, "
                                f"{config.spacing:g} mm), masked by their true brain dilated "
                                "3 mm: lesions never used in training, on the same template brain",
        "held_out_dice_per_case": [round(float(d), 4) for d in test_dice],
        "other_brain_dice": {"lesion": round(float(np.mean(other_dice)), 4)},
        "other_brain_description": "nibabel's anatomical.nii (a different real brain, 2 mm, "
                                   f"not used for training) with {config.other_cases} sets of synthetic "
                                   "lesions",
        "other_brain_dice_per_case": [round(float(d), 4) for d in other_dice],
        "held_out_lesionwise": summarize(test_cases),
        "held_out_lesionwise_by_contrast": by_contrast,
        "other_brain_lesionwise": summarize(other_measured),
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
                f"{config.extra['base']} --finish-only --version {config.version}"}
    return finish_synthetic(network, config, None, hyper, log, training=training)


def check_automatic_base(card: ModelCard, path=None) -> None:
    """Refuse a promptable (AI click) model as the base of an automatic one: it reads the image
    with its click channels and outlines one object, so its labels (``object``) and network did
    not fit, and the error said only that."""
    from .registry import INTERACTIVE_TASK

    if card.training.get("task") == INTERACTIVE_TASK:
        raise ModelError(f"{card.ref} is a promptable (AI click) model: it segments one object from "
                         "clicks, not a whole image, so it cannot be the base of an automatic model",
                         path=path, hint="give a lesion model as --base (neuroview models list), or "
                         f"fine-tune it with: neuroview train --interactive --base {card.name}")


def check_labels_match(card: ModelCard, labels: list[LabelInfo], source) -> None:
    if [lab.name for lab in card.labels] != [lab.name for lab in labels]:
        raise ModelError(f"dataset labels {[lab.name for lab in labels]} differ from the base model's "
                         f"{[lab.name for lab in card.labels]}", path=source,
                         hint="train from scratch (no --base) or relabel the dataset")
