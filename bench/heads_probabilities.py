"""Issue #12's check heads (``wm_*``) run once through the bundled lesion model's brain extraction
and sliding window, with and without test-time flips, their probabilities kept on disk so that
post-processing rules can be compared afterwards without running the model again
(``bench/heads_rules.py`` reads them).

For each variant and seed: the case (:func:`neuroview.ai.heads.variant_case`, made at its own
grid by the generator, not resampled from another), the card's preprocessing once, then the
sliding window once per flip set of ``--mirrors`` (``none``: none; ``0``: left-right; ``012``: all
eight flips, averaged inside the sliding window; ``flip0``: the whole head mirrored left-right
and run alone, its output mirrored back, which ``heads_rules.py`` averages with ``none``: the same
as ``0`` but for the windows' places, at one model run instead of two), each timed; ``none``
must be one of them. Saved as ``OUT/VARIANT_SEED.npz``: background probability per flip set
(float16: exact near 0, where the seed cut reads it), the normalised image, the brain and the
allowed masks, the true lesions and voxel sizes, all on the closest-RAS grid; ``OUT/times.json``
the seconds. Seeds 70000-70005 are the card's held-out check heads (``heads_eval.py``), 71000-71005
the finish step's tuning heads. ``--true-brain`` strips each head with its own true brain mask
instead of the card's brain extraction (deepbet: most of a head's CPU; the margins are the card's),
for comparisons that must fit a loaded machine; the figures then differ a little from the card's.

    nice -n 10 python bench/heads_probabilities.py --out /tmp/cache --seeds 70000-70005 \
        --variants wm_t1,wm_t2,wm_flair,wm_t1_5mm --mirrors none,flip0
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np


def _seeds(text: str) -> list[int]:
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


def _axes(text: str) -> tuple[int, ...]:
    return () if text == "none" else tuple(int(c) for c in text)


def cache_case(loaded, variant: str, seed: int, mirrors: list[str], out: Path,
               true_brain: bool = False) -> dict:
    from neuroview.ai import preprocess
    from neuroview.ai.api import SegmentationRequest
    from neuroview.ai.heads import variant_case
    from neuroview.ai.infer import model_output, ras_orientation, to_closest_ras
    from neuroview.core.geometry import spacing_from_affine

    case = variant_case(variant, seed)
    card = loaded.card
    seconds, arrays = {}, {}
    for text in mirrors:
        image, brain = np.asarray(case.image), np.asarray(case.brain, bool)
        flipped = text == "flip0"   # the whole head mirrored left-right, then its output back
        if flipped:
            side = int(np.flatnonzero(ras_orientation(case.ijk_to_ras)[:, 0] == 0)[0])
            image, brain = np.flip(image, side).copy(), np.flip(brain, side).copy()
        if true_brain:   # the card's margins around the case's own brain, not deepbet's mask
            preprocess.cached_brain_masks = lambda *args, mask=brain, **kwargs: (mask, mask)
        request = SegmentationRequest([image], case.ijk_to_ras, device="cpu")
        card.mirror_axes = [] if flipped else list(_axes(text))
        started = time.perf_counter()
        output = model_output(loaded, request, foreground=True)
        seconds[text] = time.perf_counter() - started
        foreground = np.flip(output.foreground, 0) if flipped else output.foreground
        arrays[f"background_{text}"] = np.subtract(1.0, foreground).astype(np.float16)
        if not flipped:
            kept = output
    output = kept
    ornt = output.ornt
    prepared = output.prepared
    arrays.update(
        image=output.normalised_image().astype(np.float32),
        brain=to_closest_ras(prepared.brain.astype(np.uint8), ornt).astype(bool),
        allowed=to_closest_ras(prepared.allowed.astype(np.uint8), ornt).astype(bool),
        truth=to_closest_ras(np.asarray(case.label > 0, np.uint8), ornt).astype(bool),
        spacing=output.spacing,
        input_spacing=np.asarray(spacing_from_affine(case.ijk_to_ras)))
    np.savez_compressed(out / f"{variant}_{seed}.npz", **arrays)
    return seconds


def main() -> int:
    import torch

    from neuroview.ai.package import load_model

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="resources/models/lesionseg")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seeds", default="70000-70005")
    parser.add_argument("--variants", default="wm_t1,wm_t2,wm_flair,wm_t1_5mm")
    parser.add_argument("--mirrors", default="none,0")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--true-brain", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    loaded = load_model(args.model)
    times_path = args.out / "times.json"
    times = json.loads(times_path.read_text()) if times_path.exists() else {}
    for seed in _seeds(args.seeds):
        for variant in args.variants.split(","):
            if (args.out / f"{variant}_{seed}.npz").exists():
                continue
            seconds = cache_case(loaded, variant, seed, args.mirrors.split(","), args.out,
                                 args.true_brain)
            times[f"{variant}_{seed}"] = seconds
            times_path.write_text(json.dumps(times, indent=1))
            print(variant, seed, {k: round(v, 1) for k, v in seconds.items()}, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
