"""``neuroview info PATH...``: every series or volume found, with its warnings.

Each path given is reported: a damaged file is one ``neuroview: error:`` line naming it (on
stderr), the others are still listed, and the exit status is 1 when any path failed. A
compressed NIfTI/MGH (``.nii.gz``, ``.mgz``) is checked for truncation without inflating it: the
gzip trailers hold the uncompressed lengths (mod 2^32), compared with the header's offset plus
voxel bytes; only the last gzip member is ever inflated (:mod:`neuroview.io.gzip_length`).
"""

from __future__ import annotations

import math
import os
import sys

from ..core.errors import CorruptFileError, NeuroviewError, printable
from ..core.geometry import shown_slice_numbers
from ..core.plural import plural
from ..io import scan
from ..io.candidates import NAMED
from ..io.dicom.codecs import prepare_pydicom_with
from ..io.gzip_length import check_gzip_length
from ..io.mgz_footer import footer_error
from ..io.modality_guess import guessed_modality
from .dicom_flags import add_dicom_flags, dicom_options
from .info_loaded import loaded_lines
from .lazy_imports import import_pydicom
from .progress import TextProgress


def register(parser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="file, folder or DICOMDIR")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help=f"list every note (by default the first {NOTES_SHOWN})")
    add_dicom_flags(parser)


NOTES_SHOWN = 10
VOLUME_ENDINGS = (".nii", ".nii.gz", ".mgz", ".mgh", ".hdr", ".img", ".nrrd", ".nhdr", ".mha",
                  ".mhd")


def run(args) -> int:
    # pydicom only if a file needs it (as for convert), then without the network libraries and
    # codecs it imports at once: a little-endian series read by neuroview's reader never does
    prepare_pydicom_with(import_pydicom)
    options = dicom_options(args)
    errors: list[str] = []
    try:   # all paths together: one DICOM series may be spread over several files or folders
        results = [scan(args.paths, progress=TextProgress(), dicom_options=options)]
    except NeuroviewError as exc:   # some path is bad: scan each on its own, loose DICOM files together
        results = []
        # one path: the scan just done was its own (again doubled the time of a folder of
        # 100,000 empty files: 13-15 s)
        paths = args.paths if len(args.paths) > 1 else errors.append(str(exc)) or []
        volume_files = [p for p in paths if os.path.isfile(p) and p.lower().endswith(VOLUME_ENDINGS)]
        folders = [p for p in paths if not os.path.isfile(p)]
        others = [p for p in paths if p not in volume_files and p not in folders]
        for group in [[p] for p in volume_files + folders] + ([others] if others else []):
            try:
                results.append(scan(group, progress=TextProgress(), dicom_options=options))
            except NeuroviewError as exc:
                errors.append(str(exc))
    given = {os.path.normpath(p) for p in args.paths}
    number, notes = 0, []
    for result in results:
        notes.extend(brief_notes(result, args.verbose))
        for candidate in result.candidates:
            # numbered even when truncated: --series N of convert, segment and snapshot counts
            # it (info's [2] was their series 3 when a truncated file sorted first)
            number += 1
            problem = truncation(candidate)
            if problem is not None:
                if os.path.normpath(candidate.key) in given:
                    errors.append(str(problem))
                else:
                    notes.append(f"skipped [{number}] {problem}")
                continue
            print(printable(f"[{number}] {candidate.describe(guessed_modality(candidate))}"))
            extra = f"    format {candidate.source_format or '-'}, {plural(candidate.n_files, 'file')}"
            if candidate.display_inverted:
                extra += (", shown inverted (MONOCHROME1 or Presentation LUT Shape INVERSE: "
                          "lowest value white)")
            print(f"{extra}, confidence {candidate.confidence:.2f}")
            if candidate.origin():
                print(f"    {printable(candidate.origin())}")
            line, frame_warning = frames(candidate)
            if line:
                print(f"    {printable(line)}")
            if candidate.made_up_slices:
                print(f"    {made_up_line(candidate)}")
            for warning in [frame_warning] * bool(frame_warning) + candidate.warnings:
                print(f"    warning: {printable(warning)}")
            for loaded in loaded_lines(candidate, [line, frame_warning]):   # the window's unit
                print(f"    {printable(loaded)}")
    for error in errors:   # as the CLI writes every error: one line each, on stderr
        print(f"neuroview: error: {error}", file=sys.stderr)
    shown = notes if args.verbose else notes[:NOTES_SHOWN]
    for note in shown:
        print(f"note: {printable(note)}")
    if len(shown) < len(notes):
        print(f"note: ... and {len(notes) - len(shown)} more (--verbose lists them all)")
    return 1 if errors else 0


def made_up_line(candidate) -> str:
    """``made-up slices 3-5, 9 of 40 (axial view): ...``: every slice a resampled series made up
    (where the warning names three), numbered as the view along its slices numbers them (from
    the I, P or L end: ``core.geometry.shown_slice_numbers``; counted along the array until
    session 45, so a coronal series' made-up slice 2 of 6 was the view's 5/6)."""
    view, shown = shown_slice_numbers(candidate.orientation, candidate.made_up_slices,
                                      candidate.shape[2])
    runs: list[list[int]] = []
    for number in shown:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    numbers = ", ".join(f"{r[0]}" if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)
    return (f"made-up slice{'s' if len(shown) > 1 else ''} {numbers} of {candidate.shape[2]} "
            f"({view} view): no image acquired there, interpolated between the acquired slices "
            "around")


def brief_notes(result, verbose: bool) -> list[str]:
    """The scan's notes, the files skipped as not images (a PDF, a text note) in one line where
    the first of them was (``2 files skipped: not images (report.pdf, notes.txt)``), one line
    each with ``--verbose``: a folder with a report beside its series said it file by file. An
    image's own sidecars (dcm2niix's ``T1w.json``, ``.bval``, ``.bvec``) are one line, ``sidecars
    of the images listed: T1w.bval, T1w.bvec, T1w.json``: each was 'not a DICOM file'."""
    sidecars = result.sidecars()
    lines = {path: sidecars_line(sidecars, verbose) for path in sidecars}
    if not verbose:
        lines.update(dict.fromkeys(result.not_images(), result.not_images_line()))
    notes, said = [], set()
    for note in result.notes:
        line = next((lines[p] for p in lines if note.startswith(f"{p}: ")), None)
        if line is None:
            notes.append(note)
        elif line not in said:
            notes.append(line)
            said.add(line)
    return notes


def sidecars_line(paths: list[str], verbose: bool) -> str:
    """``sidecars of the images listed: T1w.bval, T1w.json``, the first :data:`NAMED` named
    (every one with ``--verbose``)."""
    shown = paths if verbose else paths[:NAMED]
    more = f" and {len(paths) - len(shown)} more" if len(paths) > len(shown) else ""
    return f"sidecars of the images listed: {', '.join(map(os.path.basename, shown))}{more}"


def frames(candidate) -> tuple[str, str]:
    """A 4D NIfTI's or MGH's line (its time points or volumes, TR, b-values of the ``.bval``
    beside a NIfTI) and a warning on its ``.bval``, a DICOM DWI series' line (its b-values, read
    from the headers: :mod:`neuroview.io.dicom.diffusion`); ``("", "")`` for another candidate.
    A 4D NIfTI or MGH said only ``64x64x30x20``, a DICOM DWI also."""
    from ..io.nifti_frames import frames_summary

    shape = tuple(candidate.shape)
    if candidate.source_format == "DICOM" and candidate.b_values is not None:
        values = candidate.b_values()
        if values is None:   # a run: its time points and the time between them
            step, said = candidate.run_interval() if candidate.run_interval else (0.0, "")
            apart = f"TR {step:g} s" if said == "RepetitionTime" else f"{step:g} s apart"
            apart += " on average" if "uneven" in said else ""
            return f"{shape[3]} time points" + (f", {apart} ({said})" if step else ""), ""
        from ..io.dicom.diffusion import b_values_text

        return f"{len(values)} volumes, b-values {b_values_text(values)} (DICOM headers)", ""
    if candidate.source_format not in ("NIfTI", "MGH") or len(shape) != 4 or shape[3] < 2:
        return "", ""
    import zlib

    try:   # a .mgz's footer (its TR) lies past the voxels: a stream broken there says nothing more
        return frames_summary(candidate.key, shape[3])
    except (OSError, EOFError, zlib.error, ValueError, KeyError, IndexError):   # header read already
        return "", ""


def truncation(candidate) -> NeuroviewError | None:
    """The error for a gzip-compressed NIfTI/MGH candidate whose stream ends before the voxels
    its header declares, or a ``.mgz`` whose bytes after them are no MGH footer (its header's
    dimensions smaller than its data: :mod:`neuroview.io.mgz_footer`); None when it is whole (or
    not such a file)."""
    path = candidate.key
    if candidate.source_format not in ("NIfTI", "MGH") or not str(path).lower().endswith((".gz", ".mgz")):
        return None
    try:
        offset, shape, itemsize = declared(path)
        check_gzip_length(path, offset + math.prod(shape) * itemsize)
    except NeuroviewError as exc:
        return exc
    except OSError as exc:
        return CorruptFileError(f"cannot read the file ({exc.strerror or exc})", path=path)
    if str(path).lower().endswith(".mgz"):
        return footer_error(path, shape, itemsize, offset)
    return None


def declared(path) -> tuple[int, tuple[int, ...], int]:
    """``(voxel offset, shape, bytes a voxel)`` as the header declares them."""
    from ..io.nifti import open_nifti

    img, _ = open_nifti(path)
    header = img.header   # its copy of the header forgets vox_offset; the data proxy keeps it
    offset = int(getattr(img.dataobj, "offset", header.get_data_offset()))
    shape = tuple(int(n) for n in header.get_data_shape())
    return offset, shape, int(header.get_data_dtype().itemsize)
