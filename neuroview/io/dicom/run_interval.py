"""The time between the volumes of a DICOM run (an fMRI, perfusion or any 4D time series), as
dcm2niix writes it in the NIfTI's ``pixdim[4]``: the RepetitionTime, unless the volumes'
acquisition times say otherwise by more than :data:`TOLERANCE_S` (a dynamic contrast run whose
TR is its excitations' 4 ms while its volumes lie 5 s apart; dcm2niix's issue 560), then the
time they give. Kept as a NIfTI's is, in ``Volume.source_metadata["frame_interval_s"]``
(:mod:`neuroview.io.nifti_frames`): the window names each time point's time by it and
``convert`` writes it into the file's header."""

from __future__ import annotations

from .bids_fields import bids_fields

TOLERANCE_S = 0.05
"""dcm2niix 1.0.20260724 keeps a TR of 2 s for volumes 2.05 s apart, takes 2.06 s (and 10.2 s
for a TR of 10 s): the times win where they differ by more than this."""


def seconds_of_day(value: float) -> float:
    """An acquisition time as the scan keeps it (``101502.5`` for DICOM's TM ``101502.5``, or a
    DateTime's ``20261207101502.5``) in seconds after midnight; 0 where there is none."""
    hhmmss = float(value) % 1_000_000
    hours, rest = divmod(hhmmss, 10_000)
    minutes, seconds = divmod(rest, 100)
    return hours * 3600 + minutes * 60 + seconds


def volume_times(plan) -> list[float] | None:
    """Each time point's earliest acquisition time (seconds after midnight); None where one
    has none."""
    times = []
    for t in range(plan.n_times):
        said = [ref.order[1] for row in plan.frames for ref in (row[t],) if ref.order[1]]
        if not said:
            return None
        times.append(min(seconds_of_day(v) for v in said))
    return times


def uneven_times(plan) -> list[float] | None:
    """Each time point's time from the first (s) where the volumes' acquisition times are not
    evenly spaced (one lies more than :data:`TOLERANCE_S` off the even grid: a perfusion run
    sampled every second through the bolus, every 3 s after it), else ``None``: the run's times
    are then its first's and a step of :func:`run_interval_s`."""
    times = volume_times(plan) if plan.n_times > 2 else None
    if times is None:
        return None
    offsets = [(t - times[0]) % 86_400 for t in times]   # a run across midnight
    step = offsets[-1] / (len(offsets) - 1)
    if all(abs(offset - n * step) <= TOLERANCE_S for n, offset in enumerate(offsets)):
        return None
    return offsets


def run_interval_s(plan, repetition_s: float | None) -> tuple[float, str]:
    """Seconds between the volumes of ``plan``'s run (see the module's text) and what gave them,
    ``"RepetitionTime"`` or ``"acquisition times"``; ``(0.0, "")`` where neither its TR
    (``repetition_s``) nor its times give one."""
    step = 0.0
    times = volume_times(plan) if plan.n_times > 1 else None
    if times is not None:
        span = times[-1] - times[0]
        span += 86_400 if span < 0 else 0   # a run across midnight
        step = span / (len(times) - 1)
    if repetition_s and repetition_s > 0 and not (step > 0 and abs(step - repetition_s) > TOLERANCE_S):
        return float(repetition_s), "RepetitionTime"
    uneven = uneven_times(plan) if step > 0 else None
    if uneven is not None:
        gaps = [b - a for a, b in zip(uneven, uneven[1:])]
        return step, f"acquisition times, uneven: {min(gaps):g} to {max(gaps):g} s apart"
    return (step, "acquisition times") if step > 0 else (0.0, "")


def plan_interval_s(plan) -> tuple[float, str]:
    """:func:`run_interval_s` of ``plan`` with the RepetitionTime of its first file (the series'
    loading and ``neuroview info``, before its voxels are read)."""
    return run_interval_s(plan, bids_fields(plan.first.path).get("RepetitionTime"))
