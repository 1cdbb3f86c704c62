"""The click metrics a promptable card records: Dice after each click of the simulated user
(:mod:`.rounds`) on objects drawn as the card's training drew them (:mod:`.cubes`), in the
undeformed template, from seeds of their own (``test_objects`` of the card's metrics).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ...core.atomic import write_text_atomic
from ..api import CARD_FILE
from ..package import load_model
from ..synth import load_mni_anatomy
from ..train import print_line
from .cubes import validation_objects
from .rounds import click_session

TEST_SEED, TEST_OBJECTS = 30_000, 24


def click_runs(network, objects, clicks: int = 3) -> np.ndarray:
    """Dice after each click (objects x clicks) of the simulated user."""
    network.eval()
    return np.asarray([click_session(network, c.image, c.truth, clicks, spacing=c.spacing, click=c.click)
                       for c in objects])


def card_objects(card, count: int, seed: int):
    """Objects in the undeformed template drawn as the card's training drew them (its ROI
    spacings, shares of other contrasts, first-click cubes, small and tissue lesions) and normalised as
    its card says, from ``seed``."""
    training = card.training
    max_spacing = float(training.get("roi_spacing_mm", [1.0, 1.0])[1])
    clip = (card.normalization or {}).get("clip_percentiles", (0.5, 99.5))
    return validation_objects(load_mni_anatomy(), count, card.patch_size[0], seed, tuple(clip), deform=False,
                              max_spacing=max_spacing,
                              other_contrasts=float(training.get("other_contrasts", 0.0)),
                              aligned=float(training.get("aligned", 0.0)),
                              first_click=float(training.get("first_click_cubes", 0.0)),
                              small_lesions=float(training.get("small_lesions", 0.0)),
                              tissue_lesions=float(training.get("tissue_lesions", 0.0)))


def measure_card(folder, log=print_line) -> dict:
    """Click metrics of a package on objects in the undeformed template (other seeds than the
    held-out objects of training), written into its card: what the tests check it against."""
    loaded = load_model(folder)
    card = loaded.card
    runs = click_runs(loaded.network, card_objects(card, TEST_OBJECTS, TEST_SEED))
    metrics = {"objects": TEST_OBJECTS, "seed": TEST_SEED, "anatomy": "MNI152 template, not deformed",
               "dice_1_click": round(float(runs[:, 0].mean()), 3),
               "dice_1_click_sd": round(float(runs[:, 0].std(ddof=1)), 3),
               "dice_3_clicks": round(float(runs[:, 2].mean()), 3),
               "dice_3_clicks_sd": round(float(runs[:, 2].std(ddof=1)), 3)}
    card.metrics["test_objects"] = metrics
    write_text_atomic(Path(folder) / CARD_FILE, card.to_json())
    os.chmod(Path(folder) / CARD_FILE, 0o644)  # a package is shareable data
    log(f"test objects: Dice 1 click {metrics['dice_1_click']:.3f}, 3 clicks {metrics['dice_3_clicks']:.3f}")
    return metrics
