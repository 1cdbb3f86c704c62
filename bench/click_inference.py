"""Inference-side changes to the AI click (issue #13), alternated per lesion with the engine as it
is, on ``bench/interactive.py``'s lesions and simulated user (clicks only, each corrective click
in the largest error region), and where the engine's Dice is lost.

Variants (``base``: the engine as it is, the card's 8 mirrorings, cut at 0.5):

- ``perm``: test-time augmentation over the cube's axis orders too (the 3 cyclic orders times the
  8 mirrorings, 24 passes; training permuted and flipped every cube's axes);
- ``perm12``: the 6 axis orders, each plain and mirrored along all three axes (12 passes);
- ``hyst0.75``, ``hyst0.85``: a corrective click's answer blended with the previous mask,
  ``w * p + (1 - w) * previous`` cut at 0.5 (a voxel of the previous mask stays unless the network
  gives it under ``(w - 0.5) / w``, one outside it joins only over ``0.5 / w``: hysteresis against
  the network redrawing the object away from the click);
- ``cut0.3``, ``cut0.4``: the first click's answer cut at 0.3 or 0.4 instead of 0.5 (the
  engine's answers to it under-segment most lesions on the tuning draw), later ones at 0.5.
- ``model``: the engine as it is with another package (``--model FOLDER``, e.g. a fine-tune),
  paired per lesion with the bundled one after 1, 2 and 3 clicks, on all lesions, by the bundled
  one's second click (include or exclude) and by size;
- ``exrad1``, ``exrads1``, ``excomp``, ``exvor``, ``exhyst0.75`` ...: an exclude click's answer
  changed, and only it (``bench/click_exclude.py``). On a lesion whose clicks are all include
  clicks they are the engine, so they are run only where the engine's user gave an exclude click
  (their latency is over those lesions);
- ``nomirror``, ``allparts``, ``nofill``, ``nokeepout``, ``keepvox``, ``samecube``, ``recentre``,
  ``clickvox``, ``nogrow``, ``nogrow1``, ``statsclean``, ``statsrobust``: one step of the engine
  done as the training's recipe does it (``bench/click_match.py``).

For ``base`` it also prints where the Dice is lost after one click: per lesion size, lesions
under-segmented (under 0.8 of their volume) or over-segmented (over 1.25 times), their share of
the loss, how many first answers took more than one round (the ROI grown where the answer reached
its border, or looked at again at the spacing that fits), and what clicks 2 and 3 gain, by
include or exclude click.

    nice -n 5 python bench/click_inference.py [--seed 25000] [--draws 2] [--lesions 10]
        [--variants base perm hyst0.75 ...] [--model FOLDER] [--threads 1] [--json FILE]

The variants run one after another on each lesion, their order alternating from lesion to
lesion, so a change of the machine's load reaches all alike.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from click_exclude import after_exclude, is_exclude_variant  # noqa: E402
from click_match import is_match_variant, matched_segmenter, training_stats  # noqa: E402
from interactive import _cases, _mask, user_start  # noqa: E402

ORDERS = {"perm": [(0, 1, 2), (1, 2, 0), (2, 0, 1)], "perm12": list(itertools.permutations(range(3)))}


class TransformedModel:
    """The model's answer averaged over the cube's axis orders and mirrorings, one batch."""

    def __init__(self, model, orders, all_flips: bool):
        self.model, self.orders = model, orders
        self.flips = model.flips if all_flips else [(), (2, 3, 4)]
        for name in ("name", "spacing_mm", "max_spacing_mm", "min_side", "divisor", "card"):
            setattr(self, name, getattr(model, name))

    def predict(self, inputs):
        import torch

        from neuroview.ai.networks import run_network

        tensor = torch.from_numpy(np.ascontiguousarray(inputs, dtype=np.float32))[None]
        views = [(order, flip) for order in self.orders for flip in self.flips]
        batch = torch.cat([_flip(tensor.permute(0, 1, *[a + 2 for a in order]), flip)
                           for order, flip in views])
        with torch.inference_mode():
            probability = torch.softmax(run_network(self.model.network, batch).float(), 1)[:, 1:2]
        total = 0
        for i, (order, flip) in enumerate(views):
            back = _flip(probability[i:i + 1], flip).permute(0, 1, *[int(a) + 2 for a in np.argsort(order)])
            total = total + back
        return (total[0, 0] / len(views)).numpy()


def _flip(tensor, flip):
    import torch

    return torch.flip(tensor, flip) if flip else tensor


def _segmenter(name, image, affine, model, other=None, stats=None):
    from neuroview.ai.interactive.engine import InteractiveSegmenter

    if is_match_variant(name):
        return matched_segmenter(name, image, affine, model, stats)
    if name == "model":
        model = other
    if name in ORDERS:
        model = TransformedModel(model, ORDERS[name], all_flips=name == "perm")
    return InteractiveSegmenter(image, affine, model)


def run_case(name, segmenter, image, lesion, affine, max_clicks):
    """Dice after each click, the answers' seconds, and the first answer's volume ratio and rounds
    with the corrective clicks' kinds (True: include)."""
    from neuroview.ai.interactive.prompts import PointPrompt, PromptSet
    from neuroview.ai.interactive.simulate import dice, next_click

    weight = float(name[4:]) if name.startswith("hyst") else None
    cut = float(name[3:]) if name.startswith("cut") else None
    to_ras, window, truth, spacing, first = user_start(lesion, affine)
    prompts = PromptSet([PointPrompt(to_ras(first))])
    previous, scores, seconds, first_answer, kinds = None, [], [], None, []
    clicks = [(np.asarray(first), True)]
    for _n in range(max_clicks):
        started = time.perf_counter()
        result = segmenter.run(prompts, previous)
        if is_exclude_variant(name) and previous is not None and not clicks[-1][1]:
            lo = np.asarray(result.lo)
            on_box = [(c - lo, inc) for c, inc in clicks[::-1]]
            kept = after_exclude(name, previous[result.slices], result.mask(), result.probability,
                                 [c for c, inc in on_box if not inc], [c for c, inc in on_box if inc],
                                 spacing)
            result.probability = kept.astype(np.float32)
        if weight is not None and previous is not None:
            before = previous[result.slices].astype(np.float32)
            result.probability = weight * result.probability + (1 - weight) * before
        if cut is not None and previous is None:
            result.probability = (result.probability > cut).astype(np.float32)
        seconds.append(time.perf_counter() - started)
        previous = _mask(result, image.shape)
        if first_answer is None:
            first_answer = (float(previous.sum() / max(lesion.sum(), 1)), result.rounds)
        scores.append(dice(previous[window], truth))
        click = next_click(truth, previous[window], spacing)
        if click is None:
            break
        ijk, include = click
        kinds.append(bool(include))
        clicks.append((np.asarray(ijk) + [s.start for s in window], bool(include)))
        prompts.add(PointPrompt(to_ras(ijk + [s.start for s in window]), include))
    scores += [scores[-1]] * (max_clicks - len(scores))
    return scores, seconds, (*first_answer, kinds)


def losses(rows, diameters, firsts) -> None:
    """Where the engine's Dice after one click is lost, and what clicks 2 and 3 gain."""
    rows, diameters = np.asarray(rows), np.asarray(diameters)
    ratio = np.asarray([f[0] for f in firsts])
    grown = np.asarray([f[1] > 1 for f in firsts])
    loss = 1 - rows[:, 0]
    print("where the Dice after 1 click is lost (base):")
    for label, keep in (("5-10 mm", diameters < 10), ("10-20 mm", (diameters >= 10) & (diameters < 20)),
                        (">= 20 mm", diameters >= 20)):
        if keep.any():
            print(f"    {label:9s} n={keep.sum():2d}  Dice after 1 / 2 / 3 clicks "
                  f"{' / '.join(f'{v:.3f}' for v in rows[keep].mean(0)[:3])}  volume ratio median "
                  f"{np.median(ratio[keep]):.2f}  share of the loss {loss[keep].sum() / loss.sum():.0%}")
    for label, keep in (("under (< 0.8 of the volume)", ratio < 0.8), ("over (> 1.25 times)", ratio > 1.25),
                        ("in between", (ratio >= 0.8) & (ratio <= 1.25))):
        print(f"    {label:28s} n={keep.sum():2d}  Dice {rows[keep, 0].mean() if keep.any() else 0:.3f}"
              f"  share of the loss {loss[keep].sum() / loss.sum():.0%}  median diameter "
              f"{np.median(diameters[keep]) if keep.any() else 0:.1f} mm")
    print(f"    first answers run more than one round (the ROI grown at its border, or looked at again at a "
          f"finer spacing): {grown.sum()} of {len(grown)}")
    for k in (1, 2):
        gain = rows[:, k] - rows[:, k - 1]
        print(f"    click {k + 1}: mean gain {gain.mean():+.3f}, {int((gain > 0.01).sum())} lesions gain, "
              f"{int((gain < -0.01).sum())} lose over 0.01")
        for kind, label in ((True, "include"), (False, "exclude")):
            keep = np.asarray([len(f[2]) >= k and f[2][k - 1] == kind for f in firsts])
            small = keep & (diameters < 10)
            if keep.any():
                print(f"        {label} clicks {keep.sum():2d}: mean gain {gain[keep].mean():+.3f}, "
                      f"{int((gain[keep] < -0.01).sum())} lose; on 5-10 mm lesions {small.sum()}"
                      + (f", mean gain {gain[small].mean():+.3f}" if small.any() else ""))


def paired(rows, diameters, firsts, name) -> None:
    """``name`` minus the engine per lesion (standard error) after each click: on all lesions, by
    the engine's second click (include or exclude) and by size."""
    base, other = np.asarray(rows["base"]), np.asarray(rows[name])
    include = np.asarray([bool(f[2]) and f[2][0] for f in firsts["base"]])
    exclude = np.asarray([bool(f[2]) and not f[2][0] for f in firsts["base"]])
    diameters = np.asarray(diameters)
    print(f"{name} minus base, paired per lesion (se), after 1 / 2 / 3 clicks:")
    for label, keep in (("all", np.ones(len(base), bool)), ("2nd click include", include),
                        ("2nd click exclude", exclude), ("5-10 mm", diameters < 10),
                        ("10-20 mm", (diameters >= 10) & (diameters < 20)), (">= 20 mm", diameters >= 20)):
        if keep.sum() > 1:
            delta = other[keep] - base[keep]
            se = delta.std(0, ddof=1) / np.sqrt(keep.sum())
            print(f"    {label:18s} n={keep.sum():2d}  base "
                  f"{' / '.join(f'{v:.3f}' for v in base[keep].mean(0)[:3])}  {name} "
                  f"{' / '.join(f'{v:.3f}' for v in other[keep].mean(0)[:3])}  difference "
                  + " / ".join(f"{d:+.3f} ({e:.3f})" for d, e in zip(delta.mean(0)[:3], se[:3])))
    gain = other[:, 1] - other[:, 0]
    for kind, label in ((True, "include"), (False, "exclude")):
        keep = np.asarray([bool(f[2]) and f[2][0] == kind for f in firsts[name]])
        if keep.any():
            print(f"    its own second clicks, {label}: {keep.sum()}, mean gain {gain[keep].mean():+.3f}, "
                  f"{int((gain[keep] < -0.01).sum())} lose over 0.01")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lesions", type=int, default=10)
    parser.add_argument("--draws", type=int, default=2)
    parser.add_argument("--seed", type=int, default=25_000, help="first draw's lesion seed (the bench's "
                        "held-out lesions: 20000 with 3 draws; tuning: 25000)")
    parser.add_argument("--variants", nargs="+",
                        default=["base", "perm12", "hyst0.65", "hyst0.75", "hyst0.85"])
    parser.add_argument("--model", help="a package folder run as the variant 'model' (added to --variants)")
    parser.add_argument("--max-clicks", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", help="write each lesion's Dice per click and variant here")
    args = parser.parse_args()
    import torch

    from neuroview.ai.interactive.model import NetworkPromptModel

    torch.set_num_threads(args.threads)
    names = ["base"] + [v for v in args.variants if v != "base"]
    if args.model and "model" not in names:
        names.append("model")
    cases = [(args.seed + 1000 * draw, case) for draw in range(args.draws)
             for case in _cases(args.lesions, seed=args.seed + 1000 * draw)]
    print(f"{len(cases)} lesions; seeds {args.seed}..{args.seed + 1000 * (args.draws - 1)}; "
          f"torch threads {args.threads}", flush=True)
    model = NetworkPromptModel()
    other = NetworkPromptModel(args.model) if args.model else None
    segmenters = {}
    rows = {n: [] for n in names}
    seconds = {n: [] for n in names}
    firsts, diameters = {n: [] for n in names}, []
    for index, (seed, (brain, image, affine, lesion, diameter)) in enumerate(cases):
        diameters.append(diameter)
        others = names[1:] if index % 2 == 0 else names[:0:-1]
        for name in ["base"] + others:
            if is_exclude_variant(name) and all(firsts["base"][-1][2]):
                # no exclude click on this lesion: the variant's clicks and answers are the engine's
                rows[name].append(rows["base"][-1])
                continue
            key = (id(image), name)
            if key not in segmenters:
                stats = training_stats(brain, seed) if name == "statsclean" else None
                segmenters[key] = _segmenter(name, image, affine, model, other, stats)
            scores, times, first = run_case(name, segmenters[key], image, lesion, affine, args.max_clicks)
            rows[name].append(scores)
            seconds[name] += times
            firsts[name].append(first)
        print(f"  lesion {index + 1} of {len(cases)}: {diameter:.1f} mm, Dice after 1 / 3 clicks "
              + ", ".join(f"{n} {rows[n][-1][0]:.3f} / {rows[n][-1][2]:.3f}" for n in names), flush=True)
    reference = np.asarray(rows["base"])
    for name in names:
        r, t = np.asarray(rows[name]), np.asarray(seconds[name])
        line = f"{name:9s} Dice 1 click {r[:, 0].mean():.3f}  3 clicks {r[:, 2].mean():.3f}"
        for k in (0, 2):
            delta = r[:, k] - reference[:, k]
            se = delta.std(ddof=1) / np.sqrt(len(delta)) if len(delta) > 1 else 0.0
            line += (f"  d{k + 1} {delta.mean():+.3f} (se {se:.3f}, better {int((delta > 0.01).sum())},"
                     f" worse {int((delta < -0.01).sum())})")
        print(line + f"  latency median {np.median(t):.2f} s p90 {np.percentile(t, 90):.2f} s", flush=True)
    losses(reference, diameters, firsts["base"])
    if "model" in names:
        paired(rows, diameters, firsts, "model")
    if args.json:
        Path(args.json).write_text(json.dumps({"diameters": [float(d) for d in diameters],
                                               "dice": {n: rows[n] for n in names},
                                               "seconds": seconds}))


if __name__ == "__main__":
    main()
