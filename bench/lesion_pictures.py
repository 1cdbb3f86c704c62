"""Pictures of what the bundled lesion model finds and misses on issue #12's check heads.

Each head is :func:`neuroview.ai.heads.variant_case` of a ``wm_*`` variant at a held-out check
seed (70000.., the seeds ``bench/heads_eval.py`` uses for them; training, tuning and the tests
never use them). The model runs as ``neuroview segment`` runs it (``neuroview.ai.segment.segment``:
the card's brain extraction, the model, nothing outside the brain). The panels are drawn by the
window's own slice renderer (``neuroview.render.slices``, as ``neuroview snapshot`` draws them):
the grey image, the true lesions outlined in green, the model's lesions in the model's colour and
the extracted brain mask's outline faint; every true lesion cut by a panel is labelled found or
missed with its radius (of the sphere of its volume), every model region that is a false positive
"false" (it touches no true lesion), "too small a part" (of a lesion) or "mostly outside", all by
MSSEG-2016's rule as the README's tables count (``neuroview.ai.metrics.match_masks``). The
slices are chosen greedily so that the few panels cut as many lesions and false regions as they
can.

    nice -n 10 python bench/lesion_pictures.py --variants wm_t1,wm_t2,wm_flair,wm_t1_5mm --out docs/images
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

TRUTH_COLOUR = (0, 230, 0)
BRAIN_OUTLINE = (55, 100, 140)
"""The brain segment's colour (70, 130, 180) darkened, so its outline stays faint."""
TEXT_COLOURS = {"found": (110, 255, 110), "missed": (255, 255, 80), "false": (255, 150, 90),
                "too small a part": (255, 130, 210), "mostly outside": (255, 150, 90)}
PLANES = ("axial", "coronal", "sagittal")
TEXT_SIZE = 11


def run_case(variant: str, seed: int, model: str):
    """The head, its true lesions, the model's lesions and brain mask (bool arrays), the model."""
    from neuroview.ai.heads import variant_case
    from neuroview.ai.segment import segment
    from neuroview.core.volume import Volume

    case = variant_case(variant, seed)
    volume = Volume(case.image, case.ijk_to_ras)
    result = segment(volume, model, "cpu")
    return volume, case.label, result.labels > 0, result.brain_mask, result


def regions(image, truth: np.ndarray, prediction: np.ndarray, spacing) -> tuple[np.ndarray, list[dict]]:
    """An id map of the true lesions (1..n) and of the model's regions that MSSEG-2016's rule
    (:func:`neuroview.ai.metrics.match_masks`, the tables' rule) counts false (n+1..), and per id
    its kind, the radius of the sphere of its volume, the share the model marked (a lesion) or
    the share inside a lesion (a region), and whether a true lesion is brighter than the 2-voxel
    shell around it. A lesion is *found* or *missed* as the rule finds it; a false region is
    *false* (it touches no lesion), *too small a part* (it marks too small a part of a lesion) or
    *mostly outside* (the lesions): :func:`neuroview.ai.metrics.region_kinds`' words."""
    from scipy import ndimage

    from neuroview.ai.metrics import equivalent_diameter_mm, match_masks, region_kinds

    m = match_masks(prediction, truth)
    ids = m.true_labels.astype(np.int16)
    items = []
    for index in range(len(m.true_sizes)):
        inside = m.true_labels == index + 1
        shell = ndimage.binary_dilation(inside, iterations=2) & ~truth
        items.append({"kind": "found" if m.found[index] else "missed", "marked": float(m.marked[index]),
                      "brighter": bool(np.median(image[inside]) > np.median(image[shell])),
                      "radius": float(equivalent_diameter_mm(m.true_sizes[index], spacing)) / 2})
    for index, kind in enumerate(region_kinds(m)):
        if kind == "true":
            continue
        ids[m.pred_labels == index + 1] = len(items) + 1   # over the lesion it lies on
        items.append({"kind": kind,
                      "inside": float(m.inside[index]),
                      "radius": float(equivalent_diameter_mm(m.pred_sizes[index], spacing)) / 2})
    return ids, items


def pick_views(state, ids: np.ndarray, items: list[dict], size: int, panels: int):
    """Up to ``panels`` (plane, crosshair) pairs, each through an item's voxel nearest its
    centroid, chosen greedily for the most items not yet shown near their middle (the panel's
    pixels cut at least half the area of the item's sphere): found lesions and false regions
    first, then missed ones."""
    from neuroview.app.components import voxel_ras
    from neuroview.render.sampling import sample_plane

    candidates = []
    for value in range(1, int(ids.max()) + 1):
        voxels = np.argwhere(ids == value)
        nearest = voxels[np.argmin(((voxels - voxels.mean(axis=0)) ** 2).sum(axis=1))]
        point = voxel_ras(nearest, state.ijk_to_ras)
        state.set_crosshair(point)
        for plane in PLANES:
            geom = state.geometry(plane, size, size)
            cut, _ = sample_plane(ids, state.ras_to_ijk, geom, order=0)
            values, areas = np.unique(cut[cut > 0], return_counts=True)
            middle = {int(v) for v, area in zip(values, areas)
                      if area >= 0.5 * np.pi * (items[v - 1]["radius"] / geom.mm_per_pixel) ** 2}
            candidates.append((plane, point, middle))

    def gain(candidate, shown):
        new = candidate[2] - shown
        return (sum(items[v - 1]["kind"] != "missed" for v in new), len(new))

    chosen, shown = [], set()
    while len(chosen) < panels:
        best = max(candidates, key=lambda c: gain(c, shown))
        if not best[2] - shown:
            break
        chosen.append(best[:2])
        shown |= best[2]
    return chosen


def label_place(shape, rows, cols, cut, placed) -> tuple[int, int, int, int]:
    """``(x, y, width, height)`` of a label beside a region: right of it, left, above or below,
    the first place that covers no other label, no region and stays in the panel."""
    height, width = shape
    middle_x, middle_y = int(cols.mean() - width / 2), int(rows.mean() - height / 2)
    tries = [(cols.max() + 4, middle_y), (cols.min() - 4 - width, middle_y),
             (middle_x, rows.min() - 2 - height), (middle_x, rows.max() + 2)]
    for step in (1, -1, 2, -2, 3, -3):
        y = middle_y + step * height
        tries += [(cols.max() + 4, y), (cols.min() - 4 - width, y)]
    tries += [(middle_x + shift * width // 2, y) for shift in (1, -1)
              for y in (rows.min() - 2 - height, rows.max() + 2)]
    for x, y in tries:
        inside = 0 <= x and x + width <= cut.shape[1] and 0 <= y and y + height <= cut.shape[0]
        free = not any(x < x1 + w1 and x1 < x + width and y < y1 + h1 and y1 < y + height
                       for x1, y1, w1, h1 in placed)
        if inside and free and not cut[y:y + height, x:x + width].any():
            return int(x), int(y), width, height
    x = min(max(int(tries[0][0]), 0), cut.shape[1] - width)   # no free place: at least all of it shows
    return x, min(max(int(tries[0][1]), 0), cut.shape[0] - height), width, height


def draw_panel(volume, state, plane: str, point, ids, items, masks, lesion_colour, size: int):
    """One slice view with the masks ``(truth, prediction, brain)`` and the items' labels."""
    from neuroview.app.readers import ReaderOutlines
    from neuroview.core.labels import LabelMap, SegmentTable
    from neuroview.render.sampling import sample_plane
    from neuroview.render.slices import render_view
    from neuroview.render.text import draw_text, text_alpha

    state.set_crosshair(point)
    truth, prediction, brain = masks
    segments = SegmentTable()
    segments.add("brain", BRAIN_OUTLINE, value=1)
    bits = truth.astype(np.uint8) | (prediction.astype(np.uint8) << 1)
    state.reader_outlines = ReaderOutlines(bits, volume.ijk_to_ras, ["truth", "model"],
                                           [TRUTH_COLOUR, lesion_colour], [True, True])
    labels = LabelMap(brain.astype(np.uint8), volume.ijk_to_ras, segments)
    image = render_view(volume, state, plane, size, size, labels=labels, crosshair=False)
    cut, _ = sample_plane(ids, state.ras_to_ijk, image.geometry, order=0)
    placed: list[tuple[int, int, int, int]] = []
    for value in sorted(set(np.unique(cut).tolist()) - {0}):
        rows, cols = np.nonzero(cut == value)
        item = items[value - 1]
        on_lesion = item.get("inside", 0) > 0   # its lesion's label carries the radius
        text = item["kind"] if on_lesion else f"{item['kind']} r {item['radius']:.1f}"
        box = label_place(text_alpha(text, TEXT_SIZE).shape, rows, cols, cut, placed)
        placed.append(box)
        draw_text(image.rgb, text, box[0], box[1] + box[3], TEXT_COLOURS[item["kind"]],
                  "bottom-left", size=TEXT_SIZE)
    return image.rgb


def picture(variant: str, seed: int, model: str, size: int, panels: int) -> tuple[np.ndarray, str]:
    """The picture of one head (panels side by side under a legend) and a one-line summary."""
    from neuroview.app.view_state import ViewerState
    from neuroview.core.geometry import spacing_from_affine
    from neuroview.render.text import draw_text

    volume, truth, prediction, brain, result = run_case(variant, seed, model)
    ids, items = regions(volume.array, truth, prediction, spacing_from_affine(volume.ijk_to_ras))
    state = ViewerState.for_volume(volume)
    state.labels.outline = True
    for plane in PLANES:
        state.views[plane].zoom = 1.3
    views = pick_views(state, ids, items, size, panels)
    masks, colour = (truth, prediction, brain), tuple(result.segments[0].color)
    tiles = [draw_panel(volume, state, plane, point, ids, items, masks, colour, size)
             for plane, point in views]
    strip = np.zeros((22, size * len(tiles), 3), np.uint8)
    kinds = [item["kind"] for item in items]
    found, lesions = kinds.count("found"), kinds.count("found") + kinds.count("missed")
    false = len(kinds) - lesions
    legend = (f"{variant}, seed {seed}, {result.model}, MSSEG-2016 rule: found {found}/{lesions}, "
              f"{false} false   green: truth   red: model   blue: brain mask")
    draw_text(strip, legend, 4, 11, (230, 230, 230), "left", size=12)
    shown = sorted(f"{item['kind']} r {item['radius']:.1f}"
                   + (f" {'brighter' if item['brighter'] else 'darker'}" if "brighter" in item else "")
                   + (f" ({item['marked']:.0%} marked)" if item.get("marked") else "")
                   + (f" ({item['inside']:.0%} in a lesion)" if item.get("inside") else "")
                   for item in items)
    summary = f"{legend.split('   ')[0]}; lesions: " + ", ".join(shown)
    return np.concatenate([strip, np.concatenate(tiles, axis=1)]), summary


def write_small_png(rgb: np.ndarray, path: Path) -> Path:
    """``rgb`` as a 256-colour PNG (Pillow, there with matplotlib): the grey levels and the few
    outline and text colours fit, at about 60 % of the bytes of an RGB PNG; written atomically."""
    from PIL import Image

    from neuroview.core.atomic import atomic_path

    image = Image.fromarray(rgb).quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    with atomic_path(path) as partial:
        image.save(partial, format="PNG", optimize=True)
    return path


def main() -> int:
    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="lesionseg")
    parser.add_argument("--variants", default="wm_t1,wm_t2,wm_flair,wm_t1_5mm")
    parser.add_argument("--case", type=int, default=0, help="check head number (seed 70000 + N)")
    parser.add_argument("--size", type=int, default=260, help="panel size in pixels")
    parser.add_argument("--panels", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", default="docs/images")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    from heads_eval import WM_SEEDS  # bench/ is on the path when this script runs

    for variant in args.variants.split(","):
        rgb, summary = picture(variant, WM_SEEDS + args.case, args.model, args.size, args.panels)
        path = write_small_png(rgb, Path(args.out) / f"lesionseg-{variant.replace('_', '-')}.png")
        print(f"{path} ({path.stat().st_size // 1024} KB): {summary}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
