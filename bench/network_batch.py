"""A batch of one on a CPU: the bundled networks on one 32^3 window, called directly and through
:func:`neuroview.ai.networks.run_network` (which runs a batch of one as two copies).

PyTorch sends a 3D convolution to oneDNN only when the batch is over one, the kernel is larger than
3 or the input is large enough in its first three sizes (``ConvParams::use_mkldnn`` in ATen); a
single window of a small network falls to the slow reference kernel. The reference is the
network's own call in the same process, alternated with neuroview's; printed: medians and the
ratio (neuroview / direct, below 1 is faster).

    python bench/network_batch.py [--repeats 15] [--threads 2]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from neuroview.ai.networks import run_network
from neuroview.ai.package import load_model
from neuroview.paths import resources_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for name in ("lesionseg", "clickseg"):
        loaded = load_model(resources_dir() / "models" / name)
        network = loaded.network.eval()
        window = torch.randn((1, loaded.card.n_channels) + tuple(loaded.card.patch_size))
        direct, ours = [], []
        with torch.inference_mode():
            run_network(network, window)
            for _ in range(args.repeats):
                start = time.perf_counter()
                network(window)
                direct.append(time.perf_counter() - start)
                start = time.perf_counter()
                run_network(network, window)
                ours.append(time.perf_counter() - start)
        a, b = statistics.median(direct), statistics.median(ours)
        print(f"{name}: one {tuple(window.shape[2:])} window: direct {a * 1000:.1f} ms, "
              f"run_network {b * 1000:.1f} ms, ratio {b / a:.2f} "
              f"(median of {args.repeats}, {args.threads} threads)")
        windows = window.repeat(8, 1, 1, 1, 1)
        per_window = {}
        with torch.inference_mode():
            for size in (2, 4, 8):
                times = []
                for _ in range(max(args.repeats // 3, 3)):
                    start = time.perf_counter()
                    for first in range(0, 8, size):
                        network(windows[first:first + size])
                    times.append((time.perf_counter() - start) / 8)
                per_window[size] = statistics.median(times)
        print(f"{name}: per window in batches of 2 / 4 / 8: "
              + " / ".join(f"{per_window[k] * 1000:.1f}" for k in (2, 4, 8))
              + f" ms (batch of 4 against 2: {per_window[4] / per_window[2]:.2f})")


if __name__ == "__main__":
    main()
