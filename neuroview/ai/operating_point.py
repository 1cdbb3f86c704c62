"""Choosing a lesion model's post-processing (its operating point) lesion-wise, on tuning heads.

The model runs once per tuning head, as a user runs it (the card's brain extraction, the sliding
window); its probabilities are kept, so each candidate post-processing costs a table look-up per
region, not a model run. A candidate is judged as a radiologist judges a model: the lesions of
5 mm or more it finds, with at most one false region per head on average over the heads of each
kind (each variant of the tuning set: T1, T2, FLAIR-like, 1x1x5 mm, wm_t1...), so that one kind's
clean heads do not pay for another's false alarms; then Dice.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from ..core.geometry import voxel_sizes, voxel_volume_mm3


@dataclass
class TuningCase:
    """A model's output on one head with known lesions, on closest-RAS axes."""

    labels: np.ndarray
    best: np.ndarray
    foreground: np.ndarray
    foreground_labels: np.ndarray
    image: np.ndarray
    """The normalised image the contrast rule reads."""
    allowed: np.ndarray
    brain: np.ndarray
    truth: np.ndarray
    grid: np.ndarray
    """The ``ijk_to_ras`` of these axes, or an orthogonal grid's voxel sizes (mm), as
    :func:`.geometry.voxel_volume_mm3` takes it: a voxel's volume is the affine's determinant."""
    kind: str = ""
    """The head's kind (its variant of the tuning set): the false-region limit holds on the heads
    of each kind."""


def tuning_case(model, image: np.ndarray, ijk_to_ras: np.ndarray, truth: np.ndarray,
                device: str = "cpu", kind: str = "") -> TuningCase:
    """Run ``model`` (a LoadedModel whose card extracts the brain) once on ``image``."""
    import nibabel.orientations as nio

    from .api import SegmentationRequest
    from .infer import model_output, to_closest_ras

    request = SegmentationRequest(images=[image], ijk_to_ras=ijk_to_ras, device=device)
    out = model_output(model, request, foreground=True)

    def oriented(array):
        return np.ascontiguousarray(to_closest_ras(np.asarray(array), out.ornt))

    return TuningCase(out.labels, out.best, out.foreground, out.foreground_labels,
                      out.normalised_image(), oriented(out.prepared.allowed),
                      oriented(out.prepared.brain), oriented(truth),
                      np.asarray(ijk_to_ras, float) @ nio.inv_ornt_aff(out.ornt, np.shape(image)), kind)


@dataclass
class Regions:
    """The regions one extent rule gives on one tuning case (index ``i`` is region ``i + 1``),
    and what each would count for if reported."""

    peak: np.ndarray
    contrast: np.ndarray
    mm3: np.ndarray
    reported: np.ndarray
    """Inside the reporting area and touching the brain (as :meth:`Prepared.restrict` keeps)."""
    voxels: np.ndarray
    """Voxels inside the reporting area."""
    hit_voxels: np.ndarray
    pairs: tuple
    """``(true ids, region ids, voxels)`` of each lesion and region that overlap inside the
    reporting area (:func:`metrics.overlap_pairs`: ids from 0)."""
    lesion_voxels: np.ndarray
    diameters: np.ndarray
    truth_voxels: int


def case_regions(case: TuningCase, extent) -> Regions:
    """The candidate regions of ``case`` with extent rule ``extent`` (``None``: the argmax)."""
    import cc3d
    from scipy import ndimage

    from .metrics import equivalent_diameter_mm, overlap_pairs
    from .postprocess import region_contrast

    if extent:
        mask, probability = case.foreground > float(extent), case.foreground
    else:
        mask, probability = case.labels > 0, case.best
    regions = cc3d.connected_components(mask, connectivity=26)
    count = int(regions.max())
    ids = np.arange(1, count + 1)
    peak = np.asarray(ndimage.maximum(probability, regions, ids), float).reshape(count)
    sizes = np.bincount(regions.ravel(), minlength=count + 1)[1:]
    voxels = np.bincount(regions[case.allowed], minlength=count + 1)[1:]
    touches = np.bincount(regions[case.brain], minlength=count + 1)[1:] > 0
    truth = cc3d.connected_components(case.truth.astype(np.uint8), connectivity=26)
    both = (regions > 0) & (truth > 0) & case.allowed
    hit_voxels = np.bincount(regions[both], minlength=count + 1)[1:]
    lesion_voxels = np.bincount(truth.ravel())[1:]
    voxel_mm3 = voxel_volume_mm3(case.grid)
    return Regions(peak, region_contrast(regions, case.image)[1:], sizes * voxel_mm3,
                   touches & (voxels > 0), voxels, hit_voxels,
                   overlap_pairs(truth, np.where(case.allowed, regions, 0), count), lesion_voxels,
                   equivalent_diameter_mm(lesion_voxels, case.grid), int(np.count_nonzero(case.truth)))


def kept(regions: Regions, rules: dict) -> np.ndarray:
    """Which regions ``rules`` (a card's post-processing keys) report."""
    sure = regions.peak >= float(rules.get("min_component_probability") or 0)
    sure &= ~(regions.contrast < float(rules.get("min_component_contrast") or 0))  # NaN: kept
    if rules.get("strong_contrast"):
        sure |= (regions.peak >= float(rules.get("strong_contrast_probability") or 0)) & (
            regions.contrast >= float(rules["strong_contrast"]))
    keep = regions.reported & sure
    if rules.get("min_component_mm3"):
        keep &= regions.mm3 >= float(rules["min_component_mm3"])
    return keep


def case_figures(regions: Regions, rules: dict) -> dict:
    """:func:`metrics.lesion_metrics`' figures of the regions ``rules`` keep (each region as
    reported: its voxels inside the reporting area)."""
    return kept_figures(regions, kept(regions, rules))


def kept_figures(regions: Regions, keep: np.ndarray) -> dict:
    """:func:`case_figures` of the regions ``keep`` says are reported: they depend on that choice
    alone, whichever rules made it."""
    from .metrics import figures_from_counts, match

    lesion_ids, region_ids, overlap = regions.pairs
    chosen = keep[region_ids]
    found, hits = match(lesion_ids[chosen], region_ids[chosen], overlap[chosen],
                        regions.lesion_voxels, np.where(keep, regions.voxels, 0))
    return figures_from_counts(regions.diameters, np.flatnonzero(found) + 1, int(keep.sum()),
                               int(np.count_nonzero(hits & keep)),
                               int(regions.hit_voxels[keep].sum()),
                               int(regions.voxels[keep].sum()) + regions.truth_voxels)


EXTENT_CHOICES = (None, 0.4, 0.3, 0.2)
SEED_CHOICES = (0.5, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999)
CONTRAST_CHOICES = (0.0, 0.1, 0.25, 0.5)
STRONG_CHOICES = (None, (0.5, 0.5), (0.5, 0.75), (0.5, 1.0), (0.8, 0.5), (0.8, 0.75), (0.8, 1.0))
SIZE_CHOICES = (0.0, 65.0)
"""The candidates: extent (``None``: the argmax), seed probability, contrast (z), the strong
contrast rule as (probability, contrast) and the smallest region (mm3; 65 mm3 is a sphere of 5 mm
diameter)."""
MAX_FALSE_REGIONS = 1.0
"""Per head, on average over the tuning heads."""


def candidates() -> list[dict]:
    out = []
    for extent in EXTENT_CHOICES:
        for seed in SEED_CHOICES:
            for contrast, strong, size in itertools.product(CONTRAST_CHOICES, STRONG_CHOICES, SIZE_CHOICES):
                rules = {"min_component_probability": seed, "extent_probability": extent,
                         "min_component_contrast": contrast, "min_component_mm3": size}
                if strong:
                    rules.update(strong_contrast_probability=strong[0], strong_contrast=strong[1])
                out.append({key: value for key, value in rules.items() if value})
    return out


def sweep(cases: list[TuningCase], log=None) -> list[tuple[dict, dict]]:
    """Every candidate's summary (:func:`metrics.summarize`) over ``cases``."""
    from .metrics import summarize

    def figures(table, known, rules):
        keep = kept(table, rules)
        key = keep.tobytes()
        if key not in known:
            known[key] = kept_figures(table, keep)
        return known[key]

    results = []
    for extent in EXTENT_CHOICES:
        tables = [case_regions(case, extent) for case in cases]
        # a head has a few regions, and most of the 392 candidates of an extent keep the same ones:
        # each head's figures are counted once per set of regions kept (summarize only reads them)
        known = [{} for _ in tables]
        for rules in candidates():
            if rules.get("extent_probability") == extent:
                results.append((rules, summarize([figures(t, k, rules) for t, k in zip(tables, known)])))
        if log:
            log(f"post-processing sweep: extent {extent or 'argmax'} done")
    return results


def found_5mm(summary: dict) -> int:
    return sum(summary["by_size"][name]["found"] for name in ("5-10mm", ">10mm"))


def false_regions_by_group(summary: dict, groups) -> dict:
    """False regions per head on the heads of each group (``groups``: each case's, in order)."""
    per_case = summary["per_case"]["false_positives"]
    return {group: round(float(np.mean([n for n, g in zip(per_case, groups) if g == group])), 3)
            for group in sorted(set(groups))}


def choose(results: list[tuple[dict, dict]], limit: float = MAX_FALSE_REGIONS,
           groups=None) -> tuple[dict, dict]:
    """The candidate that finds the most lesions of 5 mm or more with at most ``limit`` false
    regions per head on the heads of every group (``groups``: each case's; ``None``: all heads
    as one), then the best Dice, then the fewest false regions; none within the limit: the one
    whose worst group has the fewest. Where no head holds a lesion, Dice is not measured (None)
    and counts as the false regions per head ``f``, ``-f / (1 + f)``, as training's best epoch
    and promotion count it (:func:`.held_out.compared_dice`)."""
    from .held_out import compared_dice

    def worst(summary):
        if groups is None:
            return summary["false_positives_per_case"]
        return max(false_regions_by_group(summary, groups).values())

    def dice(summary):   # no tuning head holds a lesion: fewer false regions per head, never None
        return compared_dice(summary["dice"], summary)

    within = [r for r in results if worst(r[1]) <= limit]
    if not within:
        return min(results, key=lambda r: (worst(r[1]), -dice(r[1])))
    return max(within, key=lambda r: (found_5mm(r[1]), dice(r[1]), -r[1]["false_positives_per_case"]))


TUNING_SEEDS = range(10_000, 10_006)
""":func:`heads.lesion_head` seeds (T1, T2, FLAIR-like in turn) that tune the post-processing, at
the model's spacing and again with 1x1x5 mm slices; at the model's spacing they also pick the
recipe's best epoch (validation)."""
THICK_MM = 5
WM_TUNING_SEEDS = range(71_000, 71_006)
""":func:`heads.wm_lesion_head` seeds per :data:`heads.WM_VARIANTS` variant (issue #12's check
heads are 70000..: never these)."""
FALSE_REGION_LIMITS = (0.5, 1.0, 1.5, 2.0, 3.0)


def tuning_heads(spacing: float):
    """``(name, kind, LesionHead)`` of every tuning head (its kind: the variant it is of)."""
    from .contrast import CONTRASTS
    from .heads import WM_VARIANTS, lesion_head, variant_case

    for index, seed in enumerate(TUNING_SEEDS):
        contrast = CONTRASTS[index % len(CONTRASTS)]
        yield f"{contrast}_{seed}", contrast, lesion_head(seed, contrast, int(round(spacing)))
        thick = f"{contrast}_{THICK_MM}mm"
        yield f"{thick}_{seed}", thick, lesion_head(seed, contrast, thickness=THICK_MM)
    for seed in WM_TUNING_SEEDS:
        for variant in WM_VARIANTS:
            yield f"{variant}_{seed}", variant, variant_case(variant, seed)


def choose_operating_point(model, spacing: float, device: str = "cpu", log=None) -> tuple[dict, dict, dict]:
    """Run ``model`` once on every tuning head, try every candidate, and return the chosen
    post-processing rules, those for thick-sliced images and what the card records of the
    choice."""
    cases = []
    for name, kind, head in tuning_heads(spacing):
        cases.append(tuning_case(model, head.image, head.ijk_to_ras, head.label, device, kind))
        if log:
            log(f"tuning head {name}: model run")
    rules, thick_rules, record = choose_points(cases, log)
    strong = "/".join(f"{p:g},{c:g}" for p, c in STRONG_CHOICES[1:])
    record["postprocessing_tuning_description"] = (
        f"heads.lesion_head seeds {TUNING_SEEDS.start}-{TUNING_SEEDS.stop - 1} (T1, T2, FLAIR-like in "
        f"turn) at {spacing:g} mm and with 1x1x{THICK_MM} mm slices, and heads.wm_lesion_head seeds "
        f"{WM_TUNING_SEEDS.start}-{WM_TUNING_SEEDS.stop - 1} as wm_t1, wm_t2, wm_flair and wm_t1_5mm, "
        "each run once through the card's brain extraction; postprocessing is chosen on the heads "
        "that are not thick-sliced, postprocessing_thick on those that are (one voxel side at least "
        f"twice another, as brain extraction judges it); {len(candidates())} candidates (extent "
        f"{_names(EXTENT_CHOICES)}, seed {_names(SEED_CHOICES)}, contrast {_names(CONTRAST_CHOICES)}, "
        f"strong contrast (probability, contrast) {strong} or none, smallest region "
        f"{_names(SIZE_CHOICES)} mm3); chosen: the most lesions of 5 mm or more found with at most "
        f"{MAX_FALSE_REGIONS:g} false region per head on the heads of each kind (t1, t2, flair, "
        "wm_t1, wm_t2, wm_flair; t1_5mm, t2_5mm, flair_5mm, wm_t1_5mm), then Dice. The frontier: "
        "the same choice under other false-region limits")
    return rules, thick_rules, record


def choose_points(cases: list[TuningCase], log=None) -> tuple[dict, dict, dict]:
    """The post-processing chosen on the ``cases`` that are not thick-sliced and the one chosen on
    those that are (:func:`brain.thick_axis`), with what the card records of each choice."""
    from .brain import thick_axis

    record, chosen = {}, []
    for suffix, thick in (("", False), ("_thick", True)):
        subset = [case for case in cases if (thick_axis(voxel_sizes(case.grid)) is not None) == thick]
        groups = [case.kind for case in subset]
        results = sweep(subset, log)
        rules, summary = choose(results, groups=groups)
        frontier = {}
        for limit in FALSE_REGION_LIMITS:
            best_rules, best = choose(results, limit, groups)
            frontier[f"{limit:g}"] = {"rules": best_rules, **_brief(best, groups)}
        record[f"postprocessing_tuning{suffix}"] = {
            "chosen": rules, "heads": len(subset), **_brief(summary, groups),
            "per_case": summary["per_case"], "by_size": summary["by_size"]}
        record[f"postprocessing_tuning{suffix}_frontier"] = frontier
        chosen.append(rules)
    return chosen[0], chosen[1], record


def _brief(summary: dict, groups) -> dict:
    return {"found_5mm_or_more": found_5mm(summary),
            "lesions_5mm_or_more": sum(summary["by_size"][n]["lesions"] for n in ("5-10mm", ">10mm")),
            **{key: summary[key] for key in ("found", "lesions", "false_positives_per_case", "f1", "dice")},
            "false_positives_per_case_by_kind": false_regions_by_group(summary, groups),
            "lesion_rule": summary["lesion_rule"]}   # what "found" means in these figures


def _names(choices) -> str:
    return "/".join("argmax" if c is None else f"{c:g}" for c in choices)
