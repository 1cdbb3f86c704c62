"""``neuroview segment ranking.csv``: a ranking written by ``dataset rank --output`` (``id,path,
status,score,...``) gave its header and case ids as inputs (``batch of 3 cases: id, a_t1.nii.gz,
b_t1.nii.gz``, each 'no such file'); it now reads the images from the ``path`` column, and a
CSV whose header names no such column is refused in one line naming the file."""

from __future__ import annotations

import csv

import nibabel as nib
import numpy as np

from neuroview.dataset.layout import init_dataset
from tests.checkout import main_said


def test_segment_reads_the_image_paths_of_a_ranking_csv(tmp_path, capsys):
    pool = tmp_path / "pool"
    pool.mkdir()
    for number, name in enumerate(("a_t1.nii.gz", "b_t1.nii.gz")):
        data = np.random.default_rng(number).random((12, 10, 8)).astype(np.float32)
        nib.save(nib.Nifti1Image(data, np.eye(4)), pool / name)
    folder = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion"])
    ranking = tmp_path / "next.csv"
    code, _out, err = main_said(capsys, "dataset", "rank", folder, "--cases", pool, "--model",
                            "tests.dataset.fake_model:probabilities", "--output", ranking)
    assert code == 0, err
    assert ranking.read_text().startswith("id,path,")

    _code, _out, err = main_said(capsys, "segment", ranking, "-o", tmp_path / "out", "--model", "lesionseg")
    lines = err.splitlines()
    with open(ranking, newline="") as handle:
        ranked = [row["path"].split("/")[-1] for row in csv.DictReader(handle)]   # best first
    assert sorted(ranked) == ["a_t1.nii.gz", "b_t1.nii.gz"]
    assert lines[0] == f"note: batch of 2 cases (each a row of the CSV list): {', '.join(ranked)}"
    assert [line for line in lines if line.startswith("[")] == [
        f"[{n}/2] {tmp_path / 'pool' / name}" for n, name in enumerate(ranked, start=1)]
    assert "no such file" not in err   # each case read (these are too small for the model)


def test_a_csv_whose_header_names_no_path_column_is_refused_in_one_line(tmp_path, capsys):
    listing = tmp_path / "scores.csv"
    listing.write_text("id,status,score\na_t1.nii.gz,new,0.24\n")
    code, out, err = main_said(capsys, "segment", listing, "-o", tmp_path / "out", "--model", "lesionseg")
    assert code != 0 and out == ""
    assert err.strip() == (f"neuroview: error: {listing}: the CSV list's header (id, status, score) "
                           "has no column of image paths: 'segment' reads the column named path (as "
                           "'neuroview dataset rank --output' writes it), or the first column of a "
                           "list without a header")
    assert not (tmp_path / "out").exists()


def test_a_list_without_a_header_or_under_input_is_read_as_before(tmp_path):
    from neuroview.cli.batch_cases import plan_cases

    for text in ("a.nii.gz\nb.nii.gz\n", "input\na.nii.gz\nb.nii.gz\n",
                 "\ufeffcase,reader\na.nii.gz,ann\nb.nii.gz,bob\n"):
        listing = tmp_path / "list.csv"
        listing.write_text(text, encoding="utf-8")
        cases, _ = plan_cases(str(listing), str(tmp_path / "out"))
        assert cases == [str(tmp_path / "a.nii.gz"), str(tmp_path / "b.nii.gz")], text
