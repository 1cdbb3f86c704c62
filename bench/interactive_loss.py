"""Where the Dice after one AI click is lost: a breakdown per lesion, on tuning lesions.

Run on other seeds than ``bench/interactive.py`` (20000-22001), the tests and the training use
(default 50000: three draws 50000-52001), so that what is tuned here is measured there. For each
lesion >= 5 mm, one click at its deepest voxel through the full contract (``InteractiveSegmenter``)
and the bundled network (or ``--model``), then:

- under- or over-segmentation (answer below 0.8 / above 1.25 times the lesion's volume), by size
  and by contrast (lesion median against a 1-4 mm shell around it, relative);
- missed voxels in the lesion's outer 1.5 mm (a missed rim) against a missed part over 3 mm deep
  (a lobe); wrong voxels within 2 mm of the lesion (a halo) against farther ones and in other lesions;
- the part of the lesion outside the ROI box the answer came from;
- calibration: Dice per threshold of the probability (the part holding the click), the best single
  threshold and the best per lesion (an oracle that knows the truth);
- ``--spacings``: Dice with the engine's finest ROI spacing set to each value (a small object is
  then seen on a finer cube; large ones still grow coarser), and the per-lesion best.

    nice -n 10 python bench/interactive_loss.py [--lesions 10] [--draws 3] [--seed 50000]
        [--spacings 1.0 0.8 1.2] [--threads 1] [--model DIR]
"""

from __future__ import annotations

import argparse

import numpy as np
from interactive import SIZE_BUCKETS_MM, _cases, _window
from scipy import ndimage

THRESHOLDS = np.round(np.arange(0.05, 0.96, 0.05), 2)


def _part(mask: np.ndarray, click) -> np.ndarray:
    parts, _n = ndimage.label(mask)
    return parts == parts[click] if parts[click] else np.zeros_like(mask)


def lesion_row(image, lesion, result, click) -> dict:
    """The figures of one lesion's answer (``result``: a ``PromptResult``)."""
    from neuroview.ai.interactive.simulate import dice

    window = _window(lesion)
    probability = np.zeros(lesion.shape, np.float32)
    probability[result.slices] = result.probability
    truth, p = lesion[window], probability[window]
    local = tuple(np.asarray(click) - [s.start for s in window])
    answer = p > 0.5
    depth, outside = ndimage.distance_transform_edt(truth), ndimage.distance_transform_edt(~truth)
    values = ndimage.gaussian_filter(image[window].astype(np.float32), 0.5)
    shell = (outside > 1) & (outside <= 4)
    inner, around = float(np.median(values[truth])), float(np.median(values[shell]))
    missed, extra = truth & ~answer, answer & ~truth
    parts, n = ndimage.label(missed)
    lobe = 0.0
    if n:
        largest = parts == 1 + int(np.argmax(np.bincount(parts.ravel())[1:]))
        lobe = float(ndimage.distance_transform_edt(np.pad(largest, 1)).max())
    seen = np.zeros(lesion.shape, bool)
    seen[result.slices] = True
    return {"dice": dice(answer, truth), "volume_ratio": float(answer.sum() / truth.sum()),
            "contrast": (inner - around) / (abs(around) + 1e-6),
            "missed": int(missed.sum()), "missed_rim": int((missed & (depth <= 1.5)).sum()),
            "lobe_mm": lobe, "extra": int(extra.sum()), "extra_near": int((extra & (outside <= 2)).sum()),
            "outside_roi": float((lesion & ~seen).sum() / lesion.sum()),
            "by_threshold": [dice(_part(p > t, local), truth) for t in THRESHOLDS]}


def breakdown(rows: list[dict], diameters: np.ndarray) -> None:
    dice = np.array([r["dice"] for r in rows])
    ratio = np.array([r["volume_ratio"] for r in rows])
    contrast = np.array([r["contrast"] for r in rows])
    loss = (1 - dice).sum()
    print(f"{len(rows)} lesions, Dice after 1 click {dice.mean():.3f} (sum of 1 - Dice {loss:.1f})")
    for label, keep in (("under-segmented (< 0.8 x volume)", ratio < 0.8),
                        ("over-segmented (> 1.25 x volume)", ratio > 1.25),
                        ("about right", (ratio >= 0.8) & (ratio <= 1.25))):
        if keep.any():
            print(f"  {label:34s} {keep.sum():2d} lesions, median {np.median(diameters[keep]):4.1f} mm, "
                  f"Dice {dice[keep].mean():.3f}, {100 * (1 - dice[keep]).sum() / loss:.0f} % of the loss")
    for lo, hi in SIZE_BUCKETS_MM:
        keep = (diameters >= lo) & (diameters < hi)
        if keep.any():
            print(f"  {lo:g}-{hi:g} mm: {keep.sum():2d} lesions, Dice {dice[keep].mean():.3f}, "
                  f"volume ratio median {np.median(ratio[keep]):.2f} (under {(keep & (ratio < 0.8)).sum()}, "
                  f"over {(keep & (ratio > 1.25)).sum()})")
    for lo, hi in ((-np.inf, -0.2), (-0.2, 0.2), (0.2, 0.4), (0.4, np.inf)):
        keep = (contrast >= lo) & (contrast < hi)
        if keep.any():
            print(f"  contrast {lo:+.1f} .. {hi:+.1f}: {keep.sum():2d} lesions, Dice {dice[keep].mean():.3f}")
    missed, rim = sum(r["missed"] for r in rows), sum(r["missed_rim"] for r in rows)
    lobes = np.array([r["lobe_mm"] >= 3 for r in rows])
    extra, near = sum(r["extra"] for r in rows), sum(r["extra_near"] for r in rows)
    print(f"  missed voxels in the lesion's outer 1.5 mm: {100 * rim / max(missed, 1):.0f} %; a missed part "
          f">= 3 mm deep in {lobes.sum()} lesions" + (f" ({diameters[lobes].min():.0f}-"
          f"{diameters[lobes].max():.0f} mm, Dice {dice[lobes].mean():.3f})" if lobes.any() else ""))
    print(f"  wrong voxels within 2 mm of the lesion: {100 * near / max(extra, 1):.0f} %")
    outside = np.array([r["outside_roi"] for r in rows])
    print(f"  lesions partly outside the answer's ROI: {(outside > 0.01).sum()} "
          f"({', '.join(f'{100 * o:.0f} %' for o in outside[outside > 0.01])})")
    by = np.array([r["by_threshold"] for r in rows])
    best = THRESHOLDS[np.argmax(by, 1)]
    print(f"  calibration: best single threshold {THRESHOLDS[by.mean(0).argmax()]} "
          f"(Dice {by.mean(0).max():.3f}, at 0.5 {by[:, list(THRESHOLDS).index(0.5)].mean():.3f}); "
          f"best per lesion {by.max(1).mean():.3f}" + "".join(
              f"; {label} lesions' median {np.median(best[keep]):.2f}" for label, keep in
              (("over-segmented", ratio > 1.25), ("under-segmented", ratio < 0.8)) if keep.any()))

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lesions", type=int, default=10)
    parser.add_argument("--draws", type=int, default=3)
    parser.add_argument("--seed", type=int, default=50_000)
    parser.add_argument("--spacings", type=float, nargs="*", default=[1.0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    import torch

    from neuroview.ai.interactive.engine import InteractiveSegmenter
    from neuroview.ai.interactive.model import NetworkPromptModel
    from neuroview.ai.interactive.prompts import PointPrompt, PromptSet
    from neuroview.ai.interactive.simulate import deepest_point

    torch.set_num_threads(args.threads)
    cases = [c for d in range(args.draws) for c in _cases(args.lesions, seed=args.seed + 1000 * d)]
    model, segmenters = NetworkPromptModel(args.model), {}
    rows = {s: [] for s in args.spacings}
    for _name, image, affine, lesion, _diameter in cases:
        if id(image) not in segmenters:
            segmenters[id(image)] = InteractiveSegmenter(image, affine, model)
        segmenter = segmenters[id(image)]
        click = deepest_point(lesion)
        prompts = PromptSet([PointPrompt(affine[:3, :3] @ click + affine[:3, 3])])
        for spacing in args.spacings:
            segmenter.finest = spacing   # the finest ROI spacing this run may use
            rows[spacing].append(lesion_row(image, lesion, segmenter.run(prompts), tuple(click)))
        segmenter.finest = model.spacing_mm
    diameters = np.array([c[4] for c in cases])
    print(f"seeds {args.seed}-{args.seed + 1000 * (args.draws - 1) + 1}, {model.name}")
    breakdown(rows[args.spacings[0]], diameters)
    if len(args.spacings) > 1:
        dice = np.array([[r["dice"] for r in rows[s]] for s in args.spacings])
        for spacing, d in zip(args.spacings, dice):
            print(f"  finest ROI spacing {spacing:g} mm: Dice {d.mean():.3f}  " + "  ".join(
                f"{lo:g}-{hi:g} mm {d[(diameters >= lo) & (diameters < hi)].mean():.3f}"
                for lo, hi in SIZE_BUCKETS_MM if ((diameters >= lo) & (diameters < hi)).any()))
        print(f"  best spacing per lesion (an oracle): Dice {dice.max(0).mean():.3f}")


if __name__ == "__main__":
    main()
