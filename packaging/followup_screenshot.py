"""Writes ``docs/images/followup.png``: the follow-up window on made-up follow-ups of the MNI
template (tests/app/followup_cases.py; a second later study with the baseline's lesions, moved),
in the coronal plane, jumped to the lesion that grew, the table sorted by volume change; and
``docs/images/followup_report.png``: the report's first PDF page (summary and plot) for them.

Run: xvfb-run -a -s "-screen 0 1600x1000x24" python packaging/followup_screenshot.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from neuroview.app.followup import StudyInput, brain_mask_by_threshold, compare  # noqa: E402
from neuroview.io.nifti import load_nifti  # noqa: E402
from tests.app.followup_cases import grid, lesion_masks, rigid, sample  # noqa: E402

OUT = ROOT / "docs" / "images" / "followup.png"
REPORT_OUT = ROOT / "docs" / "images" / "followup_report.png"


def main() -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from neuroview.core.volume import Volume
    from neuroview.ui.followup_window import FollowupWindow

    template = load_nifti(ROOT / "resources" / "demo" / "mni152_t1_1mm.nii.gz")
    b_shape, b_affine = grid(template, (1.5, 1.5, 1.5))
    f_shape, f_affine = grid(template, (1.6, 1.4, 1.5), (12.0, -6.0, 9.0))
    truth = rigid((8.0, -5.0, 10.0), (10.0, -8.0, 12.0), template.center_ras)
    base = sample(template, b_shape, b_affine)
    later = sample(template, f_shape, f_affine, np.linalg.inv(truth))
    baseline = StudyInput(base, b_affine, lesion_masks(b_shape, b_affine, np.eye(4), False),
                          brain_mask_by_threshold(base))
    followup = StudyInput(later, f_affine, lesion_masks(f_shape, f_affine, np.linalg.inv(truth), True),
                          brain_mask_by_threshold(later))
    g_shape, g_affine = grid(template, (1.5, 1.6, 1.4), (6.0, 9.0, -3.0))
    second = rigid((-6.0, 4.0, -9.0), (-8.0, 6.0, -10.0), template.center_ras)
    later2 = sample(template, g_shape, g_affine, np.linalg.inv(second))
    followup2 = StudyInput(later2, g_affine, lesion_masks(g_shape, g_affine, np.linalg.inv(second), False),
                           brain_mask_by_threshold(later2))
    laters = [followup, followup2]
    comparisons = [compare(baseline, later) for later in laters]
    app = QApplication.instance() or QApplication(sys.argv)
    window = FollowupWindow(Volume(base, b_affine, modality="MR"), baseline, laters, comparisons)
    window.resize(1100, 760)
    window.show()
    next(b for b in window.plane_buttons.buttons() if b.text() == "Coronal").click()
    window.table.sortByColumn(5, Qt.DescendingOrder)  # change_ml, biggest growth first
    lesion = next(r for r in comparisons[0].table.rows if r.status == "enlarging" and not r.event)
    row = next(i for i, cells in enumerate(window.table_text()) if int(cells[0]) == lesion.id)
    window.table.selectRow(row)
    window._jump(row)
    for _ in range(20):
        app.processEvents()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(OUT))
    print(f"wrote {OUT}")

    from neuroview.app.followup_report import ReportInfo, summary_page

    info = ReportInfo(masks_by="drawn by the test (made-up lesions)", software="neuroview")
    summary_page(comparisons, ["baseline", "follow-up 1", "follow-up 2"], info).savefig(
        str(REPORT_OUT), dpi=80)
    print(f"wrote {REPORT_OUT}")


if __name__ == "__main__":
    main()
