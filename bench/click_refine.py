"""Test-time refinement of the AI click's answer (issue #13): does using the clicks and the image
after the network lift Dice after 1 and 3 clicks on ``bench/interactive.py``'s lesions?

Each variant post-processes the engine's answer (``InteractiveSegmenter.run``'s probability on
the volume's voxels) before it becomes the next click's previous mask, so the simulated user
(``bench/interactive.py``'s, clicks only) reacts to the refined object. Variants:

- ``base``: the engine as it is (threshold 0.5);
- ``t0.3`` .. ``t0.7``: one other threshold for every object;
- ``oracle``: the best threshold per object and click, knowing the truth (the ceiling of (a));
- ``edge``: a per-object threshold chosen from the image: among 0.3-0.7 that keep the include
  clicks in and the exclude ones out, the one whose boundary has the largest mean image gradient
  (``edge46``: among 0.4-0.6; ``edge1``, ``edge1_46``: at the first click only);
- ``clicks``: corrective clicks applied more strongly: an include click adds the connected part
  of probability > 0.25 around it, an exclude click removes the connected part of the mask with
  probability < 0.75 around it;
- ``rw``: a random walker (scikit-image) on the image, seeded by the network's confident interior
  (> 0.9) and exterior (< 0.1) and the clicks; the uncertain band is decided by it;
- ``gmm``: the uncertain band (0.1-0.9) decided by the network's probability times an intensity
  likelihood ratio, from Gaussians fitted to the confident interior and its nearby exterior;
- ``scale``: the network's answer averaged with its answer on the cube's centre zoomed 1.25 times
  (scale test-time augmentation beside the mirroring; ``scale1``: at the first click only).

A name ending in ``_d`` (decoupled) shows the user the refined object but gives the network its
own last answer as the previous mask (whether a refined previous mask is what misleads it).

    nice -n 10 python bench/click_refine.py [--draws 1] [--seed 20000] [--lesions 10]
        [--contrasts t1] [--variants base edge ...] [--threads 1]

Prints per variant Dice after 1 and 3 clicks (mean over lesions, and per brain), the paired
difference from ``base`` with its standard error, and the latency per prompt (median, p90).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy import ndimage

sys.path.insert(0, str(Path(__file__).resolve().parent))
from interactive import CONTRASTS, _cases, _mask, user_start  # noqa: E402


def _component_at(mask: np.ndarray, ijk) -> np.ndarray:
    parts, _n = ndimage.label(mask)
    return parts == parts[ijk] if parts[ijk] else np.zeros_like(mask)


def _as_probability(mask: np.ndarray) -> np.ndarray:
    return mask.astype(np.float32)


def threshold(t):
    def refine(p, image, clicks, truth):
        return _as_probability(p > t)
    return refine


def oracle(p, image, clicks, truth):
    best, choice = -1.0, p > 0.5
    for t in np.arange(0.1, 0.91, 0.05):
        m = p > t
        d = _dice(m, truth)
        if d > best:
            best, choice = d, m
    return _as_probability(choice)


def edge(p, image, clicks, truth, lo=0.3, hi=0.7, first_only=False):
    if first_only and len(clicks) > 1:
        return _as_probability(p > 0.5)
    gradient = ndimage.gaussian_gradient_magnitude(image.astype(np.float32), 1.0)
    best, choice = -1.0, p > 0.5
    for t in np.arange(lo, hi + 0.01, 0.05):
        m = p > t
        if any(m[c] != inc for c, inc in clicks):
            continue
        rim = m & ~ndimage.binary_erosion(m)
        if not rim.any():
            continue
        score = float(gradient[rim].mean())
        if score > best:
            best, choice = score, m
    return _as_probability(choice)


def stronger_clicks(p, image, clicks, truth, low=0.25, high=0.75):
    m = p > 0.5
    for c, include in clicks:
        if include:
            m |= _component_at(p > low, c)
        else:
            weak = (m & (p < high))
            weak[c] = True
            m &= ~_component_at(weak, c)
    return _as_probability(m)


def random_walker(p, image, clicks, truth, beta=130):
    from skimage.segmentation import random_walker as walk

    labels = np.zeros(p.shape, np.int32)
    labels[p > 0.9] = 1
    labels[p < 0.1] = 2
    for c, include in clicks:
        labels[c] = 1 if include else 2
    if not (labels == 1).any() or not (labels == 2).any() or (labels > 0).all():
        return _as_probability(p > 0.5)
    img = image.astype(np.float32)
    lo, hi = np.percentile(img, [1, 99])
    img = (img - lo) / max(hi - lo, 1e-6)
    out = walk(img, labels, beta=beta, mode="cg_j", tol=1e-3)
    return _as_probability(out == 1)


def gmm(p, image, clicks, truth):
    inside = p > 0.9
    outside = (p < 0.1) & ndimage.binary_dilation(p > 0.5, iterations=4)
    if inside.sum() < 10 or outside.sum() < 10:
        return _as_probability(p > 0.5)
    img = image.astype(np.float64)
    mi, si = img[inside].mean(), img[inside].std() + 1e-6
    mo, so = img[outside].mean(), img[outside].std() + 1e-6
    log_in = -0.5 * ((img - mi) / si) ** 2 - np.log(si)
    log_out = -0.5 * ((img - mo) / so) ** 2 - np.log(so)
    q = np.clip(p, 1e-4, 1 - 1e-4)
    post = np.log(q / (1 - q)) + np.clip(log_in - log_out, -4, 4)
    m = np.where((p > 0.1) & (p < 0.9), post > 0, p > 0.5)
    for c, include in clicks:
        m[c] = include
    return _as_probability(m)


REFINERS = {"base": None, "t0.3": threshold(0.3), "t0.4": threshold(0.4), "t0.6": threshold(0.6),
            "t0.7": threshold(0.7), "oracle": oracle, "edge": edge,
            "edge1": lambda *a: edge(*a, first_only=True), "edge46": lambda *a: edge(*a, lo=0.4, hi=0.6),
            "edge1_46": lambda *a: edge(*a, lo=0.4, hi=0.6, first_only=True), "clicks": stronger_clicks,
            "rw": random_walker, "gmm": gmm, "scale": None, "scale1": None, "scale1_d": None,
            "edge46_d": lambda *a: edge(*a, lo=0.4, hi=0.6), "edge_d": edge}


def _dice(a, b) -> float:
    s = a.sum() + b.sum()
    return float(2 * (a & b).sum() / s) if s else 1.0


class ScaledModel:
    """The model's answer averaged with its answer on the cube's central 1/zoom zoomed to the
    cube (the object seen 1.25 times larger), zoomed back into the centre."""

    def __init__(self, model, zoom=1.25):
        self.model, self.zoom = model, zoom
        for name in ("name", "spacing_mm", "max_spacing_mm", "min_side", "divisor", "card"):
            setattr(self, name, getattr(model, name))

    def predict(self, inputs):
        base = self.model.predict(inputs)
        side = inputs.shape[1]
        inner = int(round(side / self.zoom / 2)) * 2
        a = (side - inner) // 2
        crop = inputs[:, a:a + inner, a:a + inner, a:a + inner]
        factor = side / inner
        zoomed = np.stack([ndimage.zoom(c, factor, order=1 if k == 0 else 0) for k, c in enumerate(crop)])
        answer = self.model.predict(zoomed.astype(np.float32))
        back = ndimage.zoom(answer, 1 / factor, order=1)[:inner, :inner, :inner]
        total = base.copy()
        total[a:a + back.shape[0], a:a + back.shape[1], a:a + back.shape[2]] += back
        weight = np.ones_like(base)
        weight[a:a + back.shape[0], a:a + back.shape[1], a:a + back.shape[2]] += 1
        return total / weight


def run_variant(name, model, cases, max_clicks):
    from neuroview.ai.interactive.engine import InteractiveSegmenter
    from neuroview.ai.interactive.prompts import PointPrompt, PromptSet
    from neuroview.ai.interactive.simulate import dice, next_click

    refine = REFINERS[name]
    decoupled = name.endswith("_d")  # the network's next input is its own answer, not the refined one
    segmenters, rows, latencies = {}, [], []
    for _brain, image, affine, lesion, _diameter in cases:
        if id(image) not in segmenters:
            segmenters[id(image)] = (InteractiveSegmenter(image, affine, model),
                                     InteractiveSegmenter(image, affine, ScaledModel(model)))
        plain, scaled = segmenters[id(image)]

        to_ras, window, truth, spacing, first = user_start(lesion, affine)
        prompts = PromptSet([PointPrompt(to_ras(first))])
        clicks = [(tuple(first), True)]
        previous, scores, own = None, [], None
        for n in range(max_clicks):
            use_scaled = name == "scale" or (name.startswith("scale1") and n == 0)
            started = time.perf_counter()
            result = (scaled if use_scaled else plain).run(prompts, own if decoupled else previous)
            if decoupled:
                if use_scaled:
                    raw = plain.run(prompts, own)
                    own = _mask(raw, image.shape)
                else:
                    own = _mask(result, image.shape)
            if refine is not None:
                lo = np.asarray(result.lo)
                inside = [(tuple(np.asarray(c) - lo), inc) for c, inc in clicks
                          if np.all((np.asarray(c) >= lo) & (np.asarray(c) < lo + result.probability.shape))]
                result.probability = refine(result.probability, image[result.slices], inside,
                                            lesion[result.slices])
            latencies.append(time.perf_counter() - started)
            previous = _mask(result, image.shape)
            scores.append(dice(previous[window], truth))
            click = next_click(truth, previous[window], spacing)
            if click is None:
                break
            ijk, include = click
            ijk = ijk + [s.start for s in window]
            prompts.add(PointPrompt(to_ras(ijk), include))
            clicks.append((tuple(ijk), include))
        scores += [scores[-1]] * (max_clicks - len(scores))
        rows.append(scores)
    return np.asarray(rows), np.asarray(latencies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lesions", type=int, default=10)
    parser.add_argument("--draws", type=int, default=1)
    parser.add_argument("--seed", type=int, default=20_000, help="first draw's lesion seed")
    parser.add_argument("--contrasts", nargs="+", choices=CONTRASTS, default=["t1"])
    parser.add_argument("--variants", nargs="+", choices=list(REFINERS), default=list(REFINERS))
    parser.add_argument("--max-clicks", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    import torch

    from neuroview.ai.interactive.model import NetworkPromptModel

    torch.set_num_threads(args.threads)
    cases = [case for draw in range(args.draws)
             for case in _cases(args.lesions, seed=args.seed + 1000 * draw, contrasts=args.contrasts)]
    brains = [c[0] for c in cases]
    print(f"{len(cases)} lesions ({', '.join(dict.fromkeys(brains))}); seeds {args.seed}.."
          f"{args.seed + 1000 * (args.draws - 1)}; torch threads {args.threads}", flush=True)
    model = NetworkPromptModel()
    reference = None
    for name in (["base"] if "base" not in args.variants else []) + args.variants:
        started = time.perf_counter()
        rows, latencies = run_variant(name, model, cases, args.max_clicks)
        if reference is None:
            reference = rows
        line = f"{name:7s} Dice 1 click {rows[:, 0].mean():.3f}  3 clicks {rows[:, 2].mean():.3f}"
        for k in (0, 2):
            delta = rows[:, k] - reference[:, k]
            se = delta.std(ddof=1) / np.sqrt(len(delta)) if len(delta) > 1 else 0.0
            line += f"  d{k + 1} {delta.mean():+.3f} (se {se:.3f}, worse>0.01 {int((delta < -0.01).sum())})"
        line += (f"  latency median {np.median(latencies):.3f} s p90 {np.percentile(latencies, 90):.3f} s"
                 f"  ({time.perf_counter() - started:.0f} s)")
        print(line, flush=True)
        for brain in dict.fromkeys(brains):
            keep = np.asarray([b == brain for b in brains])
            gain = (rows[keep] - reference[keep]).mean(0)
            print(f"    {brain:36s} n={keep.sum():2d}  1 click {rows[keep, 0].mean():.3f} ({gain[0]:+.3f})"
                  f"  3 clicks {rows[keep, 2].mean():.3f} ({gain[2]:+.3f})", flush=True)


if __name__ == "__main__":
    main()
