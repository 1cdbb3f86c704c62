"""Post-processing and test-time flips of a lesion model compared on cached probabilities
(``bench/heads_probabilities.py``): issue #12's check heads measured with the card's rules, and
with rules chosen afresh (``neuroview.ai.operating_point.choose_points``, the finish step's own
choice) on the tuning heads only, per flip set (``0``: left-right, from the cache's ``0`` or
the mean of its ``none`` and ``flip0``).

For each flip set of the cache: the tuning heads (``--tune``, seeds 71000.. by default) choose
``postprocessing`` and ``postprocessing_thick``; then the held-out heads (``--seeds``, 70000..)
are counted per variant with the card's rules and with the chosen ones, per case. Nothing is
written but the printed table and ``--json``.

    python bench/heads_rules.py --cache /tmp/cache --mirrors none,0 [--json out.json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np


def _seeds(text: str) -> list[int]:
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


def load_case(path: Path, mirror: str, kind: str):
    from neuroview.ai.operating_point import TuningCase

    data = np.load(path)
    if f"background_{mirror}" in data:
        background = data[f"background_{mirror}"].astype(np.float32)
    else:   # "0" from a head run as it is and mirrored (heads_probabilities' flip0)
        background = (data["background_none"].astype(np.float32) + data["background_flip0"]) / 2
    foreground = np.subtract(1.0, background, dtype=np.float32)
    labels = (foreground > 0.5).astype(np.uint8)   # two classes: the argmax
    best = np.maximum(foreground, 1.0 - foreground)
    return TuningCase(labels, best, foreground, np.ones_like(labels), data["image"], data["allowed"],
                      data["brain"], data["truth"], np.asarray(data["spacing"], float), kind)


def cases_of(cache: Path, seeds, variants, mirror: str) -> list:
    return [load_case(cache / f"{variant}_{seed}.npz", mirror, variant)
            for variant in variants for seed in seeds if (cache / f"{variant}_{seed}.npz").exists()]


def measure(cases: list, rules: dict, thick_rules: dict) -> dict:
    """Per variant, :func:`metrics.summarize` of the held-out ``cases`` under the card's rules
    for their spacing."""
    from neuroview.ai.brain import thick_axis
    from neuroview.ai.metrics import summarize
    from neuroview.ai.operating_point import case_figures, case_regions
    from neuroview.core.geometry import voxel_sizes

    figures: dict[str, list] = {}
    for case in cases:
        chosen = thick_rules if thick_axis(voxel_sizes(case.grid)) is not None else rules
        regions = case_regions(case, chosen.get("extent_probability"))
        figures.setdefault(case.kind, []).append(case_figures(regions, chosen))
    return {kind: summarize(per_case) for kind, per_case in figures.items()}


def table_line(label: str, summaries: dict) -> str:
    parts = []
    found = lesions = 0
    for kind, s in summaries.items():
        found, lesions = found + s["found"], lesions + s["lesions"]
        parts.append(f"{kind} {s['found']}/{s['lesions']} fp {s['false_positives_per_case']:.2f} "
                     f"(per case {','.join(f'{f:g}' for f in s['per_case']['false_positives'])}) "
                     f"Dice {s['dice']:.3f}")
    return f"{label}: found {found}/{lesions} ({100 * found / max(lesions, 1):.1f} %); " + "; ".join(parts)


def main() -> int:
    from neuroview.ai.operating_point import choose_points

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--model", default="resources/models/lesionseg")
    parser.add_argument("--seeds", default="70000-70005")
    parser.add_argument("--tune", default="71000-71005")
    parser.add_argument("--variants", default="wm_t1,wm_t2,wm_flair,wm_t1_5mm")
    parser.add_argument("--mirrors", default="none,0")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    card = json.loads((Path(args.model) / "model.json").read_text())
    variants = args.variants.split(",")
    report = {}
    for mirror in args.mirrors.split(","):
        held_out = cases_of(args.cache, _seeds(args.seeds), variants, mirror)
        rows = {"card": measure(held_out, card["postprocessing"], card["postprocessing_thick"])}
        print(table_line(f"flips {mirror}, card's rules", rows["card"]), flush=True)
        tuning = cases_of(args.cache, _seeds(args.tune), variants, mirror)
        if tuning:
            rules, thick_rules, record = choose_points(tuning)
            rows["tuned"] = measure(held_out, rules, thick_rules)
            rows["tuned_rules"] = {"postprocessing": rules, "postprocessing_thick": thick_rules,
                                   "tuning_heads": len(tuning)}
            print(f"  chosen on {len(tuning)} tuning heads: {rules} / thick {thick_rules}")
            print(table_line(f"flips {mirror}, tuned rules", rows["tuned"]), flush=True)
        report[mirror] = rows
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
