"""Whether a model may replace the default for its task, judged on held-out evidence: refused when
it is worse (lesion-wise F1 first, then Dice) or when the evidence is too thin (too few held-out
cases, or cases that hold no lesion). :meth:`Registry.promote <neuroview.ai.registry.Registry.promote>`
asks it unless forced."""

from __future__ import annotations

import math
from typing import Optional

from ..core.errors import ModelError
from ..core.plural import plural
from .held_out import (
    MIN_HELD_OUT_CASES,
    base_on_same_cases,
    compared_dice,
    held_out_lesionwise,
    promotion_key,
    promotion_rules,
)
from .metrics import measured_mean

DICE_SHARE = 0.5
"""A higher lesion-wise F1 promotes a model only if its Dice is at least this share of the
current default's (a fine-tune that finds more lesions may lose some Dice, not most of it)."""


def refuse_unless_better(entry, current, scores: Optional[tuple[float, float]] = None,
                         lesion_f1: Optional[tuple[float, float]] = None,
                         cases: Optional[int] = None, lesions: Optional[int] = None) -> None:
    """Raise :class:`ModelError` (with a hint) unless ``entry`` (a registry entry: ``ref`` and
    ``card``) may replace ``current``, the default now.

    Worse means a lower lesion-wise F1 (:mod:`neuroview.ai.metrics`) when both models have
    one, or a higher F1 with under :data:`DICE_SHARE` of its Dice (older cards' any-overlap rule
    counts a region over the whole brain as finding every lesion), else (or at equal F1) a
    lower Dice. ``scores`` = ``(candidate, current)`` Dice and
    ``lesion_f1`` the same for F1, measured on one split (``models promote --dataset``);
    without them the cards' own held-out figures are compared, and only when both cards were
    measured on the same split (same ``held_out_split`` id), or when ``entry`` was fine-tuned from
    ``current`` and its card holds ``current`` run on its own held-out cases
    (``metrics.base_held_out``, written by ``neuroview train --base``); otherwise promotion needs
    ``--dataset`` to measure both, or ``--force``. Not worse on fewer than
    :data:`MIN_HELD_OUT_CASES` held-out cases (``cases`` measured, or the cards'
    ``held_out_cases``) is refused too: one case is too little evidence to promote on, and so
    are held-out cases that hold no lesion (``lesions`` measured, or the card's lesion-wise
    count), where Dice is not measured and a model that finds nothing scores F1 1.0. Cards whose lesion-wise
    figures were measured with different detection rules (:func:`held_out.promotion_rules`) are
    compared on Dice alone, and a refusal says so.
    """
    if entry.card.metrics.get("not_better_than_base"):   # finetune.NOT_BETTER (--keep-worse)
        held_out = "objects" if entry.card.training.get("task") == "interactive" else "cases"
        base = str(entry.card.parent).split(" <- ")[0]   # a promptable card's parent names its lineage
        raise ModelError(f"{entry.ref} did not beat its base {base} on its held-out {held_out} when "
                         "it was trained (kept with --keep-worse); not promoted",
                         hint="use --force to promote it anyway")
    on = ""   # where the two figures were measured, when the cards' own figures say it
    note = ""   # why lesion-wise figures were left out
    if scores is None:
        split_new = entry.card.metrics.get("held_out_split")
        split_old = current.card.metrics.get("held_out_split")
        new_key, old_key = promotion_key(entry.card), promotion_key(current.card)
        measured = base_on_same_cases(entry.card, current.card)
        if new_key is not None and measured and split_new != split_old:
            # fine-tuned from the default, which training ran on the same held-out cases
            old_key, split_old = _measured_key(measured), split_new
            on = f", both on {entry.ref}'s held-out cases"
        else:
            measured = {}
        if new_key is None or old_key is None or split_new != split_old:
            raise ModelError(
                f"cannot tell whether {entry.ref} is better than {current.ref}: their "
                "held-out Dice was not measured on the same split",
                hint="measure both with --dataset DIR, or use --force")
        scores = (new_key[1], old_key[1])
        lesion_f1 = (new_key[0], old_key[0])
        rules = promotion_rules(entry.card, current.card)
        if rules:   # any-overlap against MSSEG-2016 figures: F1 and found do not compare
            lesion_f1, note = None, f"; {rules}"
        cards = (entry.card,) if measured else (entry.card, current.card)   # the cases measured on
        counts = [c.metrics.get("held_out_cases") for c in cards]
        counts = [int(c) for c in counts if isinstance(c, int)]
        cases = min(counts) if counts else None
        summary = held_out_lesionwise(entry.card)
        if summary is not None and summary.get("lesions") == 0:
            # both empty scores Dice and F1 1.0: a model that finds nothing scored best
            raise ModelError(
                f"the held-out cases of {entry.ref} and {current.ref} hold no lesion (a "
                "model that finds nothing has no false region there): no evidence that it is "
                "better; not promoted",
                hint="measure both on a dataset whose held-out cases hold lesions "
                     "(--dataset DIR), or use --force")
    elif lesions == 0:
        raise ModelError(
            f"the held-out cases {entry.ref} and {current.ref} were measured on hold no "
            "lesion (a model that finds nothing has no false region there): no evidence that it "
            "is better; not promoted",
            hint="measure both on a dataset whose held-out cases hold lesions, or use --force")
    if lesion_f1 is not None and not any(math.isnan(v) for v in lesion_f1) \
            and lesion_f1[0] != lesion_f1[1]:
        if lesion_f1[0] < lesion_f1[1]:
            raise ModelError(
                f"{entry.ref} has a lower held-out lesion-wise F1 ({lesion_f1[0]:.4f}) than the "
                f"current default {current.ref} ({lesion_f1[1]:.4f}{on}); not promoted",
                hint="use --force to promote it anyway")
        if scores[0] < DICE_SHARE * scores[1]:
            # under the any-overlap rule (cards before MSSEG-2016's, metrics.ANY_OVERLAP) one
            # region over the whole brain "finds" every lesion with no false positive, F1 1.0
            # at Dice 0.06; MSSEG-2016's rule counts it as one false positive
            raise ModelError(
                f"{entry.ref} has a higher held-out lesion-wise F1 than the current default "
                f"{current.ref} ({lesion_f1[0]:.4f} against {lesion_f1[1]:.4f}) but under half its "
                f"Dice ({scores[0]:.4f} against {scores[1]:.4f}{on}): regions far larger than the "
                "lesions raise F1 without finding them; not promoted",
                hint="look at its results, or use --force to promote it anyway")
    elif scores[0] < scores[1]:
        raise ModelError(
            f"{entry.ref} has a lower held-out Dice ({scores[0]:.4f}) than the current "
            f"default {current.ref} ({scores[1]:.4f}{on}){note}; not promoted",
            hint="use --force to promote it anyway")
    elif lesion_f1 is not None and lesion_f1[0] == lesion_f1[1] == 0:
        # both find no held-out lesion: a Dice of 0.0007 against 0.0000 made a model with 276
        # false regions per case the default (session 47's team walk)
        raise ModelError(
            f"neither {entry.ref} nor the current default {current.ref} finds a held-out lesion "
            f"(lesion-wise F1 0 for both{on}): its Dice {scores[0]:.4f} against {scores[1]:.4f} is "
            "no evidence that it is better; not promoted",
            hint="use --force to promote it anyway")
    if cases is not None and cases < MIN_HELD_OUT_CASES:
        raise ModelError(
            f"{entry.ref}'s held-out Dice ({scores[0]:.4f}, the current default "
            f"{current.ref} {scores[1]:.4f}{on}) was measured on {plural(cases, 'held-out case')}"
            f"{note}: too little evidence that it is better; not promoted",
            hint="measure both on a dataset with more held-out cases (--dataset DIR), or "
                 "use --force to promote it on this evidence")


def _measured_key(measured: dict) -> tuple[float, float]:
    """:func:`promotion_key` of a base model from what training measured of it on the new
    model's held-out cases (``metrics.base_held_out``)."""
    dice = measured_mean(measured["dice"].values())
    summary = measured.get("lesionwise")
    if isinstance(summary, dict) and summary.get("f1") is not None:
        return float(summary["f1"]), compared_dice(summary.get("dice", dice), summary)
    return float("nan"), compared_dice(dice, summary)
