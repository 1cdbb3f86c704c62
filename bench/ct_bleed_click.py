"""One AI click on a bleed in a head CT, the click network seeing the CT through each of several
windows (width/level in HU; ``app.prompting.ct_window`` gives the head's opening one, brain
80/40): the Dice of the one-click answer against the bleed, per bleed size and window, over
synthetic heads of ``--seeds`` (pick windows on some seeds, report on others).

Each head is an axial 1 x 1 x 2 mm CT (200 x 240 x 60 voxels): air, a 7 mm skull (1000 HU),
grey matter (38 HU) round white matter (28 HU), CSF in two ventricles (8 HU), with CT noise
(sd 4 HU, smoothed a little) and one acute bleed (``--bleed-hu``, 65 HU, an ellipsoid of the given diameter,
axes 1 : 0.8 : 0.7, at a random place inside the brain); the click is at the bleed's centre.

    python bench/ct_bleed_click.py [--seeds 0 1] [--sizes 5 10 20 30] [--bleed-hu 65] [--windows 80/40 ...]
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np
from scipy import ndimage

SHAPE, SPACING = (200, 240, 60), (1.0, 1.0, 2.0)


def head_ct(seed: int, diameter_mm: float, bleed_hu: float = 65.0):
    """``(hu, affine, bleed mask, centre in RAS mm)``."""
    rng = np.random.default_rng(seed)
    axes = [(np.arange(n) - (n - 1) / 2) * s for n, s in zip(SHAPE, SPACING)]
    x, y, z = np.meshgrid(*axes, indexing="ij")
    r = np.sqrt((x / 75) ** 2 + (y / 95) ** 2 + (z / 80) ** 2)
    hu = np.full(SHAPE, -1000.0)
    hu[r < 1.0] = 1000.0
    brain = r < 0.92
    hu[brain] = 38.0
    hu[r < 0.8] = 28.0
    for side in (-1, 1):
        hu[np.sqrt(((x - side * 12) / 8) ** 2 + ((y - 5) / 30) ** 2 + (z / 20) ** 2) < 1] = 8.0
    radius = diameter_mm / 2
    while True:   # a centre whose bleed lies inside the brain
        centre = rng.uniform(-1, 1, 3) * np.array([55.0, 75.0, 40.0])
        bleed = (((x - centre[0]) / radius) ** 2 + ((y - centre[1]) / (0.8 * radius)) ** 2
                 + ((z - centre[2]) / (0.7 * radius)) ** 2) <= 1
        if bleed.any() and brain[bleed].all():
            break
    hu[bleed] = bleed_hu
    noise = ndimage.gaussian_filter(rng.normal(0, 1, SHAPE), 0.7)
    hu = hu + 4.0 * noise / noise.std()
    affine = np.diag([*SPACING, 1.0])
    affine[:3, 3] = [a[0] for a in axes]
    return hu.astype(np.float32), affine, bleed, tuple(centre)


def one_click_dice(hu, affine, bleed, centre, window, model) -> float:
    from neuroview.ai.interactive import PointPrompt, PromptSet
    from neuroview.ai.interactive.engine import InteractiveSegmenter

    segmenter = InteractiveSegmenter(hu, affine, model, window=window)
    answer = segmenter.run(PromptSet([PointPrompt(centre)]))
    found = np.zeros(bleed.shape, bool)
    found[answer.slices] = answer.mask()
    return 2 * np.count_nonzero(found & bleed) / (np.count_nonzero(found) + np.count_nonzero(bleed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--sizes", type=float, nargs="+", default=[5, 10, 20, 30])
    parser.add_argument("--bleed-hu", type=float, default=65.0, help="the bleed's HU (acute: 50-90)")
    parser.add_argument("--windows", nargs="+", default=["80/40", "40/40", "130/50", "200/60", "400/40"])
    args = parser.parse_args()
    from neuroview.app.prompt_models import default_model

    model = default_model()
    windows = {text: tuple(float(v) for v in text.split("/")) for text in args.windows}
    print("size mm  " + "  ".join(f"{w:>8}" for w in windows))
    means = {w: [] for w in windows}
    for size in args.sizes:
        row = {w: [] for w in windows}
        for seed in args.seeds:
            case = head_ct(1000 * seed + int(size), size, args.bleed_hu)
            for text, window in windows.items():
                row[text].append(one_click_dice(*case, window, model))
        for text in windows:
            means[text] += row[text]
        print(f"{size:7.0f}  " + "  ".join(f"{statistics.mean(row[w]):8.2f}" for w in windows), flush=True)
    print("mean     " + "  ".join(f"{statistics.mean(means[w]):8.2f}" for w in windows))


if __name__ == "__main__":
    main()
