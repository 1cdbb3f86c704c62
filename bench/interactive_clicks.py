"""Where the Dice after three AI clicks is lost, and what each corrective click does, on tuning lesions.

The simulated user of ``bench/interactive.py`` (first click at the lesion's deepest voxel, each
next one at the deepest voxel of the largest error region) through the full contract
(``InteractiveSegmenter``) on the tuning lesions of ``bench/interactive_loss.py`` (default seeds
50000-52001, never the bench's 20000-22001). For each click after the first:

- its kind (include: the largest error was a missed part; exclude: an extra part) and the lesion
  size and state it corrects (under- or over-segmented: below 0.8 / above 1.25 times the volume);
- whether the answer honours it (the clicked voxel is then in the object for an include click, out
  of it for an exclude click: a click the answer ignores is worth more than training), how much of
  the error region it was placed in is fixed, and how many voxels that were right turn wrong;
- the Dice change; and whether the network's own answer on the ROI (before the engine keeps 0
  under exclude prompts and drops parts no include prompt touches) honoured the click, to tell
  the engine's part from the network's, and its probability at the include clicks left out.

Then the state after the last click: under-/over-segmentation by size.

    nice -n 10 python bench/interactive_clicks.py [--lesions 10] [--draws 3] [--seed 50000]
        [--clicks 3] [--threads 1] [--model DIR] [--json FILE] [--fill-ignored]

``--json`` writes each lesion's Dice after each click and its diameter, for paired comparisons
of two models (or engines) on the same lesions. The latency per click (wall clock of
``InteractiveSegmenter.run``) is printed too.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from interactive import SIZE_BUCKETS_MM, _cases, _mask, _window
from scipy import ndimage


def _error_region(truth: np.ndarray, prediction: np.ndarray, point) -> np.ndarray:
    """The connected error region holding ``point`` (where the simulated user clicked)."""
    parts, _n = ndimage.label(truth != prediction)
    return parts == parts[tuple(point)]


class Recorded:
    """A promptable model that keeps its last answer (the network's own, on the ROI)."""

    def __init__(self, model) -> None:
        self.model, self.last = model, None

    def __getattr__(self, name):
        return getattr(self.model, name)

    def predict(self, inputs: np.ndarray) -> np.ndarray:
        self.last = self.model.predict(inputs)
        return self.last


def lesion_session(segmenter, affine, lesion: np.ndarray, clicks: int, fill_ignored: bool = False) -> dict:
    """Dice and volume ratio after each click, and one record per corrective click. With
    ``fill_ignored`` (an oracle: it knows the truth) an include click the answer leaves out gets
    its whole error region, the most that honouring such clicks could gain."""
    from neuroview.ai.interactive.prompts import PointPrompt, PromptSet
    from neuroview.ai.interactive.simulate import deepest_point, dice, next_click

    def to_ras(ijk):
        return np.asarray(ijk, float) @ affine[:3, :3].T + affine[:3, 3]

    window = _window(lesion)
    truth = lesion[window]
    prompts = PromptSet([PointPrompt(to_ras(deepest_point(lesion)))])
    previous, scores, ratios, steps, pending, seconds = None, [], [], [], None, []
    for n in range(clicks):
        started = time.perf_counter()
        result = segmenter.run(prompts, previous)
        seconds.append(time.perf_counter() - started)
        previous = _mask(result, lesion.shape)
        prediction = previous[window]
        scores.append(dice(prediction, truth))
        ratios.append(float(prediction.sum() / truth.sum()))
        if pending is not None:
            point, include, region, before = pending
            on_roi = np.rint(result.grid.to_ijk(to_ras(point + [s.start for s in window]))[0]).astype(int)
            on_roi = np.clip(on_roi, 0, np.asarray(result.grid.shape) - 1)
            probability = float(segmenter.model.last[tuple(on_roi)])
            honoured = bool(prediction[tuple(point)] == include)
            if fill_ignored and include and not honoured:
                prediction = prediction | region
                previous[window] = prediction
                scores[-1] = dice(prediction, truth)
                ratios[-1] = float(prediction.sum() / truth.sum())
            steps.append({"include": include, "honoured": honoured, "probability": probability,
                          "network_honoured": (probability > 0.5) == include,
                          "fixed": float((prediction[region] == truth[region]).mean()),
                          "broken": int(((before == truth) & (prediction != truth)).sum()),
                          "region": int(region.sum()), "gain": scores[-1] - scores[-2],
                          "ratio_before": ratios[-2], "rounds": result.rounds,
                          "spacing": result.grid.spacing})
        click = next_click(truth, prediction)
        if click is None or n + 1 == clicks:
            break
        point, include = click
        pending = (point, include, _error_region(truth, prediction, point), prediction)
        prompts.add(PointPrompt(to_ras(point + [s.start for s in window]), include))
    scores += [scores[-1]] * (clicks - len(scores))
    return {"dice": scores, "ratio": ratios[-1], "steps": steps, "seconds": seconds}


def _sizes(diameters: np.ndarray):
    """``(label, mask)`` of each size bucket that holds a lesion."""
    for lo, hi in SIZE_BUCKETS_MM:
        keep = (diameters >= lo) & (diameters < hi)
        if keep.any():
            yield f"{lo:g}-{hi:g} mm", keep


def report(rows: list[dict], diameters: np.ndarray, clicks: int) -> None:
    dice = np.array([r["dice"] for r in rows])
    print(f"{len(rows)} lesions, Dice after " + ", ".join(
        f"{k + 1} click{'s' if k else ''} {dice[:, k].mean():.3f}" for k in range(clicks)))
    for label, keep in _sizes(diameters):
        ratio = np.array([r["ratio"] for r in rows])[keep]
        print(f"  {label}: {keep.sum():2d} lesions, Dice " + " / ".join(
            f"{dice[keep, k].mean():.3f}" for k in range(clicks)) + f"; after {clicks}: volume ratio "
            f"median {np.median(ratio):.2f}, under {(ratio < 0.8).sum()}, over {(ratio > 1.25).sum()}")
    seconds = np.concatenate([r["seconds"] for r in rows])
    print(f"  latency per click median {np.median(seconds):.3f} s, p90 {np.percentile(seconds, 90):.3f} s")
    for k in range(1, clicks):
        steps = [(r["steps"][k - 1], d) for r, d in zip(rows, diameters) if len(r["steps"]) >= k]
        print(f"  click {k + 1}: {len(steps)} lesions still wrong after click {k}")
        for include in (True, False):
            chosen = [(s, d) for s, d in steps if s["include"] == include]
            if not chosen:
                continue
            s = {key: np.array([c[0][key] for c in chosen]) for key in chosen[0][0]}
            d = np.array([c[1] for c in chosen])
            print(f"    {'include' if include else 'exclude'} {len(chosen):2d} (lesions {np.median(d):.1f} "
                  f"mm median, {(s['ratio_before'] < 0.8).sum()} under-, {(s['ratio_before'] > 1.25).sum()} "
                  f"over-segmented before): honoured {s['honoured'].mean():.0%} (by the network's own "
                  f"answer {s['network_honoured'].mean():.0%}), its error region "
                  f"{np.median(s['region']):.0f} voxels median, {s['fixed'].mean():.0%} of it fixed, "
                  f"{np.median(s['broken']):.0f} right voxels turned wrong (median), Dice "
                  f"{s['gain'].mean():+.3f} (worse by 0.01 in {(s['gain'] < -0.01).sum()}, better in "
                  f"{(s['gain'] > 0.01).sum()}); ROI rounds {s['rounds'].mean():.1f}, spacing "
                  f"{np.median(s['spacing']):.1f} mm")
            ignored = s["probability"][~s["honoured"]]
            if include and len(ignored):
                print(f"      ignored {len(ignored)}: the network's probability at the clicked voxel median "
                      f"{np.median(ignored):.2f}, 0.2-0.5 in {((ignored > 0.2) & (ignored <= 0.5)).sum()}, "
                      f"under 0.05 in {(ignored < 0.05).sum()}")
            for label, keep in _sizes(d):
                print(f"      {label}: {keep.sum():2d}, honoured {s['honoured'][keep].mean():.0%}, "
                      f"fixed {s['fixed'][keep].mean():.0%}, Dice {s['gain'][keep].mean():+.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lesions", type=int, default=10)
    parser.add_argument("--draws", type=int, default=3)
    parser.add_argument("--seed", type=int, default=50_000)
    parser.add_argument("--clicks", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--model", default=None)
    parser.add_argument("--json", default=None, metavar="FILE")
    parser.add_argument("--fill-ignored", action="store_true",
                        help="oracle: an ignored include click gets its whole error region")
    args = parser.parse_args()
    import torch

    from neuroview.ai.interactive.engine import InteractiveSegmenter
    from neuroview.ai.interactive.model import NetworkPromptModel

    torch.set_num_threads(args.threads)
    cases = [c for d in range(args.draws) for c in _cases(args.lesions, seed=args.seed + 1000 * d)]
    model, segmenters, rows = Recorded(NetworkPromptModel(args.model)), {}, []
    for _name, image, affine, lesion, _diameter in cases:
        if id(image) not in segmenters:
            segmenters[id(image)] = InteractiveSegmenter(image, affine, model)
        rows.append(lesion_session(segmenters[id(image)], affine, lesion, args.clicks, args.fill_ignored))
    print(f"seeds {args.seed}-{args.seed + 1000 * (args.draws - 1) + 1}, {model.name}")
    report(rows, np.array([c[4] for c in cases]), args.clicks)
    if args.json:
        import json

        with open(args.json, "w") as f:
            json.dump({"model": model.name, "seed": args.seed, "draws": args.draws,
                       "diameters_mm": [round(float(c[4]), 2) for c in cases],
                       "click_dice": [[round(d, 4) for d in r["dice"]] for r in rows]}, f, indent=1)


if __name__ == "__main__":
    main()
