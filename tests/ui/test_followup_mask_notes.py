"""A follow-up whose later study's lesion mask a model made says what the model said of it, as
*AI > Segment* does of one study: two CTs of one head, the later one segmented by an MR model
whose card extracts the brain (skipped on a CT). The follow-up dropped the model's notes until
session 38: its table read '1 new' from a mask the model's own words call meaningless."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")

from neuroview.app.followup import compare, load_study  # noqa: E402
from neuroview.io.nifti import save_nifti  # noqa: E402
from tests.ai.ct_head_case import ct_head  # noqa: E402
from tests.ai.preprocess_models import everywhere_model  # noqa: E402
from tests.ai.real_ct import real_looking_ct  # noqa: E402

# the same pair registers in tests/app/test_followup_ct.py (:func:`registrations_reused`): once a run
pytestmark = pytest.mark.usefixtures("registrations_reused")

SAID = ["the lesion mask of follow-up 1: brain extraction skipped: the image is a CT (Hounsfield "
        "units), and the brain extraction network reads MR only",
        "the lesion mask of follow-up 1: everywhere@1.0.0 was made for MR (T1), and this image is a "
        "CT: its result means little"]


@pytest.fixture
def studies(tmp_path):
    """Two CTs of one head (4 mm, their own noise), the baseline's (empty) lesion mask, and a model
    package made for MR whose card extracts the brain."""
    folder = tmp_path
    ct = ct_head(4)
    for number in (1, 2):
        save_nifti(real_looking_ct(ct.array, seed=number), ct.ijk_to_ras, folder / f"ct{number}.nii.gz")
    save_nifti(np.zeros(ct.shape, np.uint8), ct.ijk_to_ras, folder / "ct1_lesions.nii.gz")
    package = everywhere_model(folder, [{"step": "brain_extraction", "margin_mm": 3}])
    return folder, str(package)


def test_the_models_notes_go_with_the_comparison(studies, qtbot):
    from neuroview.app.followup_report import ReportInfo, report_html
    from neuroview.core.volume import Volume
    from neuroview.ui.followup_window import FollowupWindow

    folder, package = studies
    _, baseline = load_study(folder / "ct1.nii.gz", folder / "ct1_lesions.nii.gz", name="baseline",
                             extract=False)
    _, later = load_study(folder / "ct2.nii.gz", name="follow-up 1", model=package, device="cpu",
                          extract=False)
    assert later.lesions.any() and baseline.lesions_notes == []
    comparison = compare(baseline, later)
    assert comparison.notes == SAID
    view = FollowupWindow(Volume(baseline.image, baseline.ijk_to_ras), baseline, [later], [comparison])
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    assert view.warning.isVisible()
    made = ("the lesion mask of follow-up 1 was made by the model everywhere@1.0.0 and not corrected "
            "by a person: check each lesion in the panes before the table (Delete marks one wrong)")
    assert view.warning.text() == "\n".join(f"Warning: {note}." for note in [*SAID, made])
    # the report (``neuroview followup`` and the window's Report... write it) under this pair
    report = report_html([comparison], {}, ReportInfo())
    assert all(f'<p class="warn">Warning: {note}.</p>' in report for note in SAID)
