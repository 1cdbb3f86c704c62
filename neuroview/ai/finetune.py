"""Training on an nnU-Net v2 raw dataset: ``neuroview train --dataset DIR [--base MODEL]``.

Reads ``DIR/dataset.json`` (``channel_names``, ``labels``, ``numTraining``, ``file_ending``),
``DIR/imagesTr/CASE_0000{ending}`` (+ ``_0001``... per channel) and ``DIR/labelsTr/CASE{ending}``.
The held-out split is a deterministic function of the case names (a hash, not a random draw), so
every model trained or evaluated on the same dataset uses the same split and their Dice can be
compared; its id and a hash of the dataset's files go on the card.
"""

from __future__ import annotations

import copy
import datetime as _dt
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from ..core.errors import DatasetError, ModelError
from ..core.file_lock import DATASET_LOCK, shared_lock
from ..core.geometry import spacing_from_affine
from ..core.jsonfile import read_json
from ..core.plural import plural
from .api import LabelInfo, ModelCard
from .base_rule import FALSE_KEY, NOT_BETTER, judge, selection_score
from .card_names import UNNAMED_DATASET, case_ids, dataset_name
from .held_out import dice_per_label_text, too_few_held_out
from .held_out_scoring import (
    PreparedCases,
    dice_cases,
    load_case,
    predict_cases,
    score_predictions,
    weights_digest,
)
from .metrics import dice_text, format_summary, rounded
from .normalize import normalize


@dataclass
class DatasetCase:
    name: str
    images: list[Path]
    label: Path
    body_part: str = ""
    """Its source's BodyPartExamined, as ``dataset add`` recorded it (its NIfTI names none)."""
    modality: str = ""
    """Its first channel's modality as recorded ("MR", "CT"; "" when not)."""


@dataclass
class RawDataset:
    root: Path
    channels: list[str]
    labels: list[LabelInfo]
    cases: list[DatasetCase]
    file_ending: str


FILE_ENDING = re.compile(r"(\.[A-Za-z0-9]{1,8}){1,3}")
"""A dataset.json ``file_ending``: ``.nii.gz``, ``.nrrd``, ``.mha``; no separator, no ``..``."""


def read_dataset(folder: str | os.PathLike) -> RawDataset:
    """Parse an nnU-Net v2 raw dataset folder, checking that every file it names exists.

    Read while no case is being added (the dataset's lock, held shared): a case moving into place
    (its label there, ``numTraining`` not yet counting it) made a training run started then stop
    with "dataset.json says numTraining=N but labelsTr holds N+1"."""
    root = Path(folder)
    with shared_lock(root / DATASET_LOCK):
        return _read_dataset(root)


def _read_dataset(root: Path) -> RawDataset:
    meta_path = root / "dataset.json"
    if not meta_path.exists():
        raise DatasetError("no dataset.json: not an nnU-Net v2 raw dataset folder", path=root)
    try:
        meta = read_json(meta_path)
        channel_map = meta["channel_names"]
        label_map = meta["labels"]
        ending = meta.get("file_ending", ".nii.gz")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DatasetError(f"dataset.json is malformed ({exc})", path=meta_path) from None
    if not isinstance(ending, str) or not FILE_ENDING.fullmatch(ending):
        # it is globbed and joined to case names: "/../../x.nii.gz" read files from outside the
        # dataset into the training (as a planted symlink would, which dataset add refuses)
        raise DatasetError(f"dataset.json's file_ending {str(ending)[:40]!r} is not a file ending "
                           "such as '.nii.gz'", path=meta_path)
    channels = [str(channel_map[k]) for k in sorted(channel_map, key=lambda k: int(k))]
    from ..core.labels import default_color

    labels = [LabelInfo(int(v), str(name), default_color(int(v)))
              for name, v in sorted(label_map.items(), key=lambda kv: int(kv[1])) if int(v) != 0]
    if [lab.value for lab in labels] != list(range(1, len(labels) + 1)):
        raise DatasetError("labels in dataset.json must be 0 (background) and 1..N", path=meta_path)
    if any(lab.name == "ignore" for lab in labels):
        # a partially reviewed case (dataset add --reviewed): training learned 'ignore' as a class
        # (a card labelled lesion and ignore) and the held-out figures counted it as a lesion
        raise DatasetError("holds nnU-Net's 'ignore' label (partially reviewed cases), "
                           "which neuroview does not yet leave out of training and measuring",
                           path=meta_path, hint="train and measure with nnU-Net (nnUNetv2_train), "
                           "or send those cases fully reviewed to another dataset")
    cases = []
    label_dir = root / "labelsTr"
    for label in sorted(label_dir.glob(f"*{ending}")) if label_dir.is_dir() else []:
        name = label.name[: -len(ending)]
        images = [root / "imagesTr" / f"{name}_{c:04d}{ending}" for c in range(len(channels))]
        missing = [p.name for p in images if not p.exists()]
        if missing:
            raise DatasetError(f"case {name} lacks {', '.join(missing)}", path=root / "imagesTr")
        cases.append(DatasetCase(name, images, label, *_recorded_header(root, name)))
    if len(cases) < 2:
        raise DatasetError(f"needs at least 2 labelled cases, found {len(cases)}", path=label_dir,
                           hint="one to train on and one held out, to measure the model (and a "
                                "fine-tune against its base); promotion needs 2 held out, from 8 "
                                "cases at the default 20 %: add cases with Send to training set")
    expected = meta.get("numTraining")
    if expected is not None and int(expected) != len(cases):
        raise DatasetError(f"dataset.json says numTraining={expected} but labelsTr holds {len(cases)}",
                           path=meta_path)
    return RawDataset(root, channels, labels, cases, ending)


def _recorded_header(root: Path, name: str) -> tuple[str, str]:
    """``(body part, modality)`` a case's provenance record keeps of its source's header
    (``provenance/NAME.json``, ``dataset add``'s and Send to training set's), ("", "") without
    one: the held-out scoring refuses a knee in a head set by them, as ``segment`` does."""
    try:
        record = read_json(root / "provenance" / f"{name}.json")
    except (OSError, ValueError, TypeError, OverflowError):
        return "", ""
    if not isinstance(record, dict):
        return "", ""
    return str(record.get("body_part") or ""), str(record.get("modality") or "")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def dataset_hash(dataset: RawDataset, per_file: Optional[dict] = None) -> str:
    """SHA-256 over dataset.json and every case file (names and contents); ``per_file`` (a dict)
    receives each file's own SHA-256 by path."""
    digest = hashlib.sha256()
    files = [dataset.root / "dataset.json"]
    for case in dataset.cases:
        files.extend(case.images + [case.label])
    for path in files:
        digest.update(str(path.relative_to(dataset.root)).encode())
        own = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
                own.update(block)
        if per_file is not None:
            per_file[path] = own.hexdigest()
    return digest.hexdigest()


def changed_cases(cases: list[DatasetCase], digests: dict) -> list[str]:
    """The names of ``cases`` whose files differ now from ``digests`` (:func:`dataset_hash`)."""
    return [case.name for case in cases
            if any(file_sha256(path) != digests.get(path) for path in case.images + [case.label])]


def _subject(root: Optional[Path], case: DatasetCase) -> str:
    """The patient pseudonym the case's provenance names (``provenance/CASE.json``), else the
    case's own name (a dataset made elsewhere, or cases of no folder: each case its own patient)."""
    if root is None:
        return case.name
    try:
        subject = read_json(root / "provenance" / f"{case.name}.json").get("subject")
    except (OSError, ValueError, AttributeError):
        return case.name
    return subject if isinstance(subject, str) and subject else case.name


def split(dataset: RawDataset, fraction: float = 0.2) -> tuple[list[DatasetCase], list[DatasetCase], str]:
    """``(train, held_out, split_id)``; held-out = the cases whose name hashes lowest, each with
    every case of its patient (a patient's follow-up in training measured the model on a patient
    it had learned from); one case per patient gives the split by name alone."""
    def rank(case):
        return hashlib.sha256(case.name.encode()).hexdigest()

    ranked = sorted(dataset.cases, key=rank)
    count = min(max(1, int(round(len(ranked) * fraction))), len(ranked) - 1)
    patients: dict[str, list[DatasetCase]] = {}
    for case in ranked:   # patients in the order of their lowest-ranked case
        patients.setdefault(_subject(dataset.root, case), []).append(case)
    held = []
    for cases in patients.values():
        if len(held) >= count:
            break
        if len(held) + len(cases) < len(ranked):   # never every case
            held += cases
    held = sorted(held or ranked[:count], key=lambda c: c.name)   # one patient's scans alone: by name
    names = {c.name for c in held}
    train = [c for c in dataset.cases if c.name not in names]
    split_id = hashlib.sha256("\n".join(c.name for c in held).encode()).hexdigest()[:16]
    return train, held, split_id


def load_resampled(case: DatasetCase, card: ModelCard):
    """A case on the model's grid: normalised ``(C, X, Y, Z)`` float32 and uint8 labels."""
    from .infer import model_grid_shape, permuted_spacing, ras_orientation, resample_to_shape, to_closest_ras

    images, label = load_case(case, card.n_channels)
    ornt = ras_orientation(label.ijk_to_ras)
    spacing = permuted_spacing(np.asarray(spacing_from_affine(label.ijk_to_ras)), ornt)
    lab = to_closest_ras(np.asarray(label.array), ornt)
    shape = model_grid_shape(lab.shape, spacing, card.target_spacing)
    channels = [resample_to_shape(normalize(to_closest_ras(np.asarray(im.array), ornt), card.normalization),
                                  shape, order=1) for im in images]
    labels = resample_to_shape(np.rint(lab).astype(np.uint8), shape, order=0)
    return np.stack(channels).astype(np.float32), labels


def evaluate_cases(model, cases: list[DatasetCase], device: str = "cpu", progress=None,
                   prepared: Optional[PreparedCases] = None, lesionwise: bool = True,
                   kept: Optional[list] = None, refused: Optional[dict] = None
                   ) -> tuple[list[float], Optional[dict]]:
    """``(mean Dice per label, lesion-wise summary)`` of ``model`` over ``cases`` its card does not
    refuse (:func:`.held_out_scoring.predict_cases`, :func:`~.held_out_scoring.score_predictions`:
    the summary None without ``lesionwise``); ``kept`` (a list) receives the predictions,
    ``refused`` (a dict) the name and refusal of each case left out."""
    predictions = predict_cases(model, cases, device, progress, prepared, refused)
    if kept is not None:
        kept[:] = predictions
    return score_predictions(predictions, len(model.card.labels), lesionwise)


def _bump(version: str) -> str:
    parts = version.split(".")
    if len(parts) >= 2 and parts[1].isdigit():
        return ".".join([parts[0], str(int(parts[1]) + 1)] + ["0"] * (len(parts) - 2))
    return version + ".1"


def dataset_sampler(cases: list[tuple[np.ndarray, np.ndarray]], patch: int, batch_size: int):
    """Random patches (half centred on foreground) with flips, intensity scale/shift and noise."""

    def one(rng: np.random.Generator):
        image, label = cases[int(rng.integers(len(cases)))]
        shape = np.asarray(label.shape)
        foreground = np.argwhere(label > 0) if rng.random() < 0.5 else np.empty((0, 3))
        centre = foreground[rng.integers(len(foreground))] if len(foreground) else \
            rng.integers(0, shape)
        start = np.clip(centre - patch // 2, 0, np.maximum(shape - patch, 0))
        box = tuple(slice(int(s), int(s) + patch) for s in start)
        x = image[(slice(None),) + box].copy()
        y = label[box].copy()
        pads = [(0, patch - s) for s in y.shape]
        if any(p for _, p in pads):
            x = np.pad(x, [(0, 0)] + pads, constant_values=float(image.min()))
            y = np.pad(y, pads)
        x = x * rng.uniform(0.85, 1.15) + rng.uniform(-0.15, 0.15)
        x = x + rng.normal(0, rng.uniform(0, 0.1), x.shape)
        for axis in range(3):
            if rng.random() < 0.5:
                x, y = np.flip(x, axis + 1), np.flip(y, axis)
        return np.ascontiguousarray(x, dtype=np.float32), np.ascontiguousarray(y)

    def sample(rng: np.random.Generator):
        pairs = [one(rng) for _ in range(batch_size)]
        return np.stack([p[0] for p in pairs]), np.stack([p[1] for p in pairs])

    return sample


def lineage_description(base_card: ModelCard, trained: int, held_out: int, shown: str) -> str:
    """A fine-tune's card description: what it was fine-tuned from and on, then the base's own
    description as the base's (it kept the base's, "Trained only on synthetic lesions...", as if
    the user's cases had never been seen)."""
    where = f"dataset {shown}" if shown != UNNAMED_DATASET else "a dataset whose folder name is not recorded"
    text = (f"Fine-tuned from {base_card.ref} on {plural(trained, 'case')} of {where} "
            f"({held_out} more held out for its figures).")
    if base_card.description:
        text += f" The base, {base_card.ref}: {base_card.description}"
    return text


def channels_note(dataset_channels: list[str], card: ModelCard) -> str:
    """The note when a dataset's channels are named other than the base's: fed in order, the
    names only labels (``dataset channels ['MR'] are used as ['T1']`` read as if a FLAIR set were
    taken for T1s)."""
    pairs = ", ".join(f"{ours!r} as its {theirs!r}" for ours, theirs in zip(dataset_channels,
                                                                           card.input_channels))
    return (f"note: {card.ref} is given the dataset's channel{'s' if len(dataset_channels) > 1 else ''} "
            f"{pairs}: channels are matched by order; a channel's name is a label and checks "
            "nothing of the image's contrast")


def check_labels_match(card: ModelCard, labels: list[LabelInfo], source) -> None:
    if [lab.name for lab in card.labels] != [lab.name for lab in labels]:
        raise ModelError(f"dataset labels {[lab.name for lab in labels]} differ from the base model's "
                         f"{[lab.name for lab in card.labels]}", path=source,
                         hint="train from scratch (no --base) or relabel the dataset")


def train_on_dataset(folder, config, base: Optional[str], version: Optional[str],
                     validation_fraction: float, output: Callable, out_arg: str, log=None):
    """Fine-tune ``base`` (or train from scratch) on a raw dataset; returns ``(package, registered)``.

    ``output(out_arg, name, version) -> (folder, registered)`` decides where the package goes.
    """
    import torch

    from .checkpoint import saved_plan
    from .distributed import distributed_rank
    from .networks import build_network
    from .package import save_package
    from .segment import get_model
    from .train import check_automatic_base, fit, print_line
    from .train_plan import base_shape_note, resumed_shape

    log = log or print_line
    dataset = read_dataset(folder)
    # the files as they are read for training: a label replaced during the run (Send to training
    # set beside a running Train model...) was hashed after the epochs, and the card named it
    digests: dict = {}
    sha256 = dataset_hash(dataset, digests)
    train_cases, held_out, split_id = split(dataset, validation_fraction)
    parent = None
    if base:
        loaded = get_model(base)  # a TorchScript base only with consent (train --trust-code)
        if loaded.kind not in ("safetensors", "torchscript"):
            raise ModelError(f"only safetensors and TorchScript models can be fine-tuned, {base} is "
                             f"{loaded.kind}")
        card = copy.deepcopy(loaded.card)
        check_automatic_base(card, loaded.path)
        check_labels_match(card, dataset.labels, dataset.root)
        if card.input_channels != dataset.channels:
            if len(card.input_channels) != len(dataset.channels):
                raise ModelError(f"dataset has channels {dataset.channels} but {card.ref} takes "
                                 f"{card.input_channels}", path=dataset.root)
            log(channels_note(dataset.channels, card))
            # the fine-tune's card names the channels it was trained on (it kept the base's: a
            # FLAIR set's fine-tune said it reads T1)
            card.input_channels = list(dataset.channels)
        network = build_network(card.architecture, card.hyperparameters)
        try:  # a TorchScript file's weights must fit the network its card names
            network.load_state_dict(dict(loaded.network.state_dict()))
        except RuntimeError as exc:
            raise ModelError(f"the weights of {base} do not fit the {card.architecture} network "
                             f"its card describes ({str(exc).splitlines()[0]})",
                             path=loaded.path) from None
        parent = card.ref
        kept = base_shape_note(card, config)
        if kept and distributed_rank()[0] == 0:
            log(kept)
        card.version = version or _bump(card.version)
        if config.learning_rate is None:
            config.learning_rate = 1e-3  # gentler for fine-tuning unless asked otherwise
    else:
        config.out, registered = output(out_arg, config.name, version or "1.0.0")
        if config.resume:   # the run's voxel size and patch edge go on (train_plan.resumed_shape)
            note = resumed_shape(saved_plan(config.out), config, config.extra.get("plan_given", ()))
            if note and distributed_rank()[0] == 0:
                log(note)
        first = load_case(dataset.cases[0], len(dataset.channels))[1]
        spacing = config.spacing = config.spacing or min(spacing_from_affine(first.ijk_to_ras))
        hyper = {"in_channels": len(dataset.channels), "out_channels": len(dataset.labels) + 1,
                 "base_channels": config.base_channels, "levels": config.levels}
        card = ModelCard(name=config.name, version=version or "1.0.0", architecture="unet3d",
                         hyperparameters=hyper, input_channels=list(dataset.channels),
                         target_spacing=(spacing,) * 3, patch_size=(config.patch,) * 3,
                         labels=list(dataset.labels))
        torch.manual_seed(config.seed)   # --seed fixes the new network's weights too (fit seeds after)
        network = build_network("unet3d", hyper)
    card.name = config.name
    config.patch = card.patch_size[0]
    if base:
        config.out, registered = output(out_arg, card.name, card.version)
    log(f"{len(train_cases)} training and {len(held_out)} held-out cases (split {split_id})")
    too_few = too_few_held_out(len(held_out), len(dataset.cases))
    if too_few:   # said before training, on the card and in the window, not first at promotion
        log(f"note: {too_few}")
    train_data = [load_resampled(c, card) for c in train_cases]
    from .package import LoadedModel

    # a resumed run's epoch 0 is the checkpoint's, measured by an earlier process (maybe of
    # another --base): its figures are not taken for the base's below
    resumed = config.resume and (Path(config.out).with_name(Path(config.out).name + ".checkpoint")
                                 / "state.safetensors").exists()
    prepared = PreparedCases()   # each held-out case read and prepared once, not at every epoch
    refused: dict = {}   # held-out cases the card refuses (a knee in a head set): not scored
    best = {"score": [-1.0, -1.0], "calls": 0}   # the predictions of the best weights measured so far

    def measure(trained) -> dict:
        """Each epoch's held-out Dice, the card's measure: the model run as Segment runs it
        (brain extraction, post-processing, each case's own grid). The network alone on the
        model's grid printed 0.262 and 0.272 beside a final 0.725 (lesionseg on one held-out
        case), and chose the kept epoch by it; on that case it took 4.1 s of CPU, this 3.1 s.
        The lesion-wise summary is kept for the base alone (epoch 0: its card figures); the best
        epoch's predictions are kept for the card's figures (:func:`.base_rule.selection_score`)."""
        kept: list = []
        base_call = bool(base) and not resumed and best["calls"] == 0
        best["calls"] += 1
        dice, lesionwise = evaluate_cases(LoadedModel(card, trained, "", "safetensors"), held_out,
                                          config.device, prepared=prepared, kept=kept, refused=refused)
        # the false regions per case choose the epoch where no held-out case holds a lesion
        figures = {"val_dice": dice, "line": "", FALSE_KEY: lesionwise["false_positives_per_case"]}
        score = selection_score(figures, False)   # as fit scores it
        candidate = not (base_call and config.extra.get("keep_worse"))   # as fit keeps an epoch
        if candidate and score > best["score"]:
            best.update(score=score, digest=weights_digest(trained), predictions=kept)
        return {**figures, **({"lesionwise": lesionwise} if base_call else {})}

    history = fit(network, config, dataset_sampler(train_data, config.patch, config.batch_size),
                  [], len(card.labels), log=log, split_id=split_id, measure=measure,
                  base_ref=parent or "", base_given=base or "")
    if distributed_rank()[0] != 0:
        return None, False  # rank 0 evaluates and writes the package
    hint = (f"fine-tune again with more corrected cases (it trained on {plural(len(train_cases), 'case')}), "
            "fewer batches per epoch (--iterations) or a lower --learning-rate")
    not_better = judge(history, parent, config.out, config.extra.get("keep_worse"), "the held-out cases",
                       hint, log, again=config.extra.get("again", ""))

    # The held-out cases are read again here: one sent again meanwhile is measured as it is now
    # (the model never trained on it either way), and the card says so beside dataset_sha256.
    changed_names = changed_cases(held_out, digests)
    changed = case_ids(changed_names, [case.name for case in dataset.cases])
    for name in changed:
        log(f"note: held-out case {name} changed since training began (sent again?): its figures "
            "are on its files as they are now, not those dataset_sha256 names")
    # The weights kept were measured at their epoch, on the same cases: scored from those
    # predictions (it ran them again, one pass more), unless a case changed since
    prepared.forget(changed_names)
    kept = best.get("predictions") if not changed and best.get("digest") == weights_digest(network) else None
    if kept:
        final, lesionwise = score_predictions(kept, len(card.labels))
    else:
        kept = []
        final, lesionwise = evaluate_cases(LoadedModel(card, network, "", "safetensors"), held_out,
                                           config.device, prepared=prepared, kept=kept, refused=refused)
    counts = dice_cases(kept, len(card.labels))   # each label's Dice is over the cases holding it
    # The base on the same held-out cases (the base card's figures are of another split, or of
    # synthetic heads): the notice said "0.6979 (base 0.4798 on another held-out split)" while the
    # base scored 0.7817 on the very case. Its epoch 0 measured it so before training (until
    # session 36 it was measured again here); again only when a held-out case changed since, or
    # the run was resumed.
    base_figures = None
    if base:
        first = history.get("base", {})
        base_dice, base_lesionwise = (first["val_dice"], first["lesionwise"]) \
            if "lesionwise" in first and not (changed or resumed) else \
            evaluate_cases(loaded, held_out, config.device, prepared=prepared, refused=refused)
        base_figures = {"ref": parent,
                        "dice": {lab.name: rounded(d) for lab, d in zip(card.labels, base_dice)},
                        "lesionwise": base_lesionwise}
    scored = [c for c in held_out if c.name not in refused]
    for name, why in refused.items():
        log(f"note: held-out case {case_ids([name], [c.name for c in dataset.cases])[0]} not scored, "
            f"listed apart on the card: {why}")
    card.parent = parent
    card.created = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    shown = dataset_name(dataset.root.name)   # not a folder name that may name a patient
    if base:   # the base's description and data stay, as the base's
        card.description = lineage_description(loaded.card, len(train_cases), len(held_out), shown)
    card.training = {
        "data": f"nnU-Net v2 raw dataset {shown}: {len(train_cases)} training cases",
        "dataset_sha256": sha256, "recipe": config.command,
        "epochs_run": len(history["epochs"]), "best_epoch": history["best_epoch"],
        "iterations": history["iterations"], "minutes": round(history["seconds"] / 60, 1),
        "history": history["epochs"], "seed": config.seed, "processes": history["world_size"],
    }
    if base and loaded.card.training.get("data"):   # and its own base's, down the lineage
        card.training["base_data"] = "; ".join(filter(None, (
            f"{parent}: {loaded.card.training['data']}", loaded.card.training.get("base_data"))))
    card.metrics = {
        "held_out_dice": {lab.name: rounded(d) for lab, d in zip(card.labels, final)},
        "held_out_dice_cases": {lab.name: n for lab, n in zip(card.labels, counts)},
        "held_out_cases": len(scored), "held_out_split": split_id,
        "held_out_case_ids": case_ids([c.name for c in scored], [c.name for c in dataset.cases]),
        "held_out_description": f"{plural(len(held_out), 'case')} of {shown} chosen by name hash"
        + (f", {len(refused)} refused by the model's card and not scored" if refused else ""),
        "held_out_lesionwise": lesionwise,
    }
    if refused:   # listed apart, not scored: whose figures the card's are not
        card.metrics["held_out_refused"] = dict(zip(case_ids(list(refused), [c.name for c in dataset.cases]),
                                                    refused.values()))
    if too_few:
        card.metrics["held_out_too_few"] = too_few
    if base_figures is not None:
        card.metrics["base_held_out"] = base_figures
    if changed:
        card.metrics["held_out_changed_during_training"] = changed
    if not_better:   # kept as asked (--keep-worse): said on the card, and promotion refuses it
        card.metrics[NOT_BETTER] = True
    # a label no held-out case holds: "not measured" (None on the card), never 1.0
    log("held-out Dice " + dice_per_label_text(card))
    log("held-out lesion-wise: " + format_summary(lesionwise))
    if base_figures is not None:
        log(f"base {parent} on the same held-out cases: Dice "
            + ", ".join(f"{name} {dice_text(d)}" for name, d in base_figures["dice"].items()))
        log(f"base {parent} held-out lesion-wise: " + format_summary(base_figures["lesionwise"]))
    return save_package(config.out, card, network.state_dict()), registered
