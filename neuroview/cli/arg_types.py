"""Argument types that argparse checks as it parses, before any file is read: a wrong number is
refused in one line (``neuroview snapshot: error: argument --window: must be a positive number,
got '0'``, exit status 2) at once, not after seconds of reading a 300 MB CT."""

from __future__ import annotations

import argparse
import math


def finite_number(text: str) -> float:
    """A float that is neither NaN nor infinite (``--level``)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text!r}")
    return value


def positive_number(text: str) -> float:
    """A finite float above 0 (``--window``)."""
    value = finite_number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
    return value


def _one_or_more(text: str, said: str = "") -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more{said}, got {text!r}")
    return value


def counting_number(text: str) -> int:
    """A whole number from 1 (``--series N``, ``--frame N``: 1-based, as the window counts)."""
    return _one_or_more(text, " (counted from 1)")


def positive_count(text: str) -> int:
    """A count of 1 or more (``train --epochs``, ``--iterations``, ``--batch-size``, ``--threads``):
    ``--epochs 0`` trained nothing and registered the untrained network as a new model (until
    session 40)."""
    return _one_or_more(text)


def share_between(text: str) -> float:
    """A share above 0 and below 1 (``train --validation-fraction``: ``1.5``, ``0`` or ``-3`` were
    taken silently as the nearest split that holds out one case and trains on another, until
    session 40)."""
    value = finite_number(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must be a share above 0 and below 1 (0.2: 20 %), got {text!r}")
    return value
