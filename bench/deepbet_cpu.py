"""deepbet's two TorchScript networks on a CPU as loaded (``torch.jit.load``) and frozen and
optimized for inference (:func:`torch.jit.optimize_for_inference`: every convolution on oneDNN),
as ``ai.brain_weights`` now runs the coarse one there, on random images of the sizes ``ai.brain``
gives them: the coarse network's 128^3, the fine network's 160^3 (a 2 mm head's brain box) and
256^3 (a 1 mm head's).

A batch of one with one input channel falls to ATen's slow reference kernel for some of the coarse
network's convolutions (``ConvParams::use_mkldnn``), so its 128^3 pass cost as much as a batch of
two. Printed per network and size: the median processor time of each (alternated in one process),
their ratio (optimized / as loaded, below 1 is faster) and the largest difference of the two
probabilities.

    python bench/deepbet_cpu.py [--repeats 5] [--threads 1] [--sizes 128 160 256]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from neuroview.ai.brain_weights import _weight_paths, load_networks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--sizes", type=int, nargs="+", default=[128, 160, 256])
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    paths = _weight_paths()
    loaded = {name: torch.jit.load(str(paths[name]), map_location="cpu").eval() for name in ("box", "fine")}
    ours = {name: torch.jit.optimize_for_inference(torch.jit.freeze(net)) for name, net in loaded.items()}
    assert load_networks(torch.device("cpu"))[0].graph.str() == ours["box"].graph.str()   # what it runs
    generator = torch.Generator().manual_seed(0)
    for size in args.sizes:
        name = "box" if size == 128 else "fine"
        x = torch.rand((1, 1, size, size, size), generator=generator)
        times = {"loaded": [], "ours": []}
        with torch.inference_mode():
            outputs = {key: net(x) for key, net in (("loaded", loaded[name]), ("ours", ours[name]))}
            for _ in range(args.repeats):
                for key, net in (("loaded", loaded[name]), ("ours", ours[name])):
                    start = time.process_time()
                    net(x)
                    times[key].append(time.process_time() - start)
        before, after = statistics.median(times["loaded"]), statistics.median(times["ours"])
        diff = float((outputs["loaded"] - outputs["ours"]).abs().max())
        print(f"{name} {size}^3, {args.threads} thread(s): as loaded {before:.3f} s, "
              f"optimized {after:.3f} s, ratio {after / before:.2f}, largest difference {diff:.1e}")


if __name__ == "__main__":
    main()
