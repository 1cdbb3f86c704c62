"""Follow-up studies: register a later study to the baseline, match lesions, brain volume change.

No Qt: the CLI (``neuroview followup``) and the window drive the same functions. This module
compares two studies (:func:`compare`) and reads one from files (:func:`load_study`); the lesion
matching and its table are in ``followup_lesions``, the brain masks and volumes in
``followup_brain``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from ..core.errors import NeuroviewError
from ..core.extent import without_context
from ..core.jobs import CancelToken, ProgressFn, Steps, check, report
from ..io.registration import Registration, register, resample
from .followup_brain import (
    BRAIN_EXTRACTED,
    BRAIN_FROM_FILE,
    BRAIN_THRESHOLD,
    brain_mask_by_threshold,
    brain_volume_ml,
    extract_brain,
    halfway_image,
    sampled_as,
    voxel_variance_mm2,
)
from .followup_checks import in_view_of
from .followup_lesions import LesionTable, MatchThresholds, match_lesions
from .view_presets import is_ct

BVC_REPEATABILITY_PCT = 0.012
"""One standard deviation (percentage points) of the brain volume change between two resamplings
of one head (no real change: other pose, voxel size and field of view), measured by
``bench/followup.py`` on the MNI template (README, "Follow-up studies"). A lower bound: real
scan-rescan pairs add noise, bias field and positioning effects that resampling does not make."""
BVC_REPEATABILITY_DEEPBET_PCT = 0.074
"""The same for brain masks extracted by deepbet (:func:`extract_brain`), both made on one grid
halfway between the studies after registration (:func:`brain_volume_change_on_one_grid`):
``bench/followup.py --rescan-deepbet 6`` on the synthetic head (MNI brain in a skull and scalp;
voxel sizes 1.6-2.4 mm), 6 pairs: mean -0.037 %, SD 0.0735 % (until session 49, each study not
sampled at the other's voxel centres: mean -0.055 %, SD 0.115 %; read trilinearly, as until
session 34, SD 0.064 %, but a 1.25 mm acquisition of an unchanged 1 mm head read -0.60 %).
Each mask on its own study's grid scattered by SD 2.3 % on the same pairs (deepbet's edge moves
by a fraction of a voxel with the voxel size)."""


def brain_volume_change_pct(baseline: "StudyInput", followup: "StudyInput",
                            partial_volume: bool = False,
                            baseline_to_followup: Optional[np.ndarray] = None) -> float:
    """Percentage brain volume change 100 * (later - baseline) / baseline, each volume measured on
    its own grid (:func:`brain_volume_ml`; ``partial_volume`` weights voxels by the image). Given
    the registration ``baseline_to_followup``, only the brain in the field of view both studies
    cover is counted: a later study cut above the vertex read an unchanged head as -13.7 %."""
    b_mask, f_mask = baseline.brain, followup.brain
    if baseline_to_followup is not None:
        b_mask = in_view_of(b_mask, baseline.ijk_to_ras, np.shape(followup.image),
                            followup.ijk_to_ras, baseline_to_followup)
        f_mask = in_view_of(f_mask, followup.ijk_to_ras, np.shape(baseline.image),
                            baseline.ijk_to_ras, np.linalg.inv(baseline_to_followup))
    v0 = brain_volume_ml(b_mask, baseline.ijk_to_ras, baseline.image if partial_volume else None)
    v1 = brain_volume_ml(f_mask, followup.ijk_to_ras, followup.image if partial_volume else None)
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
    """How :attr:`brain` was made: one of ``followup_brain.BRAIN_SOURCES``, or why there is none."""
    ct: Optional[bool] = None
    """Whether the image is a CT (:func:`~neuroview.app.view_presets.is_ct`); None: not known."""
    detail: str = ""
    """What tells the study apart (DICOM date and description): :mod:`.followup_names`."""
    lesions_notes: list[str] = field(default_factory=list)
    """What the model said of the mask it made (:attr:`lesions_model`), as *AI > Segment* says it
    of one study: a CT, not a whole head, brain extraction skipped. Each comparison of this study
    carries them (:func:`mask_notes`)."""
    made_up_slices: tuple[int, ...] = ()
    """The image's slices made up between its acquired ones (``Volume.made_up_slices``): marked
    where the follow-up window shows the study on the baseline grid."""


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
    failed (:func:`~neuroview.app.followup_checks.comparison_notes`), what the model said of a
    mask it made (:func:`mask_notes`)."""
    locations: Optional[object] = None
    """The studies' lesion locations (:class:`~.followup_location.StudyLocations`), once
    :func:`~.followup_location.locate_rows` located the rows."""


def compare(baseline: StudyInput, followup: StudyInput, kind: str = "rigid",
            thresholds: MatchThresholds = MatchThresholds(), partial_volume: bool = False,
            progress: Optional[ProgressFn] = None, cancel: Optional[CancelToken] = None,
            device: str = "auto") -> Comparison:
    """Register ``followup`` to ``baseline`` (on the brain masks when both have one), match the
    lesions and measure the brain volume change (when both have a brain mask; ``partial_volume``
    when the masks were made by :func:`brain_mask_by_threshold`; with masks both extracted by
    deepbet, on one grid: :func:`brain_volume_change_on_one_grid`, deepbet on ``device``)."""
    from .followup_checks import (  # noqa: PLC0415
        check_not_blank,
        comparison_notes,
        deepbet_voxels_alike,
        view_notes,
    )

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
        bvc = (brain_volume_change_pct(baseline, followup, partial_volume,
                                       registration.fixed_to_moving) if masks else None)
    notes, similar = comparison_notes(baseline, followup, registration.fixed_to_moving)
    if extracted:
        similar = similar and deepbet_voxels_alike(baseline, followup)
    if bvc is not None:
        notes += view_notes(baseline, followup, registration.fixed_to_moving)
    notes += mask_notes(baseline, followup)
    report(progress, 1, 1, "done")
    spread = BVC_REPEATABILITY_DEEPBET_PCT if extracted else BVC_REPEATABILITY_PCT
    return Comparison(registration, table, bvc, followup.name, spread if similar else None,
                      thresholds, notes)


def load_study(image_path, labels_path=None, brain_path=None, brain_threshold: bool = False,
               name: str = "", model: str = "", device: str = "auto", extract: bool = True,
               progress: Optional[ProgressFn] = None, cancel: Optional[CancelToken] = None,
               baseline=None, before=None, allow_domain_mismatch: bool = False):
    """``(Volume, StudyInput)`` of one time point read from files, a DICOM folder or a series on a
    configured DICOM server (``pacs://SERVER/[STUDY_UID/]SERIES_UID``, retrieved through the
    local cache, :mod:`neuroview.io.pacs.series_uri`); masks must lie on the image grid; a path
    holding several series is refused. Without ``labels_path`` the lesion mask is made by
    ``model`` (a registry name such as ``lesionseg``), see :func:`model_lesions` (an image
    outside its card's domain refused unless ``allow_domain_mismatch``). Without
    ``brain_path``, the brain mask is made by a threshold (``brain_threshold``, skull-stripped
    images) or, with ``extract``, by brain extraction (:func:`extract_brain`). With ``baseline``
    (the baseline's volume), a later study of another patient is refused before any work on it
    (:func:`~neuroview.app.followup_checks.check_same_patient`), and so is one older than the
    time point before it (``before``: its ``(volume, name)``, else the baseline's) by their DICOM
    study dates (:func:`~neuroview.app.followup_checks.check_in_order`)."""
    from ..io import choose, scan  # noqa: PLC0415
    from ..io.pacs.series_uri import fetch as fetch_series  # noqa: PLC0415
    from ..io.pacs.series_uri import is_series_uri  # noqa: PLC0415
    from .followup_checks import check_in_order, check_not_the_same, check_same_patient  # noqa: PLC0415
    from .view_labels import load_label_map  # noqa: PLC0415

    if is_series_uri(image_path):  # a series on a configured server, retrieved into the cache
        image_path = fetch_series(image_path, progress=progress or (lambda *_: None),
                                  cancel=lambda: cancel is not None and cancel.cancelled,
                                  what=f"the {name}" if name else "the series")
        check(cancel)
    found = scan(image_path)
    if len(found.candidates) > 1:   # one was picked with no word (s19 walk: the later study)
        raise NeuroviewError(f"{name or 'this study'} holds {len(found.candidates)} series (see "
                             "'neuroview info'): give the folder or file of one series, or make one "
                             "with 'neuroview convert INPUT OUTPUT.nii.gz --series N'", path=str(image_path))
    # a MONOCHROME1 MR turned over (Volume.as_shown): registration, brain masks, the models and
    # the window then read it as its MONOCHROME2 twin
    volume = choose(found).load().as_shown()
    if volume.array.ndim != 3:
        raise NeuroviewError(f"a study must be one 3D image, got shape {volume.array.shape}",
                             path=str(image_path))
    if baseline is not None:
        check_same_patient(baseline, volume, name, image_path)
        for earlier in ((baseline, "the baseline"), *([before] if before else [])):
            check_not_the_same(*earlier, volume, name, image_path)
        check_in_order(*(before or (baseline, "the baseline")), volume, name, image_path)
    made_by, said = "", []
    if labels_path:
        # a map of the study's voxels stored in another axis order (a DICOM series' slices are
        # sorted along its normal, a tool may have saved them the other way) is reordered
        lesions_map = load_label_map(labels_path).onto_grid_of(volume, source=str(labels_path))
        lesions = without_context(lesions_map)
    elif model:
        lesions, made_by, said = model_lesions(volume, model, device, progress, cancel,
                                               allow_domain_mismatch)
    else:
        raise NeuroviewError(f"{name or 'a study'} has no lesion mask: give one, or a model to make it",
                             path=str(image_path))
    brain, source = None, "none"
    if brain_path:
        brain_map = load_label_map(brain_path).onto_grid_of(volume, source=str(brain_path))
        brain, source = brain_map.array > 0, BRAIN_FROM_FILE
    elif brain_threshold:
        brain, source = brain_mask_by_threshold(volume.array), BRAIN_THRESHOLD
    elif extract:
        brain, source = extract_brain(volume, device, name, progress, cancel)
    from .followup_names import study_detail  # noqa: PLC0415

    return volume, StudyInput(volume.array, volume.ijk_to_ras, lesions, brain, name, made_by, source,
                              is_ct(volume), study_detail(volume.source_metadata), said,
                              made_up_slices=volume.made_up_slices)


def brain_volume_change_on_one_grid(baseline: StudyInput, followup: StudyInput,
                                    baseline_to_followup: np.ndarray, device: str = "auto",
                                    progress: Optional[ProgressFn] = None,
                                    cancel: Optional[CancelToken] = None) -> float:
    """Percentage brain volume change with deepbet masks made on one grid, halfway between the
    studies: both images read (cubic B-spline, :func:`halfway_image`) onto the baseline's grid
    moved by half the registration (the baseline through its inverse square root, the later study
    through its square root), the finer one blurred to the coarser one's voxel size
    (:func:`voxel_variance_mm2`), so both are equally sharp, and each sampled at the other's voxel
    centres and read back as that one is (:func:`sampled_as`), so both went through both voxel
    grids; deepbet on each, voxels counted.
    deepbet's edge then moves with the anatomy, not with each study's voxel size and orientation,
    which made the per-study masks' change scatter by about 2-3 % (README, "Follow-up studies");
    reading only the later study onto the baseline's own grid smooths one study more than the
    other, which biases the change (-0.3 to -1 % in our runs; the asymmetry bias of Reuter and
    Fischl, NeuroImage 2011), and so did reading both trilinearly when their voxel sizes differ
    (-0.60 % for a 1.25 mm study of an unchanged 1 mm head)."""
    from scipy.linalg import sqrtm  # noqa: PLC0415

    from ..core.volume import Volume  # noqa: PLC0415

    half = np.real(sqrtm(np.asarray(baseline_to_followup, dtype=float)))
    studies = ((baseline, np.linalg.inv(half)), (followup, half))
    shape, grid = baseline.image.shape[:3], baseline.ijk_to_ras
    variances = [voxel_variance_mm2(study.ijk_to_ras, grid, transform) for study, transform in studies]
    coarser = np.maximum(*variances)   # both studies blurred to the coarser one's voxel size
    masks = []
    seen = np.ones(shape, dtype=bool)   # the field of view both studies cover
    steps = Steps(progress, 2, numbered=False)   # one progress over both extractions
    for (study, transform), variance, (other, other_transform) in zip(studies, variances, studies[::-1]):
        extracting = steps.next()
        image = halfway_image(study.image, study.ijk_to_ras, shape, grid, transform, coarser - variance)
        # sampled as the other study is too: each then went through both studies' voxel grids
        image = sampled_as(image, grid, np.shape(other.image)[:3], other.ijk_to_ras, other_transform)
        seen &= resample(np.ones(np.shape(study.image)[:3], np.uint8), study.ijk_to_ras,
                         shape, grid, transform, order=0) > 0
        mask, how = extract_brain(Volume(image, grid), device,
                                  f"{study.name or 'study'} halfway", extracting, cancel)
        if mask is None:
            raise NeuroviewError(f"brain extraction halfway between the studies failed: {how}")
        masks.append(mask)
    counts = [np.count_nonzero(mask & seen) for mask in masks]   # the brain both studies show
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
                  cancel: Optional[CancelToken] = None, allow_domain_mismatch: bool = False
                  ) -> tuple[np.ndarray, str, list[str]]:
    """``(lesion mask, "name@version", the model's notes)``: every label the model gives, as
    lesion (uint8 0/1, on the volume's grid). A model's brain extraction is not used as the brain
    mask. Run anyway (``allow_domain_mismatch``), the notes name the refusal overridden in full:
    the report is read later, with no tooltip."""
    from ..ai.domain import notes_in_full  # noqa: PLC0415
    from ..ai.segment import segment  # noqa: PLC0415 - torch only when a model runs

    result = segment(volume, model, device, progress=progress, cancel=cancel,
                     allow_domain_mismatch=allow_domain_mismatch)
    return ((np.asarray(result.labels) > 0).astype(np.uint8), result.model,
            notes_in_full(result.notes, result.outside_domain))


def mask_notes(*studies: StudyInput) -> list[str]:
    """The notes of the model that made each study's mask, each naming its study: the follow-up
    dropped them (a CT's mask by an MR model read as "no lesion" in the table, with no word)."""
    return [f"the lesion mask of {study.name or 'a study'}: {note}"
            for study in studies for note in study.lesions_notes]


def model_masks_note(*studies: StudyInput) -> str:
    """The follow-up window's warning that the lesion masks of ``studies`` (the pair shown) were
    made by a model on the spot, not corrected by a person, or "": the report said it, the window
    showed the model's table with no word of it (s47 walk: lesionseg found none of ten lesions
    and three false regions, read '2 new, 1 resolved')."""
    made = [study for study in studies if study.lesions_model]
    if not made:
        return ""
    models = ", ".join(sorted({study.lesions_model for study in made}))
    masks = " and ".join(study.name or "a study" for study in made)
    were = f"masks of {masks} were" if len(made) > 1 else f"mask of {masks} was"
    return (f"the lesion {were} made by the model {models} and not corrected by a person: check "
            "each lesion in the panes before the table (Delete marks one wrong)")


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
