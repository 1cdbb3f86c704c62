"""How often ``train --interactive``'s cubes get an exclude click, by object size (issue #13): the
recipe's batches drawn as training draws them (:func:`neuroview.ai.interactive.train._batch`, the
recipe's defaults and the bundled ``clickseg`` answering), every click after the first prompt
counted as include or exclude, per object size (the diameter of a ball of the object's volume in
its cube; a first-click cube's object is clipped by it).

    nice -n 5 python bench/click_training_clicks.py [--batches 100] [--exclude-clicks 0.3]
"""

from __future__ import annotations

import argparse

import numpy as np
import torch
from scipy import ndimage

from neuroview.ai.interactive.cubes import ObjectSampler
from neuroview.ai.interactive.model import NetworkPromptModel
from neuroview.ai.interactive.simulate import equivalent_diameter
from neuroview.ai.interactive.train import InteractiveConfig, _batch, _sampler_options
from neuroview.ai.synth import load_mni_anatomy

SIZES = ((0, 4), (4, 10), (10, 20), (20, 1000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batches", type=int, default=100)
    parser.add_argument("--seed", type=int, default=4700)
    parser.add_argument("--exclude-clicks", type=float, default=0.0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    config = InteractiveConfig(out=None, exclude_clicks=args.exclude_clicks)
    rng = np.random.default_rng(args.seed)
    sampler = ObjectSampler(load_mni_anatomy(), rng, config.patch, **_sampler_options(config))
    network = NetworkPromptModel().network
    sizes, includes, excludes = [], [], []   # per cube: its object's diameter, its clicks
    away = []   # per exclude click: its object's diameter and its distance from it (mm)
    for _ in range(args.batches):
        seen = []
        _, _, cubes = _batch(sampler, network, rng, 4, config.corrective_clicks, config.exclude_clicks, seen)
        sizes += [equivalent_diameter(c.truth, c.spacing) for c in cubes]
        includes += [sum(1 for p, inc, _ in seen if p == k and inc) for k in range(len(cubes))]
        excludes += [sum(1 for p, inc, _ in seen if p == k and not inc) for k in range(len(cubes))]
        for place, include, ijk in seen:
            if not include:   # how far outside the object (mm): 1-3 mm is its halo
                cube = cubes[place]
                distance = ndimage.distance_transform_edt(~cube.truth)[ijk] * cube.spacing
                away.append((equivalent_diameter(cube.truth, cube.spacing), distance))
    sizes, includes, excludes = np.asarray(sizes), np.asarray(includes), np.asarray(excludes)
    print(f"{len(sizes)} cubes in {args.batches} batches of 4 (exclude_clicks {args.exclude_clicks}): "
          f"{includes.sum()} include and {excludes.sum()} exclude clicks after the first prompt; "
          f"{(excludes > 0).mean():.3f} of the cubes get an exclude click")
    for lo, hi in SIZES:
        keep = (sizes >= lo) & (sizes < hi)
        if keep.any():
            print(f"  objects {lo}-{hi} mm: {keep.sum():4d} cubes, {includes[keep].sum():4d} include and "
                  f"{excludes[keep].sum():4d} exclude clicks; {(excludes[keep] > 0).mean():.3f} of the cubes "
                  f"get an exclude click, {(includes[keep] > 0).mean():.3f} an include one")
    away = np.asarray(away).reshape(-1, 2)
    for lo, hi in SIZES:
        keep = (away[:, 0] >= lo) & (away[:, 0] < hi)
        if keep.any():
            d = away[keep, 1]
            print(f"  exclude clicks on {lo}-{hi} mm objects: distance from the object median "
                  f"{np.median(d):.1f} mm, {np.mean(d <= 3):.2f} of them within 3 mm (the halo)")

if __name__ == "__main__":
    main()
