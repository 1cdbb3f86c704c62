"""What a scan keeps of each image frame (:class:`FrameRef`) and of each file (:class:`FileScan`)."""

from __future__ import annotations

import itertools
import operator
from dataclasses import dataclass, field
from typing import Optional

from ...core.errors import ChangedSinceScanError, CorruptFileError
from .changed import GONE
from .elements import element_map

DEFER_SIZE = 4096
"""Elements larger than this stay on disk until read (pixel data, big private blobs)."""


def element_past_end(ds, size: int) -> str:
    """Why a dataset read with ``DEFER_SIZE`` cannot be right, or "": an element (other than
    pixel data) left on disk whose declared length runs past the end of the file (reading it
    would first allocate that length, up to 4 GB, for a few bytes)."""
    for tag, raw in element_map(ds).items():
        if tag >> 16 == 0x7FE0:
            continue  # pixel data: checked against the frames it must hold (scan.py)
        length, start = getattr(raw, "length", 0), getattr(raw, "value_tell", None)
        if getattr(raw, "value", 0) is None and start is not None and length != 0xFFFFFFFF \
                and start + length > size:
            return (f"DICOM element ({tag >> 16:04X},{tag & 0xFFFF:04X}) declares {length} bytes, "
                    f"the file ends {max(0, size - start)} bytes later (truncated or damaged)")
    return ""


class Header:
    """The parsed dataset of one file, shared by its frames; pickled without the dataset.
    ``alike``: the file's frames differ only in ``frame``, ``position`` and ``order`` (every
    other field the same), so grouping may move them as one block. ``size``: the file's bytes
    when scanned (:mod:`.changed` tells a file cut since from a damaged one); ``stamp``: its
    identity then (:func:`.changed.identity`: size, times, inode), None where unknown."""

    __slots__ = ("path", "ds", "deflated", "alike", "size", "stamp")

    def __init__(self, path: str, ds=None, deflated: bool = False,
                 size: Optional[int] = None, stamp: Optional[tuple] = None) -> None:
        self.path, self.ds, self.deflated, self.alike = path, ds, deflated, False
        self.size, self.stamp = size, stamp

    def __getstate__(self):
        return self.path, self.deflated, self.alike, self.size, self.stamp

    def __setstate__(self, state) -> None:
        (self.path, self.deflated, self.alike, self.size, self.stamp), self.ds = state, None

    def dataset(self):
        if self.ds is None:  # sent back by a worker process: parse the file again
            import warnings

            from ..compressed import check_deflated_dicom
            from .codecs import ensure_pydicom
            from .no_meta import read_forced

            ensure_pydicom()
            if self.deflated:
                check_deflated_dicom(self.path)  # the bound again: the file may have changed
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    # a deflated dataset is read whole (its offsets are in the inflated stream)
                    self.ds = read_forced(self.path,
                                          defer_size=None if self.deflated else DEFER_SIZE)
            except FileNotFoundError:   # it said "(FileNotFoundError)"
                raise ChangedSinceScanError(GONE, path=self.path) from None
            except OSError as exc:
                raise CorruptFileError(f"DICOM file cannot be read again ({exc.strerror or exc})",
                                       path=self.path) from None
            except Exception:  # noqa: BLE001 - pydicom's zoo; the file changed since
                raise CorruptFileError("DICOM file cannot be read again: it changed since the "
                                       "folder was scanned", path=self.path) from None
        return self.ds


@dataclass
class FrameRef:
    """One 2D image: a single-frame file, or one frame of a multi-frame file."""

    header: Header = field(repr=False, compare=False)
    path: str
    frame: Optional[int]
    """Frame index in a multi-frame file; ``None`` for a single-frame file."""
    series_uid: str
    series_number: Optional[int]
    description: str
    modality: str
    rows: int
    cols: int
    samples: int
    position: Optional[tuple[float, float, float]]
    """ImagePositionPatient (LPS mm) of the first transmitted pixel, or ``None``."""
    orientation: Optional[tuple[float, ...]]
    """ImageOrientationPatient: row direction then column direction (LPS cosines)."""
    pixel_spacing: tuple[float, float]
    """(distance between rows, distance between columns) in mm, as DICOM orders it; 1 x 1 mm
    where the file holds none it can read (:attr:`spacing_said` false)."""
    slice_thickness: Optional[float]
    slope: float
    intercept: float
    order: tuple
    """Acquisition order (temporal position, time, acquisition number, instance number, trigger
    time, content time, frame; 0 where absent): for 4D stacking only."""
    n_frames_in_file: int = 1
    study: str = ""
    """StudyDescription and StudyDate (``fields.study_text``): tells apart series of one number."""
    time: str = ""
    """Acquisition (else series, else content) time as ``HH:MM:SS``, as dcm2niix names files."""
    patient: str = ""
    """Who the file is of (``fields.patient_key``, a digest, never shown): a folder of two
    patients' studies is said so."""
    mosaic: bool = False
    """A Siemens MOSAIC or UIH grid: the file is a whole volume (see :mod:`.mosaic`)."""
    echo_number: int = 0
    """EchoNumbers (0 when absent)."""
    echo_time: Optional[float] = None
    component: str = ""
    """Complex component other than magnitude: ``"ph"``, ``"real"`` or ``"imaginary"``."""
    derived: str = ""
    """For DERIVED images: the map they hold (``"ADC"``, ``"TRACE"``, ``"FA"``) or ``"derived"``."""
    sop_uid: str = ""
    """SOPInstanceUID: a file copied into the study twice holds the same image."""
    localizer: bool = False
    """ImageType names it LOCALIZER (a CT scout, a topogram), as CT and most MR scanners do."""
    kernel: str = ""
    """ConvolutionKernel (``fields.kernel_text``): a CT's reconstruction kernel, ``""`` if none."""
    correction: str = ""
    """The corrections ImageType names (``corrections.correction_words``): ``"DIS2D NORM"``,
    ``"ND"``, ``""`` if none."""
    capture: bool = False
    """Its SOP class is Secondary Capture Image Storage (:data:`.captures.SECONDARY_CAPTURE`)."""
    tiles: bool = False
    """ImageType says MOSAIC but its CSA image header is gone (:func:`.fields.mosaic_without_header`):
    read as the one tiled image."""
    xa_volume_numbers: bool = False
    """Siemens XA software, whose runs may number each volume's series 16001, 16002...
    (:func:`.fields.xa_volume_numbers`)."""
    spacing_said: bool = True
    """The file holds a PixelSpacing (or ImagerPixelSpacing) of two numbers."""
    slice_gap: Optional[float] = None
    """SpacingBetweenSlices (mm): the step used when the files carry no patient position."""
    philips_scale: Optional[float] = None
    """Philips private scale slope (2005,100E), per frame in enhanced objects; see ``rescale``."""
    stored_slope: float = 1.0
    stored_intercept: float = 0.0
    """RescaleSlope/Intercept as the file gives them (``slope``/``intercept`` may differ)."""
    monochrome1: bool = False
    """The lowest value is meant to be shown white: MONOCHROME1 or Presentation LUT Shape INVERSE
    (``photometric.shown_inverted``). The values are kept (as dcm2niix and pydicom keep them; a
    CT's stay HU); the view inverts."""
    transfer_syntax: str = ""
    compressed: bool = False
    pixel_layout: Optional[tuple[str, int]] = None
    """(numpy dtype, file offset of frame 0) of uncompressed little-endian grey pixels, else
    ``None`` (pydicom decodes those)."""

    @property
    def dataset(self):
        """The file's parsed pydicom dataset (parsed again when the frame came from a worker)."""
        return self.header.dataset()


# a field of many frames at once, ``map(path_of, refs)``: the loop over the frames (86,400 in
# the study of ``bench/load.py --study large``) runs in C, not in Python bytecode
header_of = operator.attrgetter("header")
path_of = operator.attrgetter("path")
position_of = operator.attrgetter("position")
order_of = operator.attrgetter("order")
rescale_of = operator.attrgetter("slope", "intercept")


def all_set(values) -> bool:
    """No value is None: ``all(v is not None for v in values)``, in C."""
    return all(map(operator.is_not, values, itertools.repeat(None)))


def split_blocks(blocks: list[list[FrameRef]], key) -> list[tuple[str, list[list[FrameRef]]]]:
    """(value, its blocks) per distinct ``key(ref)`` of the blocks' first refs (one kind of one
    series), in order of value, where they hold more than one; else ``[("", blocks)]``.
    Localizers and secondary captures split nothing: they go with the largest value's blocks,
    where grouping keeps them apart."""
    by_value: dict[str, list[list[FrameRef]]] = {}
    apart = []
    for block in blocks:
        if block[0].localizer or block[0].capture:
            apart.append(block)
        else:
            by_value.setdefault(key(block[0]), []).append(block)
    if len(by_value) < 2:
        return [("", blocks)]
    largest = max(by_value, key=lambda value: len(by_value[value]))
    by_value[largest] = by_value[largest] + apart
    return sorted(by_value.items())


@dataclass
class FileScan:
    frames: list[FrameRef] = field(default_factory=list)
    note: str = ""
    """Why the file was skipped (not DICOM, not an image), or with its frames what was odd in
    reading them (:mod:`.cut_short`)."""
    error: Optional[Exception] = None
    """A file that is DICOM-looking but broken (truncated...); an error for a single file."""
    dicomdir_files: list[str] = field(default_factory=list)

    def __getstate__(self):
        """What a worker process sends back: the first frame's fields once, then for each
        other frame only the fields it does not share with the first (position, order...): an
        enhanced file's frames repeat most of their 32 fields, and rebuilding every field of
        every frame was the parent's serial share of a scan in processes."""
        frames = self.frames
        if not frames:
            return self.note, self.error, self.dicomdir_files, None, ()
        first = frames[0].__dict__
        others = [{key: value for key, value in frame.__dict__.items()
                   if first.get(key, _MISSING) is not value}
                  for frame in frames[1:]]
        return self.note, self.error, self.dicomdir_files, first, others

    def __setstate__(self, state) -> None:
        self.note, self.error, self.dicomdir_files, first, others = state
        self.frames = []
        if first is None:
            return
        head = object.__new__(FrameRef)
        head.__dict__.update(first)
        self.frames.append(head)
        for values in others:
            ref = object.__new__(FrameRef)
            ref.__dict__.update(first)
            ref.__dict__.update(values)
            self.frames.append(ref)


_MISSING = object()
