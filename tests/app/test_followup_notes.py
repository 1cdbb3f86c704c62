"""What goes with a comparison wherever it is shown.

A registration that failed is said (the s19 walk: a later study whose header turned the head 180
degrees was reported '5 new, 4 resolved' with nothing to tell it from a real change), and the
brain volume change's repeatability is not claimed for studies whose voxel sizes differ more than
on the pairs it was measured on (the walk: a 1 x 1 x 3 mm copy of the 1 mm demo head, nothing
changed, read +0.92 % 'repeatability +-0.064 %')."""

from __future__ import annotations

import pytest
from turned_studies import TURNED, study

from neuroview.app.followup import StudyInput, brain_change_line, compare
from neuroview.app.followup_checks import head_overlap
from neuroview.io.nifti import save_nifti
from tests.app.followup_cases import rigid

# the same pair registers in tests/ui/test_followup_warning.py (:func:`registrations_reused`): once a run
pytestmark = pytest.mark.usefixtures("registrations_reused")


def test_a_failed_registration_is_said_in_the_command_and_the_report(mni_volume, tmp_path, capsys):
    from neuroview.cli.main import main

    moved = rigid((6.0, -4.0, 5.0), (5.0, -4.0, 3.0), mni_volume.center_ras)
    # 6 mm grids: what is said does not depend on the size (the turned head's registration, which
    # cannot succeed, ran up to 600 iterations on 3 mm grids in 12 s of CPU)
    for name, data in (("t1", study(mni_volume, (6.0, 6.0, 6.0), name="baseline")),
                       ("t2", study(mni_volume, (6.0, 6.0, 6.0), moved))):
        for affine, suffix in ((data.ijk_to_ras, ""), (TURNED @ data.ijk_to_ras, "_turned")):
            save_nifti(data.image, affine, tmp_path / f"{name}{suffix}.nii.gz")
            save_nifti(data.lesions, affine, tmp_path / f"{name}{suffix}_lesions.nii.gz")
    code = main(["followup", str(tmp_path / "t1.nii.gz"), str(tmp_path / "t2.nii.gz"),
                 str(tmp_path / "t2_turned.nii.gz"), "--labels-baseline", str(tmp_path / "t1_lesions.nii.gz"),
                 "--labels", str(tmp_path / "t2_lesions.nii.gz"), str(tmp_path / "t2_turned_lesions.nii.gz"),
                 "--no-brain-extraction", "--out", str(tmp_path / "out")])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    warnings = [line for line in printed.out.splitlines() if ": warning: " in line]
    assert len(warnings) == 1 and warnings[0].startswith(
        "follow-up 2: warning: the registration may have failed: after it the heads' outlines overlap by")
    report = (tmp_path / "out" / "report.html").read_text()
    assert report.count("Warning: the registration may have failed") == 1


def test_the_heads_overlap_after_a_registration_that_worked(mni_volume):
    baseline = study(mni_volume, (3.0, 3.0, 3.0), name="baseline")
    moved = rigid((6.0, -4.0, 5.0), (5.0, -4.0, 3.0), mni_volume.center_ras)
    later = study(mni_volume, (2.5, 3.2, 3.0), moved)
    assert head_overlap(baseline, later, moved) > 0.97
    turned = StudyInput(later.image, TURNED @ later.ijk_to_ras, later.lesions)
    assert head_overlap(baseline, turned, moved) < 0.9


def test_the_repeatability_is_not_claimed_for_unlike_voxel_sizes(mni_volume):
    # 3 mm grids: the rule is on the ratio of the voxel sizes (followup_checks.SIMILAR_VOXELS), the
    # same as on the 2 mm grids with 2.2 x 1.8 x 2.4 and 2 x 2 x 6 mm later studies
    baseline = study(mni_volume, (3.0, 3.0, 3.0), name="baseline")
    like = compare(baseline, study(mni_volume, (3.3, 2.7, 3.6)), partial_volume=True)
    assert like.bvc_repeatability_pct is not None
    assert "(repeatability \u00b1" in brain_change_line(baseline, baseline, like)
    thick = compare(baseline, study(mni_volume, (3.0, 3.0, 9.0)), partial_volume=True)
    assert thick.bvc_repeatability_pct is None and thick.brain_volume_change_pct is not None
    assert brain_change_line(baseline, baseline, thick).endswith(
        "(repeatability unknown: voxel sizes differ)")
