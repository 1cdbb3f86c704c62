"""A folder holding two patients' studies (a CD of two patients, a download folder): the series
chooser and ``neuroview info`` listed their series interleaved by series number, every line alike
but for the description, nothing saying two patients were there. Each patient's series now come
together, ``patient 1 of 2`` leading the line under each (the patient is numbered, never named),
and the chooser's heading says it. One patient's folder lists as before."""

from __future__ import annotations

from series_maker import SeriesSpec, write_series

from neuroview.io import scan

CLI_FORKED = "what `info` prints, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _series(folder, mni_volume, number, description, patient):
    write_series(folder, mni_volume, SeriesSpec(
        rows=8, cols=8, n_slices=3, modality="CT", intercept=-1024, series_number=number,
        description=description, extra=(("PatientID", patient),)))


def _two_patients(folder, mni_volume):
    for number, description, patient in ((2, "HEAD 5mm", "PAT-A"), (2, "CHEST 1.25mm", "PAT-B"),
                                         (3, "HEAD BONE", "PAT-A"), (4, "CHEST 5mm", "PAT-B")):
        _series(folder / f"{patient}_{number}", mni_volume, number, description, patient)


def test_two_patients_series_are_listed_each_patients_together_and_numbered(tmp_path, mni_volume,
                                                                             cli):
    _two_patients(tmp_path / "cd", mni_volume)
    listed = [(c.description, c.origin()) for c in scan(tmp_path / "cd").candidates]
    assert listed == [  # was: CHEST 1.25mm, HEAD 5mm, HEAD BONE, CHEST 5mm, no patient said
        ("CHEST 1.25mm", "patient 1 of 2, study 2024-01-02, time 10:10:10"),
        ("CHEST 5mm", "patient 1 of 2, study 2024-01-02, time 10:10:10"),
        ("HEAD 5mm", "patient 2 of 2, study 2024-01-02, time 10:10:10"),
        ("HEAD BONE", "patient 2 of 2, study 2024-01-02, time 10:10:10")]
    out = cli("info", str(tmp_path / "cd")).stdout
    assert [line.strip() for line in out.splitlines() if "patient" in line] == [o for _d, o in listed]
    assert "PAT-" not in out


def test_one_patients_series_name_no_patient(tmp_path, mni_volume):
    for number, description in ((2, "HEAD 5mm"), (3, "HEAD BONE")):
        _series(tmp_path / "cd" / str(number), mni_volume, number, description, "PAT-A")
    assert [c.origin() for c in scan(tmp_path / "cd").candidates] == [
        "study 2024-01-02, time 10:10:10"] * 2


def test_the_chooser_heading_says_two_patients(qtbot, tmp_path, mni_volume):
    from neuroview.ui.dialogs import SeriesChooserDialog

    _two_patients(tmp_path / "cd", mni_volume)
    dialog = SeriesChooserDialog(scan(tmp_path / "cd"))
    qtbot.addWidget(dialog)
    assert dialog.heading.text() == ("4 image series of 2 different patients found (patient 1, "
                                     "2... under each); choose one to open:")
    assert "patient 2 of 2" in dialog.list.item(3).text()
