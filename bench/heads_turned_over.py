"""Issue #12's T2-like heads with the stripped brain's intensities turned over before the model.

On a T2, white matter is darker than grey matter and CSF the brightest: the reverse of a T1, on
which the bundled model finds far more. This runs :mod:`heads_eval`'s ``measure`` twice per
variant in one process: once as a user runs it, once with the first image turned over inside the
stripped brain after the card's brain extraction (the 99.5th percentile inside the brain mask
minus the value; zero outside stays zero), before the model's normalisation. Session 39's run (6
cases, README's lesionseg section): 26/48 found against 22 on the check heads but 2.8 false
regions per head against 1.8, so the step was not adopted.

    nice -n 10 python bench/heads_turned_over.py --model resources/models/lesionseg --cases 6
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))


def turned_over(prepared):
    """``prepared`` (:class:`neuroview.ai.preprocess.Prepared`) with its first image turned over
    inside the stripped brain."""
    if prepared.brain is None:
        return prepared
    image = prepared.images[0]
    top = float(np.percentile(image[prepared.brain], 99.5))
    seen = image != 0
    prepared.images = [np.where(seen, np.clip(top - image, 0, None), 0).astype(np.float32)] + \
        list(prepared.images[1:])
    return prepared


def main() -> int:
    import heads_eval
    import torch

    import neuroview.ai.infer as infer
    from neuroview.ai.metrics import format_summary

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="resources/models/lesionseg")
    parser.add_argument("--cases", type=int, default=6)
    parser.add_argument("--variants", default="wm_t2,t2")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    as_is = infer.apply_preprocessing

    def turning(*a, **k):
        return turned_over(as_is(*a, **k))

    for variant in args.variants.split(","):
        for name, step in (("as is", as_is), ("turned over", turning)):
            infer.apply_preprocessing = step
            started = time.perf_counter()
            summary = heads_eval.measure(args.model, variant, args.cases)
            print(f"{variant} {name}: {format_summary(summary)}  ({time.perf_counter() - started:.0f} s)",
                  flush=True)
    infer.apply_preprocessing = as_is
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
