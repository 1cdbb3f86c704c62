"""Interactive AI segmentation: click metrics and latency of a promptable backend on held-out cases.

A simulated user (``neuroview.ai.interactive.simulate``) segments each synthetic lesion (>= 5 mm)
painted into held-out anatomy, through the full contract (RAS prompts -> ROI -> volume voxels):

- clicks: the first in the lesion's deepest voxel, each next one in the largest error region
  (include or exclude); Dice after 1 and 3 clicks, NoC@90 (clicks to reach Dice 0.90, at most
  ``--max-clicks``; a case that never gets there counts as ``max-clicks + 1``);
- one box on the largest cross-section, drawn on an axial, a sagittal and a coronal plane: Dice
  per plane (the goal: sagittal and coronal within 0.03 of axial), and the paired difference
  from axial with its standard error (13 lesions leave a standard error of about 0.02; use
  ``--draws 4`` for about 100 lesions);
- latency of every prompt (wall clock, this process, ``--threads`` torch threads) in a 256^3
  volume at 1 mm.

The same user drives the bundled network and the "Grow from seeds" baseline behind the same
contract; ratios network / baseline are printed. Held-out anatomy: the MNI152 template *without*
the random deformations used in training, with other contrast and lesion seeds, zero-padded to
256^3; and nibabel's ``anatomical.nii`` (another brain, 2 mm) resampled to 1 mm.

    nice -n 10 python bench/interactive.py [--lesions 8] [--draws 1] [--max-clicks 5] [--threads 2]
        [--model DIR] [--device cuda]

Per lesion size (5-10, 10-20, >= 20 mm, equivalent-sphere diameter) it also prints Dice after 1
and 3 clicks and how much of the lesion lay outside the ROI the first click's answer came from,
and the Dice of a threshold oracle (the best intensity threshold per lesion, chosen knowing the
truth): the ceiling of any method that uses intensity alone, to read the goals against.

``--scenario leak``, ``missed`` and ``late-box`` measure instead corrections that the bundled
network got wrong, before (``InteractiveSegmenter(local=False)``: the network's answer as it
is) and after the local rules of ``neuroview.ai.interactive.local``, on the same lesions:

- leak: each lesion's mask leaks into its surroundings (alternately a 4 mm ball 4 mm outside it,
  or the lesion dilated by 3 mm on one side), and is the starting mask of the object; the
  simulated user gives one exclude click at the deepest voxel of the leak. Dice against the lesion,
  of the starting mask and of the answer, the share of the start's lesion voxels kept and of the
  start's error fixed; and Dice after two more clicks of the simulated user;
- missed: the starting mask misses part of the lesion (alternately a ball of half its radius on
  its edge, or a 2 mm rim), and one include click goes to the deepest missed voxel; the same figures;
- late-box: three clicks of the simulated user, then a box on the lesion's largest axial
  cross-section, on its edges and with each side moved by up to 10 % of its size (as in
  training). Dice after the clicks and after the box.

    nice -n 10 python bench/interactive.py --scenario leak [--lesions 10] [--draws 3] [--threads 1]

``--nninteractive-latency`` measures instead the CPU latency per prompt of the nnInteractive
backend (``neuroview.ai.interactive.nninteractive``) with RANDOM weights in a network of the
published size (nnU-Net's ResEnc-L, 192^3 patch, 8 input channels; its real weights cannot be
downloaded here), on the same 256^3 held-out volume, against the bundled network in the same run.
The random network is made to answer background everywhere, so each prompt costs what a lesion
that fits nnInteractive's patch costs (one forward pass, no zooming out); no Dice is measured.

    nice -n 10 python bench/interactive.py --nninteractive-latency [--prompts 3] [--threads 2]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy import ndimage

CONTRASTS = ("t1", "t2", "flair", "wm_t1", "wm_t2", "wm_flair")


def _cases(n_lesions: int, seed: int = 20_000, contrasts=("t1",)):
    """Held-out lesions >= 5 mm: ``(name, image, affine, lesion, diameter)``. ``t1``: the MNI152
    template (zero-padded to 256^3) and nibabel's brain; ``t2`` and ``flair``: the template's
    tissues in a synthetic skull (:func:`neuroview.ai.heads.synthetic_head`, as the demo's heads),
    lesions painted as in training; ``wm_*``: issue #12's check heads (:func:`~neuroview.ai.heads.
    wm_lesion_head`: eight hard-edged white-matter spheres, alternately 45 % brighter and darker,
    not painted by the recipe), in T1, T2 or FLAIR. Their names end in the contrast."""
    from neuroview.ai.heads import synthetic_head, wm_lesion_head
    from neuroview.ai.normalize import TRAINING_CLIP_PERCENTILES, foreground_stats
    from neuroview.ai.synth import (
        Case,
        add_lesions,
        load_mni_anatomy,
        load_nibabel_anatomy,
        make_anatomy_sample,
        vary_contrast,
    )

    brains = []
    if "t1" in contrasts:
        brains += [(k, lambda rng, a=a: make_anatomy_sample(a, rng, spacing=1.0, deform=False,
                                                           skull_strip_p=0.0), a.name, size)
                   for k, (a, size) in enumerate(((load_mni_anatomy(), 256), (load_nibabel_anatomy(), None)))]
    for k, contrast in enumerate(CONTRASTS[1:3]):  # the seeds do not depend on which are chosen
        if contrast not in contrasts:
            continue

        def head_case(rng, contrast=contrast):
            head = synthetic_head(contrast, seed=int(rng.integers(1 << 30)))
            image = vary_contrast(head.image, None, None, rng)
            stats = foreground_stats(image, clip_percentiles=TRAINING_CLIP_PERCENTILES)
            return Case(image, np.zeros(image.shape, np.uint8), head.ijk_to_ras,
                        head.brain.astype(np.float32), stats)
        brains.append((2 + k, head_case, f"synthetic head, {contrast.upper()}", None))
    out = []
    for k, make, name, size in brains:
        rng = np.random.default_rng(seed + k)
        case = add_lesions(make(rng), rng, n_lesions, spacing=1.0)
        out += _lesions(name, case.image, case.label, case.ijk_to_ras, size)
    for k, contrast in enumerate(CONTRASTS[3:]):
        if contrast in contrasts:
            head = wm_lesion_head(seed + 4 + k, contrast[3:])
            out += _lesions(f"white-matter spheres, {contrast[3:].upper()}", head.image, head.label,
                            head.ijk_to_ras, None)
    return out


def _lesions(name, image, labels, affine, size):
    """The lesions >= 5 mm of one brain (1 mm voxels), zero-padded to ``size``^3 if given."""
    if size:  # zero-pad (centred) to size^3
        pad = [((size - s) // 2, size - s - (size - s) // 2) for s in image.shape]
        image, labels = np.pad(image, pad), np.pad(labels, pad)
        affine = affine.copy()
        affine[:3, 3] -= affine[:3, :3] @ np.asarray([p[0] for p in pad], float)
    out = []
    components, n = ndimage.label(labels > 0)
    for value in range(1, n + 1):
        lesion = components == value
        diameter = 2 * (3 * lesion.sum() / (4 * np.pi)) ** (1 / 3)  # mm at 1 mm spacing
        if diameter >= 5.0:
            out.append((name, image, affine, lesion, diameter))
    return out


def lesion_contrast(image: np.ndarray, lesion: np.ndarray) -> float:
    """The lesion's median intensity over that of a shell 2-4 voxels outside it, minus 1: below 0
    for a lesion darker than its surroundings."""
    window = _window(lesion, 8)
    inside = lesion[window]
    shell = ndimage.binary_dilation(inside, iterations=4) & ~ndimage.binary_dilation(inside, iterations=1)
    around = float(np.median(image[window][shell]))
    return float(np.median(image[window][inside])) / around - 1 if around else 0.0


def _window(lesion: np.ndarray, margin: int = 24):
    idx = np.argwhere(lesion)
    lo = np.maximum(idx.min(0) - margin, 0)
    hi = np.minimum(idx.max(0) + margin + 1, lesion.shape)
    return tuple(slice(a, b) for a, b in zip(lo, hi))


def _mask(result, shape) -> np.ndarray:
    mask = np.zeros(shape, bool)
    mask[tuple(slice(a, a + n) for a, n in zip(result.lo, result.probability.shape))] = result.mask()
    return mask


def run_backend(model, cases, max_clicks: int):
    from neuroview.ai.interactive.engine import InteractiveSegmenter
    from neuroview.ai.interactive.prompts import PLANE_AXES, BoxPrompt, PointPrompt, PromptSet
    from neuroview.ai.interactive.simulate import box_on_slice, dice, next_click

    latencies, click_dice, noc, planes = [], [], [], {p: [] for p in PLANE_AXES}
    clipped, diameters, groups = [], [], []
    segmenters = {}
    for name, image, affine, lesion, diameter in cases:
        groups.append((name, "darker" if lesion_contrast(image, lesion) < 0 else "brighter"))
        key = id(image)
        if key not in segmenters:
            segmenters[key] = InteractiveSegmenter(image, affine, model)
        segmenter = segmenters[key]

        to_ras, window, truth, spacing, first = user_start(lesion, affine)
        prompts = PromptSet([PointPrompt(to_ras(first))])
        scores, reached = [], max_clicks + 1
        previous = None
        for n in range(max_clicks):
            started = time.perf_counter()
            result = segmenter.run(prompts, previous)
            latencies.append(time.perf_counter() - started)
            previous = _mask(result, image.shape)
            prediction = previous[window]
            if n == 0:  # how much of the lesion lies outside the ROI the answer came from
                inside = np.zeros(image.shape, bool)
                inside[tuple(slice(a, b) for a, b in zip(*result.box))] = True
                clipped.append(float((lesion & ~inside).sum() / lesion.sum()))
            scores.append(dice(prediction, truth))
            if scores[-1] >= 0.9 and reached > max_clicks:
                reached = n + 1
            click = next_click(truth, prediction, spacing)
            if click is None:
                break
            ijk, include = click
            prompts.add(PointPrompt(to_ras(ijk + [s.start for s in window]), include))
        scores += [scores[-1]] * (max_clicks - len(scores))
        click_dice.append(scores)
        noc.append(reached)
        diameters.append(diameter)
        for plane, ras_axis in (("axial", 2), ("coronal", 1), ("sagittal", 0)):
            lo, hi = box_on_slice(lesion, _voxel_axis(affine, ras_axis))
            corner_a, corner_b = to_ras(lo), to_ras(hi)
            started = time.perf_counter()
            result = segmenter.run(PromptSet([BoxPrompt(corner_a, corner_b, plane)]))
            latencies.append(time.perf_counter() - started)
            planes[plane].append(dice(_mask(result, image.shape)[window], truth))
    click_dice = np.asarray(click_dice)
    axial = np.asarray(planes["axial"])
    box_diff = {}
    for plane in ("coronal", "sagittal"):
        delta = np.asarray(planes[plane]) - axial
        se = float(np.std(delta, ddof=1) / np.sqrt(len(delta))) if len(delta) > 1 else 0.0
        box_diff[plane] = (float(delta.mean()), se)
    return {"dice_1_click": float(click_dice[:, 0].mean()),
            "dice_3_clicks": float(click_dice[:, min(2, max_clicks - 1)].mean()),
            "noc90": float(np.mean(noc)), "reached_90": float(np.mean(np.asarray(noc) <= max_clicks)),
            "box_dice": {p: float(np.mean(v)) for p, v in planes.items()},
            "box_minus_axial": box_diff,
            "latency_median_s": float(np.median(latencies)),
            "latency_p90_s": float(np.percentile(latencies, 90)),
            "prompts": len(latencies), "lesions": len(cases),
            "click_dice": click_dice.round(4).tolist(),  # per lesion: for paired comparisons
            "by_size": _by_size(np.asarray(diameters), click_dice, np.asarray(clipped), max_clicks),
            "by_contrast": _by_contrast(groups, click_dice, max_clicks)}


def user_start(lesion: np.ndarray, affine: np.ndarray):
    """The simulated user's start on one lesion: ``(to_ras, window, truth, spacing, first)``, with
    ``to_ras`` mapping voxel indices to RAS mm, ``truth`` the lesion in its ``window`` and ``first``
    the first click's voxel, the lesion's deepest, depth in mm (a simulated user in voxels put the
    first click of a 0.5 x 0.5 x 3 mm grid near the lesion's top slice: 3 mm voxels looked as deep
    as 0.5 mm ones)."""
    from neuroview.ai.interactive.simulate import deepest_point

    def to_ras(ijk):
        return np.asarray(ijk, float) @ affine[:3, :3].T + affine[:3, 3]

    window = _window(lesion)
    spacing = tuple(np.linalg.norm(affine[:3, :3], axis=0))
    return to_ras, window, lesion[window], spacing, deepest_point(lesion, spacing)


def _voxel_axis(affine: np.ndarray, ras_axis: int) -> int:
    """The voxel axis nearest the RAS axis ``ras_axis`` (2: the axial plane's normal): a box on a
    plane is drawn across that axis (issue #12's heads are stored in a sagittal scanner's order,
    where voxel axis 2 is not S: their "axial" boxes lay on another plane). The affine's columns
    are made unit first: on a 0.5 x 0.5 x 3 mm grid tilted 20 degrees the 3 mm axis's S part
    outweighed the 0.5 mm axis nearest S, and the "axial" box was drawn on a sagittal slice."""
    directions = affine[:3, :3] / np.linalg.norm(affine[:3, :3], axis=0)
    return int(np.argmax(np.abs(directions[ras_axis])))


SIZE_BUCKETS_MM = ((5.0, 10.0), (10.0, 20.0), (20.0, np.inf))


def _by_size(diameters, click_dice, clipped, max_clicks: int) -> list[dict]:
    """Dice after 1 and 3 clicks and the lesion fraction outside the first click's ROI, per
    bucket of equivalent-sphere diameter."""
    out = []
    for lo, hi in SIZE_BUCKETS_MM:
        keep = (diameters >= lo) & (diameters < hi)
        if keep.any():
            out.append({"mm": f"{lo:g}-{hi:g}", "n": int(keep.sum()),
                        "dice_1_click": float(click_dice[keep, 0].mean()),
                        "dice_3_clicks": float(click_dice[keep, min(2, max_clicks - 1)].mean()),
                        "outside_roi_1_click": float(clipped[keep].mean())})
    return out


def _by_contrast(groups, click_dice, max_clicks: int) -> list[dict]:
    """Dice after 1 and 3 clicks per brain (its contrast) and per lesion darker or brighter than
    its surroundings (:func:`lesion_contrast`), within each brain and over all."""
    out = []
    keys = [(name, None) for name in dict.fromkeys(g[0] for g in groups)]
    keys += [(name, side) for name, _ in keys for side in ("darker", "brighter")]
    keys += [(None, side) for side in ("darker", "brighter")]
    for name, side in keys:
        keep = np.asarray([(name is None or g[0] == name) and (side is None or g[1] == side) for g in groups])
        if keep.any():
            out.append({"brain": name or "all", "lesions": side or "all", "n": int(keep.sum()),
                        "dice_1_click": float(click_dice[keep, 0].mean()),
                        "dice_3_clicks": float(click_dice[keep, min(2, max_clicks - 1)].mean())})
    return out


def _steps_mm(mask: np.ndarray, spacing) -> np.ndarray:
    """Each voxel's distance from ``mask`` in mm along the voxel axes (the sum of the steps, as
    a dilation with the 6-neighbour cross walks; on a 1 mm grid, distance <= n is ``n``
    iterations of ``ndimage.binary_dilation``): one pass forth and back along each axis."""
    away = np.where(mask, 0.0, np.inf)
    for axis, step in enumerate(spacing):
        line = np.moveaxis(away, axis, 0)
        for i in range(1, len(line)):
            np.minimum(line[i], line[i - 1] + step, out=line[i])
        for i in range(len(line) - 2, -1, -1):
            np.minimum(line[i], line[i + 1] + step, out=line[i])
    return away


def threshold_oracle(cases) -> dict:
    """The Dice a perfect intensity threshold reaches on each lesion: the best of 21 thresholds
    between the lesion's and its surroundings' (1-4 mm outside it, :func:`_steps_mm`) median, on
    the image smoothed by 0.5 mm, keeping the part connected to the first click (the lesion's
    deepest voxel in mm) within 3 mm of the truth. It knows the answer, so no click-only method
    based on intensity alone can beat it: a ceiling to read the Dice goals against (the network
    can exceed it only through shape). Distances are in mm, as the simulated user's since session
    36 (until session 37 they were voxels: on a 0.5 x 0.5 x 3 mm grid the smoothing reached 1.5
    mm across slices, the kept part 9 mm and the surroundings 12 mm)."""
    from neuroview.ai.interactive.simulate import deepest_point, dice

    scores, diameters = [], []
    for _name, image, affine, lesion, diameter in cases:
        spacing = np.linalg.norm(np.asarray(affine)[:3, :3], axis=0)
        window = _window(lesion)
        truth = lesion[window]
        smooth = ndimage.gaussian_filter(image[window].astype(np.float32), 0.5 / spacing)
        click = tuple(deepest_point(lesion, tuple(spacing)) - [s.start for s in window])
        away = _steps_mm(truth, spacing)
        near, shell = away <= 3.0 + 1e-3, (away > 1.0 + 1e-3) & (away <= 4.0 + 1e-3)
        inside, outside = float(np.median(smooth[truth])), float(np.median(smooth[shell]))
        best = 0.0
        for level in np.linspace(min(inside, outside), max(inside, outside), 21):
            side = smooth > level if inside > outside else smooth < level
            parts, _n = ndimage.label(side & near)
            if parts[click]:
                best = max(best, dice(parts == parts[click], truth))
        scores.append(best)
        diameters.append(diameter)
    scores, diameters = np.asarray(scores), np.asarray(diameters)
    out = {"dice": float(scores.mean())}
    for lo, hi in SIZE_BUCKETS_MM:
        keep = (diameters >= lo) & (diameters < hi)
        if keep.any():
            out[f"{lo:g}-{hi:g}"] = float(scores[keep].mean())
    return out


def _applied(result, previous: np.ndarray) -> np.ndarray:
    """``previous`` with ``result`` applied as the window does: the answer on its box (voxels
    outside the ROI cube keep what they held), the rest as it was."""
    mask = previous.copy()
    region = result.mask()
    if result.covered is not None:
        region = np.where(result.covered, region, previous[result.slices])
    mask[result.slices] = region
    return mask


def _leaky_start(lesion: np.ndarray, rng: np.random.Generator, kind: int) -> np.ndarray:
    """``lesion`` with a leak: a 4 mm ball centred 4 mm outside it (``kind`` 0) or the lesion
    dilated by 3 voxels (1 mm) on the side of a random direction (``kind`` 1)."""
    window = _window(lesion, 32)
    inside = lesion[window]
    if kind == 0:
        distance = ndimage.distance_transform_edt(~inside)
        shell = np.argwhere(np.abs(distance - 4.0) < 0.5)
        centre = shell[rng.integers(len(shell))]
        leak = np.sum((np.indices(inside.shape) - centre[:, None, None, None]) ** 2, axis=0) <= 16
    else:
        direction = rng.normal(size=3)
        offsets = np.indices(inside.shape).reshape(3, -1).T - np.argwhere(inside).mean(0)
        side = (offsets @ direction > 0).reshape(inside.shape)
        leak = ndimage.binary_dilation(inside, iterations=3) & side
    start = np.zeros_like(lesion)
    start[window] = inside | leak
    return start


def _missed_start(lesion: np.ndarray, rng: np.random.Generator, kind: int) -> np.ndarray:
    """``lesion`` with a part missed: less a ball of half its radius centred on its edge (``kind``
    0), or eroded by 2 voxels (1 mm; ``kind`` 1). Empty when nothing is left."""
    window = _window(lesion, 32)
    inside = lesion[window]
    if kind == 0:
        edge = np.argwhere(inside & ~ndimage.binary_erosion(inside))
        centre = edge[rng.integers(len(edge))]
        radius = max(2.0, 2 * (3 * inside.sum() / (4 * np.pi)) ** (1 / 3) / 4)
        ball = np.sum((np.indices(inside.shape) - centre[:, None, None, None]) ** 2, axis=0) <= radius ** 2
        kept = inside & ~ball
    else:
        kept = ndimage.binary_erosion(inside, iterations=2)
    start = np.zeros_like(lesion)
    start[window] = kept
    return start


def start_scenario(model, cases, scenario: str) -> None:
    """Corrective clicks on a starting mask: first an exclude on a leak (``scenario`` leak) or an
    include in a missed part (missed), then two more of the simulated user; the network's answer
    as it is, and with the local rules (only the part around each click changes)."""
    from neuroview.ai.interactive.engine import InteractiveSegmenter
    from neuroview.ai.interactive.prompts import PointPrompt, PromptSet
    from neuroview.ai.interactive.simulate import dice, next_click

    rows, segmenters = [], {}
    for n, (_name, image, affine, lesion, _diameter) in enumerate(cases):
        if id(image) not in segmenters:
            raw = InteractiveSegmenter(image, affine, model, local=False)
            segmenters[id(image)] = (raw, InteractiveSegmenter(image, affine, model, stats=raw.stats))
        make = _leaky_start if scenario == "leak" else _missed_start
        start = make(lesion, np.random.default_rng(n), n % 2)
        window = _window(lesion, 32)
        truth, error = lesion[window], (start != lesion)[window]
        click = next_click(truth, start[window])
        if not start.any() or click is None or click[1] != (scenario == "missed"):
            continue
        row = [dice(start[window], truth)]
        for segmenter in segmenters[id(image)]:
            prompts, previous, step = PromptSet(), start, click
            for k in range(3):  # the first click, then two more of the simulated user
                ijk, include = step
                prompts.add(PointPrompt(affine[:3, :3] @ (ijk + [s.start for s in window]) + affine[:3, 3],
                                        include))
                started = time.perf_counter()
                result = segmenter.run(prompts, previous, starting=start)
                seconds = time.perf_counter() - started
                previous = _applied(result, previous)
                answer = previous[window]
                if k == 0:
                    found = truth & start[window]
                    row += [dice(answer, truth), (answer & found).sum() / found.sum(),
                            (answer == truth)[error].mean(), seconds]
                step = next_click(truth, answer)
                if step is None:
                    break
            row.append(dice(answer, truth))
        rows.append(row)
    rows = np.asarray(rows)
    start_dice = rows[:, 0]
    what = "an exclude click on the leak" if scenario == "leak" else "an include click in the missed part"
    print(f"{scenario}: {len(rows)} lesions, {what}; Dice of the starting mask {start_dice.mean():.3f}")
    for label, k in (("network as is", 1), ("local rule", 6)):
        d = rows[:, k]
        print(f"  {label:14s} Dice {d.mean():.3f}, after 3 clicks {rows[:, k + 4].mean():.3f} "
              f"(after 1 click worse than the start by > 0.01: "
              f"{int((d < start_dice - 0.01).sum())}, better: {int((d > start_dice + 0.01).sum())})  "
              f"start's lesion voxels kept {100 * rows[:, k + 1].mean():.0f} % "
              f"(min {100 * rows[:, k + 1].min():.0f} %)  "
              f"start's error fixed {100 * rows[:, k + 2].mean():.0f} %  "
              f"latency median {np.median(rows[:, k + 3]):.3f} s")


def late_box_scenario(model, cases) -> None:
    """Three clicks, then a box: Dice after the clicks, after the box as the network answers it,
    and with the box as a constraint."""
    from neuroview.ai.interactive.engine import InteractiveSegmenter
    from neuroview.ai.interactive.prompts import BoxPrompt, PointPrompt, PromptSet
    from neuroview.ai.interactive.simulate import box_on_slice, deepest_point, dice, next_click

    rows, segmenters = [], {}
    for n, (_name, image, affine, lesion, _diameter) in enumerate(cases):
        if id(image) not in segmenters:
            raw = InteractiveSegmenter(image, affine, model, local=False)
            segmenters[id(image)] = (raw, InteractiveSegmenter(image, affine, model, stats=raw.stats))
        raw = segmenters[id(image)][0]

        def to_ras(ijk, affine=affine):
            return np.asarray(ijk, float) @ affine[:3, :3].T + affine[:3, 3]

        window = _window(lesion)
        truth = lesion[window]
        prompts, previous = PromptSet([PointPrompt(to_ras(deepest_point(lesion)))]), None
        for k in range(3):
            previous = _mask(raw.run(prompts, previous), image.shape)
            click = next_click(truth, previous[window]) if k < 2 else None
            if click is None:
                break
            prompts.add(PointPrompt(to_ras(click[0] + [s.start for s in window]), click[1]))
        row = [dice(previous[window], truth)]
        for rng in (None, np.random.default_rng(n)):
            lo, hi = box_on_slice(lesion, _voxel_axis(affine, 2), rng)
            boxed = PromptSet(prompts.prompts + [BoxPrompt(to_ras(lo), to_ras(hi), "axial")])
            for segmenter in segmenters[id(image)]:
                row.append(dice(_applied(segmenter.run(boxed, previous), previous)[window], truth))
        rows.append(row)
    rows = np.asarray(rows)
    clicks = rows[:, 0]
    print(f"late-box: {len(rows)} lesions, three clicks then a box; Dice after the clicks "
          f"{clicks.mean():.3f}")
    for label, k in (("box on the lesion's edges, network as is", 1), ("same box as a constraint", 2),
                     ("box moved by up to 10 %, network as is", 3), ("same box as a constraint", 4)):
        d = rows[:, k]
        print(f"  {label:41s} Dice {d.mean():.3f} (worse than after the clicks by > 0.01: "
              f"{int((d < clicks - 0.01).sum())}, better: {int((d > clicks + 0.01).sum())})")


def nninteractive_latency(threads: int, n_prompts: int) -> None:
    """Per-prompt wall clock of the nnInteractive backend (random weights, published size)."""
    import sys
    import tempfile
    from pathlib import Path

    import torch

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "ai"))
    from nninteractive_weights import make_weights_folder, resenc_l_architecture

    from neuroview.ai.interactive.engine import InteractiveSegmenter
    from neuroview.ai.interactive.model import NetworkPromptModel
    from neuroview.ai.interactive.nninteractive import load_nninteractive
    from neuroview.ai.interactive.prompts import PointPrompt, PromptSet

    torch.set_num_threads(threads)
    name, image, affine, lesion, diameter = _cases(1)[0]
    centre = np.argwhere(lesion).mean(0)
    steps = [centre + d for d in ([0, 0, 0], [2, 0, 0], [0, -2, 0], [0, 0, 2], [-2, 0, 0])][:n_prompts]
    points = [PointPrompt(affine[:3, :3] @ p + affine[:3, 3]) for p in steps]
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        folder = make_weights_folder(Path(tmp), architecture=resenc_l_architecture(),
                                     patch_size=(192, 192, 192), background_margin=1e4)
        model = load_nninteractive(folder)
        n_params = sum(p.numel() for p in model.network.parameters())
        print(f"random-weights nnInteractive network: ResEnc-L, {n_params / 1e6:.1f} M parameters, "
              f"patch 192^3, made and loaded in {time.perf_counter() - started:.1f} s; "
              f"torch threads {threads}")
        started = time.perf_counter()
        segmenter = model.segmenter_for(image, affine)
        segmenter.session._finish_preprocessing_and_initialize_interactions()
        print(f"volume {image.shape} ({name}, lesion {diameter:.1f} mm): set_image "
              f"{time.perf_counter() - started:.2f} s (once per volume)")
        nni = []
        for count in range(1, len(points) + 1):
            started = time.perf_counter()
            segmenter.run(PromptSet(points[:count]), segmenter.target.astype(bool) if count > 1 else None)
            nni.append(time.perf_counter() - started)
    bundled = InteractiveSegmenter(image, affine, NetworkPromptModel())
    ref = []
    for count in range(1, len(points) + 1):
        started = time.perf_counter()
        bundled.run(PromptSet(points[:count]))
        ref.append(time.perf_counter() - started)
    print("nnInteractive (random weights) per prompt: " + ", ".join(f"{t:.2f} s" for t in nni)
          + f"; median {np.median(nni):.2f} s")
    print("bundled clickseg per prompt:              " + ", ".join(f"{t:.3f} s" for t in ref)
          + f"; median {np.median(ref):.3f} s")
    print(f"ratio nnInteractive / bundled (median): {np.median(nni) / np.median(ref):.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lesions", type=int, default=8, help="lesions painted per held-out brain")
    parser.add_argument("--draws", type=int, default=1,
                        help="held-out draws (each: both brains, other lesion seeds; more lesions "
                             "narrow the standard errors)")
    parser.add_argument("--max-clicks", type=int, default=5)
    parser.add_argument("--contrasts", nargs="+", choices=CONTRASTS, default=["t1"],
                        help="held-out brains: t1 (the MNI152 template and nibabel's brain, the "
                             "default), t2 and flair (the template's tissues in a synthetic skull), "
                             "wm_t1, wm_t2, wm_flair (issue #12's heads: white-matter spheres)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--model", default=None, help="promptable model package (default: bundled)")
    parser.add_argument("--device", default="cpu", help="where the network runs (cpu, cuda)")
    parser.add_argument("--json", default=None, metavar="FILE", help="also write the results there")
    parser.add_argument("--scenario", choices=("clicks", "leak", "missed", "late-box"), default="clicks",
                        help="clicks and boxes (default), an exclude on a leak, an include in a missed "
                             "part, or a box after clicks")
    parser.add_argument("--nninteractive-latency", action="store_true",
                        help="only the nnInteractive backend's CPU latency (random weights)")
    parser.add_argument("--prompts", type=int, default=3, help="prompts for --nninteractive-latency")
    args = parser.parse_args()
    if args.nninteractive_latency:
        nninteractive_latency(args.threads, args.prompts)
        return
    import torch

    from neuroview.ai.interactive.baseline import GrowPromptModel
    from neuroview.ai.interactive.model import NetworkPromptModel

    torch.set_num_threads(args.threads)
    cases = [case for draw in range(args.draws)
             for case in _cases(args.lesions, seed=20_000 + 1000 * draw, contrasts=args.contrasts)]
    print(f"{len(cases)} held-out lesions >= 5 mm ({', '.join(sorted({c[0] for c in cases}))}); "
          f"torch threads {args.threads}")
    if args.scenario == "late-box":
        late_box_scenario(NetworkPromptModel(args.model, device=args.device), cases)
        return
    if args.scenario != "clicks":
        start_scenario(NetworkPromptModel(args.model, device=args.device), cases, args.scenario)
        return
    results = {}
    backends = (("network", NetworkPromptModel(args.model, device=args.device)),
                ("grow-from-seeds", GrowPromptModel()))
    for label, model in backends:
        results[label] = r = run_backend(model, cases, args.max_clicks)
        print(f"{label:16s} Dice 1 click {r['dice_1_click']:.3f}  3 clicks {r['dice_3_clicks']:.3f}  "
              f"NoC@90 {r['noc90']:.2f} (reached in {100 * r['reached_90']:.0f} %)  box Dice "
              + " ".join(f"{p} {d:.3f}" for p, d in r["box_dice"].items())
              + "  (minus axial: "
              + ", ".join(f"{p} {d:+.3f} se {se:.3f}" for p, (d, se) in r["box_minus_axial"].items())
              + f")  latency median {r['latency_median_s']:.3f} s p90 {r['latency_p90_s']:.3f} s "
                f"({r['prompts']} prompts)")
        for bucket in r["by_size"]:
            print(f"  {bucket['mm']:>8s} mm  n={bucket['n']:2d}  Dice 1 click {bucket['dice_1_click']:.3f}  "
                  f"3 clicks {bucket['dice_3_clicks']:.3f}  lesion outside the 1st ROI "
                  f"{100 * bucket['outside_roi_1_click']:.1f} %")
        for group in r["by_contrast"]:
            print(f"  {group['brain']:>28s}, {group['lesions']:8s} lesions  n={group['n']:2d}  "
                  f"Dice 1 click {group['dice_1_click']:.3f}  3 clicks {group['dice_3_clicks']:.3f}")
    results["threshold-oracle"] = oracle = threshold_oracle(cases)
    print("threshold oracle (knows the truth; the ceiling of intensity alone): Dice "
          + f"{oracle['dice']:.3f}  "
          + "  ".join(f"{k} mm {v:.3f}" for k, v in oracle.items() if k != "dice"))
    if args.json:
        import json

        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=1)
    net, base = results["network"], results["grow-from-seeds"]
    print("ratios network / grow-from-seeds: "
          f"Dice@1 {net['dice_1_click'] / max(base['dice_1_click'], 1e-9):.2f}, "
          f"Dice@3 {net['dice_3_clicks'] / max(base['dice_3_clicks'], 1e-9):.2f}, "
          f"NoC@90 {net['noc90'] / base['noc90']:.2f}, "
          f"latency median {net['latency_median_s'] / base['latency_median_s']:.2f}")
    print("goals (network): Dice@1 >= 0.80: {}; Dice@3 >= 0.90: {}; median < 0.5 s: {}; p90 < 1 s: {}; "
          "sagittal/coronal within 0.03 of axial: {}".format(
              net["dice_1_click"] >= 0.8, net["dice_3_clicks"] >= 0.9, net["latency_median_s"] < 0.5,
              net["latency_p90_s"] < 1.0,
              all(abs(net["box_minus_axial"][p][0]) <= 0.03 for p in ("sagittal", "coronal"))))


if __name__ == "__main__":
    main()
