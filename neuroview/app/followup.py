"""Follow-up studies: register a later study to the baseline, match lesions, brain volume change.

No Qt: the CLI (``neuroview followup``) and the window drive the same functions.

Lesions are the connected components (26-connected, ``cc3d``) of each time point's mask (label
values > 0). Each later component map is carried onto the baseline grid with the registration
(nearest neighbour, so component ids survive) and components that share a voxel are linked. Each
linked group is one row of the table: ``new`` (no baseline part), ``resolved`` (no later part),
else ``enlarging`` / ``shrinking`` when the volume changes by at least ``min_change_pct`` and
``min_change_ml``, ``stable`` otherwise. Groups with several parts at one time point are marked
``merged`` (several baseline lesions, one later) or ``split`` (the other way round). Volumes are
counted on each study's own grid, so resampling does not change them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
from scipy import ndimage

from ..core.errors import NeuroviewError
from ..core.jobs import CancelToken, ProgressFn, Steps, check, report
from ..io.registration import Registration, register, resample
from .view_presets import is_ct

STATUSES = ("new", "enlarging", "stable", "shrinking", "resolved")
BVC_REPEATABILITY_PCT = 0.012
"""One standard deviation (percentage points) of the brain volume change between two resamplings
of one head (no real change: other pose, voxel size and field of view), measured by
``bench/followup.py`` on the MNI template (README, "Follow-up studies"). A lower bound: real
scan-rescan pairs add noise, bias field and positioning effects that resampling does not make."""
BVC_REPEATABILITY_DEEPBET_PCT = 0.064
"""The same for brain masks extracted by deepbet (:func:`extract_brain`), both made on one grid
halfway between the studies after registration (:func:`brain_volume_change_on_one_grid`):
``bench/followup.py --rescan-deepbet 6`` on the synthetic head (MNI brain in a skull and scalp;
voxel sizes 1.6-2.4 mm), 6 pairs: mean -0.001 %, SD 0.064 % (RMS 0.058 %). Each mask on its own
study's grid, as measured before, scattered by SD 2.3 % on the same pairs (deepbet's edge moves
by a fraction of a voxel with the voxel size)."""


@dataclass
class MatchThresholds:
    min_change_pct: float = 25.0
    """Relative volume change (of the baseline volume) that makes a lesion enlarging/shrinking."""
    min_change_ml: float = 0.05
    """Absolute volume change (mL) needed as well."""


@dataclass
class LesionRow:
    id: int
    status: str
    event: str
    """``merged``, ``split``, ``merged+split`` or empty."""
    volume_baseline_ml: float
    volume_followup_ml: float
    position_ras: tuple[float, float, float]
    """Centre of the lesion (both time points together) in the baseline's RAS millimetres."""
    baseline_parts: int
    followup_parts: int

    @property
    def change_ml(self) -> float:
        return self.volume_followup_ml - self.volume_baseline_ml

    @property
    def change_pct(self) -> Optional[float]:
        if self.volume_baseline_ml == 0:
            return None
        return 100.0 * self.change_ml / self.volume_baseline_ml


@dataclass
class LesionTable:
    rows: list[LesionRow] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def load_baseline_ml(self) -> float:
        return float(sum(row.volume_baseline_ml for row in self.rows))

    @property
    def load_followup_ml(self) -> float:
        return float(sum(row.volume_followup_ml for row in self.rows))


CSV_COLUMNS = ("id", "status", "event", "volume_baseline_ml", "volume_followup_ml", "change_ml",
               "change_pct", "r_mm", "a_mm", "s_mm", "baseline_parts", "followup_parts")


def table_rows(table: LesionTable) -> list[list[str]]:
    """The table as text cells in :data:`CSV_COLUMNS` order (what the CSV and the report show)."""
    out = []
    for row in table.rows:
        pct = "" if row.change_pct is None else f"{row.change_pct:.1f}"
        out.append([str(row.id), row.status, row.event, f"{row.volume_baseline_ml:.4f}",
                    f"{row.volume_followup_ml:.4f}", f"{row.change_ml:+.4f}", pct,
                    *(f"{x:.1f}" for x in row.position_ras),
                    str(row.baseline_parts), str(row.followup_parts)])
    return out


def table_csv(table: LesionTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(table_rows(table))
    return buffer.getvalue()


def components(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """26-connected components of ``mask > 0``: ``(ids, count)``, ids 1..count."""
    import cc3d  # noqa: PLC0415

    ids, count = cc3d.connected_components(np.asarray(mask) > 0, connectivity=26,
                                           return_N=True)
    return ids.astype(np.uint32, copy=False), int(count)


def voxel_ml(ijk_to_ras: np.ndarray) -> float:
    return float(abs(np.linalg.det(np.asarray(ijk_to_ras)[:3, :3]))) / 1000.0


def _groups(n_base: int, n_later: int, pairs: np.ndarray) -> list[tuple[list[int], list[int]]]:
    """Connected groups of the overlap graph: ``(baseline ids, later ids)`` per group."""
    parent = list(range(n_base + n_later + 1))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(int(a))] = find(n_base + int(b))
    groups: dict[int, tuple[list[int], list[int]]] = {}
    for node in range(1, n_base + n_later + 1):
        base, later = groups.setdefault(find(node), ([], []))
        (base if node <= n_base else later).append(node if node <= n_base else node - n_base)
    return list(groups.values())


def lesion_status(volume_0: float, volume_1: float, thresholds: MatchThresholds) -> str:
    if volume_0 == 0:
        return "new"
    if volume_1 == 0:
        return "resolved"
    change = volume_1 - volume_0
    if (abs(change) >= thresholds.min_change_ml
            and abs(change) >= thresholds.min_change_pct / 100.0 * volume_0):
        return "enlarging" if change > 0 else "shrinking"
    return "stable"


def _event(n_base: int, n_later: int) -> str:
    if n_base > 1 and n_later > 1:
        return "merged+split"
    if n_base > 1 and n_later == 1:
        return "merged"
    if n_base == 1 and n_later > 1:
        return "split"
    return ""


def match_lesions(baseline_mask: np.ndarray, baseline_ijk_to_ras: np.ndarray,
                  followup_mask: np.ndarray, followup_ijk_to_ras: np.ndarray,
                  baseline_to_followup: np.ndarray,
                  thresholds: MatchThresholds = MatchThresholds()) -> LesionTable:
    """Match the lesions of two time points (see the module notes); rows ordered by position."""
    base_ids, n_base = components(baseline_mask)
    later_ids, n_later = components(followup_mask)
    pairs = overlap_pairs(base_ids, baseline_ijk_to_ras, later_ids, followup_ijk_to_ras,
                          baseline_to_followup)
    base_ml = np.bincount(base_ids.ravel(), minlength=n_base + 1) * voxel_ml(baseline_ijk_to_ras)
    later_ml = np.bincount(later_ids.ravel(), minlength=n_later + 1) * voxel_ml(followup_ijk_to_ras)
    base_centres = centres(base_ids, n_base, baseline_ijk_to_ras, np.eye(4))
    # later centres, brought back into the baseline's world
    later_centres = centres(later_ids, n_later, followup_ijk_to_ras,
                             np.linalg.inv(baseline_to_followup))
    rows = []
    for base, later in _groups(n_base, n_later, pairs):
        v0, v1 = float(base_ml[base].sum()), float(later_ml[later].sum())
        weights = np.concatenate([base_ml[base], later_ml[later]])
        points = np.concatenate([base_centres[base], later_centres[later]])
        centre = tuple(float(x) for x in (weights @ points) / weights.sum())
        rows.append(LesionRow(0, lesion_status(v0, v1, thresholds), _event(len(base), len(later)),
                              v0, v1, centre, len(base), len(later)))
    rows.sort(key=lambda r: (-r.position_ras[2], r.position_ras[1], r.position_ras[0]))
    for number, row in enumerate(rows, start=1):
        row.id = number
    return LesionTable(rows)


def overlap_pairs(ids_a: np.ndarray, ijk_to_ras_a: np.ndarray, ids_b: np.ndarray,
                  ijk_to_ras_b: np.ndarray, a_to_b: np.ndarray) -> np.ndarray:
    """``(id in a, id in b)`` of the components that share a voxel: each voxel of a lesion of
    ``a`` is looked up (nearest neighbour) in ``b`` through ``a_to_b`` (a's world to b's); only the
    lesion voxels are looked up, not the whole grid. An ``(n, 2)`` array, each pair once."""
    a_ijk = np.nonzero(ids_a)
    a_lesion = ids_a[a_ijk]
    to_b_ijk = np.linalg.inv(ijk_to_ras_b) @ np.asarray(a_to_b) @ np.asarray(ijk_to_ras_a)
    b_ijk = to_b_ijk[:3, :3] @ np.array(a_ijk, dtype=float) + to_b_ijk[:3, 3:]
    b_under = ndimage.map_coordinates(ids_b, b_ijk, order=0, mode="constant", cval=0)
    both = b_under > 0
    return np.unique(np.stack([a_lesion[both], b_under[both]], axis=1), axis=0).reshape(-1, 2)


def restatus(table: LesionTable, thresholds: MatchThresholds) -> None:
    """The rows' statuses again with other thresholds (volumes and links stay: no new
    registration or matching)."""
    for row in table.rows:
        row.status = lesion_status(row.volume_baseline_ml, row.volume_followup_ml, thresholds)


def centres(ids: np.ndarray, count: int, ijk_to_ras: np.ndarray, world_to_baseline) -> np.ndarray:
    """RAS centre (in the baseline's world) of each component, row ``n`` for id ``n``."""
    centres = np.zeros((count + 1, 3))
    if count:
        where = np.nonzero(ids)
        labels = ids[where]
        voxels = np.bincount(labels, minlength=count + 1)[1:].astype(float)
        ijk = np.stack([np.bincount(labels, weights=axis, minlength=count + 1)[1:] / voxels
                        for axis in where], axis=1)
        affine = np.asarray(world_to_baseline) @ np.asarray(ijk_to_ras)
        centres[1:] = ijk @ affine[:3, :3].T + affine[:3, 3]
    return centres


# -- brain volume -------------------------------------------------------------------------------
def brain_mask_by_threshold(image: np.ndarray, fraction: float = 0.1) -> np.ndarray:
    """A brain mask for an already skull-stripped image: voxels above ``fraction`` of the 99th
    percentile of the non-zero voxels, largest component, holes filled. It is not a brain
    extraction: a whole head needs a brain mask made by a model or another tool."""
    import cc3d  # noqa: PLC0415

    image = np.asarray(image)
    nonzero = image[image > 0]
    if nonzero.size == 0:
        return np.zeros(image.shape, dtype=bool)
    mask = image > fraction * float(np.percentile(nonzero, 99))
    mask = cc3d.largest_k(mask, k=1, connectivity=6) > 0
    return ndimage.binary_fill_holes(mask)


TISSUE_FRACTION_LEVEL = 0.5
"""Intensity, as a share of the 99th percentile inside the mask, at which a voxel counts whole."""


def brain_volume_ml(mask: np.ndarray, ijk_to_ras: np.ndarray, image: Optional[np.ndarray] = None) -> float:
    """Brain volume in mL: the mask's voxels, or with ``image``, each voxel of the mask weighted by
    its tissue fraction (intensity over :data:`TISSUE_FRACTION_LEVEL` of the 99th percentile,
    clipped to 0..1), which counts edge voxels in part and so does not depend on the voxel size."""
    mask = np.asarray(mask) > 0
    if image is None:
        return float(np.count_nonzero(mask)) * voxel_ml(ijk_to_ras)
    values = np.asarray(image, dtype=np.float32)[mask]
    if values.size == 0:
        return 0.0
    level = TISSUE_FRACTION_LEVEL * float(np.percentile(values, 99))
    return float(np.clip(values / level, 0.0, 1.0).sum()) * voxel_ml(ijk_to_ras)


def brain_volume_change_pct(baseline: "StudyInput", followup: "StudyInput",
                            partial_volume: bool = False) -> float:
    """Percentage brain volume change 100 * (later - baseline) / baseline, each volume measured on
    its own grid (:func:`brain_volume_ml`; ``partial_volume`` weights voxels by the image)."""
    v0 = brain_volume_ml(baseline.brain, baseline.ijk_to_ras, baseline.image if partial_volume else None)
    v1 = brain_volume_ml(followup.brain, followup.ijk_to_ras, followup.image if partial_volume else None)
    return 100.0 * (v1 - v0) / v0


# -- one comparison ---------------------------------------------------------------------------
@dataclass
class StudyInput:
    """One time point: image array and affine, lesion mask and optional brain mask on its grid."""
    image: np.ndarray
    ijk_to_ras: np.ndarray
    lesions: np.ndarray
    brain: Optional[np.ndarray] = None
    name: str = ""
    lesions_model: str = ""
    """``name@version`` of the model that made :attr:`lesions` on the spot (not corrected by a
    person); empty when the mask was loaded from a file."""
    brain_source: str = ""
    """How :attr:`brain` was made: one of :data:`BRAIN_SOURCES`, or why there is none."""
    ct: Optional[bool] = None
    """Whether the image is a CT (:func:`~neuroview.app.view_presets.is_ct`); None: not known."""


@dataclass
class Comparison:
    registration: Registration
    table: LesionTable
    brain_volume_change_pct: Optional[float]
    followup_name: str = ""
    bvc_repeatability_pct: Optional[float] = BVC_REPEATABILITY_PCT
    """One SD of :attr:`brain_volume_change_pct` on resampled pairs of one head, for the way the
    brain masks were made; None when the studies' voxel sizes differ more than those pairs'."""
    thresholds: MatchThresholds = field(default_factory=MatchThresholds)
    """The thresholds :attr:`table`'s statuses were decided with."""
    notes: list[str] = field(default_factory=list)
    """Sentences that go with the comparison wherever it is shown: a registration that looks
    failed (:func:`~neuroview.app.followup_checks.comparison_notes`)."""


def compare(baseline: StudyInput, followup: StudyInput, kind: str = "rigid",
            thresholds: MatchThresholds = MatchThresholds(), partial_volume: bool = False,
            progress: Optional[ProgressFn] = None, cancel: Optional[CancelToken] = None,
            device: str = "auto") -> Comparison:
    """Register ``followup`` to ``baseline`` (on the brain masks when both have one), match the
    lesions and measure the brain volume change (when both have a brain mask; ``partial_volume``
    when the masks were made by :func:`brain_mask_by_threshold`; with masks both extracted by
    deepbet, on one grid: :func:`brain_volume_change_on_one_grid`, deepbet on ``device``)."""
    from .followup_checks import check_not_blank, comparison_notes  # noqa: PLC0415

    for study in (baseline, followup):
        check_not_blank(study)
    masks = baseline.brain is not None and followup.brain is not None
    extracted = masks and baseline.brain_source == followup.brain_source == BRAIN_EXTRACTED
    steps = Steps(progress, 2 if extracted else 1, numbered=False)  # one progress, not restarted
    registering = steps.next("registration")
    registration = register(
        baseline.image, baseline.ijk_to_ras, followup.image, followup.ijk_to_ras,
        fixed_mask=baseline.brain if masks else None, moving_mask=followup.brain if masks else None,
        kind=kind, progress=registering, cancel=cancel)
    check(cancel)
    report(registering, 1, 1, "matching lesions")
    table = match_lesions(baseline.lesions, baseline.ijk_to_ras, followup.lesions,
                          followup.ijk_to_ras, registration.fixed_to_moving, thresholds)
    if extracted:
        bvc = brain_volume_change_on_one_grid(baseline, followup, registration.fixed_to_moving,
                                              device, steps.next("brain volume change"), cancel)
    else:
        bvc = brain_volume_change_pct(baseline, followup, partial_volume) if masks else None
    notes, similar = comparison_notes(baseline, followup, registration.fixed_to_moving)
    report(progress, 1, 1, "done")
    spread = BVC_REPEATABILITY_DEEPBET_PCT if extracted else BVC_REPEATABILITY_PCT
    return Comparison(registration, table, bvc, followup.name, spread if similar else None,
                      thresholds, notes)


def load_study(image_path, labels_path=None, brain_path=None, brain_threshold: bool = False,
               name: str = "", model: str = "", device: str = "auto", extract: bool = True,
               progress: Optional[ProgressFn] = None, cancel: Optional[CancelToken] = None,
               baseline=None):
    """``(Volume, StudyInput)`` of one time point read from files, a DICOM folder or a series on a
    configured DICOM server (``pacs://SERVER/[STUDY_UID/]SERIES_UID``, retrieved through the
    local cache, :mod:`neuroview.io.pacs.series_uri`); masks must lie on the image grid; a path
    holding several series is refused. Without ``labels_path`` the lesion mask is made by
    ``model`` (a registry name such as ``lesionseg``), see :func:`model_lesions`. Without
    ``brain_path``, the brain mask is made by a threshold (``brain_threshold``, skull-stripped
    images) or, with ``extract``, by brain extraction (:func:`extract_brain`). With ``baseline``
    (the baseline's volume), a later study of another patient is refused before any work on it
    (:func:`~neuroview.app.followup_checks.check_same_patient`)."""
    from ..io import choose, scan  # noqa: PLC0415
    from ..io.pacs.series_uri import fetch as fetch_series  # noqa: PLC0415
    from ..io.pacs.series_uri import is_series_uri  # noqa: PLC0415
    from .followup_checks import check_same_patient  # noqa: PLC0415
    from .view_labels import load_label_map  # noqa: PLC0415

    if is_series_uri(image_path):  # a series on a configured server, retrieved into the cache
        image_path = fetch_series(image_path, progress=progress or (lambda *_: None),
                                  cancel=lambda: cancel is not None and cancel.cancelled)
        check(cancel)
    found = scan(image_path)
    if len(found.candidates) > 1:   # one was picked with no word (s19 walk: the later study)
        raise NeuroviewError(f"{name or 'this study'} holds {len(found.candidates)} series (see "
                             "'neuroview info'): give the folder or file of one series, or make one "
                             "with 'neuroview convert INPUT OUTPUT.nii.gz --series N'", path=str(image_path))
    volume = choose(found).load()
    if volume.array.ndim != 3:
        raise NeuroviewError(f"a study must be one 3D image, got shape {volume.array.shape}",
                             path=str(image_path))
    if baseline is not None:
        check_same_patient(baseline, volume, name, image_path)
    made_by = ""
    if labels_path:
        lesions_map = load_label_map(labels_path)
        lesions_map.require_grid_of(volume, source=str(labels_path))
        lesions = lesions_map.array
    elif model:
        lesions, made_by = model_lesions(volume, model, device, progress, cancel)
    else:
        raise NeuroviewError(f"{name or 'a study'} has no lesion mask: give one, or a model to make it",
                             path=str(image_path))
    brain, source = None, "none"
    if brain_path:
        brain_map = load_label_map(brain_path)
        brain_map.require_grid_of(volume, source=str(brain_path))
        brain, source = brain_map.array > 0, BRAIN_FROM_FILE
    elif brain_threshold:
        brain, source = brain_mask_by_threshold(volume.array), BRAIN_THRESHOLD
    elif extract:
        brain, source = extract_brain(volume, device, name, progress, cancel)
    return volume, StudyInput(volume.array, volume.ijk_to_ras, lesions, brain, name, made_by, source,
                              is_ct(volume))


BRAIN_FROM_FILE = "given by the user"
BRAIN_THRESHOLD = "threshold of the skull-stripped image, voxels weighted by tissue fraction"
BRAIN_EXTRACTED = "extracted by deepbet (neuroview.ai.brain)"
BRAIN_SOURCES = (BRAIN_FROM_FILE, BRAIN_THRESHOLD, BRAIN_EXTRACTED)
CT_NOT_EXTRACTED = "no brain extraction: the image is a CT, and deepbet reads MR only"


def extract_brain(volume, device: str = "auto", name: str = "", progress: Optional[ProgressFn] = None,
                  cancel: Optional[CancelToken] = None) -> tuple[Optional[np.ndarray], str]:
    """``(brain mask or None, how it was made or why there is none)``: deepbet's brain extraction
    (:func:`neuroview.ai.brain.brain_mask`, remembered for the last image, so a study the lesion
    model just segmented is not extracted twice). No mask, with the reason, when deepbet is not
    installed, the field of view is smaller than a head or the image is a CT (deepbet reads MR
    only, as *AI > Segment* skips it on a CT); ``Cancelled`` when ``cancel`` is set."""
    from ..ai import brain as brain_extraction  # noqa: PLC0415 - torch only when it runs
    from ..ai.infer import choose_device  # noqa: PLC0415
    from ..ai.preprocess import MIN_HEAD_FOV_MM, cached_brain_mask  # noqa: PLC0415
    from ..core.geometry import spacing_from_affine  # noqa: PLC0415

    if is_ct(volume):   # by its header, else its voxels, guessed once per volume
        return None, f"none ({CT_NOT_EXTRACTED})"
    if not brain_extraction.is_available():
        return None, "none (brain extraction needs deepbet: pip install deepbet)"
    extent = np.asarray(volume.array.shape) * np.asarray(spacing_from_affine(volume.ijk_to_ras))
    ordered = np.sort(extent)
    if ordered[1] < MIN_HEAD_FOV_MM[0] or ordered[0] < MIN_HEAD_FOV_MM[1]:
        return None, ("none (no brain extraction: the field of view, "
                      + " x ".join(f"{e:.0f}" for e in extent) + " mm, is smaller than a head)")
    report(progress, 0, 1, f"{name or 'study'}: extracting the brain (deepbet)")
    mask = cached_brain_mask(volume.array, volume.ijk_to_ras, choose_device(device), cancel)
    check(cancel)
    report(progress, 1, 1, f"{name or 'study'}: brain extracted")
    return mask, BRAIN_EXTRACTED


def brain_volume_change_on_one_grid(baseline: StudyInput, followup: StudyInput,
                                    baseline_to_followup: np.ndarray, device: str = "auto",
                                    progress: Optional[ProgressFn] = None,
                                    cancel: Optional[CancelToken] = None) -> float:
    """Percentage brain volume change with deepbet masks made on one grid, halfway between the
    studies: both images resampled (trilinear) onto the baseline's grid moved by half the
    registration (the baseline through its inverse square root, the later study through its
    square root), so both are interpolated alike; deepbet on each, voxels counted. deepbet's edge
    then moves with the anatomy, not with each study's voxel size and orientation, which made the
    per-study masks' change scatter by about 2-3 % (README, "Follow-up studies"); reading only the
    later study onto the baseline's own grid smooths one study more than the other, which biases
    the change (-0.3 to -1 % in our runs; the asymmetry bias of Reuter and Fischl, NeuroImage
    2011)."""
    from scipy.linalg import sqrtm  # noqa: PLC0415

    from ..core.volume import Volume  # noqa: PLC0415

    half = np.real(sqrtm(np.asarray(baseline_to_followup, dtype=float)))
    counts = []
    steps = Steps(progress, 2, numbered=False)   # one progress over both extractions
    for study, transform in ((baseline, np.linalg.inv(half)), (followup, half)):
        extracting = steps.next()
        image = resample(study.image, study.ijk_to_ras, baseline.image.shape, baseline.ijk_to_ras,
                         transform)
        mask, how = extract_brain(Volume(image, baseline.ijk_to_ras), device,
                                  f"{study.name or 'study'} halfway", extracting, cancel)
        if mask is None:
            raise NeuroviewError(f"brain extraction halfway between the studies failed: {how}")
        counts.append(np.count_nonzero(mask))
    return 100.0 * (counts[1] - counts[0]) / counts[0]


def brain_statement(studies: list[StudyInput]) -> str:
    """How each study's brain mask was made, for the report and the command's output (one phrase
    when all were made the same way); empty when no study has one."""
    sources = [study.brain_source or "none" for study in studies]
    if all(source == "none" for source in sources):
        return ""
    if len(set(sources)) == 1:
        return sources[0]
    return "; ".join(f"{study.name}: {source}" for study, source in zip(studies, sources))


def brain_change_line(baseline: StudyInput, followup: StudyInput, comparison: Comparison) -> str:
    """The brain volume change of ``comparison`` in one line, or why there is none (the first
    study without a brain mask and its reason: a CT, a slab, extraction not asked for)."""
    change = comparison.brain_volume_change_pct
    if change is not None:
        from .followup_checks import repeatability_text  # noqa: PLC0415

        return f"brain volume change {change:+.2f} % ({repeatability_text(comparison)})"
    for study in (baseline, followup):
        if study.brain is None:
            source = study.brain_source or "none"
            reason = source[len("none ("):-1] if source.startswith("none (") else "no brain mask"
            return f"no brain volume change ({study.name or 'a study'}: {reason})"
    return "no brain volume change"


def model_lesions(volume, model: str, device: str = "auto", progress: Optional[ProgressFn] = None,
                  cancel: Optional[CancelToken] = None) -> tuple[np.ndarray, str]:
    """``(lesion mask, "name@version")``: every label the model gives, as lesion (uint8 0/1, on the
    volume's grid). A model's brain extraction is not used as the brain mask."""
    from ..ai.segment import segment  # noqa: PLC0415 - torch only when a model runs

    result = segment(volume, model, device, progress=progress, cancel=cancel)
    return (np.asarray(result.labels) > 0).astype(np.uint8), result.model


def masks_statement(studies: list[StudyInput], given: str = "not stated") -> str:
    """Who made each study's lesion mask, for the report: ``given`` (the user's words) for masks
    loaded from files, the model for masks made on the spot."""
    if not any(s.lesions_model for s in studies):
        return given
    parts = []
    for study in studies:
        source = (f"made by the model {study.lesions_model} for this report, not corrected by a "
                  "person" if study.lesions_model else f"from a file ({given})")
        parts.append(f"{study.name}: {source}")
    return "; ".join(parts)
