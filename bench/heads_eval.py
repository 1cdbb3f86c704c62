"""Lesion-wise figures of a lesion model on whole heads with skull (the card's ``heads`` figures).

Each case is :func:`neuroview.ai.heads.lesion_head`: nilearn's MNI152 brain in a synthetic skull
and scalp with 2-6 synthetic lesions, as T1, T2 and FLAIR-like contrast at 2 mm and as T1 with
1x1x5 mm slices. The model runs as a user runs it (``neuroview.ai.segment.segment``: the card's
brain extraction, the model, nothing outside the brain), and the figures are
:mod:`neuroview.ai.metrics`'. Seeds 50000.. are used here; training never uses them (it draws
patches from seeds 0.., validation 10000.., its own held-out cases 20000..; its finish step tunes
the post-processing on 10000-10005 and wm heads 71000-71005) and the tests use their own.
``--write-card`` stores the summary per variant in the package's ``model.json`` under
``metrics.heads_lesionwise`` (the weights are untouched).

    nice -n 10 python bench/heads_eval.py --model resources/models/lesionseg --cases 6 [--write-card]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import time
from pathlib import Path

SEEDS = 50_000


WM_SEEDS = 70_000
"""Seeds of the wm_* variants (issue #12's own check), used by nothing else."""


def _case(variant: str, index: int):
    from neuroview.ai.heads import variant_case

    return variant_case(variant, (WM_SEEDS if variant.startswith("wm_") else SEEDS) + index)


def measure(model: str, variant: str, cases: int, device: str = "cpu") -> dict:
    from neuroview.ai.metrics import lesion_metrics, summarize
    from neuroview.ai.segment import segment
    from neuroview.core.geometry import spacing_from_affine
    from neuroview.core.volume import Volume

    figures_per_case = []
    for index in range(cases):
        case = _case(variant, index)
        result = segment(Volume(case.image, case.ijk_to_ras), model, device)
        figures = lesion_metrics(result.labels > 0, case.label, spacing_from_affine(case.ijk_to_ras))
        if result.brain_mask is not None:
            figures["voxels_outside_brain"] = int(((result.labels > 0) & ~result.brain_mask).sum())
        figures_per_case.append(figures)
    return summarize(figures_per_case)


def main() -> int:
    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="lesionseg")
    parser.add_argument("--cases", type=int, default=6)
    parser.add_argument("--variants", default="t1,t2,flair,t1_5mm",
                        help="comma-separated: t1, t2, flair, t1_5mm (2-6 lesions, 3-30 mm, "
                             "2 mm) and wm_t1, wm_t2, wm_flair, wm_t1_5mm (issue #12's check)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--write-card", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    from neuroview.ai.metrics import format_summary

    results = {}
    for variant in args.variants.split(","):
        started = time.perf_counter()
        summary = measure(args.model, variant, args.cases)
        results[variant] = summary
        print(f"{variant}: {format_summary(summary)}  ({time.perf_counter() - started:.0f} s)", flush=True)
    if args.write_card:
        from neuroview.core.atomic import write_text_atomic

        card_path = Path(args.model) / "model.json"
        card = json.loads(card_path.read_text())
        card.setdefault("metrics", {})["heads_lesionwise"] = results
        card["metrics"]["heads_description"] = (
            f"{args.cases} cases per variant (seeds {SEEDS}-{SEEDS + args.cases - 1}) from "
            "neuroview.ai.heads.lesion_head: the MNI152 brain (the anatomy training deforms, so not "
            "a different person) in a synthetic skull and scalp with 2-6 synthetic lesions; t1/t2/flair "
            "at 2 mm, t1_5mm with 1x1x5 mm slices; wm_* (seeds 70000..): issue #12's check, 1 mm heads "
            "with 8 white-matter lesions of 3-11 mm radius 45 % brighter or darker, sagittal axis "
            "order, any intensity scale; run through the card's brain extraction. "
            f"Measured {_dt.date.today().isoformat()} by: python bench/heads_eval.py --model "
            f"{args.model} --cases {args.cases} --variants {args.variants} --write-card")
        write_text_atomic(card_path, json.dumps(card, indent=2) + "\n")
        print(f"wrote {card_path}")
    print(json.dumps({k: {m: v[m] for m in ("dice", "sensitivity", "false_positives_per_case", "f1")}
                      for k, v in results.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
