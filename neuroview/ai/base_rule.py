"""A fine-tune must beat its base: the one rule of ``neuroview train --base``, on ``--dataset``
(:mod:`.finetune`) and ``--synthetic`` (:mod:`.lesion_recipe`) alike.

:func:`train.fit` measures the base first, as "epoch 0" (``history["base"]``), and keeps an epoch
only if it scores higher; :func:`judge` then refuses to save a run none of whose epochs did (or,
with ``--keep-worse``, lets it be saved marked :data:`NOT_BETTER`, which promotion refuses without
``--force``). Until session 36 only ``--dataset`` had the rule: ``--synthetic --base`` kept the
best of its epochs however far below the base, and registered it; so did ``--interactive --base``
(:mod:`.interactive.train`, judged by its held-out objects' Dice after 1 and 3 clicks).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..core.errors import ModelError
from .metrics import measured_mean

NOT_BETTER = "not_better_than_base"
"""The card's mark of a fine-tune kept with ``--keep-worse``: no epoch beat its base."""
WAY_BACK = "; or save its best epoch anyway"
"""The error hint's way back to the trained weights (the Train dialog says it as its own)."""
FALSE_KEY = "val_false_per_case"
"""In an epoch's record: the false regions per held-out case (lesion-wise, over all cases)."""
CLICKS = "dice_1_click"
"""In a record of ``--interactive``: its figures are Dice after 1 and 3 clicks, their sum the score."""


def _figures(record: dict) -> str:
    """An epoch's (or the base's) deciding figures: Dice, lesion-wise F1/Dice (F1 first), or a
    promptable model's Dice after 1/3 clicks."""
    if CLICKS in record:
        return f"{record[CLICKS]:.3f}/{record['dice_3_clicks']:.3f}"
    mean = measured_mean(record["val_dice"])
    if mean is None:   # no held-out case holds a lesion
        return f"{float(record.get(FALSE_KEY, 0.0)):.1f} false regions/case (Dice not measured)"
    dice = f"{mean:.3f}"
    return f"{record['val_f1']:.3f}/{dice}" if record.get("val_f1") is not None else dice


def judge(history: dict, parent: str, out, keep_worse: bool, on: str, hint: str,
          log: Callable[[str], None], again: str = "") -> bool:
    """``False`` when an epoch beat the base (or there was no base). When none did: raise
    :class:`ModelError` (no new version saved; the checkpoint of the run writing ``out`` kept, with
    its best trained epoch: the same command with ``--resume --keep-worse`` saves that epoch without
    training again, and without ``--keep-worse`` ends with this error again), or with
    ``keep_worse`` say so and return ``True``: the caller marks the card :data:`NOT_BETTER`.
    ``on``: the cases measured ("the held-out cases"); ``hint``: what to try instead; ``again``:
    the command that saves the kept epoch, as the user types it (the CLI's; none: said in words)."""
    base = history.get("base")
    if base is None or history["best_score"] > base["score"]:
        return False
    if keep_worse:
        log(f"note: no epoch beat the base {parent} on {on}; saved as asked (--keep-worse), "
            "marked not better than its base: it cannot be promoted")
        return True
    checkpoint = Path(out).with_name(Path(out).name + ".checkpoint")
    epochs = history["epochs"]
    best = max(range(len(epochs)), key=lambda i: _score(epochs[i])) if epochs else None
    tried = (f"its best epoch, {best + 1} of {len(epochs)}, {_figures(epochs[best])}"
             if best is not None else "no epoch ran")
    measure = ("Dice after 1/3 clicks" if CLICKS in base else
               "lesion-wise F1/Dice, F1 first" if "val_f1" in base else "held-out Dice")
    if best is not None:   # the trained weights are not thrown away (90 minutes were, session 37)
        hint += (f"{WAY_BACK}, without training again: "
                 f"{again or 'the same command with --resume --keep-worse'} (the checkpoint "
                 f"{checkpoint} keeps it; delete that folder if you do not want it)")
    raise ModelError(f"no epoch beat the base {parent} on {on} ({measure}: base "
                     f"{_figures(base)}, {tried}): no new version saved; {parent} stays as it is",
                     hint=hint)


def _score(record: dict) -> list[float]:
    if CLICKS in record:
        return [record[CLICKS] + record["dice_3_clicks"]]
    return selection_score(record, "val_f1" in record)


def selection_score(record: dict, lesionwise: bool) -> list[float]:
    """What picks the epoch kept and judges it against the base: ``[lesion-wise F1, Dice]`` (F1
    with ``lesionwise``, else Dice twice) of an epoch's ``record`` (``val_dice`` per label,
    ``val_f1``, :data:`FALSE_KEY`). Where no held-out case holds a lesion, Dice and F1 are not
    measured (None): the score is then the false regions per case, fewer better, as
    ``-f / (1 + f)``, in (-1, 0]: below any measured Dice or F1, above the -1 no epoch has; until
    session 40 both were 1.0 there for a model that marks nothing, and no fine-tune could beat
    its base."""
    dice = measured_mean(record["val_dice"])
    f1 = record.get("val_f1") if lesionwise else dice
    if dice is None or f1 is None:
        false = float(record.get(FALSE_KEY) or 0.0)
        return [-false / (1.0 + false)] * 2
    return [float(f1), dice]
