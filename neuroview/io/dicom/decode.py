"""Decode one frame's pixels: a fast path for uncompressed little-endian frames, pydicom otherwise.

Shared by the stack loader (:mod:`.load`) and the mosaic loader (:mod:`.mosaic`).
"""

from __future__ import annotations

import logging
import re
import struct
import threading
from collections import Counter
from collections.abc import Iterable
from typing import Optional

import numpy as np

from ...core.errors import PYTHON_INTERNAL, Cancelled, DicomError, first_line, values_left_out
from ...core.memory import require_memory
from ...core.named_paths import named_in_folder, paths_named
from . import native_stderr
from .codecs import ensure_codecs
from .codestream import check_frame
from .dataset_frames import PIXEL_DATA_TAGS
from .decode_words import FRAGMENT_ITEM, FRAGMENTS_UNDER_NATIVE, decode_words, native_short_words
from .elements import element_map
from .isolated import GDCM
from .pixel_fields import pixel_fields_problem
from .refs import FrameRef, path_of

log = logging.getLogger(__name__)


class Decoder:
    """Decode frames of the plan's files; one pixel-data read per file, released after use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[str, int] = {}

    def expect(self, refs: Iterable[FrameRef]) -> None:
        """Count the frames to come of each file (counted in C: 86,400 frames in a study)."""
        counts = self._pending
        for path, n in Counter(map(path_of, refs)).items():
            counts[path] = counts.get(path, 0) + n

    def decode(self, ref: FrameRef) -> np.ndarray:
        raw = _read_native_frame(ref)
        if raw is not None:
            return raw
        ds = ref.dataset
        from pydicom.pixels import get_decoder
        syntax = syntax_of(ds)
        ensure_codecs()
        elements = element_map(ds)
        deferred = {tag: elements[tag] for tag in PIXEL_DATA_TAGS if tag in elements}
        try:
            # pydicom allocates the frame the header declares before decoding it
            require_memory(ref.rows * ref.cols * max(1, ref.samples) * 4, ref.path,
                           f"one {ref.rows}x{ref.cols} frame")
            if syntax.is_encapsulated:
                check_frame(syntax, encapsulated_frame(ds.PixelData, ref), ref.rows, ref.cols, ref.samples,
                            ref.path)
            array = as_array(get_decoder(syntax), ds, ref.frame, ref.path)
        except Cancelled:
            raise
        except MemoryError:
            raise DicomError(f"not enough memory to decode one {ref.rows}x{ref.cols} frame "
                             "(Rows/Columns wrong?)", path=ref.path) from None
        except NotImplementedError as exc:
            raise DicomError(f"no decoder for {syntax.name} ({exc})", path=ref.path,
                             hint=install_hint(get_decoder(syntax))) from None
        except DECODE_ERRORS as exc:
            # pydicom lists each decoder's reason on a line of its own: keep them, on one line
            lines = [line.strip() for line in str(exc).strip().splitlines()] or [""]
            text = plain_reason(exc, (lines[0] + " " + "; ".join(lines[1:])).strip())[:400]
            log.info("%s: the decoders' reasons: %s", named_in_folder(ref.path),   # in words below
                     paths_named(text))
            if not syntax.is_encapsulated and pixel_head(ds).startswith(FRAGMENT_ITEM):
                # as the fast path says it (pydicom takes the fragments for short native data)
                raise DicomError(FRAGMENTS_UNDER_NATIVE, path=ref.path) from None
            if problem := pixel_fields_problem(ds):   # the header, not the data
                raise DicomError(problem, path=ref.path) from None
            raise DicomError(f"cannot decode pixel data ({decode_words(syntax, text)})",
                             path=ref.path) from None
        finally:
            self._release(ref, deferred)
        if array.ndim == 3 and ref.samples == 1:
            array = array[0]
        if array.shape[:2] != (ref.rows, ref.cols):
            raise DicomError(f"decoded frame is {array.shape}, header says {ref.rows}x{ref.cols}",
                             path=ref.path)
        return array

    def _release(self, ref: FrameRef, deferred: dict) -> None:
        """Put the deferred (on-disk) pixel element back once the file's last frame is decoded.

        pydicom replaces a deferred element by its value when read; restoring the raw element
        (value still on disk) frees the bytes. Multi-frame files keep them until all frames are done.
        """
        with self._lock:
            left = self._pending.get(ref.path, 1) - 1
            self._pending[ref.path] = left
            if left > 0:
                return
            for tag, raw in deferred.items():
                if getattr(raw, "value", 0) is None:
                    ref.dataset[tag] = raw  # pydicom takes a raw element as it is


DECODE_ERRORS = (RuntimeError, ValueError, EOFError, OSError, KeyError, AttributeError,
                 TypeError, IndexError, struct.error)
"""What pydicom and its decoding plugins raise on data they cannot decode (struct.error: an
encapsulated offset table cut short)."""
OBJECT_REPR = re.compile(r" ?<[\w.]+ object at 0x[0-9a-fA-F]+>")
"""A Python object's repr in a decoder's reason (Pillow: ``cannot identify image file
<_io.BytesIO object at 0x7f...>``): a memory address says nothing to a user, and is dropped."""
CLASS_NAME = re.compile(r"^(?:\w+(?:Error|Exception)|error): ")
"""A Python exception class leading a reason (``RuntimeError: ``), as the GDCM child sends it."""
DECODE_FAILED = "failed to decode the frame (damaged data)"


def plain_reason(exc: BaseException, text: str, plugin: str = "") -> str:
    """A decoder's reason as a user reads it: no exception class name, no plugin name twice
    (``gdcm: RuntimeError: gdcm: ...``), no memory address, no quoted header value (pydicom quotes
    a PhotometricInterpretation it does not know); a Python internal error (or an empty
    reason) becomes :data:`DECODE_FAILED`."""
    text = OBJECT_REPR.sub("", text).strip()
    while True:
        stripped = CLASS_NAME.sub("", text)
        if plugin and stripped.startswith(f"{plugin}:"):
            stripped = stripped[len(plugin) + 1:].strip()
        if stripped == text:
            break
        text = stripped
    if not text or PYTHON_INTERNAL.search(text) or isinstance(exc, (AttributeError, TypeError)):
        # pydicom's GDCM plugin calls ``.encode`` on what GDCM's ``GetBuffer`` returns, None
        # when GDCM could not decode the frame: "'NoneType' object has no attribute 'encode'"
        return DECODE_FAILED
    return values_left_out(text)


ISOLATED_PLUGIN = "gdcm"
"""GDCM's C++ code ends the whole process (``terminate`` on a ``gdcm::Exception``) on some damaged
JPEG data, which no handler can catch: it runs last, in a child process (:mod:`.isolated`)."""
LOSSY_JPEG = ("1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51")
"""JPEG's DCT syntaxes (baseline, extended), where decoders may round the inverse DCT, chroma
upsampling and colour conversion each their own way. Pillow (libjpeg-turbo) decodes them as GDCM
(pydicom's first plugin) and DCMTK do: the same samples on all 15 8-bit lossy JPEG files of
pydicom and pydicom-data, DCMTK's six decoded copies included; pylibjpeg-libjpeg differs on 10
of them by 1-5 levels. GDCM runs last, so Pillow takes its place first."""


PIP_NAMES = {"gdcm": "python-gdcm"}
"""pydicom names a dependency by its module; pip installs it under this name."""


def install_hint(decoder) -> str:
    """What to install to decode ``decoder``'s transfer syntax, from what each of pydicom's
    plugins for it lacks (``missing_dependencies``: ``pylibjpeg - requires pylibjpeg>=2.0 and
    pylibjpeg-openjpeg>=2.0``), as pip names them: ``install one of: python-gdcm; pillow;
    pylibjpeg and pylibjpeg-openjpeg`` for JPEG 2000. The hint named the same four packages for
    any syntax, three of which decode no JPEG 2000."""
    choices = []
    for line in getattr(decoder, "missing_dependencies", None) or ():
        _, _, needs = line.partition(" - requires ")
        names = [re.split(r"[<>=!~ ]", need.strip())[0]
                 for need in re.split(r", | and ", needs) if need.strip()]
        names = [PIP_NAMES.get(name, name) for name in names if name and name != "numpy"]
        if names:
            choices.append(" and ".join(names))
    if not choices:
        return "install pylibjpeg-openjpeg, pylibjpeg-libjpeg, pyjpegls or python-gdcm"
    return "install one of: " + "; ".join(choices)


def as_array(decoder, src, index: Optional[int], path: Optional[str], **options) -> np.ndarray:
    """Decode frame ``index`` of ``src`` (a dataset, or one frame's bytes with ``options``) with
    pydicom's plugins in pydicom's order (Pillow first for lossy JPEG), GDCM last and in a child
    process (``path``: the file it reads there; ``None``: not tried). Raises RuntimeError naming
    each plugin's failure."""
    if not decoder.UID.is_encapsulated:  # native pixels: pydicom reads them, no plugin
        return decoder.as_array(src, index=index, as_rgb=True, **options)[0]
    failures = []
    # pydicom tries its plugins in the order they were registered; ``available_plugins`` sorts them
    order = list(getattr(decoder, "_available", None) or decoder.available_plugins)
    for plugin in in_process_order(decoder.UID, order):
        try:
            with native_stderr.quiet():
                return decoder.as_array(src, index=index, as_rgb=True, decoding_plugin=plugin,
                                        **options)[0]
        except DECODE_ERRORS as exc:
            # pydicom: "Unable to decode as exceptions were raised by all available plugins:"
            # and then "  PLUGIN: REASON" on a line of its own
            lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
            reason = lines[-1] if len(lines) > 1 and lines[-1].startswith(f"{plugin}:") \
                else first_line(exc, 120)
            failures.append(f"{plugin}: {plain_reason(exc, reason, plugin)}"[:160])
        except BaseException as exc:
            if not is_decoder_panic(exc):
                raise
            failures.append(f"{plugin}: the decoder failed: {plain_reason(exc, first_line(exc, 120))}")
    if ISOLATED_PLUGIN in order and path is not None:
        try:
            return GDCM.decode(path, index)
        except RuntimeError as exc:
            failures.append(f"{ISOLATED_PLUGIN}: {plain_reason(exc, str(exc), ISOLATED_PLUGIN)}")
    if not failures:
        raise NotImplementedError("no decoding plugin is installed for it")
    raise RuntimeError("; ".join(failures))


def in_process_order(syntax: str, order: list[str]) -> list[str]:
    """The plugins to try in this process, from pydicom's ``order``: GDCM left out (it runs
    last, isolated), Pillow first for JPEG's DCT syntaxes (:data:`LOSSY_JPEG`)."""
    kept = [plugin for plugin in order if plugin != ISOLATED_PLUGIN]
    if syntax in LOSSY_JPEG and "pillow" in kept:
        kept.remove("pillow")
        kept.insert(0, "pillow")
    return kept


def encapsulated_frame(pixel_data: bytes, ref: FrameRef) -> bytes:
    """The frame's compressed bytes in a file's encapsulated pixel data (for
    :func:`.check_frame`), or b'' where pydicom cannot find them (its decoder then says why)."""
    from pydicom.encaps import get_frame

    try:
        return get_frame(pixel_data, ref.frame or 0, number_of_frames=ref.n_frames_in_file)
    except DECODE_ERRORS:
        return b""


def pixel_head(ds) -> bytes:
    """The first 4 bytes of the dataset's pixel data (read already), else ``b""``."""
    value = ds.get("PixelData")
    return bytes(value[:4]) if isinstance(value, (bytes, bytearray)) else b""


def is_decoder_panic(exc: BaseException) -> bool:
    """A decoder written in Rust (pylibjpeg-rle) panics on damaged data with pyo3's
    PanicException, which derives from BaseException and so passes every ``except Exception``."""
    return type(exc).__name__ == "PanicException"


def frame_offset(ref: FrameRef) -> Optional[tuple[np.dtype, int]]:
    """(dtype, file offset) of the frame's pixels when they can be read straight from the file
    (uncompressed little-endian grey: :attr:`.FrameRef.pixel_layout`), else ``None``."""
    if ref.pixel_layout is None:
        return None
    dtype = np.dtype(ref.pixel_layout[0])
    return dtype, ref.pixel_layout[1] + (ref.frame or 0) * ref.rows * ref.cols * dtype.itemsize


def _read_native_frame(ref: FrameRef) -> Optional[np.ndarray]:
    """Fast path: ``np.fromfile`` reads the pixel bytes straight into an array, skipping
    pydicom's generic decoder (a third of the load time on a 512x512 CT)."""
    layout = frame_offset(ref)
    if layout is None:
        return None
    dtype, offset = layout
    count = ref.rows * ref.cols
    array = np.fromfile(ref.path, dtype=dtype, count=count, offset=offset)
    if array.size != count:
        head = array[:4 // dtype.itemsize + 1].tobytes()[:4]
        raise DicomError(native_short_words(array.size, count, head), path=ref.path)
    return array.reshape(ref.rows, ref.cols)


def syntax_of(ds):
    from pydicom.uid import ImplicitVRLittleEndian

    meta = getattr(ds, "file_meta", None)
    return (meta.get("TransferSyntaxUID") if meta is not None else None) or ImplicitVRLittleEndian


def decode_frame(ref: FrameRef) -> np.ndarray:
    """Decode one frame on its own (``[row, column]`` or ``[row, column, sample]``)."""
    decoder = Decoder()
    decoder.expect([ref])
    return decoder.decode(ref)
