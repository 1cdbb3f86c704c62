"""The card's held-out figures of a lesion model measured again with today's metrics (the
finish step's held-out report, ``neuroview.ai.validation.held_out_metrics``, with the card's own
post-processing: 12 whole heads from seeds 20000.. and 8 sets of lesions on nibabel's other
brain). Each case's Dice must come out as the card has it (same weights, cases and code; within
0.01, as threads may flip a voxel): it is checked, and the run stops if it does not.
``--write-card`` replaces the card's lesion-wise held-out figures (``held_out_lesionwise``,
``held_out_lesionwise_by_contrast``, ``other_brain_lesionwise``) with the new ones; the weights
are untouched.

    nice -n 10 python bench/held_out_eval.py --model resources/models/lesionseg [--write-card]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

KEYS = ("held_out_lesionwise", "held_out_lesionwise_by_contrast", "other_brain_lesionwise")
DICE_KEYS = ("held_out_dice_per_case", "other_brain_dice_per_case")


def main() -> int:
    import torch

    from neuroview.ai.metrics import format_summary
    from neuroview.ai.package import load_model
    from neuroview.ai.train_config import TrainConfig
    from neuroview.ai.validation import held_out_metrics

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="resources/models/lesionseg")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--write-card", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    loaded = load_model(args.model)
    card = loaded.card
    config = TrainConfig(out=Path(args.model), name=card.name, patch=int(card.patch_size[0]),
                         spacing=float(card.target_spacing[0]),
                         mirror_axes=tuple(card.mirror_axes or ()),
                         test_cases=int(card.metrics["held_out_cases"]),
                         other_cases=len(card.metrics["other_brain_dice_per_case"]))
    started = time.perf_counter()
    loaded.network.eval()
    with torch.no_grad():
        figures = held_out_metrics(loaded.network, config, card.postprocessing)
    worst = max(abs(a - b) for key in DICE_KEYS for a, b in zip(figures[key], card.metrics[key]))
    if worst > 0.01:   # threads may flip a voxel or two; more: not the card's model or cases
        print(f"Dice per case differs from the card's by up to {worst:.4f}: not the card's run")
        return 1
    for key in KEYS[0], KEYS[2]:
        print(f"{key}: {format_summary(figures[key])} (card: {format_summary(card.metrics[key])})")
    print(f"({time.perf_counter() - started:.0f} s; Dice per case within {worst:.4f} of the card's)")
    if args.write_card:
        from neuroview.core.atomic import write_text_atomic

        card_path = Path(args.model) / "model.json"
        data = json.loads(card_path.read_text())
        data["metrics"].update({key: figures[key] for key in KEYS})
        write_text_atomic(card_path, json.dumps(data, indent=2) + "\n")
        print(f"wrote {card_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
