"""``dataset rank`` names the files of the ``--cases`` folder it leaves out (a text file was passed
over without a word), and its CSV holds paths relative to its own folder (they were absolute: the
user's folder names, a patient's among them, went wherever the CSV was shared); the CSV still
opens as a worklist of those cases, sharing the folder's state, and the Rank dialog's table
shows where each case is."""

from __future__ import annotations

import csv
import os

import nibabel as nib
import numpy as np

from neuroview.dataset.layout import init_dataset
from neuroview.dataset.worklist import Worklist

CLI_FORKED = ("what `dataset rank` says and writes, scoring with tests.dataset.fake_model "
              "(numpy) or naming a model it never runs, not a process's start")
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def test_left_out_files_named_and_csv_paths_relative(tmp_path, cli):
    top = tmp_path / "Doe_John_1961"
    pool = top / "pool"
    pool.mkdir(parents=True)
    for number, name in enumerate(("a_t1.nii.gz", "b_t1.nii.gz")):
        data = np.random.default_rng(number).random((12, 10, 8)).astype(np.float32)
        nib.save(nib.Nifti1Image(data, np.eye(4)), pool / name)
    (pool / "notes.txt").write_text("reader notes\n")
    (pool / "a_t1.json").write_text("{}")   # a BIDS sidecar: goes with its image, not said
    folder = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion"])
    output = top / "next.csv"

    result = cli("dataset", "rank", folder, "--cases", pool, "--model",
                 "tests.dataset.fake_model:probabilities", "--output", output)

    assert result.returncode == 0, result.stderr
    left_out = [line for line in result.stderr.splitlines() if line.endswith(", not ranked")]
    assert left_out == [f"note: {pool / 'notes.txt'}: not a case (a worklist folder takes image files, "
                        ".nii, .nii.gz, .mgz, .mgh, .nrrd, .nhdr, .mha, .mhd, and folders, a DICOM "
                        "series in "
                        "a folder of its own), not ranked"], result.stderr
    text = output.read_text()
    assert str(tmp_path) not in text and "Doe_John" not in text
    with open(output, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(row["path"] for row in rows) == ["pool/a_t1.nii.gz", "pool/b_t1.nii.gz"]
    assert {row["worklist"] for row in rows} == {"pool"}

    Worklist.open(pool, user="dr.a").mark_done("a_t1.nii.gz")   # the folder's state ...
    ranking = Worklist.open(output, user="dr.b")
    assert os.path.samefile(ranking.shares, pool)                # ... is the ranking's
    assert sorted(os.path.realpath(c.path) for c in ranking.cases) == sorted(
        os.path.realpath(pool / n) for n in ("a_t1.nii.gz", "b_t1.nii.gz"))
    assert {c.case_id: c.mark for c in ranking.cases}["a_t1.nii.gz"] == "done"

    moved = tmp_path / "shared"   # the CSV and the cases moved together: still read
    top.rename(moved)
    cases = Worklist.open(moved / "next.csv", user="dr.c").cases
    assert all(os.path.isfile(c.path) for c in cases)


def test_rank_dialog_shows_where_each_case_is(tmp_path):
    from neuroview.dataset.rank import CaseUncertainty, write_ranking_csv
    from neuroview.ui.rank_dialog import read_ranking

    case = tmp_path / "pool" / "a_t1.nii.gz"
    output = tmp_path / "data" / "rankings" / "Lesions-1234.csv"
    output.parent.mkdir(parents=True)
    write_ranking_csv(output, [CaseUncertainty("a_t1.nii.gz", str(case), 0.5, 0.1, 3, 4)])
    assert read_ranking(output)[0]["path"] == os.path.normpath(case)


def test_a_csv_outside_its_cases_folder_names_them_whole(tmp_path, cli, monkeypatch):
    """A ranking written far from its cases (the Rank dialog writes it in neuroview's data folder)
    held ``../../..`` paths: copied anywhere else (a second annotator's folder, a backup), it named
    other files or none. Paths that would climb out of the CSV's folder are written whole, as the
    worklist reader already takes them, and the copy, opened from another working folder, opens
    the same cases."""
    pool = tmp_path / "study" / "pool"
    pool.mkdir(parents=True)
    for number, name in enumerate(("a_t1.nii.gz", "b_t1.nii.gz")):
        data = np.random.default_rng(number).random((12, 10, 8)).astype(np.float32)
        nib.save(nib.Nifti1Image(data, np.eye(4)), pool / name)
    folder = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion"])
    output = tmp_path / "home" / "data" / "rankings" / "Lesions.csv"
    output.parent.mkdir(parents=True)

    result = cli("dataset", "rank", folder, "--cases", pool, "--model",
                 "tests.dataset.fake_model:probabilities", "--output", output)

    assert result.returncode == 0, result.stderr
    with open(output, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(row["path"] for row in rows) == [str(pool / "a_t1.nii.gz"), str(pool / "b_t1.nii.gz")]
    assert {row["worklist"] for row in rows} == {str(pool)}
    copy = tmp_path / "elsewhere" / "deep" / "ranking.csv"
    copy.parent.mkdir(parents=True)
    copy.write_bytes(output.read_bytes())
    monkeypatch.chdir(tmp_path / "sets")
    for ranking in (output, copy):
        opened = Worklist.open(ranking, user="dr.b")
        assert sorted(str(c.path) for c in opened.cases) == [str(pool / "a_t1.nii.gz"),
                                                             str(pool / "b_t1.nii.gz")]
        assert os.path.samefile(opened.shares, pool)


def test_a_csv_beside_or_above_its_cases_names_them_relative(tmp_path):
    from neuroview.dataset.rank import CaseUncertainty, write_ranking_csv

    case = tmp_path / "pool" / "a_t1.nii.gz"
    for output, expected in ((tmp_path / "pool" / "next.csv", "a_t1.nii.gz"),
                             (tmp_path / "next.csv", "pool/a_t1.nii.gz")):
        write_ranking_csv(output, [CaseUncertainty("a_t1.nii.gz", str(case), 0.5, 0.1, 3, 4)],
                          tmp_path / "pool")
        with open(output, newline="") as handle:
            (row,) = csv.DictReader(handle)
        assert row["path"] == expected and not os.path.isabs(row["worklist"])
