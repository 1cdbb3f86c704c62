"""Cost of a thick-slab slice view (MIP, mean) against the thin slice, same run, while scrolling.

    python bench/slab.py [--repeats 15] [--thickness 10]

A 512x512x300 int16 CT at 0.45 x 0.45 x 0.625 mm (a CT angiogram's grid), 512x512 views,
``render_slice`` (reslice + window/level) of each plane one slice further at every repeat (as a
wheel step redraws it), thin, MIP and mean interleaved so that the load of the shared machine
falls on all three alike. "oblique" is the axial view of the same CT stored with a 15-degree
tilt (interpolated planes one voxel apart through the slab). Prints medians and ratios.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neuroview.app.view_slab import Slab  # noqa: E402
from neuroview.app.view_state import ViewerState  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402
from neuroview.render.slices import render_slice  # noqa: E402


def tilted(affine: np.ndarray, degrees: float) -> np.ndarray:
    a = np.radians(degrees)
    rotation = np.array([[1, 0, 0], [0, np.cos(a), -np.sin(a)], [0, np.sin(a), np.cos(a)]])
    out = affine.copy()
    out[:3, :3] = rotation @ affine[:3, :3]
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--thickness", type=float, default=10.0)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    array = rng.integers(-1000, 1500, (512, 512, 300), dtype=np.int16)
    affine = np.diag([0.45, 0.45, 0.625, 1.0])
    cases = [(plane, Volume(array, affine, modality="CT")) for plane in ("axial", "sagittal", "coronal")]
    cases.append(("oblique", Volume(array, tilted(affine, 15.0), modality="CT")))
    modes = {"thin": None, "MIP": Slab(args.thickness, "max"), "mean": Slab(args.thickness, "mean")}
    print(f"CT {array.shape} int16, 0.45x0.45x0.625 mm, 512x512 views, {args.thickness:g} mm slab, "
          f"{args.repeats} repeats, load {os.getloadavg()[0]:.1f}")
    print(f"{'view':<9}" + "".join(f"{m + ' ms':>10}" for m in modes) + f"{'MIP/thin':>10}{'mean/thin':>10}")
    for name, volume in cases:
        state = ViewerState.for_volume(volume)
        plane = "axial" if name == "oblique" else name
        times = {m: [] for m in modes}
        for _ in range(args.repeats):
            state.scroll(plane, 1)
            geom = state.geometry(plane, 512, 512)
            for mode, slab in modes.items():
                t = time.perf_counter()
                render_slice(volume, geom, 400.0, 40.0, slab=slab)
                times[mode].append((time.perf_counter() - t) * 1000)
        med = {m: float(np.median(v)) for m, v in times.items()}
        print(f"{name:<9}" + "".join(f"{med[m]:>10.1f}" for m in modes)
              + f"{med['MIP'] / med['thin']:>10.1f}{med['mean'] / med['thin']:>10.1f}")
    print(f"load after {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
