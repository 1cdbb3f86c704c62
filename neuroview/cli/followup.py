"""``neuroview followup BASELINE FOLLOWUP [MORE...] --labels-baseline L0 --labels L1 [L2...] --out DIR``

Registers each later study to the baseline, matches the lesions and writes, in DIR:
``lesions_tp2.csv`` (one per later study: tp2, tp3...), ``transform_tp2.txt`` (the 4x4 RAS matrix
taking a baseline point to the later study), ``keyslices/*.png``, ``report.html`` and, with
matplotlib installed, ``report.pdf``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..core.errors import NeuroviewError

KEY_SLICE_SIZE = 320


def register(parser) -> None:
    parser.add_argument("studies", nargs="+", metavar="STUDY",
                        help="baseline first, then the later studies (files or DICOM folders)")
    parser.add_argument("--labels-baseline", required=True, metavar="MASK",
                        help="lesion mask of the baseline (on its grid)")
    parser.add_argument("--labels", required=True, nargs="+", metavar="MASK",
                        help="lesion mask of each later study, in the same order")
    parser.add_argument("--brain-baseline", metavar="MASK", help="brain mask of the baseline")
    parser.add_argument("--brain", nargs="+", metavar="MASK", help="brain mask of each later study")
    parser.add_argument("--brain-threshold", action="store_true",
                        help="the images are skull-stripped: make the brain masks by a threshold")
    parser.add_argument("--affine", action="store_true", help="affine registration (default rigid)")
    parser.add_argument("--min-change-pct", type=float, default=25.0,
                        help="relative volume change for enlarging/shrinking (default 25)")
    parser.add_argument("--min-change-ml", type=float, default=0.05,
                        help="absolute volume change in mL for enlarging/shrinking (default 0.05)")
    parser.add_argument("--masks-by", default="not stated", metavar="TEXT",
                        help="who made the masks, e.g. 'lesionseg 1.1.0, corrected by a reader'")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the table and report")


def _key_slice_png(volume, labels_array, labels_affine, point_ras, path: Path) -> bytes:
    from ..app.view_state import ViewerState
    from ..core.labels import LabelMap
    from ..render.png import write_png
    from ..render.slices import render_view

    state = ViewerState.for_volume(volume)
    state.set_crosshair(point_ras)
    state.labels.outline = True
    state.labels.opacity = 1.0
    labels = LabelMap.from_array((np.asarray(labels_array) > 0).astype(np.uint8), labels_affine)
    rgb = render_view(volume, state, "axial", KEY_SLICE_SIZE, KEY_SLICE_SIZE, labels=labels).rgb
    write_png(rgb, path)
    return path.read_bytes()


def key_slices(number: int, comparison, baseline_volume, baseline, followup, folder: Path) -> dict:
    """PNG bytes of the axial slice through each new/enlarging lesion at both time points; the
    later study is resampled onto the baseline grid for display only."""
    from ..app.followup import later_on_baseline
    from ..app.followup_report import KEY_STATUSES
    from ..core.volume import Volume

    rows = [r for r in comparison.table.rows if r.status in KEY_STATUSES]
    if not rows:
        return {}
    affine = baseline_volume.ijk_to_ras
    image, later_labels = later_on_baseline(baseline, followup, comparison.registration.fixed_to_moving)
    later_image = Volume(image, affine, modality=baseline_volume.modality)
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for row in rows:
        stem = folder / f"tp{number + 1}_lesion{row.id}"
        out[(number, row.id)] = (
            _key_slice_png(baseline_volume, baseline.lesions, affine, row.position_ras,
                           Path(f"{stem}_tp1.png")),
            _key_slice_png(later_image, later_labels, affine, row.position_ras,
                           Path(f"{stem}_tp{number + 1}.png")))
    return out


def run(args) -> int:
    from .. import __version__
    from ..app.followup import MatchThresholds, compare, load_study, table_csv
    from ..app.followup_report import ReportInfo, pdf_available, report_html, write_report_pdf
    from ..core.atomic import write_text_atomic
    from .progress import TextProgress

    if len(args.studies) < 2:
        raise NeuroviewError("followup needs a baseline and at least one later study")
    later_paths = args.studies[1:]
    if len(args.labels) != len(later_paths):
        raise NeuroviewError(f"--labels names {len(args.labels)} mask(s) for {len(later_paths)} "
                             "later stud(ies): give one per later study, in the same order")
    if args.brain and (len(args.brain) != len(later_paths) or not args.brain_baseline):
        raise NeuroviewError("--brain needs --brain-baseline and one mask per later study")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    thresholds = MatchThresholds(args.min_change_pct, args.min_change_ml)
    base_volume, baseline = load_study(args.studies[0], args.labels_baseline, args.brain_baseline,
                                   args.brain_threshold, "baseline")
    comparisons, images = [], {}
    for number, (path, labels) in enumerate(zip(later_paths, args.labels), start=1):
        brain = args.brain[number - 1] if args.brain else None
        _, later = load_study(path, labels, brain, args.brain_threshold, f"follow-up {number}")
        comparison = compare(baseline, later, "affine" if args.affine else "rigid", thresholds,
                             partial_volume=args.brain_threshold and not args.brain,
                             progress=TextProgress())
        comparisons.append(comparison)
        write_text_atomic(out / f"lesions_tp{number + 1}.csv", table_csv(comparison.table))
        write_text_atomic(out / f"transform_tp{number + 1}.txt",
                          "# 4x4 RAS matrix: baseline point -> follow-up point (mm)\n"
                          + "\n".join(" ".join(f"{x:.6f}" for x in r)
                                      for r in comparison.registration.fixed_to_moving) + "\n")
        images.update(key_slices(number, comparison, base_volume, baseline, later, out / "keyslices"))
        table = comparison.table
        print(f"follow-up {number}: " + ", ".join(f"{table.count(s)} {s}" for s in
                                                    ("new", "enlarging", "stable", "shrinking", "resolved"))
              + (f"; brain volume change {comparison.brain_volume_change_pct:+.2f} %"
                 if comparison.brain_volume_change_pct is not None else ""))
    brain_note = ("given by the user" if args.brain else
                  "threshold of the skull-stripped images, voxels weighted by tissue fraction"
                  if args.brain_threshold else "")
    info = ReportInfo(masks_by=args.masks_by, brain_masks=brain_note,
                      software=f"neuroview {__version__}")
    write_text_atomic(out / "report.html", report_html(comparisons, images, info))
    written = [os.fspath(out / "report.html")]
    if pdf_available():
        write_report_pdf(out / "report.pdf", comparisons, images, info)
        written.append(os.fspath(out / "report.pdf"))
    else:
        print("note: no PDF (matplotlib is not installed: pip install neuroview[report])")
    print(f"wrote {' and '.join(written)} and {len(comparisons)} lesion table(s)")
    return 0
