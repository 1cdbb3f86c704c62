"""The held-out figures a model card records, as promotion compares them: mean Dice, the
lesion-wise summary, and how many held-out cases are enough evidence."""

from __future__ import annotations

from typing import Optional

from .api import ModelCard


def held_out_dice(card: ModelCard) -> Optional[float]:
    """Mean held-out Dice recorded on a card, or None."""
    scores = card.metrics.get("held_out_dice")
    if isinstance(scores, dict) and scores:
        values = [float(v) for v in scores.values()]
        return sum(values) / len(values)
    return None


def held_out_lesionwise(card: ModelCard) -> Optional[dict]:
    """The card's lesion-wise held-out summary (:func:`neuroview.ai.metrics.summarize`), or None."""
    summary = card.metrics.get("held_out_lesionwise")
    return summary if isinstance(summary, dict) and "f1" in summary else None


MIN_HELD_OUT_CASES = 2
"""Promotion by held-out figures needs at least this many held-out cases: the Dice of one case
says little about the next (a small training set's 20 % split can hold a single case)."""


def promotion_key(card: ModelCard) -> Optional[tuple[float, float]]:
    """What promotion compares: ``(lesion-wise F1, Dice)`` when the card has lesion-wise figures
    (F1 first: a model that finds more lesions with fewer false alarms wins, Dice breaks ties),
    else ``(nan, Dice)``; None without held-out figures."""
    dice = held_out_dice(card)
    summary = held_out_lesionwise(card)
    if summary is not None and summary.get("f1") is not None:
        return float(summary["f1"]), float(summary.get("dice", dice if dice is not None else 0.0))
    return None if dice is None else (float("nan"), dice)
