"""Writes ``docs/images/followup.png``: the follow-up window on made-up follow-ups of the MNI
template at three time points (tests/app/followup_cases.py, TRACKED: a lesion new at tp2 that
grows at tp3, one resolved at tp3, one shrunk at tp2, two that merge at tp3, one stable), the
second follow-up against the baseline in the coronal plane, the table across all time points
sorted by volume change, jumped to the lesion that is new and then grew; and
``docs/images/followup_report.png`` / ``followup_report_table.png``: the report's first PDF page
(summary and plot) and its table across all time points.

Run: xvfb-run -a -s "-screen 0 1600x1000x24" python packaging/followup_screenshot.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from neuroview.app.followup import StudyInput, compare  # noqa: E402
from neuroview.app.followup_brain import brain_mask_by_threshold  # noqa: E402
from neuroview.io.nifti import load_nifti  # noqa: E402
from tests.app.followup_cases import grid, rigid, sample, tracked_masks  # noqa: E402
from tests.app.test_followup_track import GRIDS, POSES  # noqa: E402

OUT = ROOT / "docs" / "images" / "followup.png"
REPORT_OUT = ROOT / "docs" / "images" / "followup_report.png"
TABLE_OUT = ROOT / "docs" / "images" / "followup_report_table.png"


def main() -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from neuroview.core.volume import Volume
    from neuroview.ui.followup_window import FollowupWindow

    template = load_nifti(ROOT / "resources" / "demo" / "mni152_t1_1mm.nii.gz")
    studies = []
    for t, ((spacing, margin), (rotation, shift)) in enumerate(zip(GRIDS, POSES)):
        shape, affine = grid(template, np.multiply(spacing, 0.75), margin)
        truth = rigid(rotation, shift, template.center_ras)
        image = sample(template, shape, affine, np.linalg.inv(truth))
        studies.append(StudyInput(image, affine, tracked_masks(shape, affine, np.linalg.inv(truth), t),
                                  brain_mask_by_threshold(image),
                                  "baseline" if t == 0 else f"follow-up {t}"))
    baseline, laters = studies[0], studies[1:]
    comparisons = [compare(baseline, later) for later in laters]
    app = QApplication.instance() or QApplication(sys.argv)
    window = FollowupWindow(Volume(baseline.image, baseline.ijk_to_ras, modality="MR"), baseline,
                            laters, comparisons)
    window.resize(1200, 800)
    window.show()
    window.timepoint.setCurrentIndex(1)
    window.table_choice.setCurrentIndex(1)  # all time points
    next(b for b in window.plane_buttons.buttons() if b.text() == "Coronal").click()
    window.table.sortByColumn(window.tracking.columns().index("change_ml"), Qt.DescendingOrder)
    lesion = next(r for r in window.tracking.rows if r.steps[0] == "new")
    row = next(i for i, cells in enumerate(window.table_text()) if int(cells[0]) == lesion.id)
    window.table.selectRow(row)
    window._jump(row)
    for _ in range(20):
        app.processEvents()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(OUT))
    print(f"wrote {OUT}")

    from neuroview.app.followup_report import (
        TRACKING_TITLE,
        ReportInfo,
        _table_pages,
        summary_page,
        tracking_note,
    )

    names = ["baseline", "follow-up 1", "follow-up 2"]
    info = ReportInfo(masks_by="drawn by the test (made-up lesions)", software="neuroview")
    summary_page(comparisons, names, info).savefig(str(REPORT_OUT), dpi=80)
    print(f"wrote {REPORT_OUT}")
    tracking = window.tracking
    page = next(_table_pages(tracking.columns(), tracking.text_rows(), TRACKING_TITLE, tracking_note(names)))
    page.savefig(str(TABLE_OUT), dpi=110)
    from PIL import Image

    with Image.open(TABLE_OUT) as picture:  # the page's top: the title, the note and the rows
        picture.crop((0, 0, picture.width, int(picture.height * 0.25))).save(TABLE_OUT)
    print(f"wrote {TABLE_OUT}")


if __name__ == "__main__":
    main()
