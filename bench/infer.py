"""Inference benchmark: the bundled model on a 256^3 1 mm T1 volume on the CPU.

Compares neuroview's sliding window with MONAI's ``sliding_window_inference`` running the same
network on the same resampled, normalised tensor with the same patch size, overlap and Gaussian
weighting (ratio = neuroview / MONAI; goal <= 1.0, same output), and times the whole user-facing
job (``neuroview.ai.segment_volume``: brain extraction, reorient, resample to the model's spacing,
normalise, sliding window, resample back, argmax) against the 60 s goal, brain extraction alone on
the 256^3 volume (goal < 15 s) and the whole job on the demo case (goal < 20 s). Each variant
runs in its own process; its peak memory is the growth of the resident set over the process's
state before the work started.

    python bench/infer.py [--repeats 3] [--threads 2] [--size 256]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent


def _demo_volume(size: int):
    """The MNI152 T1 demo case zero-padded (centred) to ``size``^3 at 1 mm."""
    from neuroview.core.volume import Volume
    from neuroview.io.nifti import load_nifti

    mni = load_nifti(REPO / "resources" / "demo" / "mni152_t1_1mm.nii.gz")
    array = np.zeros((size,) * 3, np.float32)
    src = np.asarray(mni.array, np.float32)
    lo = [(size - s) // 2 for s in src.shape]
    crop = tuple(slice(max(0, -a), max(0, -a) + min(s, size)) for a, s in zip(lo, src.shape))
    put = tuple(slice(max(0, a), max(0, a) + min(s, size)) for a, s in zip(lo, src.shape))
    array[put] = src[crop]
    affine = mni.ijk_to_ras.copy()
    affine[:3, 3] -= affine[:3, :3] @ np.asarray([max(0, a) for a in lo], float)
    return Volume(array, affine, description="MNI152 padded")


class PeakRss:
    """Samples this process's resident set size every 5 ms while running."""

    def __init__(self) -> None:
        import psutil

        self.process = psutil.Process()
        self.start = self.peak = self.process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.005)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)


def child(mode: str, repeats: int, threads: int, size: int, out: str) -> None:
    import torch

    torch.set_num_threads(threads)
    from neuroview.ai import preprocess
    from neuroview.ai.brain import brain_mask
    from neuroview.ai.infer import (
        model_grid_shape,
        permuted_spacing,
        ras_orientation,
        resample_to_shape,
        to_closest_ras,
    )
    from neuroview.ai.normalize import normalize
    from neuroview.ai.segment import get_model, segment_volume
    from neuroview.ai.sliding_window import sliding_window
    from neuroview.core.geometry import spacing_from_affine
    from neuroview.io.nifti import load_nifti

    volume = _demo_volume(size)
    demo = load_nifti(REPO / "resources" / "demo" / "mni152_t1_1mm.nii.gz")
    model = get_model("lesionseg")
    card = model.card
    ornt = ras_orientation(volume.ijk_to_ras)
    oriented = to_closest_ras(volume.array, ornt)
    shape = model_grid_shape(oriented.shape, permuted_spacing(
        np.asarray(spacing_from_affine(volume.ijk_to_ras)), ornt), card.target_spacing)
    tensor = torch.from_numpy(resample_to_shape(normalize(oriented, card.normalization), shape, 1))[None]
    network = model.network

    def run():
        if mode == "neuroview":
            return sliding_window(network, tensor, card.patch_size, card.n_classes, card.overlap,
                                  pad_value=float(tensor.min())).numpy()
        if mode == "monai":
            from monai.inferers import sliding_window_inference

            with torch.inference_mode():
                return sliding_window_inference(tensor[None], card.patch_size, 1,
                                                lambda x: torch.softmax(network(x), 1),
                                                overlap=card.overlap, mode="gaussian")[0].numpy()
        preprocess._mask_cache.clear()  # every repeat extracts the brain again
        if mode == "brain":
            return brain_mask(volume.array, volume.ijk_to_ras)
        labels, _, _, _ = segment_volume(demo if mode == "demo" else volume, "lesionseg", device="cpu")
        return labels

    times, peak = [], 0
    for _ in range(repeats):
        with PeakRss() as rss:
            started = time.perf_counter()
            result = run()
            times.append(time.perf_counter() - started)
        peak = max(peak, rss.peak - rss.start)
    np.save(out, result)
    print(json.dumps({"mode": mode, "times": times, "peak_mb": peak / 2 ** 20,
                      "grid": list(shape)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.repeats, args.threads, args.size, args.out)
        return
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    results, outputs = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("neuroview", "monai", "pipeline", "brain", "demo"):
            out = os.path.join(tmp, f"{mode}.npy")
            proc = subprocess.run([sys.executable, __file__, "--child", mode, "--repeats", str(args.repeats),
                                   "--threads", str(args.threads), "--size", str(args.size), "--out", out],
                                  env=env, capture_output=True, text=True)
            if proc.returncode != 0:
                sys.exit(f"{mode} failed:\n{proc.stderr}")
            results[mode] = json.loads(proc.stdout.strip().splitlines()[-1])
            outputs[mode] = np.load(out)
    ours, ref = outputs["neuroview"], outputs["monai"]
    median = {m: float(np.median(r["times"])) for m, r in results.items()}
    print(f"bundled model on a {args.size}^3 1 mm volume (model grid {results['neuroview']['grid']}), "
          f"{args.threads} threads, median of {args.repeats}:")
    for mode, name in (("neuroview", "neuroview"), ("monai", "MONAI    ")):
        print(f"  sliding window  {name} {median[mode]:6.2f} s  peak +{results[mode]['peak_mb']:.0f} MB")
    print(f"  ratio neuroview/MONAI: time {median['neuroview'] / median['monai']:.2f}, "
          f"peak memory {results['neuroview']['peak_mb'] / max(results['monai']['peak_mb'], 1):.2f}")
    print(f"  max |probability difference|: {float(np.abs(ours - ref).max()):.2e}; "
          f"labels agree on {float((ours.argmax(0) == ref.argmax(0)).mean()) * 100:.4f} % of voxels")
    pipeline = outputs["pipeline"]
    print(f"  whole job (segment_volume, CPU): {median['pipeline']:.2f} s (goal < 60 s), peak "
          f"+{results['pipeline']['peak_mb']:.0f} MB, {int((pipeline == 1).sum())} lesion voxels, "
          f"output {pipeline.shape} {pipeline.dtype}")
    print(f"  of which brain extraction ({args.size}^3, deepbet's networks, CPU): {median['brain']:.2f} s "
          f"(goal < 15 s), peak +{results['brain']['peak_mb']:.0f} MB, brain "
          f"{int(outputs['brain'].sum()) / 1000:.0f} mL")
    print(f"  whole job on the demo case ({outputs['demo'].shape}): {median['demo']:.2f} s (goal < 20 s), "
          f"peak +{results['demo']['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
