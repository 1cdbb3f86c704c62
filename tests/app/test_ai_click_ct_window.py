"""The AI click on a CT sees it through the window it opens at (soft tissue 400/40 for a chest,
brain 80/40 for a head): normalised by the image's statistics alone (a tenth of its 99th
percentile as foreground: the soft tissue and bone), the lung, fat and brain were clipped to one
value: a click on a 16 mm lung nodule marked 24 of its 280 voxels at 2 mm (Dice 0.16; 0.79
now), 315 of 3802 at 0.75 x 0.75 x 1 mm (0.15; 0.97 now)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from ct_maker import chest_hu  # noqa: E402

from neuroview import Session  # noqa: E402
from neuroview.ai.interactive import PointPrompt, PromptSet  # noqa: E402
from neuroview.app.prompting import ct_window, segmenter_for  # noqa: E402
from neuroview.core import geometry  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402

pytest.importorskip("torch")


def _chest_with_a_nodule(modality="CT"):
    """A 400 x 400 x 40 mm chest at 2 mm (lungs -850 HU) with a 16 mm nodule at 40 HU in the
    left lung; the nodule's voxels."""
    hu = chest_hu(200, 20, 2.0).astype(np.float32)
    affine = geometry.affine_from_spacing((2.0, 2.0, 2.0), (-199.0, -199.0, -19.0), np.eye(3))
    ras = (np.indices(hu.shape).reshape(3, -1).T * 2.0 + affine[:3, 3]).reshape(hu.shape + (3,))
    nodule = np.linalg.norm(ras - np.array([70.0, 0.0, 0.0]), axis=-1) <= 8.0
    hu[nodule] = 40.0
    return Volume(hu, affine, modality=modality), nodule


def test_a_click_on_a_lung_nodule_finds_it():
    volume, nodule = _chest_with_a_nodule()
    assert ct_window(volume) == (400.0, 40.0)
    answer = segmenter_for(Session(volume)).run(PromptSet([PointPrompt((70.0, 0.0, 0.0))]))
    found = np.zeros(nodule.shape, bool)
    found[answer.slices] = answer.mask()
    dice = 2 * np.count_nonzero(found & nodule) / (np.count_nonzero(found) + np.count_nonzero(nodule))
    assert dice > 0.7, dice


def test_an_mr_keeps_its_own_statistics():
    volume, _ = _chest_with_a_nodule(modality="MR")
    assert ct_window(volume) is None


def test_a_click_on_a_small_head_ct_bleed_sees_it_through_the_stroke_window():
    """A head CT's bleed is seen through 40/40: 80/40 (the window the head opens at) gave 5-30
    mm bleeds a lower one-click Dice on bench/ct_bleed_click.py's held-out heads (0.75 against
    0.83); here 6 mm bleeds of this test's own seeds (measured 0.78 and 0.96 against 0.78 and
    0.79)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from ct_bleed_click import head_ct, one_click_dice

    from neuroview.app.prompt_models import default_model

    model, dice = default_model(), {(40.0, 40.0): [], (80.0, 40.0): []}
    for seed in (90, 91):
        hu, affine, bleed, centre = head_ct(seed, 6.0)
        assert ct_window(Volume(hu, affine, modality="CT")) == (40.0, 40.0)
        for window, found in dice.items():
            found.append(one_click_dice(hu, affine, bleed, centre, window, model))
    assert min(dice[40.0, 40.0]) > 0.7 and np.mean(dice[40.0, 40.0]) > np.mean(dice[80.0, 40.0]), dice
