"""Decode the pixels of a planned stack into one preallocated array, in parallel.

Memory: each decoded slice is written straight into the output array and dropped; the pixel data
element of each file is read from disk when decoded and released again afterwards, so the peak is
the output volume plus a few slices in flight. Rescale (slope/intercept) is applied per slice.

Uncompressed slices are read by a thread pool (file reads release the GIL): the common
single-frame little-endian case goes with ``readinto`` straight into its slab of the output volume,
no temporary array and no copy; other uncompressed layouts go through pydicom and are copied.
Compressed slices go to a process pool (:mod:`.decode_processes`): measured in bench/load.py, the
JPEG 2000 decoders (pylibjpeg-openjpeg, gdcm, pillow) gained nothing from threads, so only
processes use every core.
The parent reads each file's compressed bytes from its parsed dataset (parsed again when the scan's
worker processes read the headers) and sends them with
the pixel description (the worker parses nothing); at most a few slices per worker are in flight,
so memory stays near the output volume.
"""

from __future__ import annotations

import itertools
import math
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

import numpy as np

from ...core.ct_padding import padding_record
from ...core.errors import Cancelled, ChangedSinceScanError, DicomError, LoadError
from ...core.jobs import CancelToken, ProgressFn, check, report
from ...core.memory import require_memory
from ...core.volume import Volume
from ..adc_unit import adc_unit, names_adc
from .changed import RESCAN, changed_since_scan
from .decode import Decoder, frame_offset
from .decode_processes import decode_in_processes, use_processes, workers
from .diffusion import (
    b_values_text,
    directionless_note,
    gradients_text,
    series_b_values,
    series_gradients,
)
from .display_window import header_window, more_header_windows
from .mosaic import load_mosaic
from .padding import (
    air_stored,
    fill_marked,
    fits,
    lossy,
    padded,
    padding_bits,
    padding_range,
    replace_stored,
)
from .padding_before import PaddingBefore
from .quick_dataset import QuickDataset
from .quick_read import quick_read
from .refs import FrameRef, rescale_of
from .run_interval import plan_interval_s, uneven_times
from .same_files import check_same_files
from .series import StackPlan
from .uneven import made_up_slices, resample_bits, resample_slices

IDENTIFYING_KEYWORDS = (
    "PatientName", "PatientID", "IssuerOfPatientID", "PatientBirthDate", "PatientSex", "PatientAge",
    "OtherPatientIDs", "StudyDate", "SeriesDate", "AcquisitionDate", "ContentDate", "StudyTime", "SeriesTime",
    "AccessionNumber", "StudyID", "StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID",
    "FrameOfReferenceUID", "InstitutionName", "InstitutionAddress", "ReferringPhysicianName",
    "PerformingPhysicianName", "OperatorsName", "StationName", "DeviceSerialNumber",
    "StudyDescription", "SeriesDescription", "ProtocolName", "BodyPartExamined", "Manufacturer",
    "ManufacturerModelName", "SeriesNumber", "MagneticFieldStrength", "SOPClassUID",
    "BurnedInAnnotation",   # not identifying itself: says the pixels are (dataset.deid)
)
_INTEGER_TYPES = (np.uint8, np.int8, np.uint16, np.int16, np.uint32, np.int32)


def source_metadata(ds) -> dict:
    """Header values that identify the patient, study or site; kept apart for de-identification.
    ``ds``: a pydicom dataset or neuroview's own reading of the header (:mod:`.quick_read`)."""
    meta = {"format": "DICOM"}
    quick = isinstance(ds, QuickDataset)
    for keyword in IDENTIFYING_KEYWORDS:
        try:
            value = ds.source_text(keyword) if quick else ds.get(keyword)
        except Exception:  # noqa: BLE001 - a damaged element (unknown VR, bad length): the
            continue  # image is whole; the value is left out, as if absent
        if value not in (None, ""):
            meta[keyword] = str(value)
    return meta


def first_header(ref: FrameRef):
    """The header of a series' first file for its identifying values and rescale type:
    neuroview's reading where it applies (no pydicom), else the pydicom dataset."""
    if ref.header.ds is None:
        quick = quick_read(ref.path)
        if quick is not None:
            try:
                quick.get("RescaleType")
                source_metadata(quick)
                return quick
            except Exception:  # noqa: BLE001 - anything else: pydicom's reading
                pass
    return ref.dataset


def _readinto(handle, offset: int, block: np.ndarray, path: str) -> None:
    """Fill ``block`` (a Fortran-ordered slab of the output: its memory is laid out as the file
    stores the frames, row by row) with the bytes at ``offset``: no temporary array, no copy."""
    buffer = memoryview(block.T).cast("B")
    try:
        handle.seek(offset)
        got = handle.readinto(buffer)
        while got < len(buffer):  # short reads are legal; 0 means end of file
            more = handle.readinto(buffer[got:])
            if not more:
                break
            got += more
    except OSError as exc:
        raise DicomError(f"cannot read pixel data ({exc.strerror or exc})", path=path) from None
    if got != len(buffer):
        raise DicomError(f"pixel data is truncated ({got // block.itemsize} of {block.size} "
                         "values)", path=path)


def frame_runs(slots, indices: list[int]) -> list[list[int]]:
    """``indices`` (frames of one file) in runs whose frames follow each other in the file and
    fill consecutive slices of one time point: each run is one contiguous read."""
    runs: list[list[int]] = []
    for index in sorted(indices, key=lambda i: slots[i][2].frame or 0):
        k, t, ref = slots[index]
        if runs:
            k0, t0, ref0 = slots[runs[-1][-1]]
            if ref0.frame is not None and ref.frame == ref0.frame + 1 and k == k0 + 1 and t == t0:
                runs[-1].append(index)
                continue
        runs.append([index])
    return runs


def _integer_dtype_for(lo: float, hi: float, min_itemsize: int):
    for dtype in _INTEGER_TYPES:
        info = np.iinfo(dtype)
        if np.dtype(dtype).itemsize >= min_itemsize and info.min <= lo and hi <= info.max:
            return np.dtype(dtype)
    return np.dtype(np.float32)


DOSE_UNITS = {"GY": "Gy", "RELATIVE": "relative dose"}


def _intensity_unit(plan: StackPlan, ds) -> str:
    if plan.modality == "CT" and str(ds.get("RescaleType", "HU") or "HU").upper() in ("HU", "US"):
        return "HU"
    if plan.modality == "RTDOSE":
        return DOSE_UNITS.get(str(ds.get("DoseUnits", "") or "").upper(), "")
    return ""


def load_plan(plan: StackPlan, progress: Optional[ProgressFn] = None,
              cancel: Optional[CancelToken] = None) -> Volume:
    """Read and decode every frame of ``plan`` into a Volume (RAS, rescaled)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydicom's per-file chatter; errors still raise
        check_same_files(itertools.chain.from_iterable(plan.frames))   # replaced since the scan
        try:
            return _load_plan(plan, progress, cancel)
        except LoadError as exc:   # a file cut or replaced since the scan: said so
            ref = next((ref for ref in itertools.chain.from_iterable(plan.frames)
                        if ref.path == exc.path), None)
            changed = changed_since_scan(ref) if ref is not None else ""
            if not changed or exc.message == changed:   # said already (gone)
                raise
            raise ChangedSinceScanError(changed, path=exc.path, hint=RESCAN) from None


def _load_plan(plan: StackPlan, progress: Optional[ProgressFn],
               cancel: Optional[CancelToken]) -> Volume:
    if plan.mosaic_shape is not None:
        return _volume(plan, load_mosaic(plan, progress, cancel))
    slots = [(k, t, ref) for k, stack in enumerate(plan.frames) for t, ref in enumerate(stack)]
    decoder = Decoder()
    decoder.expect(itertools.chain.from_iterable(plan.frames))
    n_times = plan.n_times
    if n_times > 1 and plan.first.samples > 1:
        raise DicomError("colour images with several frames per position are not supported",
                         path=plan.first.path)
    rescales = set(map(rescale_of, itertools.chain.from_iterable(plan.frames)))
    slope, intercept = next(iter(rescales))
    uniform = len(rescales) == 1
    integral = uniform and float(slope).is_integer() and float(intercept).is_integer()

    # Decode the first frame alone: it fixes the stored dtype (and primes pydicom's parsing of
    # the shared header elements before threads use them).
    k0, t0, ref0 = slots[0]
    first = decoder.decode(ref0)
    raw_integer = first.dtype.kind in "iu"
    direct = (uniform and slope == 1 and intercept == 0) or (integral and raw_integer)
    header = first_header(ref0)
    unit = _intensity_unit(plan, header)
    padding = (padding_range(header) if raw_integer and not lossy(header, ref0.transfer_syntax)
               else None)   # (a lossy image's padding is no longer one number: see .padding)
    if padding is not None and (not fits(first.dtype, padding) or (not direct and unit != "HU")):
        padding = None   # (rescaled floats of other units keep their numbers: see .padding)
    # each slab's range picks the integer type of the rescaled values (_rescale_integer); with
    # no rescale to apply nothing reads it (two passes over every voxel: 0.1-0.2 s of CPU on
    # 700 MB of enhanced files)
    track_range = raw_integer and direct and not (slope == 1 and intercept == 0)
    out_dtype = first.dtype if direct else np.dtype(np.float32)
    require_memory(math.prod(plan.shape) * out_dtype.itemsize, ref0.path, "the series")
    try:
        # Fortran order (i fastest, as NIfTI stores voxels): each decoded slice's transpose lands
        # in one contiguous block, and nibabel writes the volume without another transpose.
        shape = plan.shape[:2] + (len(plan.frames),) + plan.shape[3:]  # as acquired
        out = np.empty(shape, dtype=out_dtype, order="F")
    except MemoryError:
        raise DicomError(f"not enough memory for a {plan.shape} volume", path=ref0.path) from None
    ranges = np.zeros((len(slots), 2), dtype=np.float64)
    # the padding's voxels as read before session 32 (its rescaled number): older journals' key
    older = PaddingBefore.of(out, padding, plan.resample, plan.first.samples)

    def put(index: int, array: np.ndarray) -> None:
        k, t, ref = slots[index]
        if array.ndim == 3:
            target = out[:, :, k]
            pixels = array.transpose(1, 0, 2)
        else:
            target = out[:, :, k, t] if n_times > 1 else out[:, :, k]
            pixels = array.T
        if direct:
            target[...] = pixels
            if track_range:
                ranges[index] = (pixels.min(), pixels.max())
        else:
            np.multiply(pixels, np.float32(ref.slope), out=target, casting="unsafe")
            target += np.float32(ref.intercept)
            if older is not None and t == 0:
                older.take_slice(k, target)
            if padding is not None:  # marked; air is chosen once every slice is in
                target[padded(pixels, padding)] = np.nan

    def work_file(indices: list[int]) -> None:
        """The frames of one file: uncompressed ones read straight into the output, one read per
        run of consecutive frames (a one-volume enhanced file is one read); others decoded."""
        if cancel is not None and cancel.cancelled:
            raise Cancelled()
        ref = slots[indices[0]][2]
        layout = frame_offset(ref) if direct and ref.samples == 1 else None
        if layout is None or layout[0] != out.dtype:
            for index in indices:
                if cancel is not None and cancel.cancelled:
                    raise Cancelled()
                put(index, decoder.decode(slots[index][2]))
            return
        frame_bytes = ref.rows * ref.cols * out.dtype.itemsize
        base = layout[1] - (ref.frame or 0) * frame_bytes
        with open(ref.path, "rb", buffering=0) as handle:
            for run in frame_runs(slots, indices):
                if cancel is not None and cancel.cancelled:
                    raise Cancelled()
                k, t, first_ref = slots[run[0]]
                block = out[:, :, k:k + len(run), t] if n_times > 1 else out[:, :, k:k + len(run)]
                _readinto(handle, base + (first_ref.frame or 0) * frame_bytes, block, ref.path)
                if track_range:
                    ranges[run] = (block.min(), block.max())

    put(0, first)
    del first
    done = 1
    report(progress, done, len(slots), "decoding DICOM pixels")
    if len(slots) > 1 and use_processes(slots):
        decode_in_processes(slots, put, progress, cancel, decoder)
    elif len(slots) > 1:
        by_file: dict[str, list[int]] = {}  # one job per file: 5,760 frames of 240 files
        for index in range(1, len(slots)):  # cost more in futures than in reading
            by_file.setdefault(slots[index][2].path, []).append(index)
        jobs = _batches(list(by_file.values()))
        with ThreadPoolExecutor(max_workers=workers()) as pool:
            futures = [(pool.submit(_each, work_file, batch), sum(map(len, batch)))
                       for batch in jobs]
            try:
                for future, n_frames in futures:
                    future.result()
                    before, done = done, done + n_frames
                    if done // 8 != before // 8 or done == len(slots):
                        report(progress, done, len(slots), "decoding DICOM pixels")
            except BaseException:
                for future, _ in futures:
                    future.cancel()
                raise
    check(cancel)
    replaced, ranges_read = 0, ranges
    bits = padding_bits(out) if padding is not None else None
    if padding is not None and direct:
        if older is not None:
            older.take_stored(out)
        fill = air_stored(out.dtype, slope, intercept) if unit == "HU" else None
        replaced = replace_stored(out, padding, fill, bits, (slope, intercept))
        if replaced and track_range:
            ranges = np.array([(out[:, :, k].min(), out[:, :, k].max())
                               for k in range(out.shape[2])], dtype=np.float64)
    elif padding is not None:
        replaced = fill_marked(out, bits)
    if direct and not (slope == 1 and intercept == 0):
        out = _rescale_integer(out, ranges, slope, intercept)
        if older is not None and replaced:  # rescaled as then: its dtype from the padding too
            older.rescaled(lambda column: _rescale_integer(column, ranges_read, slope, intercept))
    if plan.resample is not None:
        out = resample_slices(out, *plan.resample)
        bits = resample_bits(bits, *plan.resample) if bits is not None else None
    volume = _volume(plan, out, header)
    volume.made_up_slices = made_up_slices(plan)   # marked on the slice views
    if older is not None and replaced:
        volume.read_before = older.record(out)
    if bits is not None:   # where the scanner measured nothing: left out of a rectangle's figures
        volume.outside_scan = padding_record(out, padding[0], bits, replaced)
    return volume


FRAMES_PER_JOB = 16
"""The files of one job of the pixel threads: at least this many frames (a 7,200-file study
of 12-frame files made 7,200 futures, one per file, whose hand-offs cost more than the reads)."""


def _batches(files: list[list[int]]) -> list[list[list[int]]]:
    """Consecutive files (each a list of frame indices) in jobs of about FRAMES_PER_JOB frames."""
    jobs: list[list[list[int]]] = []
    held = FRAMES_PER_JOB
    for indices in files:
        if held >= FRAMES_PER_JOB:
            jobs.append([])
            held = 0
        jobs[-1].append(indices)
        held += len(indices)
    return jobs


def _each(work, batch) -> None:
    for indices in batch:
        work(indices)


PHILIPS_UNITS = {"float": "Philips FP (precise)", "display": "Philips DV (displayed)",
                 "stored": "Philips SV (stored)"}


def _volume(plan: StackPlan, out: np.ndarray, header=None) -> Volume:
    ref0 = plan.first
    header = first_header(ref0) if header is None else header
    metadata = source_metadata(header) | plan.echo   # one echo of several: which (io.echoes)
    unit = _intensity_unit(plan, header)
    if plan.philips_scale:
        metadata["PhilipsScale"] = plan.philips_scale
        unit = PHILIPS_UNITS[plan.philips_scale]
    if not unit and out.ndim == 3 and names_adc(plan.description, ref0.derived):
        unit = adc_unit(out)   # an ADC map: ×10⁻⁶ mm²/s, as the vendors store it
    b_values = series_b_values(plan) if plan.n_times > 1 else None
    directionless = ""
    if b_values is not None:  # a DWI's, shown and written as a NIfTI's .bval (app.frames)
        metadata["bvals"] = b_values_text(b_values)
        vectors = series_gradients(plan, b_values)
        if vectors is not None:  # written as the .bvec (io.nifti_frames)
            metadata["gradients_ras"] = gradients_text(vectors)
        directionless = directionless_note(b_values, vectors)   # a GE series' trace image
    if plan.n_times > 1:   # the time between volumes, written in pixdim[4] (a DWI's too, as
        step, _ = plan_interval_s(plan)   # dcm2niix writes it; the window names a run's)
        if step > 0:
            metadata["frame_interval_s"] = f"{step:g}"
        uneven = uneven_times(plan) if step > 0 else None
        if uneven is not None:   # each time point's own time (app.frames.frame_seconds)
            metadata["frame_times_s"] = " ".join(f"{t:.6g}" for t in uneven)
    return Volume(
        array=out,
        ijk_to_ras=plan.ijk_to_ras,
        modality=plan.modality,
        intensity_unit=unit,
        description=plan.description,
        axis4="time" if plan.n_times > 1 else ("channel" if out.ndim == 4 else ""),
        source_path=os.path.dirname(ref0.path) if plan.n_files > 1 else ref0.path,
        source_metadata=metadata,
        warnings=list(plan.warnings) + ([directionless] if directionless else []),
        display_inverted=plan.monochrome1,
        # the header's window is in the rescaled units; Philips FP/SV voxels are in others
        header_window=(header_window(header, lambda: ref0.dataset)
                       if plan.philips_scale in ("", "display") else None),
        more_header_windows=(more_header_windows(header, lambda: ref0.dataset)
                             if plan.philips_scale in ("", "display") else ()),
    )


def _rescale_integer(out: np.ndarray, ranges: np.ndarray, slope: float, intercept: float):
    """Apply one integer slope/intercept to stored integers, in place when the result fits.

    Typical CT (stored 0..4095, intercept -1024) stays int16 without a second buffer; otherwise a
    wider array is filled slice by slice (peak: old + new, at most 1.5x the new one).
    """
    ends = np.array([ranges[:, 0].min(), ranges[:, 1].max()]) * slope + intercept
    lo, hi = float(ends.min()), float(ends.max())
    dtype = _integer_dtype_for(lo, hi, out.dtype.itemsize)
    if dtype == out.dtype and slope > 0:  # the common case (int16 CT): in place, no temporary
        if slope != 1:
            np.multiply(out, out.dtype.type(slope), out=out)
        if intercept >= 0 or dtype.kind == "i":
            np.add(out, out.dtype.type(intercept), out=out)
        else:  # unsigned stored values all above -intercept (GE: 1000.., intercept -1024)
            np.subtract(out, out.dtype.type(-intercept), out=out)
        return out
    if dtype.kind != "f" and dtype.itemsize == out.dtype.itemsize:  # e.g. uint16 -> int16
        view = out.view(dtype)
        for k in range(out.shape[2]):
            view[:, :, k] = out[:, :, k].astype(np.int32) * int(slope) + int(intercept)
        return view
    result = np.empty(out.shape, dtype=dtype, order="F")
    for k in range(out.shape[2]):
        result[:, :, k] = out[:, :, k].astype(np.float64 if dtype.kind == "f" else np.int64) \
            * slope + intercept
    return result
