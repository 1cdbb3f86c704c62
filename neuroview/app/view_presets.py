"""Window/level presets for CT (Hounsfield units) and an automatic window for MR.

CT values follow common radiology practice (Radiopaedia's "windowing (CT)" table, the presets of
3D Slicer and most PACS). MR intensities have no absolute scale, so the automatic window spans
robust percentiles of the image, as Slicer's auto window/level does (0.1-99.9 % of the whole
image), with headroom above the top one: :data:`TOP_HEADROOM`.
"""

from __future__ import annotations

import numpy as np

from . import contrast_run
from .contrast_run import CONTRAST_RUN

# name -> (window, level) in HU. 400/40 is OHIF's "Soft tissue", the window a chest or an abdomen
# opens at (:mod:`.ct_opening`); 350/50 is Radiopaedia's mediastinum. (They were named "Abdomen"
# and "Soft tissue": a chest opened with the box on *Abdomen*.)
CT_PRESETS: dict[str, tuple[float, float]] = {
    "Brain": (80.0, 40.0),
    "Subdural": (200.0, 75.0),
    "Stroke": (40.0, 40.0),
    "Bone": (2000.0, 500.0),
    "Lung": (1500.0, -600.0),
    "Soft tissue": (400.0, 40.0),
    "Mediastinum": (350.0, 50.0),
}

HEADER = "DICOM header"
"""The window the DICOM series names (WindowWidth / WindowCenter): offered first, and the window
the image opens with, as a PACS viewer or 3D Slicer opens it."""
AUTO = "Auto (percentiles)"
FULL = "Full range"
CUSTOM = "Custom"
"""What the preset box says when the window/level matches no preset (after a drag or typing)."""
LOW_PERCENTILE = 0.5
HIGH_PERCENTILE = 99.5
TOP_HEADROOM = 0.25
"""The automatic window reaches this fraction of the percentile span above the high percentile
(never past the image's maximum). The high percentile is the brightest normal tissue (white matter
on a T1): at the window's top, a lesion 45 % brighter than white matter was drawn as white as it.
With the headroom white matter is drawn at 80 % grey and anything brighter stays apart. VTK's
``vtkImageHistogramStatistics`` widens its 1-99 % auto range by 10 % on each side for the same
reason; napari starts from the data's full range."""
CT_AIR_HU = -1024
_SAMPLE_VOXELS = 2_000_000
LABEL_VALUES = 32
"""An image of at most this many whole values gets the automatic window of a label map (the
background to its highest label), as ``app.label_files.FEW_LABELS`` counts a few labels."""


def _sample(array: np.ndarray) -> np.ndarray:
    """A strided subsample of at most ~2 M voxels (a view, then one small copy); a 4D array's
    every time point, each strided alike."""
    step = max(1, int(np.ceil((array.size / _SAMPLE_VOXELS) ** (1 / 3))))
    sample = np.asarray(array[::step, ::step, ::step], dtype=np.float32)
    return sample[np.isfinite(sample)]


def window_decimals(low: float, high: float) -> int:
    """Decimals the Window and Level boxes show for intensities ``low..high``: three significant
    digits of the range (1 for CT, MR and 8-bit images; 6 for an ADC map in mm2/s, 0-0.003, which
    one decimal showed as window 0.1, level 0.0), between 1 and 10."""
    span = abs(float(high) - float(low))
    if not np.isfinite(span) or span <= 0:
        return 1
    return int(np.clip(np.ceil(-np.log10(span)) + 3, 1, 10))


def intensity_range(volume, every_frame: bool = False) -> tuple[float, float]:
    """Minimum and maximum intensity (of a subsample for large volumes) of its first time
    point, or with ``every_frame`` of all of them (the image's and an overlay's Window and Level
    boxes: a 4D run's later time points may be brighter, and the boxes took their decimals from
    the first's). Once per array (:meth:`.Volume.remembered`): every time point of a
    256x256x40x60 run sampled took 70 ms (the loader's worker asks it first)."""
    return volume.remembered(f"intensity range {every_frame}", lambda: _range(
        volume.array if every_frame else volume.frame(0)))


def _range(array: np.ndarray) -> tuple[float, float]:
    sample = _sample(array)
    if sample.size == 0:
        return 0.0, 1.0
    return float(sample.min()), float(sample.max())


def auto_window_level(volume, low: float = LOW_PERCENTILE,
                      high: float = HIGH_PERCENTILE) -> tuple[float, float]:
    """Window and level spanning the ``low``..``high`` intensity percentiles, the top raised by
    :data:`TOP_HEADROOM` of that span (at most to the maximum).

    For CT a fixed preset by what the image is (:func:`.ct_opening.opening_ct_preset`: brain
    80/40 for a head, 400/40 for a chest or abdomen); MR (and unknown) uses percentiles of the
    voxels brighter than the background minimum so that a large black border does not squeeze
    the window; when those voxels hold one value (a two-valued image, e.g. a mask opened as an
    image) the window spans the minimum to that value, so both are told apart. A constant image
    is drawn mid-grey (until session 35 its one value sat at the window's bottom: black, as if
    nothing were there).
    """
    if is_ct(volume) and (not_hounsfield(volume) or is_scout(volume)):
        return preset_window_level(AUTO, volume)
    if is_ct(volume):
        from .ct_opening import opening_ct_preset

        return CT_PRESETS[opening_ct_preset(volume)]
    sample = _sample(volume.frame(0))
    if sample.size == 0:
        return 1.0, 0.5
    if getattr(volume, "display_inverted", False):  # MONOCHROME1: its background is the top
        top = sample.max()
        window, level = _sample_window(top - sample, low, high)
        return window, float(top - level)
    return _sample_window(sample, low, high)


def is_scout(volume) -> bool:
    """A CT localizer (a topogram or scout: ImageType LOCALIZER, said first among its warnings):
    a projection through the body, whose values no tissue window reads. It opened at brain
    80/40 with no header window, the body a white silhouette; it opens at its percentiles."""
    from ..io.dicom.localizers import SCOUT_WARNING

    return SCOUT_WARNING in getattr(volume, "warnings", ())


def not_hounsfield(volume) -> bool:
    """A CT by its header whose numbers are not Hounsfield units: none below 0 (no air, no fat)
    and no tissue in HU (:meth:`.Volume.voxels_look_like_ct`), as a cone-beam CT stored with air
    near 0 and soft tissue near 1060. The HU presets drew it white but for its air. None below 0
    at any time point of a 4D run (the range the loader's worker reads: time point 1 alone until
    session 46). Once per array (:meth:`.Volume.remembered`): the pointer's readout asks it on
    every mouse move."""
    return volume.remembered("not hounsfield", lambda: not volume.voxels_look_like_ct()
                             and intensity_range(volume, every_frame=True)[0] >= 0)   # cached guess first


def _sample_window(sample: np.ndarray, low: float, high: float) -> tuple[float, float]:
    lo, hi = float(sample.min()), float(sample.max())
    if hi <= lo:   # one value (a constant image): drawn mid-grey, not black at the window's bottom
        return 1.0, lo
    if _few_whole_values(sample):   # a label image (0, 1, 2, 3): background to the top label
        return hi - lo, (hi + lo) / 2.0
    foreground = sample[sample > sample.min()]
    if foreground.size < 100:
        foreground = sample
    lo, hi = np.percentile(foreground, [low, high])
    if hi <= lo:  # one value above the background (a mask opened as an image): span both
        lo, hi = float(sample.min()), float(sample.max())
    hi = min(hi + TOP_HEADROOM * (hi - lo), float(sample.max()))
    if hi <= lo:
        hi = lo + 1.0
    return float(hi - lo), float((hi + lo) / 2.0)


def body_window_level(array: np.ndarray) -> tuple[float, float]:
    """The automatic window of an overlay series drawn in hot colours (``app.fusion``): the
    :data:`LOW_PERCENTILE`..:data:`HIGH_PERCENTILE` percentiles of its voxels inside the body (above
    Otsu's threshold of its voxels: air and the noise over it left out, as the threshold tool
    starts), the top raised by :data:`TOP_HEADROOM` of that span as :func:`auto_window_level`
    raises it, but not held at the maximum: the hot scale's top third is yellow to white, and
    held there the brightest tissue was drawn white-hot (a FLAIR over a T1: 74 % of the brain in
    the top third, its median at 77 % of the window; now 25 % and 51 %). An image with values
    below 0 (its air is not the lowest), a label map, or a constant one: :func:`auto_window_level`'s
    window."""
    from ..core.edit.threshold import otsu

    sample = _sample(array)
    if sample.size == 0 or sample.min() < 0 or sample.min() == sample.max() \
            or _few_whole_values(sample):
        return _sample_window(sample, LOW_PERCENTILE, HIGH_PERCENTILE) if sample.size else (1.0, 0.5)
    body = sample[sample > otsu(sample)]
    lo, hi = np.percentile(body if body.size >= 100 else sample, [LOW_PERCENTILE, HIGH_PERCENTILE])
    if hi <= lo:
        return _sample_window(sample, LOW_PERCENTILE, HIGH_PERCENTILE)
    top = hi + TOP_HEADROOM * (hi - lo)
    return float(top - lo), float((top + lo) / 2.0)


def _few_whole_values(sample: np.ndarray) -> bool:
    """Whole numbers only, at most :data:`LABEL_VALUES` of them: a label map opened as an image.
    Its percentiles would put its lowest label at the window's bottom, drawn like background."""
    lo, hi = float(sample.min()), float(sample.max())
    if not np.array_equal(sample, np.round(sample)):
        return False
    if hi - lo < 65536:
        return np.count_nonzero(np.bincount((sample - lo).astype(np.int64))) <= LABEL_VALUES
    return np.unique(sample).size <= LABEL_VALUES


def is_ct(volume) -> bool:
    """CT by its header (modality, Hounsfield unit) or, with no modality (a NIfTI), by its voxels
    (:func:`neuroview.core.modality.looks_like_ct`: HU range, soft tissue, air or bone)."""
    return volume.is_ct()


def opening_3d_preset(volume) -> str:
    """The 3D view's preset an image starts at: "CT bone" for a head CT (the skull, as 3D
    Slicer's CT-Bone), "CT soft tissue" for a chest, an abdomen or another body part (by the rule
    that chooses its opening window, :func:`.ct_opening.opening_ct_preset`) and for a CT with no
    bone to draw (:func:`.ct_opening.holds_bone`: "CT bone" left its 3D view empty), "MR default"
    for anything else."""
    if volume is None or not is_ct(volume) or not_hounsfield(volume):   # HU ramps: a solid block
        return "MR default"
    from .ct_opening import BRAIN, holds_bone, opening_ct_preset

    head = opening_ct_preset(volume) == BRAIN
    return "CT bone" if head and holds_bone(volume) else "CT soft tissue"


def shown_unit(volume) -> str:
    """The unit values are shown in: the header's (``intensity_unit``), else "HU" for an image
    with no modality whose voxels read as a CT (a NIfTI), as the CT presets are offered for it;
    none for a CT whose numbers are not Hounsfield units (:func:`not_hounsfield`: the pointer
    read "value 1059 HU" on a cone-beam CT's brain, soft tissue's 35 HU stored + 1024)."""
    if volume.intensity_unit == "HU" and not_hounsfield(volume):
        return ""
    if volume.intensity_unit:
        return volume.intensity_unit
    return "HU" if not volume.modality and volume.voxels_look_like_ct() else ""


def shown_value(value) -> str:
    """A voxel's value as the status bar shows it: a whole number in full (``1009805``, which
    ``.6g`` rounded to ``1.0098e+06``, another voxel's value), else six significant digits
    without an exponent up to 10**15 (``1234567.9``); NaN and infinities as ``nan``, ``inf``."""
    value = float(value)
    if not np.isfinite(value) or abs(value) >= 1e15:
        return f"{value:.6g}"
    if value.is_integer():
        return str(int(value))
    return f"{value:.6g}" if abs(value) < 1e5 else f"{value:.1f}"

def preset_names(volume) -> list[str]:
    """Presets offered for a volume: the automatic window and the full range for every image,
    the CT table (in HU) only for CT. MR intensities have no absolute scale, so fixed MR windows
    would mean nothing (ITK-SNAP and Slicer offer only automatic ones for MR too)."""
    names = [*header_presets(volume), *[CONTRAST_RUN] * bool(contrast_run_window(volume)), AUTO, FULL]
    if volume is not None and is_ct(volume):
        names += list(CT_PRESETS)
    return names


def header_window(volume) -> tuple[float, float] | None:
    """The ``(window, level)`` the image's header names, else ``None``."""
    return getattr(volume, "header_window", None)


def header_presets(volume) -> dict[str, tuple[float, float]]:
    """The header's windows by name: *DICOM header*, then its second and later ones (a CT's bone
    window after its soft-tissue one) as *DICOM header 2*, *3*..., as Slicer offers each of a
    file's windows (only the first was offered until session 36)."""
    first = header_window(volume)
    if first is None:
        return {}
    more = getattr(volume, "more_header_windows", ())
    return {HEADER: first, **{f"{HEADER} {n}": pair for n, pair in enumerate(more, start=2)}}


def opening_window_level(volume) -> tuple[float, float]:
    """The window an image opens with: its header's (a DICOM series that names one: what the
    scanner's operator chose, and what other viewers open at), else a 4D CT run's whose
    contrast rises (*Contrast run*, :mod:`.contrast_run`: a NIfTI perfusion run), else
    :func:`auto_window_level`. A perfusion series opens at its header's brain window, vessels
    white as they fill; *Contrast run* is the next choice in the *Window preset* box."""
    return header_window(volume) or contrast_run_window(volume) or auto_window_level(volume)


def contrast_run_window(volume) -> tuple[float, float] | None:
    """*Contrast run*'s window of a 4D CT run whose contrast rises (:mod:`.contrast_run`), else
    ``None``."""
    return contrast_run.contrast_run_window(volume, lambda: (
        header_window(volume) or auto_window_level(volume)) if is_ct(volume) else None)


def preset_window_level(name: str, volume) -> tuple[float, float]:
    if name in (headers := header_presets(volume)):
        return headers[name]
    if name == CONTRAST_RUN and (widened := contrast_run_window(volume)) is not None:
        return widened
    if name == FULL:   # every time point of a 4D run, as the Window boxes range (its first until session 46)
        lo, hi = intensity_range(volume, every_frame=True)
        return float(max(hi - lo, 1e-6)), float((hi + lo) / 2)
    if name == AUTO:
        if is_ct(volume):
            # An automatic window for CT spans the data's own percentiles (not the brain preset),
            # from air up: nothing is darker than air (-1024 HU) but padding outside the
            # scanner's field of view (-2000 or -3024 HU as dcm2niix writes GE's), which took
            # the window's bottom with it and drew air mid-grey
            sample = np.maximum(_sample(volume.frame(0)), np.float32(CT_AIR_HU))
            lo, hi = np.percentile(sample, [LOW_PERCENTILE, HIGH_PERCENTILE])
            return float(max(hi - lo, 1.0)), float((hi + lo) / 2)
        return auto_window_level(volume)
    if name in CT_PRESETS and is_ct(volume):
        return CT_PRESETS[name]
    raise ValueError(f"window/level preset {name!r} is not offered for this image")


def matching_preset(window: float, level: float, presets: dict[str, tuple[float, float]]) -> str:
    """Name of the preset whose window and level these are (within 0.1 % of the window), else
    :data:`CUSTOM`. (Within 0.001 at least, it was: an ADC map's window of 0.0024 still matched
    *Auto* after a drag or a typed level.)"""
    for name, (w, lv) in presets.items():
        tol = 1e-3 * abs(w) + 1e-12
        if abs(window - w) <= tol and abs(level - lv) <= tol:
            return name
    return CUSTOM
