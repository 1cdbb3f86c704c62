"""``neuroview segment INPUT -o OUTPUT [--model NAME|PATH] [--device auto|cpu|cuda|mps]``.

INPUT is an image file, a DICOM folder or a DICOMDIR (one case, OUTPUT a .nii/.nii.gz file or a
folder), or a batch: a folder of cases (each image file or sub-folder is one case, unless the
sub-folders are the series of one study: :mod:`.batch_cases`) or a CSV list of inputs (first
column; a header row naming ``input`` is skipped), with a folder as OUTPUT. The label map is
written as NIfTI on the input's own grid (same shape and affine), with its ``.segments.json``.

``--report FILE.csv`` also writes the lesion list: one row per connected component (26-connected)
of each label the model outputs, with its volume (mL), longest diameter (mm) and centroid (RAS mm),
the table ``Session.components`` and the window's Lesions panel show (a ``case`` column first),
its ``location`` (:mod:`neuroview.app.lesion_location`: periventricular, juxtacortical,
infratentorial, deep white matter, or unknown with why; each label's count per location is said
on stdout) and a ``status`` column last: ``found`` on those rows, ``none found`` on the one row of a label
with no component (lesion 0), ``failed`` on the one row of a case that failed. Every case has a
row: without them a case with no lesion could not be told from one that failed.
"""

from __future__ import annotations

import csv
import os
import re
import sys
from pathlib import Path

from ..core.csv_text import spreadsheet_text
from ..core.errors import Cancelled, ModelError, NeuroviewError, OutsideDomainError, SaveError
from ..core.interrupts import interrupts_held
from ..core.plural import plural
from ..core.volume_rules import single_slice
from . import domain_flag, trust
from .arg_types import counting_number
from .batch_cases import IMAGE_SUFFIXES, batch_line, plan_cases
from .outputs import (
    check_writable,
    in_folder,
    nifti_or_folder,
    not_the_input,
    removed_if_left_empty,
    writable_folder,
)
from .progress import TextProgress
from .stop_signals import INTERRUPTED, TERMINATED, exit_status


def register(parser) -> None:
    parser.add_argument("input", metavar="INPUT",
                        help="image file, DICOM folder, DICOMDIR, folder of cases or CSV list")
    parser.add_argument("-o", "--output", required=True, metavar="OUTPUT",
                        help=".nii/.nii.gz file (one case) or folder (one label map per case)")
    parser.add_argument("--model", default="", metavar="NAME|PATH",
                        help="registry name, name@version, or a path: package folder, .onnx or TorchScript "
                             "file with its card, nnU-Net v2 results folder (default the task's default)")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda", "mps"],
                        help="where the model runs (default auto: CUDA, then Apple MPS, then the CPU)")
    parser.add_argument("--mirror", action="store_true", help="mirroring test-time augmentation")
    parser.add_argument("--series", type=counting_number, default=None, metavar="N",
                        help="series N of a multi-series input, as 'neuroview info' numbers them")
    parser.add_argument("--report", metavar="FILE.csv",
                        help="also write the lesion list (connected components: volume mL, longest "
                             "diameter mm, centroid RAS mm, location) as CSV")
    parser.add_argument("--frame", type=counting_number, default=None, metavar="N",
                        help="time point N of a 4D image (1-based, as the window's Time point box; "
                             "default 1, said in one line)")
    domain_flag.add_flag(parser, "the label map's .segments.json records it")
    trust.add_flag(parser)


def _is_nifti_name(path: str) -> bool:
    return path.lower().endswith((".nii", ".nii.gz"))


def _stem(path: str) -> str:
    name = Path(path.rstrip("/")).name
    for suffix in IMAGE_SUFFIXES + (".dcm",):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name) or "case"


def _segment_one(source: str, output: str, args, progress, report: list | None = None,
                 saved: list | None = None, paths: str | list[str] | None = None,
                 folder: str = "") -> str:
    """Segment ``source`` (read from ``paths`` when given: the folders of one study) into
    ``output`` and its sidecar, written together; ``saved`` gets ``output`` once both are.
    ``folder``: ``output`` is named there, ``SOURCE_seg.nii.gz``, or for one series of several
    ``SOURCE_005_T1_seg.nii.gz`` (each series of a study folder got the folder's name, so
    ``--series 7`` replaced the mask ``--series 5`` wrote)."""
    from ..ai.domain import notes_in_full
    from ..ai.segment import segment
    from ..app.frames import pick_time_point
    from ..app.save_folder import series_suffix
    from ..app.view_measure import format_ml
    from .series_choice import load_series

    counted: list[int] = []
    volume = load_series(paths or source, args.series, progress, verb="segmented", name=source,
                         counted=counted)
    if folder:
        several = counted and counted[0] > 1
        stem = "_".join(p for p in (_stem(source), series_suffix(volume) if several else "") if p)
        output = in_folder(folder, stem + "_seg.nii.gz")
        check_writable(output)
    image_key = volume.workspace_key()   # as the window keys it (every time point): its Load labels
    volume, note = pick_time_point(volume, args.frame, source)
    if note:
        print(f"note: {note}", file=sys.stderr)
    flat = single_slice(volume.array.shape)   # it was segmented, and written as a 3D file
    if flat:
        raise ModelError(f"{flat}: the model segments 3D volumes", path=source)
    try:
        result = segment(volume, args.model, args.device, progress=progress, mirror=args.mirror,
                         allow_domain_mismatch=args.allow_domain_mismatch)
    except OutsideDomainError as exc:   # a scanner's wrong tag: the way on
        exc.hint = domain_flag.hint()
        raise
    with interrupts_held():
        _save_labels(output, result, image_key)
        if saved is not None:
            saved.append(output)
    counts = int((result.labels > 0).sum())
    located = _report_rows(source, volume, result, report) if report is not None else []
    brain = "" if result.brain_ml is None else f", brain {format_ml(result.brain_ml)} mL"
    print(f"{output}  ({result.model} on {result.device}, {plural(counts, 'voxel')} labelled{brain}, "
          f"{result.seconds:.1f} s)")
    for line in located:
        print(f"  {line}")
    for note in notes_in_full(result.notes, result.outside_domain):   # the window: a tooltip
        print(f"note: {source}: {note}", file=sys.stderr)
    return output


def _report_rows(source: str, volume, result, report: list) -> list[str]:
    """Add ``result``'s lesions to ``report`` (each with its location); the lines that count
    each label's lesions by location (``lesion: periventricular 2, deep white matter 1``)."""
    from ..app.components import find_components, report_rows
    from ..app.lesion_location import case_anatomy, counts_text, locate_lesions
    from ..core.modality import is_ct

    image = volume.frame_as_shown()
    table = {lab.name: find_components(result.labels == lab.value, result.ijk_to_ras)
             for lab in result.segments}
    case, locations, lines = None, {}, []
    for lab in result.segments:
        components = table[lab.name]
        if not components:
            continue
        if case is None:   # the template's fit (seconds) only for a case with a lesion
            case = case_anatomy(image, result.ijk_to_ras, result.brain_mask, result.labels > 0,
                                ct=is_ct(image, volume.modality))
        locations[lab.name] = locate_lesions(components, result.labels == lab.value, (0, 0, 0),
                                             image, case)
        why = f" ({case.problem})" if case.problem else ""
        lines.append(f"{lab.name}: {counts_text(locations[lab.name])}{why}")
    name = spreadsheet_text(_stem(source))
    report.extend([name, *row, "found"] for row in report_rows(
        {n: c for n, c in table.items() if c}, locations))
    report.extend([name, spreadsheet_text(label), 0, 0, 0.0, "", "", "", "", "", "none found"]
                  for label, components in table.items() if not components)
    return lines


def _save_labels(output: str, result, image_key: str = "") -> None:
    """The label map and its ``.segments.json`` sidecar (the model's names and colours,
    provenance ``model``; the window and ``neuroview snapshot`` colour the mask from it), written
    together as the window's label saves are: a kill leaves both or neither (the next write or
    read of the pair completes a commit the kill cut short). The sidecar names the image
    (``image_key``, ``app.labels_image``): the window asks before loading it onto another."""
    from ..app.label_files import save_label_files
    from ..core.labels import LabelMap, SegmentTable

    table = SegmentTable()
    for lab in result.segments:
        table.add(lab.name, color=tuple(lab.color), value=lab.value, origin="model", model=result.model,
                  outside_domain=result.outside_domain)
    save_label_files(LabelMap(result.labels, result.ijk_to_ras, table), result.ijk_to_ras, output,
                     description=f"neuroview {result.model}", image_key=image_key)


def run(args) -> int:
    trust.apply(args, args.model)
    if args.report and not args.report.lower().endswith(".csv"):
        raise SaveError("--report must name a .csv file", path=args.report)
    if args.report:  # before the model's minutes, not after them
        not_the_input(args.report, args.input, "the lesion list")   # a CSV list of cases
        check_writable(args.report)
    report: list | None = [] if args.report else None
    code = _run(args, report)
    if report is not None and code not in (INTERRUPTED, TERMINATED):  # a report of some cases is no report
        _write_report(args.report, report)
    return code


def _write_report(path: str, rows: list) -> None:
    import io

    from ..app.components import CSV_COLUMNS
    from ..core.atomic import write_text_atomic

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("case",) + CSV_COLUMNS + ("location", "status"))
    writer.writerows(rows)
    write_text_atomic(path, out.getvalue())
    lesions = sum(row[-1] == "found" for row in rows)
    failed = sum(row[-1] == "failed" for row in rows)
    refused = sum(row[-1] == "refused" for row in rows)
    failed_text = (f"; {plural(failed, 'case')} failed" if failed else "") + \
        (f"; {plural(refused, 'case')} refused by the model" if refused else "")
    print(f"{path}  ({plural(lesions, 'lesion')}{failed_text})")


def _run(args, report) -> int:
    nifti_or_folder(args.output, "segment")  # 'out.txt' became a folder of that name
    if os.path.isdir(args.output):  # a batch killed while writing a pair: completed, before the
        from ..app.label_files import recover_label_files  # masks are told from the cases

        for done in recover_label_files(args.output):
            print(f"note: finished writing {done} and its sidecar (a killed run left them "
                  "half-written)", file=sys.stderr)
    cases, source = plan_cases(args.input, args.output)
    progress = TextProgress()
    if cases is None:
        output, folder = args.output, ""
        if _is_nifti_name(output):
            not_the_input(output, args.input, "the label map")
            check_writable(output)   # before the series is read
            _segment_one(args.input, output, args, progress, report, paths=source)
            return 0
        with removed_if_left_empty(output):
            writable_folder(output)
            folder, output = output, in_folder(output, _stem(args.input) + "_seg.nii.gz")
            not_the_input(output, args.input, "the label map")
            check_writable(output)   # before the series is read (a series of several: named then)
            _segment_one(args.input, output, args, progress, report, paths=source, folder=folder)
        return 0
    if _is_nifti_name(args.output):
        raise SaveError(f"INPUT is a batch of {plural(len(cases), 'case')}; OUTPUT must be a folder",
                        path=args.output)
    writable_folder(args.output)
    print(f"note: {batch_line(args.input, cases)}", file=sys.stderr)
    failed = refused = 0
    used: set[str] = set()
    saved: list[str] = []
    for number, case in enumerate(cases, start=1):
        output = ""
        try:   # a stop between two cases is said as one within a case (where the batch stopped)
            name = _stem(case)
            if name in used:
                name = f"{name}_{number}"
            used.add(name)
            print(f"[{number}/{len(cases)}] {case}", file=sys.stderr)
            output = in_folder(args.output, name + "_seg.nii.gz")
            _segment_one(case, output, args, progress, report, saved)
        except (Cancelled, KeyboardInterrupt) as stop:
            report_note = (f"; {args.report} was not written (it would list only those cases)"
                           if args.report else "")
            this_one = " (this case's included)" if output in saved else ""
            done = plural(len(saved), 'case')
            print(f"neuroview: interrupted at case {number} of {len(cases)} ({case}): the label "
                  f"maps of {done}{this_one} are in {args.output}, the others are not "
                  f"segmented{report_note}", file=sys.stderr)
            return exit_status(stop)
        except OutsideDomainError as exc:   # not a failure: the model's card refuses it (a knee)
            refused += 1
            print(f"neuroview: error: {exc}", file=sys.stderr)
            if report is not None:
                report.append([spreadsheet_text(_stem(case)), *[""] * 9, "refused"])
        except NeuroviewError as exc:
            failed += 1
            print(f"neuroview: error: {exc}", file=sys.stderr)
            if report is not None:
                report.append([spreadsheet_text(_stem(case)), *[""] * 9, "failed"])
    if refused:   # said apart from the failures, as `dataset rank` and the held-out scoring list them
        print(f"neuroview: {refused} of {plural(len(cases), 'case')} refused by the model's card "
              f"(the lines above say why; {domain_flag.FLAG} segments them anyway)", file=sys.stderr)
    if failed:
        print(f"neuroview: {failed} of {plural(len(cases), 'case')} failed", file=sys.stderr)
    return 1 if failed or refused else 0
