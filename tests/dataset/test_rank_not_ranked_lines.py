"""Every case (or file of the ``--cases`` folder) ``dataset rank`` passes over is said in one
wording, ``note: NAME: WHY, not ranked``: an unreadable case said ``note: skipped NAME: WHY (not
ranked)``, a file that is no case ``note: left out NAME: not a case ...``, a copy ``..., not
ranked twice``, the others ``NAME: WHY, not ranked`` (without the ``note: `` every other note
line starts with until session 45)."""

from __future__ import annotations

import shutil

import nibabel as nib
import numpy as np

from neuroview.dataset.layout import init_dataset
from neuroview.dataset.worklist import Worklist


def test_each_case_passed_over_is_one_line_saying_why(tmp_path, rng, cli):
    pool = tmp_path / "pool"
    pool.mkdir()
    for name in ("a_t1.nii.gz", "c_t1.nii.gz", "e_t1.nii.gz"):
        nib.save(nib.Nifti1Image((0.5 + 0.1 * rng.uniform(-1, 1, (12, 10, 8))).astype(np.float32),
                                 np.diag([2.0, 2.0, 3.0, 1.0])), pool / name)
    shutil.copy(pool / "a_t1.nii.gz", pool / "b_copy.nii.gz")   # the same image twice
    (pool / "d_cut.nii").write_bytes(b"junk")                    # unreadable
    (pool / "notes.txt").write_text("reader notes\n")            # no case
    Worklist.open(pool, user="dr.b").mark_done("c_t1.nii.gz")
    folder = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion"])

    result = cli("dataset", "rank", folder, "--cases", pool, "--model",
                 "tests.dataset.fake_model:probabilities")

    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "rank" in line and "ranking" not in line]
    assert all(line.startswith("note: ") for line in result.stderr.splitlines()), result.stderr
    by_name = {line.split(": ", 2)[1]: line for line in lines}
    assert sorted(by_name) == sorted(["b_copy.nii.gz", "c_t1.nii.gz", str(pool / "d_cut.nii"),
                                      str(pool / "notes.txt")]), result.stderr
    assert all(line.endswith(", not ranked") for line in lines), lines
    assert by_name["b_copy.nii.gz"] == ("note: b_copy.nii.gz: the same image as a_t1.nii.gz (voxels "
                                        "and grid), not ranked")
    assert by_name["c_t1.nii.gz"] == "note: c_t1.nii.gz: marked done in the worklist, not ranked"
    assert by_name[str(pool / "notes.txt")].startswith(f"note: {pool / 'notes.txt'}: not a case (")
    ranked = sorted(line.split()[1] for line in result.stdout.splitlines())
    assert ranked == ["a_t1.nii.gz", "e_t1.nii.gz"]
