"""A follow-up of two patients' DICOM studies is refused in one line, before any work on the later
study (it used to be compared: the s19 walk's later study of another patient read "1 new, 1
enlarging, 1 shrinking" in a report naming them baseline and follow-up 1). The IDs are not
printed; studies of one patient, and studies without a Patient ID, go on."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "io" / "dicom"))

from series_maker import SeriesSpec, write_series  # noqa: E402

from neuroview.app.followup import load_study  # noqa: E402
from neuroview.core.errors import NeuroviewError  # noqa: E402
from neuroview.io import load  # noqa: E402
from neuroview.io.nifti import save_nifti  # noqa: E402

IDS = {"jane": ("Doe^Jane", "NV-TEST-0001"), "jane_again": ("Doe^Jane", "NV-TEST-0001"),
       "max": ("Roe^Max", "NV-TEST-0002")}


@pytest.fixture(scope="module")
def studies(tmp_path_factory, mni_volume):
    """Three small MR series (two of one patient, one of another), each with an empty lesion mask."""
    folder = tmp_path_factory.mktemp("patients")
    for name, (patient, patient_id) in IDS.items():
        series = write_series(folder / name, mni_volume, SeriesSpec(
            rows=24, cols=20, n_slices=12, row_spacing=6.0, col_spacing=6.0, slice_step=8.0,
            extra=(("PatientName", patient), ("PatientID", patient_id))))
        volume = load(series.folder)
        save_nifti(np.zeros(volume.shape, np.uint8), volume.ijk_to_ras, folder / f"{name}_lesions.nii.gz")
    return folder


def test_a_later_study_of_another_patient_is_refused_in_one_line(studies, tmp_path, capsys):
    from neuroview.cli.main import main

    out = tmp_path / "out"
    code = main(["followup", str(studies / "jane"), str(studies / "max"),
                 "--labels-baseline", str(studies / "jane_lesions.nii.gz"),
                 "--labels", str(studies / "max_lesions.nii.gz"), "--no-brain-extraction",
                 "--out", str(out)])
    printed = capsys.readouterr()
    assert code == 1
    assert "follow-up 1 is not of the baseline's patient (the DICOM Patient IDs differ)" in printed.err
    assert len(printed.err.strip().splitlines()) == 1
    assert not any(text in printed.out + printed.err for text in ("NV-TEST", "Doe", "Roe"))
    assert not (out / "report.html").exists()


def test_studies_of_one_patient_and_studies_without_an_id_go_on(studies):
    base_volume, _ = load_study(studies / "jane", studies / "jane_lesions.nii.gz", extract=False)
    volume, _ = load_study(studies / "jane_again", studies / "jane_again_lesions.nii.gz",
                           extract=False, baseline=base_volume, name="follow-up 1")
    assert volume.source_metadata["PatientID"] == "NV-TEST-0001"
    volume.source_metadata.pop("PatientID")   # e.g. a NIfTI: nothing to check
    from neuroview.app.followup_checks import check_same_patient

    check_same_patient(base_volume, volume, "follow-up 1")
    with pytest.raises(NeuroviewError, match="not of the baseline's patient"):
        load_study(studies / "max", studies / "max_lesions.nii.gz", extract=False,
                   baseline=base_volume, name="follow-up 1")


def test_a_ct_against_an_mr_is_said_beside_the_comparison(studies, tmp_path, mni_volume):
    """The s19 walk's MR baseline against a CT of the same head (DICOM) was compared with no word:
    '1 new, 1 enlarging, 1 shrinking', lesion volumes from two modalities."""
    from neuroview.app.followup import compare

    series = write_series(tmp_path / "ct", mni_volume, SeriesSpec(
        rows=24, cols=20, n_slices=12, row_spacing=6.0, col_spacing=6.0, slice_step=8.0, modality="CT",
        extra=(("PatientName", "Doe^Jane"), ("PatientID", "NV-TEST-0001"))))
    base_volume, baseline = load_study(studies / "jane", studies / "jane_lesions.nii.gz", extract=False,
                                       name="baseline")
    mask = tmp_path / "ct_lesions.nii.gz"
    save_nifti(np.zeros(base_volume.shape, np.uint8), load(series.folder).ijk_to_ras, mask)
    _, ct = load_study(series.folder, mask, extract=False, baseline=base_volume, name="follow-up 1")
    _, mr = load_study(studies / "jane_again", studies / "jane_again_lesions.nii.gz", extract=False,
                       baseline=base_volume, name="follow-up 1")
    assert (baseline.ct, ct.ct, mr.ct) == (False, True, False)
    assert [note for note in compare(baseline, ct).notes if "CT" in note] == [
        "baseline is an MR and follow-up 1 a CT: a lesion's outline, and so its volume, differs "
        "between the two, so the statuses compare unlike measurements"]
    assert not [note for note in compare(baseline, mr).notes if "CT" in note]


def test_a_folder_of_several_series_is_refused_in_one_line(studies, tmp_path, capsys):
    """The s19 walk's later study, a folder holding two series, was compared on one of them picked
    with no word (the command's table was of whichever was largest)."""
    import shutil

    from neuroview.cli.main import main

    both = tmp_path / "study"
    for name in ("jane", "jane_again"):
        shutil.copytree(studies / name, both / name)
    code = main(["followup", str(studies / "jane"), str(both),
                 "--labels-baseline", str(studies / "jane_lesions.nii.gz"),
                 "--labels", str(studies / "jane_again_lesions.nii.gz"), "--no-brain-extraction",
                 "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip().splitlines() == [
        f"neuroview: error: {both}: follow-up 1 holds 2 series (see 'neuroview info'): give the folder "
        "or file of one series, or make one with 'neuroview convert INPUT OUTPUT.nii.gz --series N'"]
    assert not (tmp_path / "out" / "report.html").exists()


def test_time_points_in_the_wrong_order_are_refused_in_one_line(studies, tmp_path, mni_volume, capsys):
    """The prior given as the follow-up (s40 walk): compared backwards, its resolved lesions read
    as new and shrinking ones as enlarging, with no word. Refused by the DICOM study dates, which
    are not printed; a later study of the same day, or one without a date, goes on."""
    from neuroview.cli.main import main

    series = write_series(tmp_path / "prior", mni_volume, SeriesSpec(
        rows=24, cols=20, n_slices=12, row_spacing=6.0, col_spacing=6.0, slice_step=8.0,
        extra=(("PatientName", "Doe^Jane"), ("PatientID", "NV-TEST-0001"), ("StudyDate", "20230911"))))
    out = tmp_path / "out"
    code = main(["followup", str(studies / "jane"), str(series.folder),
                 "--labels-baseline", str(studies / "jane_lesions.nii.gz"),
                 "--labels", str(studies / "jane_lesions.nii.gz"), "--no-brain-extraction",
                 "--out", str(out)])
    printed = capsys.readouterr()
    assert code == 1 and not (out / "report.html").exists()
    assert "follow-up 1 is older than the baseline (by their DICOM study dates): give the studies " \
           "oldest first" in printed.err and len(printed.err.strip().splitlines()) == 1
    assert not any(text in printed.out + printed.err for text in ("2023", "2024", "NV-TEST"))
    prior, _ = load_study(series.folder, studies / "jane_lesions.nii.gz", extract=False)
    later, _ = load_study(studies / "jane", studies / "jane_lesions.nii.gz", extract=False,
                          baseline=prior, name="follow-up 1")
    load_study(studies / "jane_again", studies / "jane_lesions.nii.gz", extract=False,   # same day
               baseline=prior, before=(later, "follow-up 1"), name="follow-up 2")
    between = write_series(tmp_path / "between", mni_volume, SeriesSpec(
        rows=24, cols=20, n_slices=12, row_spacing=6.0, col_spacing=6.0, slice_step=8.0,
        extra=(("PatientName", "Doe^Jane"), ("PatientID", "NV-TEST-0001"), ("StudyDate", "20231002"))))
    with pytest.raises(NeuroviewError, match="follow-up 2 is older than follow-up 1"):
        load_study(between.folder, studies / "jane_lesions.nii.gz", extract=False, baseline=prior,
                   before=(later, "follow-up 1"), name="follow-up 2")


def test_the_baseline_given_again_as_the_follow_up_is_refused(studies, tmp_path):
    """The study on screen chosen again as the follow-up (s40 walk, the dialog filling it in):
    compared with itself, every lesion 'stable' and a brain volume change of 0.00 %, no word."""
    base_volume, _ = load_study(studies / "jane", studies / "jane_lesions.nii.gz", extract=False)
    with pytest.raises(NeuroviewError, match="follow-up 1 is the baseline again \\(the same series\\): "
                                             "choose the later study"):
        load_study(studies / "jane", studies / "jane_lesions.nii.gz", extract=False,
                   baseline=base_volume, name="follow-up 1")
    image = tmp_path / "head.nii.gz"
    save_nifti(base_volume.array, base_volume.ijk_to_ras, image)
    nifti, _ = load_study(image, studies / "jane_lesions.nii.gz", extract=False)
    later, _ = load_study(studies / "jane_again", studies / "jane_again_lesions.nii.gz", extract=False,
                          baseline=nifti, name="follow-up 1")
    with pytest.raises(NeuroviewError, match="follow-up 2 is follow-up 1 again \\(the same series"):
        load_study(studies / "jane_again", studies / "jane_again_lesions.nii.gz", extract=False,
                   baseline=nifti, before=(later, "follow-up 1"), name="follow-up 2")
    with pytest.raises(NeuroviewError, match="follow-up 1 is the baseline again \\(the same file\\)"):
        load_study(image, studies / "jane_lesions.nii.gz", extract=False, baseline=nifti,
                   name="follow-up 1")
