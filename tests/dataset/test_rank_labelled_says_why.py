"""``dataset rank`` of a worklist whose cases are all labelled (corrected, sent to the training
set or to PACS) says so, with how many of each: it printed "no unlabelled case to rank" alone, and
the Rank dialog's "No unlabelled case to rank (the log says why)" stood over a log that did not
(walk, session 38: two cases sent, one corrected)."""

from __future__ import annotations

import nibabel as nib
import numpy as np

from neuroview.dataset.layout import init_dataset
from neuroview.dataset.worklist import Worklist

CLI_FORKED = ("what `dataset rank` says, scoring with tests.dataset.fake_model (numpy), not a "
              "process's start")
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _four_cases(tmp_path, rng, statuses: dict):
    """A new dataset and a worklist of four images a_t1 ... d_t1 with ``statuses`` (name ->
    status) set: (the dataset's folder, the worklist's folder, the worklist)."""
    pool = tmp_path / "pool"
    pool.mkdir()
    for name in ("a_t1.nii.gz", "b_t1.nii.gz", "c_t1.nii.gz", "d_t1.nii.gz"):
        nib.save(nib.Nifti1Image((0.5 + 0.1 * rng.uniform(-1, 1, (12, 10, 8))).astype(np.float32),
                                 np.diag([2.0, 2.0, 3.0, 1.0])), pool / name)
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    worklist = Worklist.open(pool)
    for name, status in statuses.items():
        worklist.set_status(name, status)
    return folder, pool, worklist


def test_labelled_cases_are_counted_when_none_is_left(tmp_path, rng, cli):
    folder, pool, worklist = _four_cases(tmp_path, rng, {
        "a_t1.nii.gz": "in_training_set", "b_t1.nii.gz": "in_training_set",
        "c_t1.nii.gz": "corrected", "d_t1.nii.gz": "sent_to_pacs"})
    args = ("dataset", "rank", folder, "--cases", pool, "--model", "tests.dataset.fake_model:probabilities")
    result = cli(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ("no unlabelled case to rank (labelled already: 2 in the training "
                                     "set, 1 corrected, 1 sent to PACS)")
    worklist.set_status("d_t1.nii.gz", "new")
    result = cli(*args)
    assert "no unlabelled case" not in result.stdout and "d_t1.nii.gz" in result.stdout


def test_labelled_cases_are_named_while_others_are_ranked(tmp_path, rng, cli):
    """Three of four cases labelled, one ranked: each labelled case is one ``note: NAME: WHY, not ranked``
    line, as every other case passed over (they went unsaid: walk, session 44, a worklist of three
    with one sent and one corrected ranked one case without a word of the two others)."""
    folder, pool, _ = _four_cases(tmp_path, rng, {
        "a_t1.nii.gz": "in_training_set", "b_t1.nii.gz": "corrected", "c_t1.nii.gz": "sent_to_pacs"})
    result = cli("dataset", "rank", folder, "--cases", pool, "--model",
                 "tests.dataset.fake_model:probabilities")
    assert result.returncode == 0, result.stderr
    assert [line.split()[1] for line in result.stdout.splitlines()] == ["d_t1.nii.gz"]
    assert [line for line in result.stderr.splitlines() if line.endswith("not ranked")] == [
        "note: a_t1.nii.gz: labelled already (in the training set), not ranked",
        "note: b_t1.nii.gz: labelled already (corrected), not ranked",
        "note: c_t1.nii.gz: labelled already (sent to PACS), not ranked"]
