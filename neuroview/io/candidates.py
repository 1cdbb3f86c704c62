"""What a scan finds: image series candidates, each loadable on demand.

Slicer's two-step DICOM loading, applied to every format: ``scan`` examines paths into
:class:`SeriesCandidate` objects (description, size, spacing, warnings, confidence) without reading
pixel data; the user (or the caller) picks one; ``candidate.load()`` reads it into a Volume.
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass, field
from typing import Callable, Optional

from ..core.jobs import CancelToken, ProgressFn
from ..core.plural import plural
from ..core.volume import Volume

Loader = Callable[[Optional[ProgressFn], Optional[CancelToken]], Volume]


STAMP_BYTES = 4096
STAMP_BLOCKS = 16
""":func:`file_stamp` reads this many blocks of :data:`STAMP_BYTES`, spread evenly over a file."""


def file_stamp(path: str) -> tuple:
    """``(path, size, mtime_ns, ctime_ns, inode, digest)``, the digest a CRC-32 of
    :data:`STAMP_BLOCKS` blocks of :data:`STAMP_BYTES` spread evenly over the file, its first and
    last among them (a DICOM file's header and first rows, a NIfTI's header; the whole of a file
    up to 64 kB): on a file system with coarse times (FAT's 2 s, some network shares) a rewrite
    of the same size within one tick, or one whose modification time was set back, is still seen
    where it changed a block, at either end or in between (until session 40, the two ends alone).
    800 files of 132 kB, page cache warm, load 10 on 2 cores: 0.34 s against 0.14 s for the two
    ends' BLAKE2 (BLAKE2 of the 16 blocks took 0.70 s). OSError where the file is gone."""
    with open(path, "rb") as file:
        fd = file.fileno()
        info = os.fstat(fd)
        last = max(0, info.st_size - STAMP_BYTES)
        starts = sorted({last * k // (STAMP_BLOCKS - 1) for k in range(STAMP_BLOCKS)})
        digest = zlib.crc32(b"".join([os.pread(fd, STAMP_BYTES, start) for start in starts]))
    return (path, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, digest)


@dataclass(repr=False)
class SeriesCandidate:
    key: str
    """Stable identifier: a file path, or a SeriesInstanceUID (plus ``.N`` when split)."""
    description: str
    modality: str
    shape: tuple[int, ...]
    spacing: tuple[float, float, float]
    orientation: str
    loader: Loader = field(repr=False, compare=False)
    warnings: list[str] = field(default_factory=list)
    confidence: float = 1.0
    """0..1: how sure we are this loads as one correct volume (lowered by each warning)."""
    series_number: Optional[int] = None
    n_files: int = 1
    source_format: str = ""
    uneven_slices: str = ""
    """For a DICOM series with unevenly spaced slices, how this scan placed them: ``"resampled"``
    onto an even grid, or ``"split"`` (this is one of its evenly spaced chunks); ``""`` otherwise.
    ``DicomOptions(uneven=...)`` chooses; the window's series chooser offers both."""
    made_up_slices: tuple[int, ...] = ()
    """The slices (0-based) of a resampled series where no image was acquired
    (``Volume.made_up_slices``)."""
    study: str = ""
    """DICOM StudyDescription and StudyDate (``"Brain 2003-05-05"``); empty for other formats."""
    time: str = ""
    """DICOM acquisition time (else series time) ``HH:MM:SS``, the earliest of the series."""
    kernel: str = ""
    """A CT's reconstruction kernel (ConvolutionKernel, ``BONE``, ``Hr40f``) where its images
    name one; empty otherwise."""
    patient_of: tuple[int, ...] = ()
    """``(n, m)``: the series is of the n-th of the m patients its scan found, where it found
    more than one (a DICOM folder holding two patients' studies); ``()`` otherwise."""
    localizer: bool = False
    """Every image of the series says ImageType LOCALIZER (a CT scout, an MR localizer)."""
    echo: str = ""
    """One echo of a multi-echo series: ``"echo 2, TE 10 ms"`` (``io.echoes.echo_words``)."""
    display_inverted: bool = False
    """DICOM MONOCHROME1 or Presentation LUT Shape INVERSE: shown with the lowest value white
    (``Volume.display_inverted``)."""
    files: tuple[str, ...] = field(default=(), repr=False, compare=False)
    """The files its voxels are read from (:meth:`stamps`); empty where they are not known
    (a NRRD's data file may lie elsewhere)."""
    b_values: Optional[Callable[[], Optional[list]]] = field(default=None, repr=False,
                                                             compare=False)
    """For a 4D DICOM series: reads the b-value of each volume from the headers
    (:func:`neuroview.io.dicom.diffusion.series_b_values`; ``None`` when they give none)."""
    run_interval: Optional[Callable[[], tuple[float, str]]] = field(default=None, repr=False,
                                                                    compare=False)
    """For a 4D DICOM series: the seconds between its volumes from the headers and which gave
    them, ``(2.0, "RepetitionTime")`` or ``(5.0, "acquisition times")``
    (:mod:`neuroview.io.dicom.run_interval`; ``(0.0, "")`` when they give none)."""

    def __repr__(self) -> str:
        # no key (a file path or a SeriesInstanceUID), description, study or time: a candidate
        # printed in a log line or a traceback names no patient or study (as Volume's repr)
        return (f"SeriesCandidate(modality={self.modality!r}, shape={tuple(self.shape)}, "
                f"spacing={tuple(round(float(s), 4) for s in self.spacing)}, "
                f"orientation={self.orientation}, n_files={self.n_files}, "
                f"confidence={self.confidence:.2f}, warnings={len(self.warnings)})")

    def load(self, progress: Optional[ProgressFn] = None,
             cancel: Optional[CancelToken] = None) -> Volume:
        volume = self.loader(progress, cancel)
        for warning in self.warnings:
            if warning not in volume.warnings:
                volume.warnings.append(warning)
        return volume

    def stamps(self) -> Optional[tuple]:
        """What tells each of its :attr:`files` unchanged (:func:`file_stamp`): equal before and
        after a read, the window knows a re-open of the series on screen without reading its
        voxels again; None when its files are not known or one is gone."""
        if not self.files:
            return None
        try:
            return tuple(file_stamp(path) for path in self.files)
        except OSError:
            return None

    def describe(self, modality: str = "") -> str:
        """One line for listings: description, modality, dimensions, spacing, orientation;
        ``modality``: what to say where the file names none (``CT (from its values)``)."""
        dims = "x".join(str(n) for n in self.shape)
        spacing = "x".join(f"{s:.3g}" for s in self.spacing)
        number = f"#{self.series_number} " if self.series_number is not None else ""
        modality = self.modality or modality or "-"
        name = self.description or "(no description)"
        return f"{number}{name} | {modality} | {dims} | {spacing} mm | {self.orientation}"

    def origin(self) -> str:
        """What tells apart two series of one number and description, or of one study (the
        second line of listings): ``"echo 2, TE 10 ms, study Brain 2003-05-05, time 02:53:12,
        kernel BONE"`` (the echo of a multi-echo series' image, :attr:`echo`; no
        kernel where the description names it already, as one of a series' kernels), led by
        ``patient 2 of 2`` where the scan found several patients; empty when unknown."""
        named = self.kernel and not self.description.endswith(f"({self.kernel})")
        parts = (["patient {} of {}".format(*self.patient_of)] if self.patient_of else []) + \
            ([self.echo] if self.echo else []) + ([f"study {self.study}"] if self.study else []) + \
            ([f"time {self.time}"] if self.time else []) + ([f"kernel {self.kernel}"] if named else [])
        return ", ".join(parts)


NOT_IMAGE_NOTES = (": not a DICOM file", ": skipped, ")
"""How the notes of files skipped as not images begin after their path: a PDF or a text note
(``report.pdf: not a DICOM file``), a DICOM report or presentation state (``sr.dcm: skipped, SR
structured report is not an image``, ``... holds no image (no pixel data)``)."""
NAMED = 3
"""Files :meth:`ScanResult.not_images_line` names; the rest are counted."""


def _stem(path: str) -> str:
    """A file's name to its first dot: ``T1w`` of ``T1w.nii.gz`` and of ``T1w.json``."""
    return os.path.basename(path).split(".", 1)[0]


BEST_RULE = "not a localizer, the most confident, then largest"
"""How :meth:`ScanResult.best` picks, as the lines naming the series picked say it."""


@dataclass
class ScanResult:
    candidates: list[SeriesCandidate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Files skipped on purpose (non-image DICOM, non-DICOM files) and why."""
    source: str = ""
    """What was scanned, as an error names it: the path, or "3 paths"."""

    def best(self) -> SeriesCandidate:
        """The candidate to open when the user did not choose: not a localizer, then most
        confident, then largest (a gantry-tilted head CT, 0.90 for its tilt, lost to its 1.00
        scout: the window's chooser preselected the scout and ``convert`` wrote it)."""
        def size(c: SeriesCandidate) -> int:
            total = 1
            for n in c.shape:
                total *= int(n)
            return total
        return max(self.candidates, key=lambda c: (not c.localizer, c.confidence, size(c)))

    def holding(self, path: str) -> "SeriesCandidate | None":
        """The one candidate whose files include ``path`` (a DICOM file picked in a folder of
        several series stands for its own), or None."""
        mine = os.path.realpath(path)
        found = [c for c in self.candidates if mine in {os.path.realpath(f) for f in c.files}]
        return found[0] if len(found) == 1 else None

    def left_out(self) -> list[str]:
        """Notes naming damaged files the scan had to leave out (a truncated or unreadable file,
        one a DICOMDIR lists but that is missing): a series may be a slice short for them."""
        return [note for note in self.notes
                if note.startswith("skipped ") or note.endswith("listed in the DICOMDIR but missing")]

    def not_images(self, beside=()) -> list[str]:
        """The files skipped as not images (a PDF, a text note, a DICOM report), in the scan's
        order: named once by :meth:`not_images_line` rather than one line each. An image's own
        files (``T1w.json``, ``.bval``, ``.bvec``, ``labels.segments.json`` beside ``T1w.nii.gz``
        or ``labels.nii.gz``, or a file named in ``beside``) are not counted: they go with it
        (:meth:`sidecars`)."""
        images = self._image_stems(beside)
        return [path for path in self._skipped() if _stem(path) not in images]

    def sidecars(self) -> list[str]:
        """The files skipped as not images that belong to an image found (its stem's: dcm2niix's
        ``T1w.json``, ``T1w.bval`` and ``T1w.bvec`` beside ``T1w.nii.gz``), in the scan's order."""
        images = self._image_stems()
        return [path for path in self._skipped() if _stem(path) in images]

    def _skipped(self) -> list[str]:
        """Every file a note says was skipped as not an image (:data:`NOT_IMAGE_NOTES`)."""
        paths = []
        for note in self.notes:
            for start in NOT_IMAGE_NOTES:
                at = note.rfind(start)
                if at > 0 and (start != NOT_IMAGE_NOTES[0] or note.endswith(start)):
                    paths.append(note[:at])
                    break
        return paths

    def _image_stems(self, beside=()) -> set[str]:
        images = {_stem(path) for c in self.candidates for path in (c.key, *c.files)}
        return images | set(map(_stem, beside))

    def not_images_line(self, beside=()) -> str:
        """``"2 files skipped: not images (report.pdf, notes.txt)"``, naming the first
        :data:`NAMED` by their file names; empty when none was skipped."""
        paths = self.not_images(beside)
        if not paths:
            return ""
        names = ", ".join(os.path.basename(p) for p in paths[:NAMED])
        more = f" and {len(paths) - NAMED} more" if len(paths) > NAMED else ""
        what = "an image" if len(paths) == 1 else "images"
        return f"{plural(len(paths), 'file')} skipped: not {what} ({names}{more})"
