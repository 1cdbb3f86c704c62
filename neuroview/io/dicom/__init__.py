"""DICOM: scan files, folder trees and DICOMDIRs into series candidates, then load one.

``scan_files`` reads each header once (in parallel), groups the images into series as dcm2niix
does (:mod:`.series`), splits mixed series, places uneven slices (:mod:`.uneven`), applies the
Philips scale chosen in :class:`.options.DicomOptions`, and returns
:class:`~neuroview.io.candidates.SeriesCandidate` objects whose ``loader`` decodes the pixels (in
parallel) into a :class:`~neuroview.core.volume.Volume` in RAS.
"""

from __future__ import annotations

import itertools
import logging
import operator
import os
import re
from functools import partial
from typing import Optional

from ...core.errors import DicomError, private_reason
from ...core.jobs import CancelToken, ProgressFn
from ...core.named_paths import logged_traceback, named_in_folder
from ...core.plural import plural
from ..candidates import ScanResult, SeriesCandidate
from ..echoes import echo_metadata, echo_words
from .captures import name_captures
from .corrections import correction_name, correction_note
from .diffusion import series_b_values
from .grouping import group_frames
from .headers import cycle_collector_paused, scan_paths
from .kernels import kernel_note
from .load import load_plan
from .localizers import localizer_images, name_localizers, split_explained
from .mosaic import plan_mosaic, say_tiles
from .options import DicomOptions
from .photometric import monochrome1_of
from .refs import FileScan
from .run_interval import plan_interval_s
from .scan import single_file_error
from .series import PENALTY, StackPlan, plan_stack
from .study_groups import group_studies
from .uneven import made_up_slices, mostly_interpolated, regularize, split_regular
from .vendor_fields import ISOTROPIC, ISOTROPIC_NOTE, rescale

ECHO_SUFFIX = re.compile(r"_e[0-9.]+(?:_|$)")
"""dcm2niix's suffix of one echo of several (``_e2``, ``_e4.2``, ``_e2_ph``)."""

_log = logging.getLogger(__name__)

__all__ = ["DicomOptions", "scan_files", "plans_from_scans"]

_philips_scale_of = operator.attrgetter("philips_scale")
_time_of = operator.attrgetter("time")

PHILIPS_NOTES = {
    "float": "Philips scale: precise floating-point values (stored x RescaleSlope + "
             "RescaleIntercept) / (RescaleSlope x private scale slope 2005,100E), as dcm2niix "
             "writes them (the window reads these; the command line's --philips-scale "
             "display|stored reads the others)",
    "display": "Philips scale: displayed values (RescaleSlope/Intercept), as the scanner "
               "console shows them; not the precise values dcm2niix writes",
    "stored": "Philips scale: stored pixel values, no scaling applied",
}


def _loader(plan: StackPlan, progress=None, cancel=None):
    return load_plan(plan, progress=progress, cancel=cancel)


def _place_uneven(plan: StackPlan, choice: str) -> list[StackPlan]:
    """``resample``, ``split``, or ``auto``: resample unless that would make up most of the
    series (then its acquired slices are kept, split, with a warning saying why)."""
    if choice == "resample":
        return [regularize(plan)]
    reason = mostly_interpolated(plan) if choice == "auto" else ""
    if choice == "auto" and not reason:
        return [regularize(plan)]
    return split_regular(plan, reason)


def plans_from_scans(scans: list[FileScan], options: Optional[DicomOptions] = None,
                     notes: Optional[list[str]] = None) -> list[StackPlan]:
    """One plan per series; a series that cannot be planned (a mosaic whose private geometry
    is broken) becomes a line in ``notes`` (or raises when ``notes`` is None)."""
    options = options or DicomOptions()
    frames = list(itertools.chain.from_iterable(scan.frames for scan in scans))
    for ref in frames:
        if ref.philips_scale is not None:
            ref.slope, ref.intercept = rescale(ref, options.philips_scale)
    plans = []
    groups = group_frames(frames)
    localizers = localizer_images(groups)
    for group in groups:
        try:
            if group.refs[0].mosaic:
                plan = plan_mosaic(group.key, group.refs)
            else:
                plan = plan_stack(group.key, group.refs, group.part, group.n_parts,
                                  rank_part=not split_explained(group, localizers))
                name_localizers(plan, group, localizers)
                name_captures(plan, group.refs)
                say_tiles(plan, group.refs)
        except DicomError as exc:
            if notes is None:
                raise
            notes.append(f"skipped {exc}")
            continue
        except Exception as exc:  # noqa: BLE001 - a fault planning one series costs only it
            if notes is None:
                raise
            _log.debug("series of %s not planned\n%s", named_in_folder(group.refs[0].path),
                       logged_traceback(exc))
            notes.append(_not_planned(group.refs, exc))
            continue
        if group.left_out:  # images of the series a damaged header could not place
            plan.warnings[:0] = group.left_out
            plan.confidence = round(max(0.05, plan.confidence - PENALTY["missing"]), 2)
        if group.suffix:  # dcm2niix's suffix, so 'convert' names files as dcm2niix does
            plan.description = f"{plan.description or 'series'}{group.suffix}"
        if ECHO_SUFFIX.match(group.suffix):   # one echo of several: its number and TE, named
            plan.echo = echo_metadata(group.refs[0].echo_number, group.refs[0].echo_time)
        if all(ref.derived == ISOTROPIC for ref in group.refs):   # not an ADC map, as named
            plan.warnings.insert(0, ISOTROPIC_NOTE)
        if group.kernel and not all(ref.localizer or ref.capture for ref in group.refs):
            # one of a CT's reconstructions stored in one series (.kernels); its scout and its
            # dose page are of the series, not of one kernel
            plan.description = f"{plan.description or 'series'} ({group.kernel})"
            plan.warnings.insert(0, kernel_note(group.kernel, list(group.kernels)))
        if group.corrections and not all(ref.localizer or ref.capture for ref in group.refs):
            # Siemens images before and after a correction stored in one series (.corrections)
            name = correction_name(group.correction, [words for words, _ in group.corrections])
            plan.description = f"{plan.description or 'series'} ({name})"
            plan.warnings.insert(0, correction_note(group.correction, group.corrections))
        if group.partial:
            plan.description = f"{plan.description or 'series'} (partial volume)"
            plan.warnings.append(group.partial)
            plan.confidence = round(max(0.05, plan.confidence - PENALTY["split"]), 2)
        if set(map(_philips_scale_of, group.refs)) != {None}:  # a Philips scale on some frame
            plan.philips_scale = options.philips_scale
            plan.warnings.append(PHILIPS_NOTES[options.philips_scale])
        plan.monochrome1, note = monochrome1_of(group.refs)
        if note:
            plan.warnings.append(note)
        if plan.irregular:
            made = _place_uneven(plan, options.uneven)
            for part in made:
                part.uneven_slices = "resampled" if part.resample is not None else "split"
            plans.extend(made)
        else:
            plans.append(plan)
    return plans


def _kernel_of(plan: StackPlan) -> str:
    """The reconstruction kernel its images name, where they name one (a scout's or a dose
    page's aside); empty where none or several."""
    kernels = {ref.kernel for ref in itertools.chain.from_iterable(plan.frames)
               if ref.kernel and not (ref.localizer or ref.capture)}
    return kernels.pop() if len(kernels) == 1 else ""


def _not_planned(refs, exc: Exception) -> str:
    """The line for a series that an internal error kept from being planned."""
    others = len({ref.path for ref in refs}) - 1
    where = refs[0].path + (f" and {plural(others, 'other file')}" if others else "")
    text = private_reason(exc, 120)
    return (f"skipped {where}: series {refs[0].series_number} could not be read (internal "
            f"error, {type(exc).__name__}: {text}); the folder's other series are kept")


def scan_files(files: list[str], progress: Optional[ProgressFn] = None,
               cancel: Optional[CancelToken] = None, single_file: bool = False,
               options: Optional[DicomOptions] = None) -> ScanResult:
    """Examine DICOM files (and DICOMDIRs among them) into image series candidates.

    Non-image objects and non-DICOM files become notes. With ``single_file`` (the user named one
    file) a file that holds no image raises the error that says why.
    """
    with cycle_collector_paused():
        return _scan_files(files, progress, cancel, single_file, options)


def _scan_files(files: list[str], progress, cancel, single_file: bool,
                options: Optional[DicomOptions]) -> ScanResult:
    files = [os.path.normpath(f) for f in files]
    scans = scan_paths(files, progress=progress, cancel=cancel)
    if single_file and len(files) == 1 and not scans[0].frames and not scans[0].dicomdir_files:
        raise single_file_error(files[0], scans[0])
    seen = set(files)
    extra = [f for scan in scans for f in scan.dicomdir_files if f not in seen]
    result = ScanResult()
    if extra:
        seen.update(extra)
        missing = [f for f in extra if not os.path.isfile(f)]
        for path in missing:
            result.notes.append(f"{path}: listed in the DICOMDIR but missing")
        scans = scans + scan_paths([f for f in extra if os.path.isfile(f)], progress, cancel)
    read_damaged = {}   # a file read though damaged (cut short): said with its series' warnings
    for scan in scans:
        if scan.note and scan.frames:
            read_damaged[scan.frames[0].path] = scan.note
        elif scan.note:
            result.notes.append(scan.note)
        elif scan.error is not None:
            result.notes.append(f"skipped {scan.error}")
    plans = plans_from_scans(scans, options, result.notes)
    for plan in plans:   # in info's and convert's warnings and the window's notice bar
        paths = {ref.path for frames in plan.frames for ref in frames}
        plan.warnings.extend(note for path, note in read_damaged.items() if path in paths)
    plans.sort(key=lambda p: (p.series_number if p.series_number is not None else 1 << 30,
                              p.description, p.key))
    # a folder of two patients' studies: each patient's series together, numbered as first listed
    # (who they are is never shown); their series interleaved by number until session 46
    patients = list(dict.fromkeys(plan.first.patient for plan in plans if plan.first.patient))
    if len(patients) > 1:
        plans.sort(key=lambda p: patients.index(p.first.patient) if p.first.patient else len(patients))
    group_studies(plans, patients if len(patients) > 1 else [])   # each study's series together
    for plan in plans:
        result.candidates.append(SeriesCandidate(
            key=plan.key, description=plan.description, modality=plan.modality,
            shape=plan.shape, spacing=plan.spacing, orientation=plan.orientation,
            loader=partial(_loader, plan), warnings=list(plan.warnings),
            confidence=plan.confidence, series_number=plan.series_number,
            n_files=plan.n_files, source_format="DICOM", uneven_slices=plan.uneven_slices,
            made_up_slices=made_up_slices(plan),
            files=tuple(sorted({ref.path for ref in itertools.chain.from_iterable(plan.frames)})),
            display_inverted=plan.monochrome1,
            b_values=partial(series_b_values, plan) if plan.n_times > 1 else None,
            run_interval=partial(plan_interval_s, plan) if plan.n_times > 1 else None,
            localizer=all(ref.localizer for ref in itertools.chain.from_iterable(plan.frames)),
            study=plan.first.study,
            time=min(filter(None, map(_time_of, itertools.chain.from_iterable(plan.frames))),
                     default=""),
            kernel=_kernel_of(plan),
            echo=echo_words(plan.echo),
        ))
    if len(patients) > 1:
        for plan, candidate in zip(plans, result.candidates):
            if plan.first.patient:
                candidate.patient_of = (patients.index(plan.first.patient) + 1, len(patients))
    return result
