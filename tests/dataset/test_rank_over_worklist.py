"""``dataset rank --cases wl.csv --output wl.csv`` rewrote the worklist it read with the ranking,
which lists only the cases it ranked: the corrected case and the one marked done left the
worklist (session 40's CLI walk). Now refused before ranking, the worklist left as it was."""

from __future__ import annotations

import nibabel as nib
import numpy as np

from neuroview.dataset.layout import init_dataset

CLI_FORKED = "what rank says and writes with a fake model; no network runs"


def test_rank_refuses_to_write_over_the_worklist_it_ranks(tmp_path, rng, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("a.nii.gz", "b.nii.gz"):
        nib.save(nib.Nifti1Image((0.5 + 0.1 * rng.uniform(-1, 1, (12, 10, 8))).astype(np.float32),
                                 np.diag([2.0, 2.0, 3.0, 1.0])), tmp_path / name)
    listed = "id,path,status\na,a.nii.gz,new\nb,b.nii.gz,corrected\n"
    (tmp_path / "wl.csv").write_text(listed)
    folder = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion"])

    result = cli("dataset", "rank", folder, "--cases", "wl.csv", "--output", "./wl.csv",
                 "--model", "tests.dataset.fake_model:probabilities")

    assert result.returncode == 1 and result.stdout == "", result.stdout + result.stderr
    assert result.stderr.strip().splitlines() == [
        "neuroview: error: ./wl.csv: is the input wl.csv: the ranking (its unlabelled cases only) "
        "would replace it; give another file name"], result.stderr
    assert (tmp_path / "wl.csv").read_text() == listed
    ranked = cli("dataset", "rank", folder, "--cases", "wl.csv", "--output", "ranked.csv",
                 "--model", "tests.dataset.fake_model:probabilities")
    assert ranked.returncode == 0, ranked.stderr
    assert (tmp_path / "ranked.csv").read_text().splitlines()[1].startswith("a,a.nii.gz,new,")
