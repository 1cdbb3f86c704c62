"""Compressed single-frame files decoded in a process pool for ``load`` (forked from a
single-threaded process only): the parent sends each frame's encapsulated bytes with the pixel
description, the worker parses nothing, and few jobs are in flight at a time."""

from __future__ import annotations

import os
import threading

import numpy as np

from ...core.jobs import check, report
from .codecs import ensure_codecs
from .codestream import check_frame
from .decode import Decoder, as_array, encapsulated_frame, syntax_of
from .elements import element_map


def workers() -> int:
    return max(1, os.cpu_count() or 1)


PROCESS_POOL_MIN_FRAMES = 16


def _pixel_options(ds) -> dict:
    options = {
        "rows": int(ds.Rows), "columns": int(ds.Columns),
        "samples_per_pixel": int(ds.get("SamplesPerPixel", 1)),
        "bits_allocated": int(ds.BitsAllocated), "bits_stored": int(ds.BitsStored),
        "pixel_representation": int(ds.get("PixelRepresentation", 0)),
        "photometric_interpretation": str(ds.PhotometricInterpretation),
        "number_of_frames": 1, "pixel_keyword": "PixelData",
    }
    if options["samples_per_pixel"] > 1:
        options["planar_configuration"] = int(ds.get("PlanarConfiguration", 0))
    return options


def _decode_bytes(job) -> np.ndarray:
    """Worker process: decode one compressed frame from its encapsulated bytes."""
    import warnings as _warnings

    from pydicom.pixels import get_decoder

    syntax, data, options = job
    ensure_codecs()
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        # GDCM is not tried here: the parent decodes a frame the others refuse (decode.as_array)
        return as_array(get_decoder(syntax), data, 0, None, **options)


def use_processes(slots) -> bool:
    refs = [ref for _, _, ref in slots]
    # fork only from a single-threaded process (the CLI, scripts): forking beside other threads
    # can deadlock, and forkserver/spawn would re-import the user's unguarded __main__.
    return (workers() > 1 and len(refs) >= PROCESS_POOL_MIN_FRAMES
            and threading.active_count() == 1
            and all(ref.frame is None for ref in refs)
            and all(ref.compressed for ref in refs))


def decode_in_processes(slots, put, progress, cancel, fallback: Decoder) -> None:
    """Decode compressed single-frame files in a process pool, keeping few jobs in flight."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    ensure_codecs()  # before the fork: the workers inherit the loaded codecs
    context = multiprocessing.get_context("fork")  # workers inherit pydicom, nothing re-imported
    limit = 3 * workers()
    pending: dict = {}
    done = 1
    with ProcessPoolExecutor(max_workers=workers(), mp_context=context) as pool:
        try:
            for index in range(1, len(slots)):
                check(cancel)
                ref = slots[index][2]
                ds = ref.dataset
                deferred = element_map(ds).get(0x7FE00010)
                try:
                    data = ds.PixelData
                finally:
                    if deferred is not None and getattr(deferred, "value", 0) is None:
                        ds[0x7FE00010] = deferred  # free the bytes once sent
                check_frame(syntax_of(ds), encapsulated_frame(data, ref), ref.rows, ref.cols,
                            ref.samples, ref.path)
                job = (str(syntax_of(ds)), data, _pixel_options(ds))
                pending[pool.submit(_decode_bytes, job)] = index
                del data, job
                while len(pending) >= limit or (index == len(slots) - 1 and pending):
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        at = pending.pop(future)
                        try:
                            array = future.result()
                        except Exception:  # noqa: BLE001 - decoded again here, where GDCM is
                            array = fallback.decode(slots[at][2])  # tried and errors name the file
                        put(at, array)
                        done += 1
                        if done % 8 == 0 or done == len(slots):
                            report(progress, done, len(slots), "decoding DICOM pixels")
        except BaseException:
            for future in pending:
                future.cancel()
            raise
