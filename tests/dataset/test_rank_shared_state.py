"""Two annotators each rank one folder of cases (File > Worklist > Rank cases writes the ranking to each one's
own data folder) and work from their own ranking: the rankings keep the folder's worklist state.

Each ranking used to keep a state of its own: the case one annotator had open was the other's
first case too, with nobody told, and a case one had sent to the training set stayed ``new`` in
the other's list (its *Next case* offered it again)."""

from __future__ import annotations

import csv

import nibabel as nib
import numpy as np

from neuroview.dataset.layout import init_dataset
from neuroview.dataset.worklist import Worklist

CLI_FORKED = ("what `dataset rank` says and writes, scoring with tests.dataset.fake_model "
              "(numpy) or naming a model it never runs, not a process's start")
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _ranking(cli, folder, pool, out, user_home):
    result = cli("dataset", "rank", folder, "--cases", pool, "--model",
                 "tests.dataset.fake_model:probabilities", "--output", out,
                 env={"NEUROVIEW_HOME": str(user_home)})
    assert result.returncode == 0, result.stderr
    with open(out, newline="") as handle:
        return [row["id"] for row in csv.DictReader(handle)], result.stderr


def test_annotators_on_their_own_rankings_see_each_others_cases(tmp_path, rng, cli):
    pool = tmp_path / "pool"
    pool.mkdir()
    for number, name in enumerate(("a_t1.nii.gz", "b_t1.nii.gz", "c_t1.nii.gz", "d_t1.nii.gz")):
        image = 0.5 + (0.05 + 0.1 * number) * rng.uniform(-1, 1, (12, 10, 8))
        nib.save(nib.Nifti1Image(image.astype(np.float32), np.diag([2.0, 2.0, 3.0, 1.0])),
                 pool / name)
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    ids_a, _ = _ranking(cli, folder, pool, tmp_path / "home-a" / "ranking.csv", tmp_path / "home-a")
    ids_b, _ = _ranking(cli, folder, pool, tmp_path / "home-b" / "ranking.csv", tmp_path / "home-b")
    assert ids_a == ids_b and len(ids_a) == 4          # one model: one order for both
    done = Worklist.open(pool, user="dr.c")              # a third works from the folder itself
    done.set_status(ids_a[3], "in_training_set", "nv_0001")

    # this (live) process stands for both windows: dr.a's first, then dr.b's
    window_a = Worklist.open(tmp_path / "home-a" / "ranking.csv", user="dr.a")
    first_a = window_a.open_case(ids_a[0])
    window_b = Worklist.open(tmp_path / "home-b" / "ranking.csv", user="dr.b")
    first_b = window_b.resume()
    assert first_b.case_id == ids_a[1], "dr.b was given the case dr.a has open"
    assert window_b.others == {"dr.a": first_a.case_id}

    window_a.set_status(first_a.case_id, "in_training_set", "nv_0002")
    window_b = Worklist.open(tmp_path / "home-b" / "ranking.csv", user="dr.b")
    assert window_b.case(first_a.case_id).status == "in_training_set"
    assert window_b.counts()["in_training_set"] == 2      # dr.c's too
    offered = [window_b.next_case().case_id for _ in range(3)]
    assert first_a.case_id not in offered and ids_a[3] not in offered
    # the folder's own worklist holds every case's state, the rankings' changes included
    folder_list = Worklist.open(pool, user="dr.c")
    assert {c.case_id: c.status for c in folder_list.cases} == {
        ids_a[0]: "in_training_set", ids_a[1]: "new", ids_a[2]: "new", ids_a[3]: "in_training_set"}

    # a ranking made now leaves out what dr.a sent (the dataset holds no image yet: the state does)
    window_a.leave()
    ids_c, notes = _ranking(cli, folder, pool, tmp_path / "home-c" / "ranking.csv", tmp_path / "home-c")
    assert first_a.case_id not in ids_c and ids_a[3] not in ids_c
    assert f"note: {window_b.current}: open in dr.b's window (being edited), not ranked" in notes
