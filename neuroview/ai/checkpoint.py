"""A training run's checkpoint (``NAME.checkpoint/`` beside the package it makes): the weights,
the best epoch's weights (none while a fine-tune's base is the best: its package holds them, and
:func:`.train.fit` starts from them) and the optimiser's state in one safetensors file, with the
epoch, the history and the held-out split in its metadata; ``--resume`` continues from it.
``more``: other tensors a recipe keeps (``train --interactive``: the weights' moving average,
torch's RNG state; a fine-tune: its best trained epoch while none beat the base). A group equal
to the weights (the last epoch was the best) is not written twice: the metadata's
``same_as_model`` names it."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Optional

import torch

from ..core.errors import ModelError, first_line
from ..core.jsonfile import parse_json, read_json


def save_checkpoint(folder: Path, network, optimizer, epoch: int, history: dict, best: dict,
                    split_id: str = "", more: Optional[dict] = None, base: Optional[dict] = None) -> None:
    """``base``: the model the run started from (:func:`base_record`; none: not recorded)."""
    from safetensors.torch import save_file

    from ..core.atomic import atomic_path, write_text_atomic

    folder.mkdir(parents=True, exist_ok=True)
    model = {k: v.detach().cpu().contiguous() for k, v in network.state_dict().items()}
    tensors = {f"model.{k}": v for k, v in model.items()}
    # a group equal to the weights (the best epoch is the last, the best trained epoch too) is
    # not written again: the metadata names it, and loading fills it from model.* (a quarter of
    # the file was a second copy of the weights)
    groups = {"best": best, **{f"more.{group}": values for group, values in (more or {}).items()}}
    same = [name for name, values in groups.items() if values and _equal(values, model)]
    for name, values in groups.items():   # more: not model/best/optim, those prefixes are taken
        if name not in same:
            tensors.update({f"{name}.{k}": v.detach().cpu().contiguous() for k, v in values.items()})
    opt = optimizer.state_dict()
    for index, state in opt["state"].items():
        for key, value in state.items():
            if torch.is_tensor(value):
                tensors[f"optim.{index}.{key}"] = value.detach().cpu().reshape(-1).clone() \
                    if value.ndim == 0 else value.detach().cpu().contiguous()
    # the epoch and history travel in the weights' file, renamed into place in one step: a run
    # killed between it and state.json (the dialog's 'checkpoint of epoch n') resumed the next
    # epoch's weights as the epoch before, its best weights with another epoch's best Dice
    meta = json.dumps({"epoch": epoch, "history": history, "split": split_id,
                       **({"base": base} if base is not None else {}),
                       **({SAME: same} if same else {})})
    with atomic_path(folder / "state.safetensors") as tmp:
        save_file(tensors, str(tmp), metadata={"neuroview": meta})
    write_text_atomic(folder / "state.json", meta)


SAME = "same_as_model"
"""The metadata's list of the groups (``best``, ``more.trained``...) equal to ``model.*``, not
written again."""


def _equal(values: dict, model: dict) -> bool:
    """``values`` holds the same tensors as ``model``, byte for byte (a -0.0 is not a 0.0)."""
    def raw(tensor):
        return tensor.detach().cpu().contiguous().reshape(-1).view(torch.uint8)

    return values.keys() == model.keys() and all(
        values[k].dtype == v.dtype and values[k].shape == v.shape and torch.equal(raw(values[k]), raw(v))
        for k, v in model.items())


def read_meta(folder: Path) -> dict:
    """The checkpoint's epoch, history and split, read without its tensors (within bounds: a
    record nested 100,000 deep, or not an object with a whole-number epoch and a history, is a
    :class:`ModelError` of one line naming the checkpoint, no Python error)."""
    from safetensors import SafetensorError, safe_open

    try:
        with safe_open(str(folder / "state.safetensors"), framework="pt") as handle:
            stored = (handle.metadata() or {}).get("neuroview")
        meta = parse_json(stored) if stored else read_json(folder / "state.json")  # older: no metadata
    except (SafetensorError, OSError, ValueError) as exc:
        raise ModelError(f"the checkpoint cannot be read ({first_line(exc, 200)}): {AGAIN}",
                         path=folder) from None
    if not isinstance(meta, dict) or not isinstance(meta.get("history"), dict) \
            or type(meta.get("epoch")) is not int:
        raise ModelError(f"the checkpoint's record of its epochs is damaged (not an object with a "
                         f"whole-number epoch and a history): {AGAIN}", path=folder)
    return meta


AGAIN = "train again without --resume (or Resume unticked)"


def saved_plan(out) -> dict:
    """The plan kept by the checkpoint of the package ``out`` (:mod:`.train_plan`); ``{}``
    without a checkpoint, or one that cannot be read (:func:`load_checkpoint` says why)."""
    from safetensors import SafetensorError

    folder = Path(out).with_name(Path(out).name + ".checkpoint")
    try:
        plan = read_meta(folder)["history"]["plan"] if (folder / "state.safetensors").exists() else {}
    except (SafetensorError, OSError, ValueError, TypeError, KeyError, ModelError):
        return {}
    return plan if isinstance(plan, dict) else {}


def base_record(ref: str, network, given: str = "") -> dict:
    """The base a run starts from, as its checkpoint records it: ``{"ref": name@version,
    "weights": a digest of its weights}`` (``network`` holding them) and, when ``given`` (the
    ``--base`` as typed) is a package folder, ``"given"``: that folder, the spelling a resume
    is told to use (its name@version works only when registered); ``{"ref": ""}`` from scratch."""
    from .held_out_scoring import weights_digest

    if not ref:
        return {"ref": ""}
    folder = {"given": str(Path(given).resolve())} if given and Path(given).is_dir() else {}
    return {"ref": ref, "weights": weights_digest(network), **folder}


def check_base(folder: Path, base: dict, known: Optional[str] = None) -> str:
    """Refuse to resume a checkpoint that started from another base than ``base``
    (:func:`base_record`): its epoch 0 (the figures an epoch must beat) and its kept weights are
    that base's. ``""`` when it matches, a note when the checkpoint (written before session 38)
    does not say. ``known``: the base's name@version as an older checkpoint kept it elsewhere
    (``--interactive``'s settings; ``""`` from scratch): a resume from another is refused, the
    same one resumes with the note that its weights are not recorded."""
    saved = read_meta(folder).get("base")
    if not isinstance(saved, dict):
        if known is None or known == base["ref"]:
            what = "the model it started from" if known is None else f"{known or 'scratch'}'s weights"
            return (f"note: the checkpoint does not record {what} (written before neuroview "
                    f"recorded it): resumed as a run from {_said(base, 'scratch')} as given")
        saved = {"ref": known}
    elif not (isinstance(saved.get("ref"), str)
              and all(isinstance(saved.get(k), (str, type(None))) for k in ("weights", "given"))):
        raise ModelError("the checkpoint's record of the model it started from is damaged (its "
                         "'base' entry is not a name and digests); train again without --resume "
                         "(or Resume unticked) to start afresh", path=folder)
    if saved["ref"] == base["ref"] and saved.get("weights") == base.get("weights"):
        return ""
    if saved["ref"] and saved["ref"] == base["ref"]:
        what = (f"{saved['ref']} with other weights (digest {(saved.get('weights') or 'none')[:12]}, now "
                f"{(base.get('weights') or 'none')[:12]})")
    else:
        what = f"{_said(saved, 'scratch (no --base)')}, not {_said(base, 'scratch (no --base)')}"
    given = shlex.quote(saved.get("given") or saved["ref"])   # a folder as typed, or name@version
    why, again = (f"its epoch 0, the figures to beat, are {saved['ref']}'s",
                  f"resume with --base {given}") if saved["ref"] else \
        ("it has no base's figures to beat", "resume without --base")
    raise ModelError(f"the checkpoint started from {what}: {why}; {again}, or train again "
                     "without --resume (or Resume unticked) to start afresh", path=folder)


def _said(base: dict, none: str) -> str:
    return base["ref"] or none


def read_tensors(folder: Path, meta: Optional[dict] = None) -> dict:
    """The checkpoint's tensors by their stored names (``model.``, ``best.``, ``optim.N.``,
    ``more.GROUP.``), a group saved as equal to the weights (:data:`SAME`) filled from them."""
    from safetensors.torch import load_file

    tensors = load_file(str(folder / "state.safetensors"))
    same = (read_meta(folder) if meta is None else meta).get(SAME, [])
    model = {k[6:]: v for k, v in tensors.items() if k.startswith("model.")}
    for name in same if isinstance(same, list) else []:
        tensors.update({f"{name}.{k}": v.clone() for k, v in model.items()})
    return tensors


def load_checkpoint(folder: Path, network, optimizer, split_id: str = "", more: Optional[dict] = None):
    """Load the weights and optimiser state in place; ``(epoch, history, best weights)``. The
    groups of ``more`` (names to empty dicts) are filled with the tensors saved under them."""
    meta = read_meta(folder)
    if split_id and meta.get("split") and meta["split"] != split_id:
        # cases sent since the run stopped moved the held-out split: the checkpoint's epochs
        # trained on cases now held out, whose Dice the card would report as unseen
        raise ModelError(f"the dataset's held-out split changed since the checkpoint (split "
                         f"{meta['split']}, now {split_id}): its epochs trained on cases that are "
                         "now held out; train again without --resume (or Resume unticked)",
                         path=folder)
    tensors = read_tensors(folder, meta)
    try:
        network.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")})
    except RuntimeError as exc:   # an internal error until session 44
        # torch's first line is 'Error(s) in loading state_dict for X:', the next says which
        which = [re.sub(r"torch\.Size\((\[[^]]*\])\)", r"\1", line.strip().rstrip("."))[:240]
                 for line in str(exc).strip().splitlines()[1:2]]
        raise ModelError("its weights are of another network than this run's"
                         f"{f' ({which[0]})' if which else ''}: resume with the "
                         "--base-channels and --base it was made with, or train again without "
                         "--resume", path=folder) from None
    best = {k[5:]: v for k, v in tensors.items() if k.startswith("best.")}
    opt = optimizer.state_dict()
    for index in range(len(opt["param_groups"][0]["params"])):
        keys = {k.split(".", 2)[2]: v for k, v in tensors.items() if k.startswith(f"optim.{index}.")}
        if keys:
            if "step" in keys:
                keys["step"] = keys["step"].reshape(())
            opt["state"][index] = keys
    optimizer.load_state_dict(opt)
    for group, values in (more or {}).items():
        prefix = f"more.{group}."
        values.update({k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)})
    return int(meta["epoch"]), meta["history"], best
