"""``neuroview train``: fine-tune or train a model on an nnU-Net v2 dataset, or the bundled recipe.

    neuroview train --dataset DIR [--base MODEL] --out NAME [--epochs N] [--device ...]
    neuroview train --synthetic --out NAME [--minutes M] [--seed S]
    neuroview train --synthetic --base MODEL --finish-only --out NAME --version V
    neuroview train --interactive --out NAME [--minutes M] [--seed S]   (promptable model)
    torchrun --nproc_per_node 2 -m neuroview train ...     (data-parallel, gloo on CPU)

``--out`` is a model name (the package is added to the model registry as NAME@VERSION) or a folder
path (anything with a ``/``), e.g. ``resources/models/lesionseg`` for the bundled model.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import sys
import time
from pathlib import Path

from ..core.errors import NeuroviewError
from . import train_lock, trust
from .arg_types import positive_count, positive_number, share_between
from .outputs import writable_folder
from .train_kept import kept_note
from .train_recipe import again, recipe


def register(parser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--dataset", metavar="DIR",
                        help="nnU-Net v2 raw dataset folder (or the folder holding only it)")
    source.add_argument("--synthetic", action="store_true",
                        help="the bundled model's recipe: synthetic lesions on real anatomy")
    source.add_argument("--interactive", action="store_true",
                        help="the bundled promptable (click/box/scribble) model's recipe")
    parser.add_argument("--out", required=True, metavar="NAME|DIR",
                        help="model name (added to the registry) or output folder")
    parser.add_argument("--base", metavar="MODEL", default=None,
                        help="fine-tune this model (registry name, name@version or path)")
    parser.add_argument("--version", default=None,
                        help="version of the new model (default 1.0.0; fine-tuning a --base on "
                             "--dataset: the base's with its minor number raised, 2.5.1 -> 2.6.0)")
    parser.add_argument("--epochs", type=positive_count, default=None, metavar="N",
                        help="training epochs (default 40; --interactive trains for --minutes instead)")
    parser.add_argument("--iterations", type=positive_count, default=None, metavar="N",
                        help="training batches per epoch")
    parser.add_argument("--minutes", type=positive_number, default=None, metavar="M",
                        help="wall-clock budget; training stops after the epoch that passes it")
    parser.add_argument("--patience", type=int, default=None, metavar="N",
                        help="stop after N epochs without a better validation score (Dice; with "
                             "--synthetic, lesion-wise F1)")
    parser.add_argument("--batch-size", type=positive_count, default=2, metavar="N",
                        help="patches per training batch (default 2)")
    parser.add_argument("--patch", type=int, default=None, help="patch edge in voxels (from scratch)")
    parser.add_argument("--spacing", type=positive_number, default=None,
                        help="target spacing in mm (from scratch)")
    parser.add_argument("--base-channels", type=int, default=None, metavar="N",
                        help="feature channels of the U-Net's first level, doubled at each level below "
                             "(from scratch; default 8; with --interactive --base: more than the "
                             "base's widens it, starting from its answers)")
    parser.add_argument("--learning-rate", type=positive_number, default=None, metavar="LR",
                        help="AdamW learning rate at the start, lowered polynomially over the run "
                             "(default 0.003; 0.001 when fine-tuning a --base on --dataset)")
    parser.add_argument("--seed", type=int, default=0,
                        help="random seed of the weights, patches and augmentation (default 0)")
    parser.add_argument("--device", default="cpu", choices=["auto", "cpu", "cuda", "mps"],
                        help="where to train (default cpu; auto: CUDA, then Apple MPS, then the CPU)")
    parser.add_argument("--threads", type=positive_count, default=2, help="CPU threads for torch")
    parser.add_argument("--workers", type=int, default=0, metavar="N",
                        help="processes that make the training samples (--synthetic, --interactive; "
                             "0: the training process itself). With a GPU, give it most CPU cores")
    parser.add_argument("--first-click-cubes", type=float, default=None, metavar="SHARE",
                        help="with --interactive: share of the objects wider than the engine's first "
                             "cube cut as that cube around a click (default 0.4)")
    parser.add_argument("--small-lesions", type=float, default=None, metavar="SHARE",
                        help="with --interactive: share of the lesions drawn 4-8 mm across (default 0.25)")
    parser.add_argument("--exclude-clicks", type=float, default=None, metavar="SHARE",
                        help="with --interactive: share of the cubes of objects under 10 mm across "
                             "(half of it for larger ones) given an over-reaching previous mask and an "
                             "exclude click in it, instead of corrective clicks (default 0)")
    parser.add_argument("--average-decay", type=float, default=None, metavar="DECAY",
                        help="with --interactive: also keep an exponential moving average of the "
                             "weights (e.g. 0.998), score it after every epoch and keep the better")
    parser.add_argument("--validation-fraction", type=share_between, default=0.2, metavar="SHARE",
                        help="with --dataset: share of the cases held out to validate and measure the "
                             "model, chosen by a hash of their names (default 0.2)")
    parser.add_argument("--keep-worse", action="store_true",
                        help="with --base: save the fine-tune's best epoch even when it does not "
                             "beat the base on the held-out cases (--synthetic: the validation "
                             "heads; --interactive: the held-out objects; by default no new version "
                             "is saved then); its card says so and promotion refuses it")
    parser.add_argument("--resume", action="store_true",
                        help="continue from the last checkpoint, with its run's --epochs, "
                             "--iterations and --learning-rate unless given (then the learning "
                             "rate goes on from where it was, lowered over the batches left)")
    parser.add_argument("--mirror-axes", type=_axes, default=(), metavar="AXES",
                        help="with --synthetic: the card's test-time mirroring, e.g. 0 (left-right); "
                             "the finish step tunes the post-processing and measures with it")
    parser.add_argument("--tissue-lesions", type=float, default=None, metavar="SHARE",
                        help="with --synthetic or --interactive: the share of training lesions painted "
                             "hard-edged in white matter at 0.5-0.6 or 1.4-1.5 of its intensity (default "
                             "1/3 and 0.15; 0: the recipes before lesionseg 2.4.0 and clickseg 1.8.0)")
    parser.add_argument("--finish-only", action="store_true",
                        help="with --synthetic --base: no training; the recipe's finish step (the "
                             "post-processing chosen on tuning heads, the held-out report) on the "
                             "base's weights, written as --version with the base as parent")
    parser.add_argument("--force", action="store_true",
                        help="replace an existing package of the same name and version")
    trust.add_flag(parser)  # for a TorchScript --base, as for segment


def _axes(text: str) -> tuple[int, ...]:
    """``--mirror-axes``: distinct axes among 0, 1, 2, comma-separated."""
    axes = tuple(int(a) for a in text.split(",") if a.strip().isdigit())
    if len(axes) != len([a for a in text.split(",") if a.strip()]) or len(set(axes)) != len(axes) \
            or not set(axes) <= {0, 1, 2}:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of distinct axes among 0, 1, 2")
    return axes


class _Finished(Exception):
    """``--resume`` of a run that had finished: its package was written after its last
    checkpoint (a kill struck between writing the package and deleting the checkpoint)."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder


def _finished_before_kill(folder: Path) -> bool:
    """The package at ``folder`` was written after the last save of its checkpoint: the run that
    wrote both finished. A ``--force`` retrain killed half-way leaves the reverse (the old
    package, then newer checkpoints), which resumes."""
    state = folder.with_name(folder.name + ".checkpoint") / "state.safetensors"
    try:
        return (folder / "model.json").stat().st_mtime_ns >= state.stat().st_mtime_ns
    except OSError:
        return False


def _output(out: str, name: str, version: str, force: bool = False,
            resume: bool = False) -> tuple[Path, bool]:
    """The package folder and whether it goes into the registry; an existing package is kept
    unless ``force`` (a training run never replaces a model silently)."""
    if "/" in out or out.startswith("."):
        folder, registered = Path(out), False
    else:
        from ..ai.registry import Registry
        from ..core.safepath import check_name, safe_join

        check_name(name, "model name")
        check_name(version, "model version")
        folder, registered = safe_join(Registry().models_dir, f"{name}@{version}",
                                         what="the model folder of --out and --version"), True
    writable_folder(folder.parent)  # the package and its checkpoint go there: checked before training
    if torchrun_ranks()[0] == 0:   # other ranks of a distributed run share the first's lock
        train_lock.hold(folder)   # before the check below: a run finishing meanwhile is seen by it
    if resume and (folder / "model.json").exists() and _finished_before_kill(folder):
        raise _Finished(folder)
    if (folder / "model.json").exists() and not force:
        raise NeuroviewError(f"model {name}@{version} exists already", path=folder,
                             hint="give another --version, remove it (neuroview models remove), "
                                  "or replace it with --force")
    return folder, registered


def torchrun_ranks() -> tuple[int, int, int]:
    """``(RANK, WORLD_SIZE, LOCAL_RANK)`` from the environment torchrun sets (unset or empty:
    ``(0, 1, 0)``). A value that is not a whole number in range is one clear error line (it was
    an internal error, ``invalid literal for int()``, or torch's own rendezvous message)."""
    import os

    values = []
    for key, default in (("RANK", 0), ("WORLD_SIZE", 1), ("LOCAL_RANK", 0)):
        text = os.environ.get(key, "").strip()
        try:
            values.append(int(text) if text else default)
        except ValueError:
            raise NeuroviewError(f"the environment variable {key}={text!r} is not a whole number",
                                 hint="torchrun sets RANK, WORLD_SIZE and LOCAL_RANK; outside "
                                      "torchrun unset them") from None
    rank, world, local = values
    if world < 1 or not 0 <= rank < world or not 0 <= local < world:
        raise NeuroviewError(f"RANK={rank}, WORLD_SIZE={world}, LOCAL_RANK={local} do not describe "
                             "a distributed run (0 <= RANK, LOCAL_RANK < WORLD_SIZE)",
                             hint="torchrun sets them; outside torchrun unset them")
    return rank, world, local


def run(args) -> int:
    distributed = torchrun_ranks()[1] > 1
    if distributed:  # started by torchrun: one process per rank, gloo on CPU, nccl on CUDA
        from ..ai.distributed import start_distributed

        start_distributed(args.device)
    started = time.time()
    try:
        with train_lock.stop_on_sigterm():
            return _run(args)
    except KeyboardInterrupt:   # Ctrl+C, or SIGTERM (the window's Cancel): what was kept, and how on
        for folder in train_lock.held():
            print(kept_note(folder, started, args.resume, _again,
                            "--minutes=0" if args.interactive else "--epochs={}"), file=sys.stderr)
        raise
    except _Finished as done:
        print(f"note: {done.folder.name} was finished before the last run ended (killed after "
              "writing the model, before removing its checkpoint): nothing to resume; the "
              "leftover checkpoint is removed")
        shutil.rmtree(done.folder.with_name(done.folder.name + ".checkpoint"), ignore_errors=True)
        print(done.folder)
        return 0
    finally:
        train_lock.release()   # the run is over: its lock file is removed
        if distributed:
            from ..ai.distributed import stop_distributed

            stop_distributed()
        train_lock.exit_if_terminated()


def _again(*flags: str) -> str:
    """This command as typed with ``flags`` (``--resume``...) added; ``""`` when ``neuroview
    train`` was not the command line (a test's, or a caller's in this process)."""
    if len(sys.argv) < 3 or sys.argv[1] != "train":
        return ""
    parser = argparse.ArgumentParser()
    register(parser)
    return again(sys.argv[2:], parser, *flags)


def _run(args) -> int:
    from ..ai.train_config import TrainConfig

    name = Path(args.out).name if ("/" in args.out) else args.out
    if not name or any(c in name for c in "@\\ "):
        raise NeuroviewError(f"--out {args.out!r} is not a usable model name")
    if args.dataset is not None:
        # read before torch loads (seconds): a folder holding no usable dataset is said at once
        from ..ai.finetune import read_dataset
        from .dataset import dataset_folder

        read_dataset(dataset_folder(args.dataset))
    from ..ai.infer import choose_device

    device = choose_device(args.device).type
    command = ""   # the card's recipe: the command line without its paths (train_recipe.py)
    if len(sys.argv) > 2 and sys.argv[1] == "train":
        parser = argparse.ArgumentParser()
        register(parser)
        command = recipe(sys.argv[2:], parser)
    keep_worse = _again("--resume", "--keep-worse")   # saves the best trained epoch when none beat the base
    config = TrainConfig(out=Path("."), name=name, device=device, threads=args.threads, seed=args.seed,
                         batch_size=args.batch_size, base_channels=args.base_channels or 8,
                         minutes=args.minutes, resume=args.resume, command=command,
                         workers=max(0, args.workers))
    for field_name, value in (("epochs", args.epochs), ("iterations_per_epoch", args.iterations),
                              ("patience", args.patience), ("patch", args.patch),
                              ("spacing", args.spacing), ("learning_rate", args.learning_rate)):
        if value is not None:
            setattr(config, field_name, value)
    config.mirror_axes = args.mirror_axes
    # --resume takes the checkpoint's plan where these are not given (ai/train_plan.py)
    config.extra["plan_given"] = tuple(flag for flag, value in (
        ("epochs", args.epochs), ("iterations", args.iterations), ("learning_rate", args.learning_rate),
        ("spacing", args.spacing), ("patch", args.patch)) if value is not None)
    config.extra["keep_worse"] = args.keep_worse   # --dataset and --synthetic (ai/base_rule.py)
    config.extra["again"] = keep_worse
    if args.tissue_lesions is not None:
        if not 0 <= args.tissue_lesions <= 1:
            raise NeuroviewError(f"--tissue-lesions {args.tissue_lesions} is not a share between 0 and 1")
        config.tissue_lesions = args.tissue_lesions
    for flag, share in (("--exclude-clicks", args.exclude_clicks), ("--small-lesions", args.small_lesions),
                        ("--first-click-cubes", args.first_click_cubes)):
        if share is not None and not 0 <= share <= 1:
            raise NeuroviewError(f"{flag} {share} is not a share between 0 and 1")
    if args.average_decay is not None and not 0 <= args.average_decay < 1:
        raise NeuroviewError(f"--average-decay {args.average_decay} is not between 0 and 1 (0: off)")
    if args.interactive:
        from ..ai.interactive.train import InteractiveConfig, train_interactive

        version = args.version or "1.0.0"
        out, registered = _output(args.out, name, version, args.force, getattr(args, "resume", False))
        interactive = InteractiveConfig(out=out, name=name, version=version, seed=args.seed,
                                        threads=args.threads, batch_size=args.batch_size,
                                        base_channels=args.base_channels, base=args.base,
                                        keep_worse=args.keep_worse, command=command, device=device,
                                        again=keep_worse,
                                        resume=args.resume,
                                        workers=max(0, args.workers))
        given = ["base_channels"] if args.base_channels is not None else []
        for field_name, value in (("minutes", args.minutes), ("iterations_per_epoch", args.iterations),
                                  ("patch", args.patch), ("learning_rate", args.learning_rate),
                                  ("first_click_cubes", args.first_click_cubes),
                                  ("small_lesions", args.small_lesions),
                                  ("tissue_lesions", args.tissue_lesions),
                                  ("exclude_clicks", args.exclude_clicks),
                                  ("average_decay", args.average_decay)):
            if value is not None:
                setattr(interactive, field_name, value)
                given.append(field_name)
        interactive.given = tuple(given)   # --resume goes on with the run's others
        folder = train_interactive(interactive)
    elif args.synthetic:
        from ..ai.lesion_recipe import finish_base, train_synthetic

        config.version = args.version or "1.0.0"
        config.out, registered = _output(args.out, name, config.version, args.force, args.resume)
        if args.base:
            config.extra["base"] = args.base
        if args.finish_only and not args.base:
            raise NeuroviewError("--finish-only needs --base: the model whose weights to finish")
        folder = finish_base(config) if args.finish_only else train_synthetic(config)
    else:
        from ..ai.finetune import train_on_dataset
        from .dataset import dataset_folder

        args.dataset = dataset_folder(args.dataset)
        if args.base:
            trust.apply(args, args.base)  # consent recorded before the base is loaded
        folder, registered = train_on_dataset(args.dataset, config, args.base, args.version,
                                              args.validation_fraction,
                                              functools.partial(_output, force=args.force,
                                                                resume=args.resume), args.out)
    if folder is not None:  # None on the other ranks of a distributed run
        # the package holds the best weights now; the resumable checkpoint has served
        shutil.rmtree(Path(folder).with_name(Path(folder).name + ".checkpoint"), ignore_errors=True)
        print(folder)
    return 0
