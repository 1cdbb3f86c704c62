"""CPU time of a dataset fine-tune's held-out scoring (``train --dataset --base``: the base as epoch
0, every epoch, the card's figures), before and after session 37, on the same cases in one process:

- before: each pass reads every case's files, extracts its brain, prepares it for the model and
  computes the lesion-wise figures, at every epoch; the weights kept are run once more at the end;
- now: each case read and prepared once (:class:`neuroview.ai.held_out_scoring.PreparedCases`), the
  lesion-wise figures only for the base and the card, the card's from the best epoch's predictions.

Synthetic 1 mm heads (``neuroview.ai.heads.lesion_head``, the MNI template's size) in nnU-Net raw
layout, the bundled lesion model for every pass (a pass's time does not depend on the weights).
Both ways must give the same Dice and lesion-wise figures; the run stops if they do not.

    nice -n 10 python bench/held_out_scoring.py [--cases 4] [--epochs 3] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path


def make_dataset(root: Path, count: int) -> Path:
    import nibabel as nib
    import numpy as np

    from neuroview.ai.heads import lesion_head

    folder = root / "Dataset900_Heads"
    (folder / "imagesTr").mkdir(parents=True)
    (folder / "labelsTr").mkdir()
    for number in range(count):
        head = lesion_head(100 + number, ("t1", "t2", "flair")[number % 3], spacing=1)
        nib.save(nib.Nifti1Image(head.image, head.ijk_to_ras), folder / "imagesTr" / f"h{number}_0000.nii.gz")
        nib.save(nib.Nifti1Image(head.label.astype(np.uint8), head.ijk_to_ras),
                 folder / "labelsTr" / f"h{number}.nii.gz")
    (folder / "dataset.json").write_text(json.dumps({
        "channel_names": {"0": "T1"}, "labels": {"background": 0, "lesion": 1},
        "numTraining": count, "file_ending": ".nii.gz"}))
    return folder


def before(model, cases, epochs: int):
    """Session 36's passes: the base, each epoch, the weights kept again (all read and prepared anew)."""
    from neuroview.ai.finetune import evaluate_cases
    from neuroview.ai.preprocess import _mask_cache

    _mask_cache.clear()
    figures = [evaluate_cases(model, cases) for _ in range(1 + epochs + 1)]
    return figures[0], figures[-1]


def now(model, cases, epochs: int):
    from neuroview.ai.finetune import evaluate_cases
    from neuroview.ai.held_out_scoring import PreparedCases, score_predictions
    from neuroview.ai.preprocess import _mask_cache

    _mask_cache.clear()
    prepared, kept = PreparedCases(), []
    base = evaluate_cases(model, cases, prepared=prepared)
    for _ in range(epochs):
        evaluate_cases(model, cases, prepared=prepared, lesionwise=False, kept=kept)
    return base, score_predictions(kept, len(model.card.labels))


def main() -> int:
    import torch

    from neuroview.ai.finetune import read_dataset
    from neuroview.ai.package import load_model

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=4, help="held-out cases (default 4)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model = load_model(Path(__file__).resolve().parents[1] / "resources" / "models" / "lesionseg")
    with tempfile.TemporaryDirectory() as tmp:
        cases = read_dataset(make_dataset(Path(tmp), args.cases)).cases
        times = {"before": [], "now": []}
        results = {}
        for _ in range(args.repeats):
            for name, way in (("before", before), ("now", now)):
                started = time.process_time()
                results[name] = way(model, cases, args.epochs)
                times[name].append(time.process_time() - started)
    if json.dumps(results["before"], sort_keys=True) != json.dumps(results["now"], sort_keys=True):
        print("DIFFERENT figures:", results)
        return 1
    old, new = statistics.median(times["before"]), statistics.median(times["now"])
    dice = [round(d, 4) for d in results["now"][1][0]]
    print(f"{args.cases} held-out 1 mm heads, base + {args.epochs} epochs + card, {args.threads} thread(s), "
          f"median of {args.repeats}: before {old:.1f} s CPU, now {new:.1f} s ({new / old:.2f}x); "
          f"per pass and case {old / args.cases / (args.epochs + 2):.2f} s before; same figures "
          f"(card Dice {dice}, F1 {results['now'][1][1]['f1']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
