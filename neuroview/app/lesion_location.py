"""Each lesion's location as a radiologist reports it (McDonald 2017), not in millimetres.

A lesion is, in this order:

1. **infratentorial** where it lies in the brainstem or cerebellum: the MNI152 template's
   infratentorial region (:mod:`neuroview.ai.mni_regions`) carried onto the study by an affine
   registration (:func:`neuroview.io.registration.register`, the template's T1 against the study
   inside both brain masks, mutual information, so any MR contrast). Within
   :data:`TENTORIUM_MARGIN_MM` of that region's edge (the tentorium, the midbrain's top) the
   affine's error decides, so such a lesion is *unknown*, not guessed;
2. **periventricular** where it abuts a lateral ventricle, no white matter between (MAGNIMS
   2016, McDonald 2017): a voxel of the ventricles' CSF touches it (26-neighbours), or touches
   a voxel next to it that is not white matter (the partial-volume voxel the two edges share);
3. **juxtacortical** (cortical or juxtacortical, as McDonald 2017 counts them together) where a
   voxel of cortical grey matter is within :data:`JUXTACORTICAL_MM` of it;
4. **deep white matter** otherwise.

The juxtacortical distance is voxel centre to voxel centre, plus half the largest voxel side for
the two voxels' edges (so a lesion touching the cortex through a 5 mm slice counts).

The ventricles' CSF and the cortical grey matter are the study's own voxels, classed by
intensity: three classes (k-means on the brain mask's voxels, the lesions' left out), which class
is CSF, white or grey matter told by what fills the template's ventricles and deep white matter,
so T1-, T2- and FLAIR-like images need no contrast named. The template says where to look
(within :data:`~neuroview.ai.mni_regions.NEAR_MM` of its ventricles, of its cortex: the deep
grey nuclei are not cortex), the study's classes say what is there.

*unknown* for a whole case, with why: a series whose header names another body part (a knee), a
CT, no brain mask, an image under
:data:`LEAST_EXTENT_MM` along an axis (a slab), the template's bundled files missing or
damaged, the template not fitting the brain (:data:`LEAST_FIT` Dice of the brain masks), or the three
tissues not told apart; for one lesion: mostly outside the brain mask, or at the tentorium.

No Qt, no torch; scipy.ndimage imported when lesions are located (the window's first paint
imports none: tests/cli/test_start_imports.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.body_part import a_part, body_part, is_head_part
from ..core.geometry import apply_affine, nearest_ijk, voxel_sizes
from ..core.jobs import CancelToken, ProgressFn, check, report
from .components import CONNECTIVITY, Component

INFRATENTORIAL, PERIVENTRICULAR = "infratentorial", "periventricular"
JUXTACORTICAL, DEEP = "juxtacortical", "deep white matter"
UNKNOWN = "unknown"
LOCATIONS = (PERIVENTRICULAR, JUXTACORTICAL, INFRATENTORIAL, DEEP)
"""In the order a report lists them (McDonald's three regions, then the rest)."""
JUXTACORTICAL_MM = 2.0
TENTORIUM_MARGIN_MM = 3.0
LEAST_FIT = 0.85
LEAST_EXTENT_MM = 60.0
LEAST_CLASS_SHARE = 0.6
"""Share of the template's ventricles (deep white matter) the CSF (white matter) class must fill."""
FIT_VOXELS = 200_000
FIT_SPACING_MM = 4.0
FIT_ITERATIONS = 100
"""The template is fitted on 4 mm blocks, at most 100 steps a level: 1.8 s against 19 s on the
2 mm blocks :func:`~neuroview.io.registration.register` makes itself, the same affine within
0.25 mm on a synthetic head (load 18)."""


@dataclass(frozen=True)
class Location:
    name: str
    """One of :data:`LOCATIONS` or :data:`UNKNOWN`, or several texts joined by ``" + "``
    (:func:`joined`: a follow-up row whose parts lie apart)."""
    why: str = ""
    """Why it is unknown ("" otherwise)."""

    def text(self) -> str:
        return f"{self.name} ({self.why})" if self.why else self.name


@dataclass
class CaseAnatomy:
    """What one study's lesions are located against: made once per image (the registration takes
    seconds), used again after every edit."""

    ijk_to_ras: np.ndarray
    brain: np.ndarray | None = None
    to_template: np.ndarray | None = None
    """4x4: a study RAS point -> the template's RAS."""
    centres: np.ndarray | None = None
    """The three tissue classes' mean intensities, ascending."""
    csf: int = -1
    grey: int = -1
    white: int = -1
    problem: str = ""
    """Why no lesion of this study can be located ("" when they can)."""
    key: tuple = ()
    """What it was made for (:func:`labels_locations` makes it again when that changes)."""


def case_anatomy(image: np.ndarray, ijk_to_ras: np.ndarray, brain: np.ndarray | None,
                 lesions: np.ndarray | None = None, ct: bool = False,
                 progress: ProgressFn | None = None, cancel: CancelToken | None = None,
                 part: str = "") -> CaseAnatomy:
    """Register the template to the study and class its tissues (see the module notes);
    ``lesions`` (bool, the image's grid) are left out of the tissue classes. ``part``: the
    header's BodyPartExamined (:func:`neuroview.core.body_part.body_part`), a knee's not located."""
    case = CaseAnatomy(np.asarray(ijk_to_ras, float), brain)
    extent = np.array(np.shape(image)[:3]) * np.array(voxel_sizes(ijk_to_ras))
    if part and not is_head_part(part):   # it said "no brain mask: AI > Segment ... makes one"
        case.problem = f"{a_part(part)} (BodyPartExamined {part}): lesions are located in the brain only"
    elif ct:
        case.problem = "a CT: told on MR images only"
    elif brain is None or not np.any(brain):
        case.problem = "no brain mask: AI > Segment with a model that extracts the brain makes one"
    elif extent.min() < LEAST_EXTENT_MM:
        case.problem = (f"the image covers {extent.min():.0f} mm along one axis: too little of the "
                        "brain to fit the template to")
    if case.problem:
        return case
    from ..ai.mni_regions import template_regions
    from ..core.errors import GeometryError, ModelError

    try:
        regions = template_regions()
    except ModelError as error:
        case.problem = str(error)
        return case
    from ..io.registration import register

    report(progress, 0, 2, "lesion locations: fitting the MNI152 template")
    try:
        study, study_affine, study_brain = _coarse(image, brain, ijk_to_ras)
        template, template_affine, template_brain = _coarse(regions.t1, regions.brain,
                                                            regions.ijk_to_ras)
        found = register(study, study_affine, template, template_affine, fixed_mask=study_brain,
                         moving_mask=template_brain, kind="affine", cancel=cancel,
                         iterations=FIT_ITERATIONS)
    except GeometryError as error:
        case.problem = f"the MNI152 template could not be fitted ({error})"
        return case
    case.to_template = found.fixed_to_moving
    fit = _brain_fit(case, regions)
    if fit < LEAST_FIT:
        case.problem = f"the MNI152 template did not fit this brain (brain masks' Dice {fit:.2f})"
        return case
    check(cancel)
    report(progress, 1, 2, "lesion locations: tissue classes")
    _class_tissues(case, image, lesions, regions)
    return case


def _coarse(array: np.ndarray, mask: np.ndarray, ijk_to_ras: np.ndarray):
    """``(image, ijk_to_ras, mask)`` in blocks of about :data:`FIT_SPACING_MM`, as
    :func:`~neuroview.io.registration.register` takes a pair: an affine needs no finer grid."""
    factors = np.maximum(np.rint(FIT_SPACING_MM / np.array(voxel_sizes(ijk_to_ras))), 1).astype(int)
    n = np.array(array.shape[:3]) // factors
    cut = tuple(slice(0, int(a * f)) for a, f in zip(n, factors))
    shape = (n[0], factors[0], n[1], factors[1], n[2], factors[2])
    image = np.asarray(array)[cut].reshape(shape).mean(axis=(1, 3, 5), dtype=np.float32)
    inside = np.asarray(mask)[cut].reshape(shape).mean(axis=(1, 3, 5)) > 0.5
    step = np.diag([*factors.astype(float), 1.0])
    step[:3, 3] = (factors - 1) / 2.0
    return image, np.asarray(ijk_to_ras, float) @ step, inside


def _template_values(case: CaseAnatomy, regions, array: np.ndarray, ras: np.ndarray) -> np.ndarray:
    """``array`` (on the template's grid) at study points ``ras`` (n x 3); 0 off the grid."""
    ijk = nearest_ijk(np.linalg.inv(regions.ijk_to_ras) @ case.to_template, ras)
    inside = np.all((ijk >= 0) & (ijk < np.array(array.shape)), axis=1)
    out = np.zeros(len(ras), array.dtype)
    out[inside] = array[tuple(ijk[inside].T)]
    return out


def _study_values(case: CaseAnatomy, regions, array: np.ndarray, template_mask: np.ndarray):
    """``array`` (the study's grid) at the template's voxels of ``template_mask``; those off the
    study's grid are left out."""
    ras = apply_affine(np.linalg.inv(case.to_template) @ regions.ijk_to_ras, np.argwhere(template_mask))
    ijk = nearest_ijk(np.linalg.inv(case.ijk_to_ras), ras)
    inside = np.all((ijk >= 0) & (ijk < np.array(array.shape)), axis=1)
    return array[tuple(ijk[inside].T)]


def _brain_fit(case: CaseAnatomy, regions) -> float:
    """Dice of the template's brain mask and the study's read at the template's voxels (those
    the study's grid holds)."""
    ras = apply_affine(np.linalg.inv(case.to_template) @ regions.ijk_to_ras,
                       np.argwhere(np.ones(regions.brain.shape, bool)))
    ijk = nearest_ijk(np.linalg.inv(case.ijk_to_ras), ras)
    on_grid = np.all((ijk >= 0) & (ijk < np.array(case.brain.shape)), axis=1)
    study = case.brain[tuple(ijk[on_grid].T)]
    template = regions.brain.ravel()[on_grid]
    both = int(np.count_nonzero(template & study))
    return 2.0 * both / max(1, int(np.count_nonzero(template)) + int(np.count_nonzero(study)))


def _kmeans_1d(values: np.ndarray, classes: int = 3, rounds: int = 30) -> np.ndarray:
    centres = np.percentile(values, np.linspace(10, 90, classes))
    for _ in range(rounds):
        nearest = np.abs(values[:, None] - centres[None]).argmin(axis=1)
        moved = np.array([values[nearest == c].mean() if np.any(nearest == c) else centres[c]
                          for c in range(classes)])
        if np.allclose(moved, centres):
            break
        centres = moved
    return np.sort(centres)


def classes_of(values: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Each value's tissue class: the index of its nearest class centre."""
    return np.abs(np.asarray(values, np.float32)[..., None] - centres).argmin(axis=-1)


def _class_tissues(case: CaseAnatomy, image: np.ndarray, lesions, regions) -> None:
    from scipy import ndimage

    kept = case.brain if lesions is None else case.brain & ~np.asarray(lesions, bool)
    values = np.asarray(image)[kept].astype(np.float32)
    if values.size > FIT_VOXELS:
        values = values[np.linspace(0, values.size - 1, FIT_VOXELS).astype(np.int64)]
    case.centres = _kmeans_1d(values)
    shares = []
    for core in (ndimage.binary_erosion(regions.ventricles), regions.white_core):
        found = classes_of(_study_values(case, regions, np.asarray(image), core), case.centres)
        counts = np.bincount(found, minlength=3)
        shares.append((int(counts.argmax()), counts.max() / max(1, counts.sum())))
    (csf, csf_share), (white, white_share) = shares
    if csf == white or min(csf_share, white_share) < LEAST_CLASS_SHARE:
        case.problem = (f"CSF, grey and white matter not told apart by intensity (the template's "
                        f"ventricles {csf_share:.0%} one class, its white matter {white_share:.0%})")
        return
    case.csf, case.grey, case.white = csf, 3 - csf - white, white


def locate_lesions(components: list[Component], mask: np.ndarray, origin, image: np.ndarray,
                   case: CaseAnatomy, cancel: CancelToken | None = None) -> list[Location]:
    """Each component's :class:`Location` (``mask``: the segment's voxels as
    :func:`~neuroview.app.components.segment_components` found them, whose voxel ``[0, 0, 0]`` is
    image voxel ``origin``)."""
    if case.problem:
        return [Location(UNKNOWN, case.problem)] * len(components)
    from ..ai.mni_regions import template_regions

    regions = template_regions()
    sides = np.array(voxel_sizes(case.ijk_to_ras))
    edge = float(sides.max()) / 2
    pad = np.maximum(np.ceil((JUXTACORTICAL_MM + edge + 1.0) / sides), 3).astype(int)
    shape = np.array(image.shape[:3])
    origin = np.asarray(origin, int)
    out = []
    for component in components:
        check(cancel)
        lo = np.maximum(np.array(component.box[0]) - pad, 0)
        hi = np.minimum(np.array(component.box[1]) + pad, shape)
        window = tuple(slice(a, b) for a, b in zip(lo, hi))
        taken = _window_of(mask, origin, lo, hi)
        own = _own_voxels(taken, component, lo)
        out.append(_locate_one(own, taken, window, lo, image, case, regions, sides, edge))
    return out


def _window_of(mask: np.ndarray, origin: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The segment's voxels in the image's box ``lo``..``hi`` (``mask`` is cut to its own box)."""
    out = np.zeros(tuple(hi - lo), bool)
    a = np.maximum(lo, origin)
    b = np.minimum(hi, origin + np.array(mask.shape))
    if np.all(b > a):
        out[tuple(slice(x - o, y - o) for x, y, o in zip(a, b, lo))] = \
            mask[tuple(slice(x - o, y - o) for x, y, o in zip(a, b, origin))]
    return out


def _own_voxels(taken: np.ndarray, component: Component, lo: np.ndarray) -> np.ndarray:
    import cc3d

    ids = cc3d.connected_components(np.ascontiguousarray(taken), connectivity=CONNECTIVITY)
    return ids == ids[tuple(np.asarray(component.jump_ijk) - lo)]


def _locate_one(own, taken, window, lo, image, case, regions, sides, edge) -> Location:
    from scipy import ndimage

    brain = case.brain[window]
    if np.count_nonzero(own & brain) < 0.5 * np.count_nonzero(own):
        return Location(UNKNOWN, "mostly outside the brain mask")
    grid = np.argwhere(np.ones(own.shape, bool)) + lo
    ras = apply_affine(case.ijk_to_ras, grid)
    depth = _template_values(case, regions, regions.tentorium_mm, ras).reshape(own.shape)
    below = float(depth[own].mean())
    if below > TENTORIUM_MARGIN_MM:
        return Location(INFRATENTORIAL)
    if below > -TENTORIUM_MARGIN_MM:
        return Location(UNKNOWN, f"within {TENTORIUM_MARGIN_MM:g} mm of the tentorium's edge "
                                 "in the template: above or below it is not told")
    tissue = classes_of(np.asarray(image)[window], case.centres)
    ventricles = _template_values(case, regions, regions.ventricles_near, ras).reshape(own.shape)
    if _abuts(own, brain & ~taken & ventricles & (tissue == case.csf),
              brain & ~taken & (tissue != case.white)):
        return Location(PERIVENTRICULAR)
    free = brain & ~ndimage.binary_dilation(taken, iterations=1)
    distance = ndimage.distance_transform_edt(~own, sampling=sides)
    cortex = _template_values(case, regions, regions.cortex_near, ras).reshape(own.shape)
    if np.any(distance[free & cortex & (tissue == case.grey)] <= JUXTACORTICAL_MM + edge):
        return Location(JUXTACORTICAL)
    return Location(DEEP)


def _abuts(own: np.ndarray, csf: np.ndarray, between: np.ndarray) -> bool:
    """Whether a voxel of ``csf`` touches the lesion ``own`` (26-neighbours), or touches a voxel
    next to it that ``between`` holds (not white matter, no lesion: the one partial-volume voxel
    a lesion's edge and the ventricle's share)."""
    from scipy import ndimage

    step = ndimage.generate_binary_structure(3, 3)
    touching = ndimage.binary_dilation(own, step) & ~own
    if np.any(touching & csf):
        return True
    return bool(np.any(ndimage.binary_dilation(touching & between, step) & csf))


def joined(parts: list) -> Location | None:
    """One lesion's location from its parts' (a follow-up row of lesions that merged or split):
    theirs where they agree, else each, in :data:`LOCATIONS`' order, joined by ``" + "``
    (``periventricular + deep white matter``); None where none is known."""
    texts = {part.text(): part for part in parts if part is not None}
    if len(texts) <= 1:
        return next(iter(texts.values()), None)
    order = [*LOCATIONS, UNKNOWN]
    return Location(" + ".join(sorted(texts, key=lambda text: (order.index(texts[text].name), text))))


def location_counts(locations: list[Location]) -> dict[str, int]:
    """How many lesions lie in each location, in :data:`LOCATIONS`' order, then the joined ones
    (:func:`joined`) as they come, unknown last (those with none left out)."""
    names = [location.name for location in locations]
    order = dict.fromkeys([*LOCATIONS, *names])
    order.pop(UNKNOWN, None)
    return {name: names.count(name) for name in (*order, UNKNOWN) if name in names}


def counts_text(locations: list[Location]) -> str:
    """``"periventricular 2, juxtacortical 1, deep white matter 3"``: the line a report gives."""
    return ", ".join(f"{name} {count}" for name, count in location_counts(locations).items())


def labels_locations(components: list[Component], mask, origin, labels: np.ndarray, value: int,
                     brain_value: int | None, volume, cached: CaseAnatomy | None = None,
                     progress: ProgressFn | None = None, cancel: CancelToken | None = None):
    """``(locations, case)`` of segment ``value``'s ``components`` in a label map whose segment
    ``brain_value`` is the brain (the model's context segment: the brain's voxels no lesion took;
    the segment's own voxels are brain too), on ``volume`` (its first frame). ``cached``: the
    case made before, used again while the image and the brain mask are the same (the
    template's fit takes seconds; the edits that follow change the lesions only)."""
    if not components:
        return [], cached
    brain = None if brain_value is None else (labels == brain_value) | (labels == value)
    # a rejected lesion's voxels go back to the brain segment (its extent): the same count
    key = (id(volume.array), value, None if brain is None else int(np.count_nonzero(brain)))
    case = cached
    if case is None or case.key != key:
        case = case_anatomy(volume.frame_as_shown(), volume.ijk_to_ras, brain,
                            labels == value, ct=volume.is_ct(), progress=progress, cancel=cancel,
                            part=body_part(volume))
        case.key = key
    return locate_lesions(components, mask, origin, volume.frame_as_shown(), case, cancel), case
