"""The held-out figures a model card records, as promotion compares them: mean Dice, the
lesion-wise summary, how many held-out cases are enough evidence, and which cases they come from
(the Models dialog and ``neuroview models compare`` say whether two cards' figures compare)."""

from __future__ import annotations

from typing import Optional

from ..core.plural import plural
from .api import ModelCard
from .metrics import dice_text, lesion_rule, measured_mean, rule_name


def held_out_dice(card: ModelCard) -> Optional[float]:
    """Mean held-out Dice recorded on a card (over its labels measured: a label no held-out case
    holds is None there), or None."""
    scores = card.metrics.get("held_out_dice")
    return measured_mean(scores.values()) if isinstance(scores, dict) else None


def label_dice_cases(card: ModelCard, label: str) -> str:
    """`` (over 1 of 2 cases: 1 holds no lesion)`` when a label's held-out Dice on the card is over
    some of its held-out cases only (the others hold none of it): the card's
    ``held_out_dice_cases`` (session 40 on), or for a one-label card the lesion-wise count; ``""``
    when over all or not recorded."""
    counts, cases = card.metrics.get("held_out_dice_cases"), card.metrics.get("held_out_cases")
    used = counts.get(label) if isinstance(counts, dict) else None
    if used is None and len(card.metrics.get("held_out_dice") or {}) == 1:
        summary = held_out_lesionwise(card) or {}
        used, cases = summary.get("dice_cases"), summary.get("cases")
    if not isinstance(used, int) or not isinstance(cases, int) or isinstance(used, bool) \
            or not 0 <= used < cases:   # over all, or a count from elsewhere that cannot be
        return ""
    empty = cases - used
    return f" (over {used} of {cases} cases: {empty} hold{'s' if empty == 1 else ''} no {label})"


def dice_per_label_text(card: ModelCard, spec: str = ".3f") -> str:
    """``lesion 0.857 (over 1 of 2 cases: 1 holds no lesion), edema not measured``: the card's
    held-out Dice per label."""
    scores = card.metrics.get("held_out_dice")
    if not isinstance(scores, dict):
        return "-"
    return ", ".join(f"{name} {dice_text(value, spec)}"
                     + (label_dice_cases(card, name) if value is not None else "")
                     for name, value in scores.items()) or "-"


def compared_dice(dice: Optional[float], summary) -> float:
    """The Dice promotion compares: ``dice``, or where it was not measured (no held-out case holds
    a lesion) the false regions per case ``f`` as ``-f / (1 + f)``, below any Dice
    (:func:`.base_rule.selection_score`), never 1.0."""
    if dice is not None:
        return float(dice)
    false = summary.get("false_positives_per_case") if isinstance(summary, dict) else None
    false = float(false) if isinstance(false, (int, float)) else 0.0
    return -false / (1.0 + false)


def compared_mean(dice_per_label, summary) -> float:
    """:func:`compared_dice` of the mean of a measurement's Dice per label (None: not measured)."""
    return compared_dice(measured_mean(dice_per_label), summary)


def held_out_lesionwise(card: ModelCard) -> Optional[dict]:
    """The card's lesion-wise held-out summary (:func:`neuroview.ai.metrics.summarize`), or None."""
    summary = card.metrics.get("held_out_lesionwise")
    return summary if isinstance(summary, dict) and "f1" in summary else None


def other_rules(summary_a, summary_b) -> str:
    """One line when two lesion-wise summaries were measured with different detection rules
    (:func:`neuroview.ai.metrics.lesion_rule`: a card without the rule's name was measured with
    the any-overlap rule), so that their lesion-wise figures do not compare; ``""`` when they do
    or when either is missing."""
    if not (isinstance(summary_a, dict) and isinstance(summary_b, dict)):
        return ""
    rule_a, rule_b = lesion_rule(summary_a), lesion_rule(summary_b)
    if rule_a == rule_b:
        return ""
    return (f"lesion-wise figures measured with different rules ({rule_name(rule_a)} / "
            f"{rule_name(rule_b)}): compared on Dice only")


def promotion_rules(new: ModelCard, current: ModelCard) -> str:
    """:func:`other_rules` of the figures promotion compares without ``--dataset``: the new
    card's and the current default's own, or the default run on the new model's held-out cases
    (``metrics.base_held_out``) when promotion compares with that."""
    measured = base_on_same_cases(new, current)
    old = measured.get("lesionwise") if measured and new.metrics.get("held_out_split") != \
        current.metrics.get("held_out_split") else held_out_lesionwise(current)
    return other_rules(held_out_lesionwise(new), old)


MIN_HELD_OUT_CASES = 2
"""Promotion by held-out figures needs at least this many held-out cases: the Dice of one case
says little about the next (a small training set's 20 % split can hold a single case)."""


def too_few_held_out(held_out: int, cases: int) -> str:
    """Why a fine-tune measured on fewer than :data:`MIN_HELD_OUT_CASES` of a dataset's ``cases``
    cannot be promoted without ``--force``, with what would give enough (``""`` when it has
    enough). One split of the dataset, not cross-validated figures over several: nnU-Net's five
    folds train five models, five times the run, and another split would change the split id
    that cards and checkpoints of the dataset compare by."""
    if held_out >= MIN_HELD_OUT_CASES:
        return ""
    text = (f"{plural(held_out, 'held-out case')} of {cases}: too few to tell a better model from "
            f"luck, so promotion needs --force (Promote anyway? in the window); {MIN_HELD_OUT_CASES} are "
            "held out from 8 cases at the default 20 %")
    share = enough_share(cases)
    if share:
        text += f", or from these {cases} with --validation-fraction {share:g}"
    return text


def enough_share(cases: int) -> float:
    """The smallest ``--validation-fraction`` in 5 % steps that holds out
    :data:`MIN_HELD_OUT_CASES` of ``cases``, reckoned as ``finetune.split`` reckons it (5 * 0.3
    is 1.4999...: 1 case); 0 where none leaves a case to train on."""
    if cases <= MIN_HELD_OUT_CASES:
        return 0.0
    return next(f / 20 for f in range(1, 20) if round(cases * (f / 20)) >= MIN_HELD_OUT_CASES)


def promotion_key(card: ModelCard) -> Optional[tuple[float, float]]:
    """What promotion compares: ``(lesion-wise F1, Dice)`` when the card has lesion-wise figures
    (F1 first: a model that finds more lesions with fewer false alarms wins, Dice breaks ties),
    else ``(nan, Dice)``; None without held-out figures."""
    dice = held_out_dice(card)
    summary = held_out_lesionwise(card)
    if summary is not None and summary.get("f1") is not None:
        return float(summary["f1"]), compared_dice(summary.get("dice", dice), summary)
    if dice is None and not (summary is not None and "dice" in summary):
        return None
    return float("nan"), compared_dice(dice, summary)


def dice_scores(card) -> dict[str, Optional[float]]:
    scores = card.metrics.get("held_out_dice") or {}
    return {str(k): None if v is None else float(v) for k, v in scores.items()} \
        if isinstance(scores, dict) else {}


def held_out_set(card) -> str:
    """The cases a card's held-out figures were measured on, in a few words: the start of its
    description ("1 case of Dataset501_Lesions chosen by name hash", "whole heads from seeds
    20000-20011"), else its split id."""
    described = str(card.metrics.get("held_out_description") or "").split(" (")[0].split(",")[0]
    split = card.metrics.get("held_out_split")
    return described[:60] or (f"split {split}" if split else "not named on its card")


def other_cases(card_a, card_b) -> bool:
    """Whether the two cards' held-out figures are known to come from different cases: their
    split ids differ, or one names a split and the other none (the bundled recipe names none and
    describes its synthetic heads). Two cards naming none cannot tell (compared as they are)."""
    split_a, split_b = card_a.metrics.get("held_out_split"), card_b.metrics.get("held_out_split")
    return split_a != split_b and bool(split_a or split_b)


def base_on_same_cases(fine, base) -> dict:
    """``fine``'s ``metrics.base_held_out`` when it is ``base`` run on ``fine``'s own held-out cases
    (written by ``neuroview train --dataset --base``), else ``{}``."""
    measured = fine.metrics.get("base_held_out")
    if not isinstance(measured, dict) or measured.get("ref") != base.ref:
        return {}
    return measured if isinstance(measured.get("dice"), dict) else {}


def _task_words(card) -> str:
    """What a card's model does, from its ``training.task`` (the registry's tasks: "interactive"
    for AI click models, none or "lesion" for whole-image lesion models)."""
    task = str(card.training.get("task") or "lesion")
    if task == "interactive":
        return "is a promptable (AI click) model that segments one object from clicks"
    labels = ", ".join(label.name for label in card.labels) or task
    return f"segments whole images (labels {labels}" + ("" if task == "lesion" else f", task {task}") + ")"


def other_tasks(card_a, card_b) -> str:
    """One line when the two models do different tasks (a lesion model and an AI click model):
    their figures (Dice on whole held-out images, Dice of one object after clicks) do not
    compare; ``""`` when they do the same task."""
    task_a = str(card_a.training.get("task") or "lesion")
    task_b = str(card_b.training.get("task") or "lesion")
    if task_a == task_b:
        return ""
    return (f"{card_a.ref} {_task_words(card_a)}, {card_b.ref} {_task_words(card_b)}: the two "
            "models do different tasks, so their figures do not compare")


def per_case_text(card: ModelCard) -> str:
    """``nv_0003 Dice 0.960 F1 1.00, nv_0005 Dice 0.965 F1 1.00``: the card's lesion-wise figures of
    each held-out case, named as ``metrics.held_out_case_ids`` records them (``case 1``... on a card
    made before session 50, in the split's name order); ``""`` without per-case figures."""
    summary = held_out_lesionwise(card) or {}
    per_case = summary.get("per_case") if isinstance(summary.get("per_case"), dict) else {}
    dice, f1 = per_case.get("dice") or [], per_case.get("f1") or []
    if not dice or len(f1) != len(dice):
        return ""
    names = card.metrics.get("held_out_case_ids")
    if not isinstance(names, list) or len(names) != len(dice):
        names = [f"case {number}" for number in range(1, len(dice) + 1)]
    return ", ".join(f"{name} Dice {dice_text(d)} F1 {dice_text(f, '.2f')}"
                     for name, d, f in zip(names, dice, f1))
