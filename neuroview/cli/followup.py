"""``neuroview followup BASELINE FOLLOWUP [MORE...] --labels-baseline L0 --labels L1 [L2...] --out DIR``

Registers each later study to the baseline, matches the lesions and writes, in DIR: ``lesions.csv``
(each lesion followed over all time points: one row, its volume at each), ``lesions_tp2.csv``
(baseline against one later study, one per later study: tp2, tp3...), ``transform_tp2.txt`` (the 4x4
RAS matrix taking a baseline point to the later study) and ``transform_tp2.tfm`` (the same, an ITK
transform file for 3D Slicer and ITK-SNAP), ``keyslices/*.png``, ``report.html`` and,
with matplotlib installed, ``report.pdf``. A study without a lesion mask (``--labels-baseline`` left
out, or ``-`` in ``--labels``) gets one from ``--model`` (e.g. ``lesionseg``), written to ``masks/``
and named in the report as made by that model and not corrected. Without brain masks
(``--brain-baseline``/``--brain``) or ``--brain-threshold``, each study's brain is extracted by
deepbet (written to ``masks/tp1_brain_deepbet.nii.gz``...) unless ``--no-brain-extraction``.
"""

from __future__ import annotations

import os

from ..core.errors import NeuroviewError, OutsideDomainError
from ..core.interrupts import interrupts_held
from ..core.plural import plural
from ..core.staged import finish_moves, staged_folder
from . import domain_flag, trust
from .outputs import writable_folder


def register(parser) -> None:
    parser.add_argument("studies", nargs="+", metavar="STUDY",
                        help="baseline first, then the later studies (files, DICOM folders, or a "
                             "series on a configured PACS: pacs://SERVER/[STUDY_UID/]SERIES_UID)")
    parser.add_argument("--labels-baseline", metavar="MASK",
                        help="lesion mask of the baseline (on its grid); left out: made by --model")
    parser.add_argument("--labels", nargs="+", metavar="MASK",
                        help="lesion mask of each later study, in the same order ('-': made by "
                             "--model; left out: all made by --model)")
    parser.add_argument("--model", default="", metavar="NAME|PATH",
                        help="model that makes the missing lesion masks, e.g. lesionseg")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda", "mps"],
                        help="where --model runs (default auto)")
    domain_flag.add_flag(parser, "the report's notes name each mask made so")
    parser.add_argument("--brain-baseline", metavar="MASK", help="brain mask of the baseline")
    parser.add_argument("--brain", nargs="+", metavar="MASK", help="brain mask of each later study")
    parser.add_argument("--brain-threshold", action="store_true",
                        help="the images are skull-stripped: make the brain masks by a threshold")
    parser.add_argument("--no-brain-extraction", action="store_true",
                        help="without brain masks, do not extract the brain (no brain volume change)")
    parser.add_argument("--affine", action="store_true", help="affine registration (default rigid)")
    parser.add_argument("--min-change-pct", type=float, default=25.0,
                        help="relative volume change for enlarging/shrinking (default 25)")
    parser.add_argument("--min-change-ml", type=float, default=0.05,
                        help="absolute volume change in mL for enlarging/shrinking (default 0.05)")
    parser.add_argument("--masks-by", default="not stated", metavar="TEXT",
                        help="who made the masks, e.g. 'lesionseg 1.1.0, corrected by a reader'")
    parser.add_argument("-o", "--out", required=True, metavar="DIR", help="folder for the table and report")
    trust.add_flag(parser)


def run(args) -> int:
    from .. import __version__
    from ..app.followup import brain_change_line, brain_statement, compare, load_study, masks_statement
    from ..app.followup_brain import BRAIN_THRESHOLD
    from ..app.followup_lesions import MatchThresholds
    from ..app.followup_location import StudyLocations, locate_rows, locations_lines
    from ..app.followup_outputs import REPORT_FILES, Drawing, write_outputs
    from ..app.followup_report import ReportInfo, pdf_available
    from ..core.jobs import Steps, report
    from ..render.png import write_png
    from ..render.slices import render_view
    from .progress import TextProgress

    if len(args.studies) < 2:
        raise NeuroviewError("followup needs a baseline and at least one later study")
    later_paths = args.studies[1:]
    labels = [None if m == "-" else m for m in args.labels or ["-"] * len(later_paths)]
    if len(labels) != len(later_paths):
        raise NeuroviewError(f"--labels names {plural(len(args.labels), 'mask')} for "
                             f"{plural(len(later_paths), 'later study', 'later studies')}: give one "
                             "per later study, in the same order")
    if args.brain and (len(args.brain) != len(later_paths) or not args.brain_baseline):
        raise NeuroviewError("--brain needs --brain-baseline and one mask per later study")
    if not args.model and (not args.labels_baseline or None in labels):
        raise NeuroviewError("a study has no lesion mask: give --labels-baseline and --labels, or "
                             "--model lesionseg to make the missing masks")
    trust.apply(args, args.model)
    out = writable_folder(args.out)  # before the studies are read and registered
    finish_moves(out)   # an earlier run's outputs a kill left half moved: completed
    thresholds = MatchThresholds(args.min_change_pct, args.min_change_ml)
    model = {"model": args.model, "device": args.device, "extract": not args.no_brain_extraction,
             "allow_domain_mismatch": args.allow_domain_mismatch}
    # one progress over it all, as the window's (it started again at 0 % at each stage): each
    # study's loading, each comparison, then the report
    bar = TextProgress()
    steps = Steps(bar, 2 * len(later_paths) + 2)
    load_study = _with_the_way_on(load_study)
    base_volume, baseline = load_study(args.studies[0], args.labels_baseline, args.brain_baseline,
                                       args.brain_threshold, "baseline",
                                       progress=steps.next("loading the baseline"), **model)
    comparisons, laters, before = [], [], None
    locations = StudyLocations([baseline])   # each study's template fit made once
    for number, (path, mask) in enumerate(zip(later_paths, labels), start=1):
        brain = args.brain[number - 1] if args.brain else None
        volume, later = load_study(path, mask, brain, args.brain_threshold, f"follow-up {number}",
                                   baseline=base_volume, before=before,
                                   progress=steps.next(f"loading follow-up {number}"), **model)
        before = (volume, f"follow-up {number}")
        comparison = compare(baseline, later, "affine" if args.affine else "rigid", thresholds,
                             partial_volume=later.brain_source == BRAIN_THRESHOLD,
                             progress=steps.next(f"comparing follow-up {number}"), device=args.device)
        comparisons.append(comparison)
        laters.append(later)
        locations.studies.append(later)
        locate_rows(comparison, number, locations)
        table = comparison.table
        bar.end_line()
        print(f"follow-up {number}: " + ", ".join(f"{table.count(s)} {s}" for s in
                                                    ("new", "enlarging", "stable", "shrinking", "resolved"))
              + f"; {brain_change_line(baseline, later, comparison)}")
        for line in locations_lines(table.rows):   # where they lie, as a report counts them
            print(f"follow-up {number}: {line}")
        for note in comparison.notes:
            print(f"follow-up {number}: warning: {note}")
    brain_note = brain_statement([baseline, *laters])
    if brain_note:
        print(f"brain masks: {brain_note}")
    info = ReportInfo(masks_by=masks_statement([baseline, *laters], args.masks_by), brain_masks=brain_note,
                      software=f"neuroview {__version__}")
    writing = steps.next("writing the report")
    # stopped or failed: no tables without their report; a kill between the renames is completed
    # by the next run (``core.staged``), and the report is renamed last
    with staged_folder(out, last=REPORT_FILES, hold=interrupts_held) as stage:
        written = write_outputs(stage, base_volume, baseline, laters, comparisons, info,
                                Drawing(render_view, write_png), progress=writing)
    written = [os.fspath(out / os.path.relpath(path, stage)) for path in written]
    report(writing, 1, 1, "written")
    if not pdf_available():
        print("note: no PDF (matplotlib is not installed: pip install neuroview[report])")
    tables = "lesions_tp2.csv" + (f" to lesions_tp{len(comparisons) + 1}.csv" if len(comparisons) > 1 else "")
    print(f"wrote {' and '.join(written)}, lesions.csv (all time points) and {tables} (the baseline "
          "against each later study)")
    return 0


def _with_the_way_on(load_study):
    """``load_study`` whose refusal by ``--model``'s card (a knee for a head model) says how to go
    on, as ``segment``'s does."""

    def loaded(*args, **kwargs):
        try:
            return load_study(*args, **kwargs)
        except OutsideDomainError as exc:
            exc.hint = domain_flag.hint()
            raise
    return loaded
