"""What a lesion model's test-time mirroring costs on the CPU: the whole job a user waits for
(``neuroview.ai.segment_volume``: brain extraction, the model, back to the image's grid) on the
demo case and on a 256^3 1 mm head, with the model's card as it is and with its ``mirror_axes``
emptied (the reference, in the same run): ratio mirrored / plain. The goal for the demo case is
under 20 s with both cores (issue #12).

    nice -n 5 python bench/mirror_cost.py --model DIR [--threads 2] [--repeats 1]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _volumes(size: int):
    from neuroview.io.nifti import load_nifti

    spec = importlib.util.spec_from_file_location("bench_infer", REPO / "bench" / "infer.py")
    bench_infer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_infer)
    return {"demo case": load_nifti(REPO / "resources" / "demo" / "mni152_t1_1mm.nii.gz"),
            f"{size}^3 head": bench_infer._demo_volume(size)}


def _plain_copy(model: Path, folder: Path) -> Path:
    """``model``'s package with no mirroring: the reference."""
    plain = folder / model.name
    shutil.copytree(model, plain)
    card = json.loads((plain / "model.json").read_text())
    card["mirror_axes"] = []
    (plain / "model.json").write_text(json.dumps(card, indent=2))
    return plain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="a package folder whose card mirrors")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--size", type=int, default=256)
    args = parser.parse_args()
    import numpy as np
    import torch

    torch.set_num_threads(args.threads)
    from neuroview.ai import preprocess
    from neuroview.ai.segment import segment_volume

    model = Path(args.model).resolve()
    axes = json.loads((model / "model.json").read_text()).get("mirror_axes")
    with tempfile.TemporaryDirectory() as tmp:
        models = {"plain": _plain_copy(model, Path(tmp)), f"mirror {axes}": model}
        for name, volume in _volumes(args.size).items():
            seconds = {}
            for label, folder in models.items():
                times = []
                for _ in range(args.repeats):
                    preprocess._mask_cache.clear()  # each run extracts the brain again
                    started = time.perf_counter()
                    labels = segment_volume(volume, str(folder), device="cpu")[0]
                    times.append(time.perf_counter() - started)
                seconds[label] = float(np.median(times))
                voxels = int((labels == 1).sum())
                print(f"{name}: {label:12s} {seconds[label]:6.1f} s, {voxels} lesion voxels", flush=True)
            plain, mirrored = seconds.values()
            print(f"{name}: ratio mirrored / plain {mirrored / plain:.2f}", flush=True)
    print(f"{args.threads} threads, median of {args.repeats}")


if __name__ == "__main__":
    main()
