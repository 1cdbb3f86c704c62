"""``neuroview convert INPUT OUTPUT [--series N] [--frame N] [--tilt resample] [--labels FILE]
[--no-sidecar]``: to NIfTI, one file per series (with a BIDS-style JSON sidecar for DICOM)."""

from __future__ import annotations

import gc
import os
import sys

from ..app.save_folder import safe_file_name
from ..core.errors import NeuroviewError, SaveError, printable
from ..io import choose, scan
from ..io.dicom.codecs import prepare_pydicom_with
from ..io.nifti import frame_interval_s, qform_code, save_volume
from ..io.nifti_frames import write_diffusion_files
from ..io.nifti_header import write_converted
from ..io.registry import is_volume_path
from .arg_types import counting_number
from .dicom_flags import add_dicom_flags, dicom_options
from .lazy_imports import import_pydicom
from .outputs import in_folder, nifti_or_folder, not_the_input, writable_folder
from .progress import TextProgress
from .series_choice import say_chosen


def register(parser) -> None:
    parser.add_argument("input", metavar="INPUT", help="file, folder or DICOMDIR")
    parser.add_argument("output", metavar="OUTPUT",
                        help=".nii/.nii.gz file (one series: of several, --series N or the "
                             "one the window selects first, named on stderr) or a folder "
                             "(every series; a new folder's name has no file ending, or ends "
                             "in '/')")
    parser.add_argument("--series", type=counting_number, default=None, metavar="N",
                        help="convert only series N as numbered by 'neuroview info'")
    parser.add_argument("--no-gzip", action="store_true",
                        help="write .nii rather than .nii.gz into a folder OUTPUT (as dcm2niix "
                             "-z n): no time spent compressing, bigger files")
    parser.add_argument("--no-sidecar", action="store_true",
                        help="write no NAME.json beside a NIfTI converted from DICOM (as dcm2niix "
                             "-b n); by default it holds Modality, Manufacturer, field strength, "
                             "echo and repetition time, slice thickness and image type, nothing "
                             "that names the patient, the study or the site")
    parser.add_argument("--frame", type=counting_number, default=None, metavar="N",
                        help="write only time point N (1-based, as the window's Time point box) "
                             "of a 4D series, as a 3D image; one series: the input's only one "
                             "or --series N")
    parser.add_argument("--tilt", choices=("keep", "resample"), default="keep",
                        help="a gantry-tilted CT: keep its sheared grid, every voxel as acquired "
                             "(default; tools reading NIfTI through ITK refuse such a file), or "
                             "resample each slice in plane onto a grid without shear, which "
                             "every tool reads (as dcm2niix's _Tilt_1 file)")
    parser.add_argument("--labels", default=None, metavar="FILE",
                        help="a label map (or DICOM SEG) saved in the window for the series "
                             "converted (on its grid): written beside OUTPUT as "
                             "NAME-labels.nii.gz with its segment sidecar, on the grid of the "
                             "image written (with --tilt resample: resampled by nearest "
                             "neighbour, as the image); one series: the input's only one or "
                             "--series N")
    add_dicom_flags(parser)


def _is_nifti_name(path: str) -> bool:
    return path.lower().endswith((".nii", ".nii.gz"))


def run(args) -> int:
    nifti_or_folder(args.output, "convert")   # before the scan: a wrong name costs no time
    not_the_input(args.output, args.input, "the converted image")
    if args.no_gzip and args.output.lower().endswith(".gz"):
        raise SaveError("--no-gzip writes .nii files: name the OUTPUT file .nii, or give a folder",
                        path=args.output)
    progress = TextProgress()
    if not is_volume_path(args.input):
        # pydicom, if a file needs it, without the network libraries it imports for its test
        # data and without its codecs until a compressed frame is decoded
        prepare_pydicom_with(import_pydicom)
    result = scan(args.input, progress=progress, dicom_options=dicom_options(args))
    # the scan's objects (about 20 per frame, 1.7 million for 7,200 enhanced files) live until
    # the process ends and hold no reference cycles: out of the cycle collector's sight, which
    # otherwise walked them all again during the loads (0.25 s of CPU for the first series,
    # 0.3-0.5 s in all, bench/load.py --study large). Only where the process is the command's
    # own: called from Python (a script, a notebook, the tests' cli in one process), the freeze
    # kept every object then alive (620,000 in a test worker) from the collector for good
    if getattr(args, "whole_process", False):
        gc.freeze()
    several = args.series is None and len(result.candidates) > 1
    if args.labels is not None and several:
        raise SaveError(f"--labels belongs to one series: {len(result.candidates)} series found; "
                        "pick one with --series N", path=args.input)
    # one file asked for out of several series (the head and its localizer): the series the
    # window's chooser selects first, named on stderr, as segment and snapshot pick it
    pick = several and _is_nifti_name(args.output)
    if args.frame is not None and several and not pick:
        raise SaveError(f"--frame {args.frame} takes a time point of one series: "
                        f"{len(result.candidates)} series found; pick one with --series N",
                        path=args.input)
    if args.series is not None or len(result.candidates) == 1 or pick:
        candidate = choose(result, args.series)
        if pick:
            say_chosen(result, candidate, args.input, "converted")
        volume = candidate.load(progress=progress)
        shown, fill = "", None
        if args.frame is not None:  # refused (nothing written) when the series has no frame N
            from ..app.frames import pick_time_point, time_point_text
            from ..io.untilt import outside_value

            # the whole run's (a NIfTI's CT guessed by its first time point), as its 4D file holds
            fill = outside_value(volume) if args.tilt == "resample" else None

            if volume.axis4 == "time" and 1 <= args.frame <= volume.n_frames:
                shown = time_point_text(volume, args.frame - 1)  # volume 2 of 7, b = 1000
            volume, _ = pick_time_point(volume, args.frame, args.input)
        output = args.output
        if os.path.isdir(output) or not _is_nifti_name(output):
            writable_folder(output)
            output = in_folder(output, _file_name(candidate, 1, _ending(args), args.frame))
        notes, beside, gone = _write(volume, output, args.tilt, args.labels, fill)
        beside += _sidecar(candidate, volume, output, args)
        print(output)
        for path in beside:  # a DWI's .bval and .bvec
            print(path)
        if args.labels is not None:
            print(labels_path(output))
        if shown:  # the 3D file keeps no time (a DWI's b-value: its .bval): say which volume it was
            print(f"neuroview convert: note: {printable(os.path.basename(output))}: {shown}",
                  file=sys.stderr)
        _warn(candidate, result.candidates.index(candidate) + 1, _loaded(volume, candidate) + notes,
              gone)
        _note_left_out(result)
        return 0
    writable_folder(args.output)
    used: set[str] = set()
    failed = 0
    for number, candidate in enumerate(result.candidates, start=1):
        ending = _ending(args)
        name = _file_name(candidate, number, ending)
        if name in used:  # same series number and description (e.g. a split series)
            name = name[: -len(ending)] + f"_{number}{ending}"
        used.add(name)
        output = in_folder(args.output, name)
        try:
            volume = candidate.load(progress=progress)
        except NeuroviewError as exc:
            # one series that cannot be read (a damaged file, an undecodable codec) costs that
            # series only, as in dcm2niix: its line, then the others; exit status 1 at the end
            failed += 1
            print(f"neuroview: error: series [{number}]: {exc}", file=sys.stderr)
            continue
        notes, beside, gone = _write(volume, output, args.tilt)
        beside += _sidecar(candidate, volume, output, args)
        print(output)
        for path in beside:
            print(path)
        _warn(candidate, number, _loaded(volume, candidate) + notes, gone)
    _note_left_out(result)
    if failed:
        print(f"neuroview convert: {failed} of {len(result.candidates)} series not converted "
              "(lines above)", file=sys.stderr)
    return 1 if failed else 0


LEFT_OUT_SHOWN = 10
"""As many as ``info`` shows without ``--verbose``."""


def _note_left_out(result) -> None:
    """Damaged files the scan left out (truncated, unreadable, a loop of links, listed in a
    DICOMDIR but missing), one line each on stderr as ``info`` lists them: a series converted
    beside them may be a slice short. Until session 27 ``convert`` said nothing of them."""
    left_out = result.left_out()
    for note in left_out[:LEFT_OUT_SHOWN]:
        print(f"neuroview convert: note: {printable(note)}", file=sys.stderr)
    if len(left_out) > LEFT_OUT_SHOWN:
        print(f"neuroview convert: note: ... and {len(left_out) - LEFT_OUT_SHOWN} more "
              "('neuroview info --verbose' lists them all)", file=sys.stderr)


def labels_path(output: str) -> str:
    """Where ``--labels`` writes the label map of the image file ``output``: ``ct.nii.gz`` ->
    ``ct-labels.nii.gz`` (the name File > Save labels proposes for ``ct.nii.gz``)."""
    stem = output[: -len(".nii.gz")] if output.lower().endswith(".nii.gz") else output[: -len(".nii")]
    return stem + "-labels.nii.gz"


def _same_file(a: str, b: str) -> bool:
    """``a`` and ``b`` name one file (``b`` may not exist yet)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def _write(volume, output: str, tilt: str = "keep", labels=None,
           fill=None) -> tuple[list[str], list[str], list[str]]:
    """The NIfTI file of ``volume``, derived like dcm2niix's (atomic, no fsync): header written
    by neuroview (:mod:`neuroview.io.nifti_header`, no nibabel import), else by nibabel.
    ``tilt="resample"``: a tilted grid resampled without shear first (:mod:`neuroview.io.untilt`;
    ``fill`` where no slice was acquired, that of the 4D image of which ``volume`` is a time point).
    ``labels``: the path of a label map on ``volume``'s grid, written to :func:`labels_path` on
    the grid of the file written (read and checked first: a bad one writes nothing).
    Returns the warnings of what was done to the volume (none, or the resampling's), the
    files written beside ``output`` for a DWI (its ``.bval`` and ``.bvec``), printed after it,
    and the series' warnings the file written no longer deserves (the resampled tilt's "loaded on
    the sheared grid as acquired (not resampled)")."""
    notes, gone = [], []
    original = volume
    if labels is not None and _same_file(labels, labels_path(output)):
        raise SaveError(f"--labels would be replaced by its copy on the new grid "
                        f"({os.path.basename(labels_path(output))}): give OUTPUT another name or "
                        "folder", path=labels)
    if tilt == "resample":
        from ..io.untilt import untilted

        resampled = untilted(volume, fill)
        if resampled is not None:
            notes = [w for w in resampled.warnings if w not in volume.warnings]
            gone = [w for w in volume.warnings if w not in resampled.warnings]
            volume = resampled
    if not notes and not qform_code(volume.array.shape, volume.ijk_to_ras):
        notes = ["the file keeps the sheared grid in its sform, with no qform: tools reading "
                 "NIfTI through ITK (ITK-SNAP, ANTs, Slicer) refuse it; " +
                 ("--tilt resample writes one they read" if tilt != "resample" else
                  "--tilt resample cannot undo this shear (not a gantry tilt's)")]
    if volume.display_inverted:   # a NIfTI cannot say it: the file opens as stored everywhere
        notes = [*notes, "shown inverted (MONOCHROME1 or Presentation LUT Shape INVERSE): written "
                 "with the values as stored, as dcm2niix writes them; a NIfTI cannot say "
                 "'inverted', so viewers (neuroview too) show the file not inverted"]
    label_map = None
    if labels is not None:
        from ..app.label_files import label_map_moved
        from ..io.seg_class import seg_class_note

        label_map, emptied = label_map_moved(labels, original, volume)
        notes = [*notes, *filter(None, [seg_class_note(labels)])]   # a SEG of another SOP class
    if not write_converted(volume.file_array(), volume.ijk_to_ras, output, frame_interval_s(volume)):
        save_volume(volume, output, durable=False)
    beside = write_diffusion_files(output, volume)  # a DWI's .bval and .bvec, as dcm2niix
    if label_map is not None:
        from ..app.label_files import save_label_files

        save_label_files(label_map, label_map.ijk_to_ras, labels_path(output))
        if emptied:   # the window names them too (ui/actions_labels.py)
            _say_emptied(emptied, labels, labels_path(output))
    return notes, beside, gone


def _say_emptied(names: list[str], source: str, written: str) -> None:
    """The segments of the labels file ``source`` that no voxel of the grid ``written`` kept (one
    1 mm slice onto 5 mm slices): one line, not an empty segment without a word."""
    it = "it" if len(names) == 1 else "them"
    print(f"neuroview convert: note: {printable(os.path.basename(written))}: "
          f"{printable(', '.join(names))}: no voxel of the grid written lies in {it} (drawn "
          f"thinner than its voxels?), so {it} {'is' if it == 'it' else 'are'} empty there; "
          f"{printable(os.path.basename(source))} keeps {it}", file=sys.stderr)


def _sidecar(candidate, volume, output: str, args) -> list[str]:
    """The BIDS-style ``NAME.json`` of a series converted from DICOM (``io.dicom.bids_fields``:
    its modality, so that a CT whose voxels do not look like HU opens as CT again), as a list of
    the path written; none with ``--no-sidecar`` or for another format. An unevenly sampled run
    (``volume``, as written) lists each time point's start in seconds as ``FrameTimesStart``
    (dcm2niix's name): ``pixdim[4]`` holds their average alone, and the window read the NIfTI's
    time points at that even step until session 52 (``t = 20.3 s`` for 16 s)."""
    if args.no_sidecar or candidate.source_format != "DICOM" or not candidate.files:
        return []
    from ..io.dicom.bids_fields import bids_fields
    from ..io.nifti_sidecar import write_sidecar

    fields = bids_fields(candidate.files[0])
    times = str((volume.source_metadata or {}).get("frame_times_s", "")).split()
    if volume.axis4 == "time" and len(times) == volume.n_frames > 1:
        fields = {**fields, "FrameTimesStart": [float(t) for t in times]}
    path = write_sidecar(output, fields)
    return [path] if path else []


def _warn(candidate, number: int, notes: list[str] = (), gone: list[str] = ()) -> None:
    """The series' warnings (missing slices resampled, uneven spacing...) on stderr, as
    ``neuroview info`` lists them, but ``gone`` (undone by :func:`_write`), then ``notes`` (what
    :func:`_write` did), once the output is written (a series that fails to load gives only its
    one error line)."""
    for warning in [*(w for w in candidate.warnings if w not in gone), *notes]:
        print(f"neuroview convert: warning: series [{number}]: {printable(warning)}",
              file=sys.stderr)


def _loaded(volume, candidate) -> list[str]:
    """The warnings its loading found that the scan could not (a GE DWI's volume of b > 0 with
    no gradient direction: ``io.dicom.diffusion.directionless_note``), said after the scan's."""
    return [w for w in volume.warnings if w not in candidate.warnings]


def _ending(args) -> str:
    """The file ending of the NIfTI files ``convert`` names in a folder OUTPUT."""
    return ".nii" if args.no_gzip else ".nii.gz"


def _file_name(candidate, number: int, ending: str = ".nii.gz", frame=None) -> str:
    """``003_T1_MPRAGE.nii.gz``; with ``--frame 5``, ``003_bold_frame5.nii.gz``."""
    series = candidate.series_number if candidate.series_number is not None else number
    stem = candidate.description
    for suffix in (".nii.gz", ".nii", ".mgz", ".mgh", ".nrrd", ".nhdr", ".mha", ".mhd"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    return f"{series:03d}_{safe_file_name(stem)}{'' if frame is None else f'_frame{frame}'}{ending}"
