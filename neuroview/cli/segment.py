"""``neuroview segment INPUT -o OUTPUT [--model NAME|PATH] [--device auto|cpu|cuda|mps]``.

INPUT is an image file, a DICOM folder or a DICOMDIR (one case, OUTPUT a .nii/.nii.gz file or a
folder), or a batch: a folder of cases (each image file or sub-folder is one case) or a CSV list
of inputs (first column; a header row naming ``input`` is skipped), with a folder as OUTPUT. The
label map is written as NIfTI on the input's own grid (same shape and affine).

``--report FILE.csv`` also writes the lesion list: one row per connected component (26-connected)
of each label the model outputs, with its volume (mL), longest diameter (mm) and centroid (RAS mm),
the table ``Session.components`` and the window's Lesions panel show (a ``case`` column first),
and a ``status`` column last: ``found`` on those rows, ``none found`` on the one row of a label
with no component (lesion 0), ``failed`` on the one row of a case that failed. Every case has a
row: without them a case with no lesion could not be told from one that failed.
"""

from __future__ import annotations

import csv
import os
import re
import sys
from pathlib import Path

from ..core.errors import Cancelled, LoadError, NeuroviewError, SaveError
from . import trust
from .outputs import check_writable, writable_folder
from .progress import TextProgress

IMAGE_SUFFIXES = (".nii", ".nii.gz", ".mgz", ".mgh", ".nrrd", ".nhdr")
INTERRUPTED = 130
"""Exit status of a batch stopped by Ctrl+C (128 + SIGINT, as a shell reports it) or cancelled."""


def register(parser) -> None:
    parser.add_argument("input", metavar="INPUT",
                        help="image file, DICOM folder, DICOMDIR, folder of cases or CSV list")
    parser.add_argument("-o", "--output", required=True, metavar="OUTPUT",
                        help=".nii/.nii.gz file (one case) or folder (one label map per case)")
    parser.add_argument("--model", default="", metavar="NAME|PATH",
                        help="registry name, name@version, or a path: package folder, .onnx or TorchScript "
                             "file with its card, nnU-Net v2 results folder (default: the task's default)")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda", "mps"])
    parser.add_argument("--mirror", action="store_true", help="mirroring test-time augmentation")
    parser.add_argument("--series", type=int, default=None, metavar="N",
                        help="series N of a multi-series input, as 'neuroview info' numbers them")
    parser.add_argument("--report", metavar="FILE.csv",
                        help="also write the lesion list (connected components: volume mL, longest "
                             "diameter mm, centroid RAS mm) as CSV")
    parser.add_argument("--frame", type=int, default=None, metavar="N",
                        help="time point N of a 4D image (1-based, as the window's Time point box; "
                             "default 1, said in one line)")
    trust.add_flag(parser)


def _is_nifti_name(path: str) -> bool:
    return path.lower().endswith((".nii", ".nii.gz"))


def _stem(path: str) -> str:
    name = Path(path.rstrip("/")).name
    for suffix in IMAGE_SUFFIXES + (".dcm",):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name) or "case"


def batch_inputs(path: str) -> list[str] | None:
    """The cases of a batch input, or None when ``path`` is one case."""
    if path.lower().endswith(".csv") and os.path.isfile(path):
        return _csv_inputs(path)
    if not os.path.isdir(path) or os.path.exists(os.path.join(path, "DICOMDIR")):
        return None
    entries = sorted(e for e in os.listdir(path) if not e.startswith("."))
    images = [os.path.join(path, e) for e in entries if e.lower().endswith(IMAGE_SUFFIXES)]
    folders = [os.path.join(path, e) for e in entries if os.path.isdir(os.path.join(path, e))]
    loose = [e for e in entries if os.path.isfile(os.path.join(path, e))
             and not e.lower().endswith(IMAGE_SUFFIXES)]
    if loose and not images:  # DICOM files at the top: the folder is one series/study
        return None
    cases = images + folders
    return cases if len(cases) > 1 or images else None


def _csv_inputs(path: str) -> list[str]:
    base = os.path.dirname(os.path.abspath(path))
    cases = []
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            for number, row in enumerate(csv.reader(handle)):
                if not row or not row[0].strip() or row[0].strip().startswith("#"):
                    continue
                value = row[0].strip()
                if number == 0 and value.lower() in ("input", "image", "path", "case"):
                    continue
                cases.append(value if os.path.isabs(value) else os.path.join(base, value))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise LoadError(f"cannot read the CSV list ({exc})", path=path) from None
    if not cases:
        raise LoadError("CSV list names no inputs", path=path)
    return cases


def _segment_one(source: str, output: str, args, progress, report: list | None = None) -> str:
    from ..ai.segment import segment
    from ..app.frames import pick_time_point
    from ..app.view_measure import format_ml
    from ..io.nifti import save_nifti
    from .series_choice import load_series

    volume = load_series(source, args.series, progress, verb="segmented")
    volume, note = pick_time_point(volume, args.frame, source)
    if note:
        print(note, file=sys.stderr)
    result = segment(volume, args.model, args.device, progress=progress, mirror=args.mirror)
    save_nifti(result.labels, result.ijk_to_ras, output, description=f"neuroview {result.model}")
    _write_segment_table(output, result)
    counts = int((result.labels > 0).sum())
    if report is not None:
        from ..app.components import find_components, report_rows

        table = {lab.name: find_components(result.labels == lab.value, result.ijk_to_ras)
                 for lab in result.segments}
        report.extend([_stem(source), *row, "found"] for row in report_rows(table))
        report.extend([_stem(source), name, 0, 0, 0.0, "", "", "", "", "none found"]
                      for name, components in table.items() if not components)
    brain = "" if result.brain_ml is None else f", brain {format_ml(result.brain_ml)} mL"
    print(f"{output}  ({result.model} on {result.device}, {counts} voxels labelled{brain}, "
          f"{result.seconds:.1f} s)")
    for note in result.notes:
        print(f"{source}: {note}", file=sys.stderr)
    return output


def _write_segment_table(output: str, result) -> None:
    """The ``.segments.json`` sidecar (the model's names and colours, provenance ``model``) that
    the window and ``neuroview snapshot`` read, so both colour the mask as AI > Segment does."""
    import json

    from ..app.label_files import sidecar_path
    from ..core.atomic import write_text_atomic
    from ..core.labels import SegmentTable

    table = SegmentTable()
    for lab in result.segments:
        table.add(lab.name, color=tuple(lab.color), value=lab.value, origin="model", model=result.model)
    write_text_atomic(sidecar_path(Path(output)), json.dumps(table.to_list(), indent=1))


def run(args) -> int:
    trust.apply(args, args.model)
    if args.report and not args.report.lower().endswith(".csv"):
        raise SaveError("--report must name a .csv file", path=args.report)
    if args.report:  # before the model's minutes, not after them
        check_writable(args.report)
    report: list | None = [] if args.report else None
    code = _run(args, report)
    if report is not None and code != INTERRUPTED:  # a report of some cases is no report
        _write_report(args.report, report)
    return code


def _write_report(path: str, rows: list) -> None:
    import io

    from ..app.components import CSV_COLUMNS
    from ..core.atomic import write_text_atomic

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("case",) + CSV_COLUMNS + ("status",))
    writer.writerows(rows)
    write_text_atomic(path, out.getvalue())
    lesions = sum(row[-1] == "found" for row in rows)
    failed = sum(row[-1] == "failed" for row in rows)
    print(f"{path}  ({lesions} lesions" + (f"; {failed} cases failed" if failed else "") + ")")


def _leave_out_outputs(cases: list[str], output: str) -> list[str]:
    """The cases less the output folder and label maps (a file with its ``.segments.json``): run
    again into a folder inside INPUT, a batch segmented the first run's masks as one more case."""
    from ..app.label_files import sidecar_path

    kept = []
    for case in cases:
        if os.path.realpath(case) == os.path.realpath(output):
            print(f"note: left out {case}: it is the output folder", file=sys.stderr)
        elif os.path.isfile(case) and sidecar_path(case).is_file():
            print(f"note: left out {case}: a label map (it has {sidecar_path(case).name})",
                  file=sys.stderr)
        else:
            kept.append(case)
    return kept


def _run(args, report) -> int:
    cases = batch_inputs(args.input)
    if cases is not None:
        cases = _leave_out_outputs(cases, args.output)
        if not cases:
            raise LoadError("no case to segment: it holds only label maps and the output folder",
                            path=args.input)
    progress = TextProgress()
    if cases is None:
        output = args.output
        if not _is_nifti_name(output):
            writable_folder(output)
            output = os.path.join(output, _stem(args.input) + "_seg.nii.gz")
        check_writable(output)
        _segment_one(args.input, output, args, progress, report)
        return 0
    if _is_nifti_name(args.output):
        raise SaveError(f"INPUT is a batch of {len(cases)} cases; OUTPUT must be a folder",
                        path=args.output)
    writable_folder(args.output)
    failed = 0
    used: set[str] = set()
    for number, case in enumerate(cases, start=1):
        name = _stem(case)
        if name in used:
            name = f"{name}_{number}"
        used.add(name)
        print(f"[{number}/{len(cases)}] {case}", file=sys.stderr)
        try:
            _segment_one(case, os.path.join(args.output, name + "_seg.nii.gz"), args, progress,
                         report)
        except (Cancelled, KeyboardInterrupt):
            report_note = (f"; {args.report} was not written (it would list only those cases)"
                           if args.report else "")
            print(f"neuroview: interrupted at case {number} of {len(cases)} ({case}): the label "
                  f"maps of the {number - 1} cases before it are in {args.output}, the others are "
                  f"not segmented{report_note}", file=sys.stderr)
            return INTERRUPTED
        except NeuroviewError as exc:
            failed += 1
            print(f"neuroview: error: {exc}", file=sys.stderr)
            if report is not None:
                report.append([_stem(case), *[""] * 8, "failed"])
    if failed:
        print(f"neuroview: {failed} of {len(cases)} cases failed", file=sys.stderr)
        return 1
    return 0
