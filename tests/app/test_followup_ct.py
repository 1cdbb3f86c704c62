"""Follow-up of two head CTs: no brain extraction (deepbet reads MR only, as *AI > Segment* skips
it on a CT), registration on the whole image, and no brain volume change, said in one line. The
follow-up path used to run deepbet on CTs and report a brain volume change of its 'brains'."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")

from neuroview.app.followup import load_study  # noqa: E402
from neuroview.app.followup_brain import CT_NOT_EXTRACTED  # noqa: E402
from neuroview.io.nifti import save_nifti  # noqa: E402
from tests.ai.ct_head_case import ct_head  # noqa: E402
from tests.ai.real_ct import real_looking_ct  # noqa: E402

# the same pair registers in tests/ui/test_followup_mask_notes.py (:func:`registrations_reused`): once a run
pytestmark = pytest.mark.usefixtures("registrations_reused")


@pytest.fixture(scope="module")
def ct_studies(tmp_path_factory):
    """Two CTs of one head (4 mm, its own noise each) as NIfTI, with empty lesion masks."""
    folder = tmp_path_factory.mktemp("ct")
    ct = ct_head(4)
    for number in (1, 2):
        save_nifti(real_looking_ct(ct.array, seed=number), ct.ijk_to_ras, folder / f"ct{number}.nii.gz")
        save_nifti(np.zeros(ct.shape, np.uint8), ct.ijk_to_ras, folder / f"ct{number}_lesions.nii.gz")
    return folder


def test_a_ct_study_gets_no_brain_mask_and_says_why(ct_studies):
    _, study = load_study(ct_studies / "ct1.nii.gz", ct_studies / "ct1_lesions.nii.gz", name="baseline",
                          device="cpu")
    assert study.brain is None
    assert study.brain_source == f"none ({CT_NOT_EXTRACTED})"


def test_followup_of_two_cts_says_there_is_no_brain_volume_change(ct_studies, tmp_path, capsys):
    from neuroview.cli.main import main

    out = tmp_path / "out"
    code = main(["followup", str(ct_studies / "ct1.nii.gz"), str(ct_studies / "ct2.nii.gz"),
                 "--labels-baseline", str(ct_studies / "ct1_lesions.nii.gz"),
                 "--labels", str(ct_studies / "ct2_lesions.nii.gz"), "--device", "cpu", "--out", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    lines = [line for line in printed.out.splitlines() if line.startswith("follow-up 1:")]
    assert lines == [f"follow-up 1: 0 new, 0 enlarging, 0 stable, 0 shrinking, 0 resolved; no brain "
                     f"volume change (baseline: {CT_NOT_EXTRACTED})"]
    assert f"brain masks: none ({CT_NOT_EXTRACTED})" in printed.out
    assert not (out / "masks").exists()                    # no deepbet 'brain' of a CT written
    report = (out / "report.html").read_text()
    assert f"Brain masks: none ({CT_NOT_EXTRACTED})." in report
    assert "not measured (no brain masks)" in report


def test_the_followup_asks_the_volumes_cached_ct_guess(ct_studies, monkeypatch):
    """extract_brain asks the volume's own CT guess (made once per image, as the window's presets
    and 3D view do), not a fresh pass over its voxels: a second ask costs nothing."""
    from neuroview.app.followup_brain import extract_brain
    from neuroview.core import modality
    from neuroview.io.nifti import load_nifti

    volume = load_nifti(ct_studies / "ct1.nii.gz")
    calls = []
    real = modality.looks_like_ct
    monkeypatch.setattr(modality, "looks_like_ct", lambda image: calls.append(1) or real(image))
    assert volume.voxels_look_like_ct()                      # the window asked it as it opened
    mask, how = extract_brain(volume, "cpu")
    assert mask is None and how == f"none ({CT_NOT_EXTRACTED})"
    assert len(calls) == 1
