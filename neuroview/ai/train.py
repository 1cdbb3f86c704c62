"""Training and fine-tuning: the loop of the bundled model's recipe (:mod:`.lesion_recipe`) and of
``neuroview train --dataset`` (:mod:`.finetune`).

One loop serves both: random patches with augmentation, Dice + cross-entropy loss, AdamW with a
polynomial learning-rate decay over the epoch or wall-clock budget, Dice per label on a held-out
split after every epoch (:mod:`.validation`), the best epoch kept, early stopping after
``patience`` epochs without improvement, and a checkpoint after every epoch (:mod:`.checkpoint`;
``--resume`` continues from it). The result is a model package whose card records the data, the
recipe, the metrics and the parent model.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Callable, Optional

import numpy as np
import torch

from ..core.errors import ModelError
from ..core.jobs import CancelToken, ProgressFn, check, report
from ..core.plural import plural
from .api import ModelCard
from .base_rule import FALSE_KEY, selection_score
from .checkpoint import base_record, check_base, load_checkpoint, save_checkpoint
from .distributed import agree, autocast, distributed_rank
from .eager_optim import EagerAdamW
from .metrics import dice_text, measured_mean
from .train_config import TrainConfig
from .train_plan import fraction as plan_fraction
from .train_plan import new_plan, rate, resumed_plan
from .validation import validate


def print_line(message: str) -> None:
    """Print one log line in one write (ranks of a distributed run share stdout; ``print`` writes
    the text and the newline separately, so lines of two ranks could interleave)."""
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def dice_ce_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Cross-entropy + soft Dice over the foreground classes (batch Dice, as nnU-Net)."""
    ce = torch.nn.functional.cross_entropy(logits, target)
    probs = torch.softmax(logits, 1)[:, 1:]
    onehot = torch.nn.functional.one_hot(target, logits.shape[1]).permute(0, 4, 1, 2, 3)[:, 1:].float()
    dims = (0, 2, 3, 4)
    intersection = (probs * onehot).sum(dims)
    dice = (2 * intersection + 1e-5) / (probs.sum(dims) + onehot.sum(dims) + 1e-5)
    return ce + (1 - dice.mean())


def _state_copy(network) -> dict:
    return {k: v.detach().clone() for k, v in network.state_dict().items()}


def fit(network, config: TrainConfig, sample: Callable[[np.random.Generator], tuple],
        validation: list[tuple[np.ndarray, np.ndarray]], n_labels: int,
        progress: Optional[ProgressFn] = None, cancel: Optional[CancelToken] = None,
        log: Optional[Callable[[str], None]] = None, lesionwise: bool = False,
        rules: Optional[dict] = None, split_id: str = "",
        measure: Optional[Callable[[Any], dict]] = None, base_ref: str = "",
        base_given: str = "") -> dict:
    """Train ``network`` in place (ending on its best epoch); returns the history.

    The best epoch has the highest mean validation Dice or, with ``lesionwise`` (one lesion label),
    the highest lesion-wise F1 of the validation cases pooled (:func:`metrics.pooled_f1`), Dice
    breaking ties: the lesions found and the false regions, which mean Dice hides. ``rules``: the
    post-processing validation applies (a card's; none: the argmax, with its specks). ``split_id``:
    the held-out split of a dataset's run, kept in the checkpoint; a resume on another split stops.
    ``measure(network) -> {"val_dice": [...], "line": "", "lesionwise": {...}}``: the validation
    pass instead of :func:`validation.validate` on ``validation`` (a dataset's run: the model run
    as Segment runs it); its lesion-wise summary is kept for the base only (``history["base"]``,
    the card's ``metrics.base_held_out``: measured once).
    ``base_ref`` (a fine-tune: its base, ``name@version``): the starting weights (the base's, a
    digest of them kept in the checkpoint with ``base_ref``: a resume from another base stops,
    :func:`.checkpoint.check_base`; ``base_given``: the ``--base`` as typed, a folder
    named in that refusal) are measured first, as "epoch 0", and are
    the epoch to beat: an epoch is kept only if it scores higher than the base (one epoch of 60
    batches on one case with a damaged label took lesionseg's held-out Dice from 0.459 to 0.049,
    and the loop kept that epoch, the best of the epochs run); ``history["best_epoch"]`` stays 0
    when none does, and the network ends on the base's weights; the best trained epoch is then
    kept in the checkpoint too (``history["trained_best"]``), and a ``--resume`` with
    ``keep_worse`` ends on it. A resumed run that had ended (its time spent, stopped early, or
    its epochs run) trains no further. With ``config.extra["keep_worse"]``
    the base is measured and said but is no candidate: the best trained epoch is kept.

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
    optimizer = EagerAdamW(network.parameters(), lr=config.learning_rate,
                           weight_decay=config.weight_decay)   # torch.optim.AdamW's arithmetic
    checkpoint = Path(config.out).with_name(Path(config.out).name + ".checkpoint")
    history = {"epochs": [], "best_epoch": -1, "best_dice": -1.0, "best_score": [-1.0, -1.0],
               "iterations": 0, "seconds": 0.0, "world_size": world}
    best_state = _state_copy(network)   # the starting weights: a fine-tune's base, the epoch to beat
    trained_state = {}   # the best trained epoch's weights, kept when no epoch beat the base (base_rule)
    start_epoch = 0
    resumed = config.resume and (checkpoint / "state.safetensors").exists()  # it holds the epoch
    base = base_record(base_ref, network, base_given)   # before a checkpoint's weights replace the base's
    if resumed:
        note = check_base(checkpoint, base)
        if note and rank == 0:
            log(note)
        more = {"trained": {}}
        start_epoch, history, saved = load_checkpoint(checkpoint, network, optimizer, split_id,
                                                       more=more)
        loaded_plan = history.get("plan")
        # none saved while the base is the best (its package holds it): the starting weights
        best_state = saved or best_state
        trained_state = more["trained"] or (best_state if history.get("best_epoch", -1) > 0 else {})
        history["world_size"] = max(world, int(history.get("world_size", 1)))
        # the epoch kept so far, whose weights the model gets unless a later epoch beats it: the
        # window's "best so far" said "-" after a resume (it reads only this run's "(best)")
        best = (f" (best held-out Dice {history['best_dice']:.3f} at epoch {history['best_epoch']})"
                if history.get("best_epoch", -1) >= 0 and history.get("best_dice") is not None else "")
        log(f"resumed from {checkpoint} at epoch {start_epoch}{best}")
    elif config.resume:  # it started from scratch without a word
        log(f"note: --resume found no checkpoint ({checkpoint}): training from the start")
    elif base_ref and rank == 0:
        _measure_base(network, history, measure, validation, config, n_labels, device, lesionwise,
                      rules, log)
    started = time.monotonic() - history["seconds"]
    budget = config.minutes * 60 if config.minutes else None
    # the run's plan, in the checkpoint: the Train dialog's Resume fills its Epochs and batches
    # from it (a new window's form read 40 and 60, and resumed a 3-epoch run as a 40-epoch one),
    # and so does --resume without --epochs, --iterations (train_plan)
    history["plan"] = new_plan(config)
    if resumed:
        history["plan"], note = resumed_plan(loaded_plan, config, start_epoch, history["iterations"],
                                             config.extra.get("plan_given", ("epochs", "iterations")))
        if note and rank == 0:
            log(note)
    stale = 0
    if resumed and (history.get("stopped_early") or (budget and history["seconds"] >= budget)):
        log("the run had ended (" + ("stopped early" if history.get("stopped_early") else
                                     "its time budget spent") + "): no more training")
        start_epoch = config.epochs
    for epoch in range(start_epoch, config.epochs):
        network.train()
        losses = []
        for _ in range(config.iterations_per_epoch):
            check(cancel)
            # The schedule follows iterations, so a run that ends before its budget is
            # reproducible; on a machine too slow (or too busy) to finish within the budget it
            # follows the clock instead, so the learning rate still decays before the end.
            fraction = plan_fraction(history["plan"], history["iterations"])
            if budget:
                fraction = agree(max(fraction, (time.monotonic() - started) / budget), world)
            for group in optimizer.param_groups:
                group["lr"] = rate(config.learning_rate, fraction)
            images, labels = sample(rng)
            x = torch.from_numpy(images).to(device).contiguous(memory_format=layout)
            y = torch.from_numpy(labels.astype(np.int64)).to(device)
            with autocast(device):
                logits = trained(x)
            loss = dice_ce_loss(logits.float(), y)
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
            figures = measure(network) if measure is not None else \
                validate(network, validation, config, n_labels, device, lesionwise, rules)
            per_label = figures.pop("val_dice")
            lesion_line = figures.pop("line") or _false_line(per_label, figures)
            figures.pop("lesionwise", None)   # a summary kept for the base's alone (epoch 0)
            mean_dice, score = _score(per_label, figures, lesionwise)
            history["epochs"].append({"epoch": epoch + 1, "loss": float(np.mean(losses)),
                                      "val_dice": per_label, **figures,
                                      "seconds": round(history["seconds"], 1)})
            improved = score > history.get("best_score", [history["best_dice"]] * 2)
            if improved:
                history.update(best_epoch=epoch + 1, best_dice=mean_dice, best_score=score)
                best_state = _state_copy(network)
                stale = 0
            else:
                stale += 1
            if "base" in history and history["best_epoch"] <= 0 and \
                    score > history.get("trained_best", {}).get("score", [-1.0, -1.0]):
                # none beat the base so far: the best trained epoch is kept beside it, so that
                # --resume --keep-worse saves it without training again (base_rule.judge)
                history["trained_best"] = {"epoch": epoch + 1, "dice": mean_dice, "score": score}
                trained_state = _state_copy(network)
            early = stale >= config.patience and epoch + 1 >= config.epochs // 4  # not while warming up
            history["stopped_early"] = early
            # the time spent with this validation, as the budget's check counts it: the checkpoint
            # held the time before it, and a run stopped on its budget during the validation
            # trained another epoch when resumed (with --keep-worse, to save the epoch kept)
            history["seconds"] = time.monotonic() - started
            over = bool(budget) and history["seconds"] > budget
            # The checkpoint first: a run stopped right after an epoch's line keeps that epoch.
            beside = {"trained": trained_state} if history["best_epoch"] <= 0 and trained_state else None
            # the base's weights are not saved again while no epoch beat it: its package holds
            # them, and a resume starts from them (one copy fewer: 80 % of the checkpoint's size)
            save_checkpoint(checkpoint, network, optimizer, epoch + 1, history,
                            best_state if history["best_epoch"] > 0 else {}, split_id, more=beside,
                            base=base)
            log(f"epoch {epoch + 1}: loss {np.mean(losses):.3f}  held-out Dice "
                f"{_dice_list(per_label)}{'  (best)' if improved else ''}  "
                f"{history['seconds'] / 60:.1f} min{lesion_line}")
            report(progress, epoch + 1, config.epochs, f"epoch {epoch + 1}: Dice {dice_text(mean_dice)}")
            if early:
                log(f"stopping early: no improvement for {plural(config.patience, 'epoch')}")
                stop = True
            elif over:
                log("stopping: time budget reached")
                stop = True
        if agree(1.0 if stop else 0.0, world) > 0:
            break
    if world > 1:  # DDP keeps the ranks' weights identical: show it
        checksum = float(sum(float(v.double().sum()) for v in network.state_dict().values()))
        log(f"rank {rank} of {world}: last weights checksum {checksum:.6f}")
    network.to(memory_format=torch.contiguous_format)
    if config.extra.get("keep_worse") and history.get("best_epoch", -1) == 0 and trained_state:
        # a resumed run none of whose epochs beat the base, kept as asked: its best trained epoch
        kept = history.pop("trained_best")
        history.update(best_epoch=kept["epoch"], best_dice=kept["dice"], best_score=kept["score"])
        best_state = trained_state
        log(f"kept the best trained epoch, {kept['epoch']} (--keep-worse)")
    network.load_state_dict(best_state)
    network.eval()
    return history


def _score(per_label, figures: dict, lesionwise: bool) -> tuple[Optional[float], list[float]]:
    """``(mean Dice, score)``: the score picks the epoch kept (lesion-wise F1 first, or Dice):
    :func:`base_rule.selection_score`."""
    return measured_mean(per_label), selection_score({"val_dice": per_label, **figures}, lesionwise)


def _measure_base(network, history: dict, measure, validation, config, n_labels, device,
                  lesionwise, rules, log) -> None:
    """The starting weights measured as the epochs are, kept as epoch 0, the one to beat."""
    network.eval()
    figures = measure(network) if measure is not None else \
        validate(network, validation, config, n_labels, device, lesionwise, rules)
    per_label = figures.pop("val_dice")
    lesion_line = figures.pop("line") or _false_line(per_label, figures)
    mean_dice, score = _score(per_label, figures, lesionwise)
    history["base"] = {"val_dice": per_label, "score": score, **figures}
    if config.extra.get("keep_worse"):
        log(f"epoch 0: loss -  held-out Dice {_dice_list(per_label)}  0.0 min"
            f"{lesion_line}  (the base, before training; --keep-worse: the best epoch is kept)")
        return
    history.update(best_epoch=0, best_dice=mean_dice, best_score=score)
    # the window reads it as an epoch line: its "best so far" starts at the base's
    log(f"epoch 0: loss -  held-out Dice {_dice_list(per_label)}  (best)  "
        f"0.0 min{lesion_line}  (the base, before training: an epoch is kept only if it beats it)")


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


def _dice_list(per_label) -> str:
    """An epoch line's Dice per label; ``-`` for a label no held-out case holds (not measured)."""
    return ", ".join("-" if d is None else f"{d:.3f}" for d in per_label)


def _false_line(per_label, figures: dict) -> str:
    """What an epoch's line adds when no held-out case holds a lesion (Dice ``-``): the false
    regions per case, which then choose the epoch kept (:func:`base_rule.selection_score`)."""
    false = figures.get(FALSE_KEY)
    if false is None or measured_mean(per_label) is not None:
        return ""
    return f"  no held-out lesion: {false:.1f} false regions/case"
