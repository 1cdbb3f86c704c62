"""The files of one follow-up, written the same way by ``neuroview followup`` and the window's
Report...: the key slices (PNG), the lesion tables (CSV), the transforms, the masks a model made, and
the report itself (:mod:`.followup_report`: HTML, and PDF with matplotlib)."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from ..core.folders import make_folder
from ..core.jobs import CancelToken, ProgressFn, check, report
from .followup import Comparison, StudyInput
from .followup_brain import BRAIN_EXTRACTED
from .followup_display import later_on_baseline
from .followup_lesions import table_csv
from .followup_marks import Marks
from .followup_names import study_labels
from .followup_report import KEY_STATUSES, ReportInfo, pdf_available, report_html, write_report_pdf
from .followup_track import tracking_of

KEY_SLICE_SIZE = 320

REPORT_FILES = ("report.html", "report.pdf")
"""Written last, and moved into place last (``core.staged``): a report there means the whole set is."""


@dataclass
class Drawing:
    """The drawing functions the key slices need, given by the caller (``app`` does not import
    ``render``): ``neuroview.render.slices.render_view`` and ``neuroview.render.png.write_png``."""
    render_view: Callable
    write_png: Callable


def _key_slice_png(drawing: Drawing, volume, labels_array, point_ras, path: Path) -> bytes:
    from ..core.labels import LabelMap  # noqa: PLC0415
    from .view_state import ViewerState  # noqa: PLC0415

    state = ViewerState.for_volume(volume)
    state.set_crosshair(point_ras)
    state.labels.outline = True
    state.labels.opacity = 1.0
    labels = LabelMap.from_array((np.asarray(labels_array) > 0).astype(np.uint8), volume.ijk_to_ras)
    rgb = drawing.render_view(volume, state, "axial", KEY_SLICE_SIZE, KEY_SLICE_SIZE, labels=labels).rgb
    drawing.write_png(rgb, path)
    return path.read_bytes()


def key_slices(number: int, comparison: Comparison, baseline_volume, baseline: StudyInput,
               followup: StudyInput, folder: Path, drawing: Drawing) -> dict:
    """PNG bytes of the axial slice through each new/enlarging lesion at both time points; the
    later study is resampled onto the baseline grid for display only."""
    rows = [r for r in comparison.table.kept if r.status in KEY_STATUSES]
    if not rows:
        return {}
    image, later_labels = later_on_baseline(baseline, followup, comparison.registration.fixed_to_moving)
    later_image = baseline_volume.derived(image)   # drawn as the baseline (a MONOCHROME1 CT)
    make_folder(folder)
    out = {}
    for row in rows:
        stem = folder / f"tp{number + 1}_lesion{row.id}"
        out[(number, row.id)] = (
            _key_slice_png(drawing, baseline_volume, baseline.lesions, row.position_ras,
                           Path(f"{stem}_tp1.png")),
            _key_slice_png(drawing, later_image, later_labels, row.position_ras,
                           Path(f"{stem}_tp{number + 1}.png")))
    return out


def transform_text(comparison: Comparison) -> str:
    return ("# 4x4 RAS matrix: baseline point -> follow-up point (mm)\n"
            + "\n".join(" ".join(f"{x:.6f}" for x in r)
                        for r in comparison.registration.fixed_to_moving) + "\n")


def write_outputs(out, baseline_volume, baseline: StudyInput, laters: list[StudyInput],
                  comparisons: list[Comparison], info: ReportInfo, drawing: Drawing,
                  progress: Optional[ProgressFn] = None, cancel: Optional[CancelToken] = None,
                  marks: Optional[Marks] = None) -> list[str]:
    """Write, in ``out``: ``lesions.csv`` (one table across all time points,
    :mod:`neuroview.app.followup_track`), ``lesions_tp2.csv``, ``transform_tp2.txt`` and
    ``transform_tp2.tfm`` (the same transform for 3D Slicer and ITK:
    :func:`~neuroview.io.registration.write_itk_transform`) per later study (tp3...),
    ``keyslices/*.png``, the lesion masks a model made (``masks/tp1_lesions_MODEL.nii.gz``...) and
    the brain masks deepbet extracted (``masks/tp1_brain_deepbet.nii.gz``...),
    ``report.html`` and, with matplotlib, ``report.pdf`` (all atomically). With ``marks`` (the
    reader's, :mod:`.followup_marks`) the lesions marked wrong leave the counts and are struck
    through, and each study that had one gets its mask without them,
    ``masks/tpN_lesions_corrected.nii.gz`` (the reader's correction, to send to a training set).
    ``cancel`` is checked between files (``Cancelled``): write in a ``core.staged`` folder to
    leave none of the set. Returns the report paths written."""
    from ..core.atomic import write_text_atomic  # noqa: PLC0415
    from ..io.registration import write_itk_transform  # noqa: PLC0415

    info = replace(info, study_names=info.study_names or study_labels(baseline, laters))   # as the window
    out = make_folder(out)   # a file of that name: one line naming it, not an internal error
    images = {}
    marks = marks or Marks()
    marks.apply(comparisons)
    steps = len(comparisons) + 1
    for number, (later, comparison) in enumerate(zip(laters, comparisons), start=1):
        report(progress, number - 1, steps, f"key slices of follow-up {number}")
        check(cancel)
        write_text_atomic(out / f"lesions_tp{number + 1}.csv", table_csv(comparison.table))
        write_text_atomic(out / f"transform_tp{number + 1}.txt", transform_text(comparison))
        write_itk_transform(comparison.registration.fixed_to_moving, out / f"transform_tp{number + 1}.tfm")
        images.update(key_slices(number, comparison, baseline_volume, baseline, later,
                                 out / "keyslices", drawing))
        check(cancel)
    from ..io.nifti import save_nifti  # noqa: PLC0415

    for number, study in enumerate([baseline, *laters], start=1):
        if study.lesions_model:  # made by a model on the spot: kept, to open and correct
            name = study.lesions_model.replace("@", "_")
            make_folder(out / "masks")
            save_nifti(study.lesions, study.ijk_to_ras, out / "masks" / f"tp{number}_lesions_{name}.nii.gz",
                       description=f"neuroview {study.lesions_model}")
        corrected = marks.corrected_mask(study.lesions, number - 1)
        if corrected is not None:   # the reader's correction: the lesions marked wrong taken out
            make_folder(out / "masks")
            save_nifti(corrected.astype(np.uint8), study.ijk_to_ras,
                       out / "masks" / f"tp{number}_lesions_corrected.nii.gz",
                       description="neuroview follow-up, lesions marked wrong removed by the reader")
        if study.brain is not None and study.brain_source == BRAIN_EXTRACTED:
            make_folder(out / "masks")
            save_nifti(study.brain.astype(np.uint8), study.ijk_to_ras,
                       out / "masks" / f"tp{number}_brain_deepbet.nii.gz",
                       description="neuroview brain extraction (deepbet)")
        check(cancel)
    tracking = tracking_of(baseline, laters, comparisons)
    marks.apply(comparisons, tracking)
    check(cancel)
    write_text_atomic(out / "lesions.csv", tracking.csv())
    report(progress, steps - 1, steps, "writing the report")
    write_text_atomic(out / "report.html", report_html(comparisons, images, info, tracking))
    written = [os.fspath(out / "report.html")]
    if pdf_available():
        check(cancel)
        write_report_pdf(out / "report.pdf", comparisons, images, info, tracking)
        written.append(os.fspath(out / "report.pdf"))
    report(progress, steps, steps, "report written")
    return written
