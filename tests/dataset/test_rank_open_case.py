"""``dataset rank`` leaves out a case a window has open (being edited): it was ranked and written
to the CSV as ``new``, so the next annotator working from that list labelled it a second time and
the later Send replaced the first label. It leaves out a case an annotator marked done too
(*File > Worklist > Mark done*: checked, nothing to label; session 32): still ``new``, it was ranked, written
to the CSV and offered again by the ranking's *Next case*."""

from __future__ import annotations

import csv

import nibabel as nib
import numpy as np

from neuroview.dataset.layout import init_dataset
from neuroview.dataset.worklist import Worklist

CLI_FORKED = ("what `dataset rank` says and writes, scoring with tests.dataset.fake_model "
              "(numpy) or naming a model it never runs, not a process's start")
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _pool_and_dataset(tmp_path, rng):
    pool = tmp_path / "pool"
    pool.mkdir()
    affine = np.diag([2.0, 2.0, 3.0, 1.0])
    for name in ("a_t1.nii.gz", "b_t1.nii.gz", "c_t1.nii.gz"):
        nib.save(nib.Nifti1Image((0.5 + 0.1 * rng.uniform(-1, 1, (12, 10, 8))).astype(np.float32),
                                 affine), pool / name)
    return pool, init_dataset(tmp_path, "Lesions", ["background", "lesion"])


def _rank(cli, folder, pool, *output):
    return cli("dataset", "rank", folder, "--cases", pool, "--model",
               "tests.dataset.fake_model:probabilities", *output)


def _ranked_ids(path) -> list[str]:
    with open(path, newline="") as handle:
        return sorted(row["id"] for row in csv.DictReader(handle))


def test_a_case_open_in_a_window_is_not_ranked(tmp_path, rng, cli):
    pool, folder = _pool_and_dataset(tmp_path, rng)
    window = Worklist.open(pool, user="dr.b")        # this (live) process stands for dr.b's window
    window.open_case("b_t1.nii.gz")

    result = _rank(cli, folder, pool, "--output", tmp_path / "next.csv")

    assert result.returncode == 0, result.stderr
    assert "note: b_t1.nii.gz: open in dr.b's window (being edited), not ranked" in result.stderr
    assert "b_t1.nii.gz" not in result.stdout
    assert _ranked_ids(tmp_path / "next.csv") == ["a_t1.nii.gz", "c_t1.nii.gz"]
    window.leave()                                   # closed: ranked again
    result = _rank(cli, folder, pool)
    assert "b_t1.nii.gz" in result.stdout, result.stderr


def test_the_case_open_in_the_window_that_ranks_is_said_to_be_in_this_window(tmp_path, rng, cli):
    """File > Worklist > Rank cases runs ``dataset rank`` as the window's child: the case on the user's own
    screen read "open in root's window (being edited)", as if another's (session 38's walk)."""
    pool, folder = _pool_and_dataset(tmp_path, rng)
    window = Worklist.open(pool)   # this process's login: the window whose child the command is
    window.open_case("b_t1.nii.gz")

    result = _rank(cli, folder, pool)

    assert result.returncode == 0, result.stderr
    assert "note: b_t1.nii.gz: open in this window (being edited), not ranked" in result.stderr
    assert "b_t1.nii.gz" not in result.stdout
    window.leave()


def test_a_case_marked_done_is_not_ranked(tmp_path, rng, cli):
    pool, folder = _pool_and_dataset(tmp_path, rng)
    Worklist.open(pool, user="dr.b").mark_done("b_t1.nii.gz")

    result = _rank(cli, folder, pool, "--output", tmp_path / "next.csv")

    assert result.returncode == 0, result.stderr
    assert "note: b_t1.nii.gz: marked done in the worklist, not ranked" in result.stderr
    assert _ranked_ids(tmp_path / "next.csv") == ["a_t1.nii.gz", "c_t1.nii.gz"]
    Worklist.open(pool, user="dr.b").mark_done("b_t1.nii.gz", done=False)   # taken back: ranked
    result = _rank(cli, folder, pool)
    assert "b_t1.nii.gz" in result.stdout, result.stderr
