"""``neuroview train --interactive``: the bundled promptable network and its recipe.

Objects on real anatomy (nilearn's MNI152 template with random contrast changes, and on half the
anatomies T2- or FLAIR-like tissue contrasts, :mod:`neuroview.ai.synth`,
:data:`neuroview.ai.heads.TISSUE_CONTRAST`; random affine + elastic deformations only with
``deform``, off by default because each new deformed anatomy costs a minute of CPU): synthetic focal
lesions (4-30 mm, a quarter of them drawn from 4-8 mm: ``small_lesions``; with other lesions nearby
that are *not* the object; a share ``tissue_lesions`` hard-edged in white matter at 0.5-0.6 or
1.4-1.5 of its intensity, on a T2 a brighter one at grey matter's) and CSF blobs (ventricles, sulcal
CSF: connected regions of the template's non-GM/WM tissue inside the brain). Each training sample is
a cube of ``patch`` voxels (32^3 by default) around the object at the spacing the inference ROI
would fit it with (1 mm up to ``max_spacing``, times a random 0.6-1.6: a first ROI that clips the
object, a grown one that sees it small), resampled as at inference; for 40 % of the objects wider
than the engine's first cube (``first_click_cubes``: the fitting field of view exceeds it), the cube
is instead that first ROI (``patch`` voxels at 1 mm on the template's voxels, centred on a click in
the object's deep part, which is then the first prompt) with the whole object, clipped to the cube,
as the truth, so the network learns to run to the border and the engine grows the cube. A simulated
user (:mod:`.simulate`) gives a first prompt (a click 60 %, a box 25 %, a scribble 15 %, on a random
axis) and then 0-2 corrective clicks, each placed in the largest error region of the network's own
current answer (no gradient), which becomes the "previous mask" channel. Axes are permuted and
flipped so that no plane is preferred. Loss: cross-entropy + soft Dice. After every epoch the
network is scored on held-out objects (other seeds) by Dice after 1 and 3 clicks; the best epoch is
kept. A fine-tune (``base``) must beat its base: the base is scored first on the same objects, as
epoch 0, and an epoch is kept only if it scores higher (:mod:`..base_rule`).

A checkpoint is written after every epoch; ``--resume`` continues from it (:mod:`.resume`). """

from __future__ import annotations

import copy
import dataclasses
import datetime as _dt
import functools
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np
import torch
from scipy import ndimage

from ...core.errors import ModelError
from ...core.plural import plural
from ..api import LabelInfo, ModelCard
from ..base_rule import NOT_BETTER, judge
from ..checkpoint import base_record
from ..distributed import autocast, describe_device
from ..eager_optim import EagerAdamW
from ..networks import build_network, widen_unet3d
from ..normalize import TRAINING_CLIP_PERCENTILES
from ..package import save_package
from ..samplers import worker_stream
from ..synth import load_mni_anatomy
from ..train import dice_ce_loss, print_line
from . import resume
from .card_metrics import click_runs, measure_card
from .cubes import ObjectSampler, validation_objects
from .roi import CHANNELS
from .rounds import SimulatedPrompts, network_input, probabilities
from .simulate import equivalent_diameter, next_click, over_reach

OBJECT_LABEL = [LabelInfo(1, "object", (255, 200, 0))]
SMALL_OBJECT_MM = 10.0
"""Objects under this many mm across get ``exclude_clicks`` at its full share (:func:`_exclude_share`)."""


@dataclass
class InteractiveConfig:
    out: Path
    name: str = "clickseg"
    version: str = "1.0.0"
    minutes: float = 40.0
    iterations_per_epoch: int = 25
    batch_size: int = 2
    patch: int = 32
    base_channels: Optional[int] = None
    """Feature channels of the U-Net's first level: 8 from scratch; with ``base`` the base's, or
    more to widen it (:func:`~neuroview.ai.networks.widen_unet3d`: it starts as the base)."""
    levels: int = 3
    max_spacing: float = 4.0
    """Coarsest ROI spacing (mm): objects too large for ``patch`` voxels at 1 mm are seen coarser."""
    corrective_clicks: int = 2
    """Up to this many simulated corrective clicks per training sample."""
    other_contrasts: float = 0.5
    """Share of the anatomies given T1-, T2- or FLAIR-like tissue contrasts (so it is not T1-only)."""
    aligned: float = 0.5
    """Share of the cubes whose first voxel lies on a template voxel (as inference places its ROI
    on a volume's voxels: at 1 mm the cube is then the image itself, not interpolated); the
    others fall anywhere between voxels, as on a volume of another spacing."""
    learning_rate: float = 3e-3
    seed: int = 0
    threads: int = 2
    validation_objects: int = 12
    base: Optional[str] = None
    """A promptable package to start from (its architecture is kept), or None: from scratch. An
    epoch is kept only if it scores higher than the base on the held-out objects."""
    resume: bool = False
    """Continue from the checkpoint ``OUT.checkpoint`` of a run with the same settings
    (:mod:`.resume`; written after every epoch)."""
    given: Optional[tuple] = None
    """The settings typed on the command line: a resumed run takes its checkpoint's others
    (:func:`.resume.keep_run_settings`). None (a caller in Python): all are as set."""
    keep_worse: bool = False
    """With ``base``: save the best epoch even when none beats the base (its card marked
    :data:`~neuroview.ai.base_rule.NOT_BETTER`); by default nothing is saved then."""
    deform: bool = False
    """Random elastic deformations of the template (60 s of CPU per new anatomy: off on a busy CPU)."""
    command: str = ""
    again: str = ""
    """The command that saves the best trained epoch when none beat the base (the CLI's)."""
    device: str = "cpu"
    workers: int = 0
    """Processes that cut the training cubes (0: the training process itself)."""
    first_click_cubes: float = 0.4
    """Share of the objects wider than the engine's first cube (:func:`.cubes.first_click_grid`) that are
    cut as that cube around a click, the whole object as the truth (large lesions were
    under-segmented: training saw them only at the spacing that fits them)."""
    small_lesions: float = 0.25
    """Share of the lesions drawn 4-8 mm across (the others 4-30 mm; 5-10 mm lesions got a
    1-2 mm halo)."""
    tissue_lesions: float = 0.15
    """Share of the lesions painted hard-edged in white matter at 0.5-0.6 or 1.4-1.5 of its
    intensity (since session 22: on issue #12's T2 heads clickseg 1.7.0, trained without them,
    took 0.19 of such a brighter lesion, which has grey matter's intensity there)."""
    exclude_clicks: float = 0.0
    """Share of the cubes of objects under 10 mm across (half that share of larger ones) whose
    previous mask over-reaches (the object grown 1-3 voxels, all round or on one side) and that
    get an exclude click in its largest false-positive region, the object as the target, instead
    of corrective clicks on the network's own answer (since session 47: the second click as an
    exclude lost 0.080 Dice on the bench's lesions, 0.110 on those of 5-10 mm). 0: the recipe before."""
    average_decay: float = 0.0
    """With a decay above 0 (e.g. 0.998), an exponential moving average of the weights is kept
    beside them (:class:`torch.optim.swa_utils.AveragedModel`) and scored on the held-out objects
    after every epoch as well; the better of the two is kept. 0: the recipe before session 26."""


def _cube_draw(anatomy, config: InteractiveConfig, states: list, offset: int, worker: int):
    """Worker ``worker``'s cubes, each with its sampler's state after it: the worker draws as
    sampler ``(worker + offset) % workers`` (a resumed run's first cube is that sampler's) from
    that sampler's saved state, if any."""
    which = (worker + offset) % config.workers
    sampler = ObjectSampler(anatomy, np.random.default_rng(config.seed + 7919 * (which + 1)), config.patch,
                            **_sampler_options(config))
    if states[which]:
        sampler.restore(states[which])

    def draw():
        cube = sampler.sample()
        return which, cube, sampler.state()

    return draw


def _sampler_options(config: InteractiveConfig) -> dict:
    return {"deform": config.deform, "max_spacing": config.max_spacing,
            "other_contrasts": config.other_contrasts, "aligned": config.aligned,
            "first_click": config.first_click_cubes, "small_lesions": config.small_lesions,
            "tissue_lesions": config.tissue_lesions}


class ParallelCubes:
    """An :class:`ObjectSampler` whose cubes are cut in ``config.workers`` processes, one sampler
    each, taken in turn (torch's DataLoader keeps that order); :meth:`state` (each sampler's
    state after its last cube used, and the cubes used) lets a resumed run of as many workers
    go on with the very cubes an uninterrupted one would have used."""

    def __init__(self, anatomy, config: InteractiveConfig, saved: Optional[dict] = None) -> None:
        saved = saved or {"drawn": 0, "states": [None] * config.workers}
        self.drawn, self.states = int(saved["drawn"]), list(saved["states"])
        make = functools.partial(_cube_draw, anatomy, config, list(self.states),
                                 self.drawn % config.workers)
        self._cubes = worker_stream(make, config.workers, prefetch=8)

    def sample(self):
        which, cube, self.states[which] = next(self._cubes)
        self.drawn += 1
        return cube

    def state(self) -> dict:
        return {"drawn": self.drawn, "states": list(self.states)}


def _sampler(anatomy, config: InteractiveConfig, rng, resumed: Optional[dict], log=print_line):
    """The training cubes' source. A ``resumed`` run (its checkpoint's state) goes on from the
    saved generators' states: the training process's (the prompts', and the cubes' without
    ``workers``) and, with as many ``workers`` as before, each worker's; with another number of
    workers (or a checkpoint written before session 37, which kept no worker's state) the
    cubes come from other seeds than the first epochs' (not the cubes of an uninterrupted run)."""
    saved = (resumed or {}).get("sampler") or {}
    if config.workers > 0:
        if resumed:
            rng.bit_generator.state = resumed["rng"]
        before = len(saved.get("states") or ())
        if resumed and before != config.workers:
            epoch = resumed["epoch"]
            said = f"were cut by {plural(before, 'worker process', 'worker processes')}" if before \
                else "were not cut by workers whose state it kept"
            log(f"note: the checkpoint's cubes {said}, now {config.workers}: the cubes go on from "
                "other seeds, so the run is not the one it would have been uninterrupted")
            return ParallelCubes(anatomy, dataclasses.replace(config, seed=config.seed + 104_729 * epoch))
        return ParallelCubes(anatomy, config, saved if resumed else None)
    # its first anatomy is drawn from the fresh generator (as the first run drew it), then restored
    if resumed and saved.get("states"):
        log(f"note: the checkpoint's cubes were cut by "
            f"{plural(len(saved['states']), 'worker process', 'worker processes')}, now by "
            "the training process: the cubes go on from other states, so the run is not the one it "
            "would have been uninterrupted")
    sampler = ObjectSampler(anatomy, rng, config.patch, **_sampler_options(config))
    if resumed:
        sampler.restore({"count": resumed["count"], "rng": resumed["rng"], **saved})
    return sampler


def _batch(sampler: ObjectSampler, network, rng, batch_size: int, corrective_clicks: int = 1,
           exclude_clicks: float = 0.0, clicks: Optional[list] = None):
    """Training inputs and targets for ``batch_size`` cubes: each cube's first prompt, then 0 to
    ``corrective_clicks`` clicks in the largest error region of the network's own answer, which
    becomes the previous mask; a share of the cubes (:func:`_exclude_share`) instead gets an
    over-reaching previous mask and an exclude click in its largest false-positive region.
    ``clicks``, when given, receives ``(cube's place in the batch, include, voxel)`` of every click
    after the first prompt."""
    cubes = [sampler.sample() for _ in range(batch_size)]
    prompts, trimmed = [], []
    for place, cube in enumerate(cubes):
        p = SimulatedPrompts(cube.truth.shape, cube.spacing)
        if cube.click is None:
            p.first(cube.truth, rng)
        else:  # the engine's first ROI around a first click
            p.click(cube.click, True)
        trim = bool(exclude_clicks) and rng.random() < _exclude_share(cube, exclude_clicks)
        if trim:   # the network's answer reached into the halo; the user clicks there to remove it
            p.channels[3] = over_reach(cube.truth, rng)
            _corrective(cube, p, p.channels[3] > 0, rng, clicks, place)
        elif rng.random() < 0.1:  # start from an existing, imperfect mask
            p.channels[3] = ndimage.binary_dilation(cube.truth, iterations=int(rng.integers(1, 3))) \
                if rng.random() < 0.5 else ndimage.binary_erosion(cube.truth)
        prompts.append(p)
        trimmed.append(trim)
    for _ in range(int(rng.integers(0, corrective_clicks + 1))):
        network.eval()
        probs = probabilities(network, np.stack([network_input(c.image, p) for c, p in zip(cubes, prompts)]))
        for place, (cube, p, prob, trim) in enumerate(zip(cubes, prompts, probs, trimmed)):
            if not trim:
                _corrective(cube, p, prob > 0.5, rng, clicks, place)
    network.train()
    inputs = np.stack([network_input(c.image, p) for c, p in zip(cubes, prompts)])
    target = np.stack([c.truth for c in cubes]).astype(np.int64)
    return torch.from_numpy(inputs), torch.from_numpy(target), cubes


def _corrective(cube, prompts: SimulatedPrompts, answer: np.ndarray, rng, clicks: Optional[list],
                place: int) -> None:
    """A click in the largest error region of ``answer``, which becomes the previous mask."""
    nxt = next_click(cube.truth, answer, rng=rng, top=0.7)
    if nxt is not None:
        prompts.click(*nxt)
        if clicks is not None:
            clicks.append((place, bool(nxt[1]), tuple(int(v) for v in nxt[0])))
    prompts.channels[3] = answer


def _exclude_share(cube, share: float) -> float:
    """``--exclude-clicks``: the chance that a cube gets an over-reaching answer and an exclude
    click: ``share`` for an object under 10 mm across (a ball of its volume), half of it for a
    larger one (the second click as an exclude lost most on 5-10 mm lesions)."""
    return share if equivalent_diameter(cube.truth, cube.spacing) < SMALL_OBJECT_MM else share / 2


def score(network, objects) -> tuple[float, float]:
    runs = click_runs(network, objects)
    return float(runs[:, 0].mean()), float(runs[:, 2].mean())


def train_interactive(config: InteractiveConfig, log=print_line) -> Path:
    if config.resume and config.given is not None:
        resume.keep_run_settings(config)
    torch.set_num_threads(config.threads)
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    anatomy = load_mni_anatomy()
    hyper = {"in_channels": len(CHANNELS), "out_channels": 2,
             "base_channels": config.base_channels or 8, "levels": config.levels}
    parent, state, base = None, None, None
    if config.base:
        base = _load_base(config.base)
        hyper, parent = dict(base.card.hyperparameters), lineage(base.card)
        state = base.network.state_dict()
        if config.base_channels and config.base_channels != hyper.get("base_channels"):
            state, hyper = widen_unet3d(state, hyper, config.base_channels, config.seed)
            log(f"widened {base.card.ref} to {config.base_channels} base channels (same answers)")
    network = build_network("unet3d", hyper)
    if state is not None:
        network.load_state_dict(state)
    device = torch.device(config.device)
    network.to(device)
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
    optimizer = EagerAdamW(network.parameters(), lr=config.learning_rate, weight_decay=3e-5)
    average = _averaged(network, config.average_decay)
    base_ref = base.card.ref if base is not None else None
    # the base's weights as its package holds them (before any widening): a resume from another
    # base, or the same name@version with other weights, is refused (checkpoint.check_base)
    started_from = base_record(base_ref or "", base and base.network, config.base or "")
    # best, judged (what base_rule.judge reads), history, iterations, epoch, seconds, cubes drawn
    run = {"best": {"score": -1.0}, "judged": {"epochs": []}, "history": [], "iterations": 0,
           "epoch": 0, "seconds": 0.0, "count": 0}
    found = config.resume and (resume.checkpoint_folder(config.out) / "state.safetensors").exists()
    if found:
        run = resume.load(config, started_from, network, optimizer, average, log)
    elif config.resume:
        log(f"note: --resume found no checkpoint ({resume.checkpoint_folder(config.out)}): training "
            "from the start")
    # a resumed run whose time was spent trains no further (``--resume --keep-worse`` saving its
    # best trained epoch): it makes no held-out objects and no cubes (seconds of CPU; with
    # --workers, processes that each drew their prefetched cubes)
    spent = found and run["seconds"] >= config.minutes * 60
    # the held-out objects first: the template's objects they search are then found once, not
    # again in each worker process (forked after them: 2.5 s of CPU each)
    held_out = None if spent else validation_objects(anatomy, config.validation_objects, config.patch,
                                                     **_sampler_options(config))
    sampler = None if spent else _sampler(anatomy, config, rng, run if found else None, log)
    best, judged, history = run["best"], run["judged"], run["history"]
    trained = run.get("trained") or {"score": -1.0}   # the best trained epoch while the base is best
    iterations, epoch = run["iterations"], run["epoch"]
    if found:
        log(f"resumed from {resume.checkpoint_folder(config.out)} at epoch {epoch} ({run['seconds'] / 60:.1f}"
            f" of {config.minutes:g} min; best so far: epoch {best['epoch']}, held-out Dice 1 click "
            f"{best['dice_1_click']:.3f}, 3 clicks {best['dice_3_clicks']:.3f})")
    elif base is not None:   # its time is not the training's: scored before the clock starts
        judged["base"] = _score_base(network, held_out, base_ref, config.keep_worse, log)
        if not config.keep_worse:   # the epoch to beat
            best = {**judged["base"], "score": judged["base"]["score"][0], "epoch": 0}
    started, budget = time.monotonic() - run["seconds"], config.minutes * 60
    while not spent and time.monotonic() - started < budget:
        epoch += 1
        losses = []
        for _ in range(config.iterations_per_epoch):
            fraction = min(1.0, (time.monotonic() - started) / budget)
            for group in optimizer.param_groups:
                group["lr"] = config.learning_rate * (1 - fraction) ** 0.9
            inputs, target, _ = _batch(sampler, network, rng, config.batch_size, config.corrective_clicks,
                                    config.exclude_clicks)
            with autocast(device):
                logits = network(inputs.to(device))
            loss = dice_ce_loss(logits.float(), target.to(device))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if average is not None:
                average.update_parameters(network)
            losses.append(float(loss.detach()))
            iterations += 1
        record = {"epoch": epoch, "loss": float(np.mean(losses))}
        candidates = [("weights", network)] + ([("average", average.module)] if average is not None else [])
        figures = []   # the candidates' (the weights and their average)
        for kind, candidate in candidates:
            d1, d3 = score(candidate, held_out)
            figures.append({"dice_1_click": d1, "dice_3_clicks": d3})
            key = "" if kind == "weights" else "average_"
            record.update({f"{key}dice_1_click": d1, f"{key}dice_3_clicks": d3})
            improved = d1 + d3 > best["score"]
            log(f"epoch {epoch} ({(time.monotonic() - started) / 60:.1f} min, {iterations} it): "
                f"loss {np.mean(losses):.3f}, held-out Dice ({kind}) 1 click {d1:.3f}, 3 clicks {d3:.3f}"
                + ("  (best)" if improved else ""))
            if improved or (best["epoch"] == 0 and d1 + d3 > trained["score"]):
                kept = {"score": d1 + d3, "epoch": epoch, "kind": kind, "dice_1_click": d1,
                        "dice_3_clicks": d3, "state": copy.deepcopy(candidate.state_dict())}
                best, trained = (kept, {"score": -1.0}) if improved else (best, kept)
        judged["epochs"].append(max(figures, key=lambda f: f["dice_1_click"] + f["dice_3_clicks"]))
        history.append(record)
        resume.save(config, started_from, network, optimizer, average, {
            "epoch": epoch, "history": history, "iterations": iterations, "best": best,
            "trained": trained, "judged": judged, "seconds": time.monotonic() - started,
            "count": getattr(sampler, "count", 0),
            "rng": rng.bit_generator.state, "sampler": _sampler_state(sampler)})
    if config.keep_worse and best["epoch"] == 0 and trained.get("state"):
        best = trained   # a resumed run none of whose epochs beat the base, kept as asked
        log(f"kept the best trained epoch, {best['epoch']} (--keep-worse)")
    judged["best_score"] = [best["score"]]
    not_better = judge(judged, base.card.ref, config.out, config.keep_worse, "the held-out objects",
                       "fine-tune again longer (--minutes) or with a lower --learning-rate",
                       log, again=config.again) if base is not None else False
    network.load_state_dict(best["state"])
    network.to("cpu")
    card = ModelCard(
        name=config.name, version=config.version, architecture="unet3d", hyperparameters=hyper,
        input_channels=list(CHANNELS), target_spacing=(1.0, 1.0, 1.0), patch_size=(config.patch,) * 3,
        labels=OBJECT_LABEL, normalization={"scheme": "zscore_foreground", "foreground_fraction": 0.1,
                                            "clip_percentiles": list(TRAINING_CLIP_PERCENTILES)},
        mirror_axes=[0, 1, 2],  # trained with every axis flipped and permuted: averaged at inference
        description="Promptable (interactive) segmentation of one object from clicks, boxes and "
                    "scribbles: channels image, include, exclude, box, previous mask on a region of "
                    f"interest of {config.patch}^3 voxels at 1-{config.max_spacing:g} mm (the spacing that "
                    "fits the object). Trained only on synthetic lesions and CSF blobs on real anatomy "
                    "(the MNI152 template" + (", deformed" if config.deform else "") + "): a research "
                    "demonstration, not a clinical device.",
        training={"task": "interactive", "data": __doc__.split("\n\n")[1].replace("\n", " "),
                  "recipe": config.command, "seed": config.seed, "iterations": iterations,
                  "epochs_run": epoch, "best_epoch": best["epoch"], "batch_size": config.batch_size,
                  "average_decay": config.average_decay, "kept": best["kind"],
                  "minutes": round((time.monotonic() - started) / 60, 1),
                  "device": describe_device(config.device), "threads": config.threads,
                  "sampler_workers": config.workers, "roi_spacing_mm": [1.0, config.max_spacing],
                  "other_contrasts": config.other_contrasts, "aligned": config.aligned,
                  "first_click_cubes": config.first_click_cubes, "small_lesions": config.small_lesions,
                  "tissue_lesions": config.tissue_lesions, "corrective_clicks": config.corrective_clicks,
                  "exclude_clicks": config.exclude_clicks,
                  "history": history},
        metrics={"held_out_objects": config.validation_objects,
                 "held_out_dice_1_click": round(best["dice_1_click"], 3),
                 "held_out_dice_3_clicks": round(best["dice_3_clicks"], 3)},
        created=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        license="Apache-2.0", parent=parent)
    if base is not None:   # the base on the same held-out objects (its card's are of other ones)
        card.metrics.update({f"base_held_out_{key}": round(judged["base"][key], 3)
                             for key in ("dice_1_click", "dice_3_clicks")})
    if not_better:   # kept as asked (--keep-worse): said on the card, and promotion refuses it
        card.metrics[NOT_BETTER] = True
    folder = save_package(config.out, card, network.state_dict())
    measure_card(folder, log)
    return folder


def _sampler_state(sampler) -> dict:
    """What a resumed run needs beyond the training process's generator (:func:`_sampler`)."""
    if isinstance(sampler, ParallelCubes):
        return sampler.state()
    return {"base_rng": sampler.base_rng}


def _score_base(network, objects, ref: str, keep_worse: bool, log) -> dict:
    """The base's figures on the held-out objects, as the epochs are scored: epoch 0."""
    d1, d3 = score(network, objects)
    said = "--keep-worse: the best epoch is kept" if keep_worse else "an epoch is kept only if it beats it"
    log(f"epoch 0 (the base {ref}, before training; {said}): held-out Dice 1 click {d1:.3f}, "
        f"3 clicks {d3:.3f}" + ("" if keep_worse else "  (best)"))
    return {"dice_1_click": d1, "dice_3_clicks": d3, "score": [d1 + d3]}


def _averaged(network, decay: float):
    """An exponential moving average of ``network``'s weights, or None when ``decay`` is 0."""
    if not decay:
        return None
    from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

    return AveragedModel(network, multi_avg_fn=get_ema_multi_avg_fn(decay), use_buffers=True)


def lineage(card) -> str:
    """A child's ``parent``: the base's reference and, when the base was itself fine-tuned, where
    it came from (``clickseg-1.6.0@1.6.0 <- clickseg@1.3.0``), so a chain of runs stays readable."""
    return card.ref + (f" <- {card.parent}" if card.parent else "")


def _load_base(ref: str):
    """The promptable package ``ref`` (a folder, or a registry reference) to fine-tune."""
    from ..package import load_model
    from ..segment import get_model
    from .model import is_promptable

    loaded = load_model(Path(ref)) if Path(ref).is_dir() else get_model(ref)
    if not is_promptable(loaded.card):
        raise ModelError(f"{loaded.card.ref} is not a promptable model: --base must be one",
                         path=loaded.path)
    return loaded
