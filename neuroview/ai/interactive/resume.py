"""``train --interactive``'s checkpoint (``OUT.checkpoint/``, written atomically by
:mod:`..checkpoint` after every epoch) and ``--resume``: the weights, the optimiser, the moving
average, the best epoch so far (its weights and figures; with ``--base``, the base's epoch-0
figures), the history, the random states (numpy's of the cubes and prompts, torch's) and the
minutes spent. A checkpoint of another ``--base`` (or of its name@version with other weights)
or of other settings (learning rate, patch...) is refused; ``--minutes``, ``--threads``,
``--workers``, ``--device`` and ``--keep-worse`` may change
(a run none of whose epochs beat its base is saved with ``--resume --keep-worse``). The settings
of :data:`KEPT` not given go on as the run's (:func:`keep_run_settings`)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import torch

from ...core.errors import ModelError
from ..checkpoint import check_base, load_checkpoint, read_meta, save_checkpoint

FREE = ("out", "name", "version", "minutes", "command", "threads", "workers", "device", "resume",
        "keep_worse", "again", "given")
"""Settings a resumed run may change (the others shape the training and its held-out objects)."""
KEPT = ("iterations_per_epoch", "patch", "learning_rate", "base_channels", "first_click_cubes",
        "small_lesions", "tissue_lesions", "average_decay", "exclude_clicks")
"""Settings the command line gives only when typed (``--patch``, ``--iterations``...): a resumed
run takes its checkpoint's where one is not. ``--resume`` without the ``--patch 24`` the run was
started with was refused, 'made with other settings (patch 24, now 32)'."""


def checkpoint_folder(out) -> Path:
    return Path(out).with_name(Path(out).name + ".checkpoint")


def settings(config, base_ref) -> dict:
    """The settings a checkpoint must share with the run resuming it (``base``: the base's ref)."""
    kept = {k: v for k, v in dataclasses.asdict(config).items() if k not in FREE}
    return json.loads(json.dumps({**kept, "base": base_ref}))


def keep_run_settings(config) -> None:
    """The checkpoint's value of each :data:`KEPT` setting not in ``config.given`` (those typed),
    set on ``config``; nothing without a checkpoint, or with one that cannot be read
    (:func:`load` says why)."""
    from safetensors import SafetensorError

    folder = checkpoint_folder(config.out)
    try:
        saved = read_meta(folder)["history"].get("settings") \
            if (folder / "state.safetensors").exists() else None
    except (SafetensorError, OSError, ValueError, TypeError, KeyError, AttributeError, ModelError):
        return
    for field in KEPT if isinstance(saved, dict) else ():
        if field not in config.given and field in saved:
            setattr(config, field, saved[field])


def save(config, base: dict, network, optimizer, average, state: dict) -> None:
    """``base``: the run's start (:func:`..checkpoint.base_record`). ``state``: epoch, history,
    iterations, seconds, best (with its weights), trained (the best trained epoch with its
    weights, while the base is the best), judged, rng, count."""
    best, trained = dict(state["best"]), dict(state.get("trained") or {})
    weights = best.pop("state", {})
    more = {"torch_rng": {"cpu": torch.get_rng_state()}}
    if trained.get("state"):   # the best trained epoch, when none beat the base (base_rule.judge)
        more["trained"] = trained.pop("state")
    meta = {**state, "best": best, "trained": trained, "settings": settings(config, base["ref"] or None)}
    if average is not None:
        more["average"] = average.state_dict()
    save_checkpoint(checkpoint_folder(config.out), network, optimizer, state["epoch"], meta, weights,
                    more=more, base=base)


def load(config, base: dict, network, optimizer, average, log) -> dict:
    """The saved ``state`` (as :func:`save` got it), its tensors loaded in place; a checkpoint of
    another base (:func:`..checkpoint.check_base`, as ``--dataset``'s: one written before
    session 38 kept only its ref, among its settings) or of other settings is refused in one
    line before anything is loaded."""
    folder = checkpoint_folder(config.out)
    saved = read_meta(folder)["history"].get("settings")
    note = check_base(folder, base, (saved.get("base") or "") if isinstance(saved, dict) else None)
    if note:
        log(note)
    now = settings(config, base["ref"] or None)
    if saved != now:
        saved = saved or {}
        changed = [f"{k} {_said(saved.get(k))}, now {_said(now.get(k))}"
                   for k in sorted(set(saved) | set(now)) if saved.get(k) != now.get(k)]
        raise ModelError(f"made with other settings ({'; '.join(changed)}): resume "
                         "with the settings it was made with, or train again without --resume",
                         path=folder)
    more = {"torch_rng": {}, "average": {}, "trained": {}}
    epoch, state, weights = load_checkpoint(folder, network, optimizer, more=more)
    if more["trained"]:
        state["trained"]["state"] = more["trained"]
    torch.set_rng_state(more["torch_rng"]["cpu"])
    if average is not None:
        average.load_state_dict(more["average"])
    if weights:
        state["best"]["state"] = weights
    return state


def _said(value) -> str:
    return "none" if value is None else str(value)
