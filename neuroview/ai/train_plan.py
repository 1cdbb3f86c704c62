"""A training run's plan (epochs, batches per epoch) and its learning rate, kept in the
checkpoint's history. ``--resume`` takes the checkpoint's plan where ``--epochs`` or
``--iterations`` are not given (a resumed 3-epoch run of 15 batches ran as the defaults' 40 of
60); a plan given otherwise goes on from the learning rate the run had reached, lowered over the
batches now left (it began the schedule again: the rate jumped back up). The starting learning
rate is kept too: ``--resume`` without ``--learning-rate`` goes on with the run's (it took the
default, 0.003 where the run had 0.01), and one given otherwise is honoured and said (AdamW's
moments do not depend on the rate: the steps scale with it from the next batch)."""

from __future__ import annotations

FLOOR = 0.02
"""The learning rate's last share of the starting rate."""


def new_plan(config) -> dict:
    return {"epochs": config.epochs, "iterations": config.iterations_per_epoch,
            "learning_rate": config.learning_rate, "spacing": config.spacing, "patch": config.patch}


def resumed_shape(saved, config, given=()) -> str:
    """``--resume``: the voxel size and patch edge of the checkpoint's run (its plan ``saved``)
    replace ``config``'s, and a note names those ``given`` otherwise (``--spacing 3`` went on
    without a word from weights trained at 2 mm, judged against epochs measured at 2 mm: the
    held-out Dice that picks the epoch kept fell from 0.39 to 0.06). A plan without them (a
    checkpoint written before session 44) leaves ``config`` as it is."""
    refused, run = [], []
    for field, flag, kind, unit in (("spacing", "--spacing", float, " mm voxels"),
                                    ("patch", "--patch", int, "-voxel patches")):
        try:
            value = kind(saved[field])
        except (TypeError, KeyError, ValueError):
            continue
        if field in given and getattr(config, field) != value:
            refused.append(f"{flag} {getattr(config, field):g}")
            run.append(f"{value:g}{unit}")
        setattr(config, field, value)
    if not refused:
        return ""
    return (f"note: {' and '.join(refused)} not used: the checkpoint's run is at {' and '.join(run)}, "
            "as the held-out Dice that picks the epoch kept was measured (train again without "
            f"--resume to change {'them' if len(refused) > 1 else 'it'})")


def base_shape_note(card, config) -> str:
    """A fine-tune keeps its base's voxel size and patch edge (its network was trained at them):
    a note naming ``--spacing`` and ``--patch`` given otherwise (they were left unused without a
    word), ``""`` when none was."""
    given = config.extra.get("plan_given", ())
    unused = [f"{flag} {getattr(config, field):g}" for field, flag, base in (
        ("spacing", "--spacing", tuple(card.target_spacing)), ("patch", "--patch", tuple(card.patch_size)))
        if field in given and base != (getattr(config, field),) * 3]
    if not unused:
        return ""
    spacing, patch = (f"{values[0]:g}" if len(set(values)) == 1 else " x ".join(f"{v:g}" for v in values)
                      for values in (tuple(card.target_spacing), tuple(card.patch_size)))
    return (f"note: {' and '.join(unused)} not used: a fine-tune keeps {card.ref}'s {spacing} mm voxels "
            f"and {patch}-voxel patches")


def fraction(plan: dict, done: int) -> float:
    """How far along its schedule a run of ``plan`` is after ``done`` batches: from the share
    ``at`` reached after ``start`` batches (``"from"``; 0 and 0 for a run never changed) to 1 at
    its ``"planned"`` batches (epochs times batches per epoch unless changed on a resume)."""
    start, at = plan.get("from", (0, 0.0))
    planned = plan.get("planned", plan["epochs"] * plan["iterations"])
    return at + (1.0 - at) * (done - start) / max(planned - start, 1)


def rate(learning_rate: float, share: float) -> float:
    """The learning rate ``share`` of the way along: polynomial decay to :data:`FLOOR`."""
    return learning_rate * max(1.0 - min(share, 1.0), FLOOR) ** 0.9


def resumed_plan(saved, config, epoch: int, done: int, given=("epochs", "iterations")) -> tuple[dict, str]:
    """The plan a run resumed after ``epoch`` (``done`` batches) goes on with, and a note when it
    differs from the checkpoint's plan ``saved``. ``config``'s epochs, batches per epoch and
    learning rate not ``given`` become the checkpoint's. A checkpoint without a plan (written
    before session 43; without its learning rate, before session 44) resumes with ``config``'s."""
    try:
        old = (int(saved["epochs"]), int(saved["iterations"]))
        fraction(saved, done)
        old_rate = float(saved.get("learning_rate") or config.learning_rate)
    except (TypeError, KeyError, ValueError):
        return new_plan(config), ""
    if "epochs" not in given:
        config.epochs = old[0]
    if "iterations" not in given:
        config.iterations_per_epoch = old[1]
    if "learning_rate" not in given:
        config.learning_rate = old_rate
    now = (config.epochs, config.iterations_per_epoch)
    left = max(config.epochs - epoch, 0) * config.iterations_per_epoch
    at = min(fraction(saved, done), 1.0)
    if now == old or not left:   # the same plan, or none of it left to train (--epochs=N to stop)
        plan = {**saved, "learning_rate": config.learning_rate}
        return plan, _rate_note(old_rate, config.learning_rate, at) if left else ""
    plan = {**new_plan(config), "from": [done, at], "planned": done + left}
    note = (f"note: the checkpoint's run was {old[0]} epochs of {old[1]} batches, now {now[0]} of "
            f"{now[1]}: the learning rate goes on from {rate(config.learning_rate, at):.3g}, "
            f"lowered over the {left} batches left")
    more = _rate_note(old_rate, config.learning_rate, at)
    return plan, f"{note}\n{more}" if more else note


def _rate_note(old: float, new: float, at: float) -> str:
    """A resume given another ``--learning-rate``: said, with the rate it goes on at."""
    if new == old:
        return ""
    return (f"note: the checkpoint's run started at learning rate {old:g}, now {new:g}: it goes on "
            f"at {rate(new, at):.3g} (not {rate(old, at):.3g}), lowered as planned")
