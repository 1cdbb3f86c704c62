"""An output folder that cannot be made is one line naming it, before the verb's work (session 19:
``dataset init``, ``train --out`` and ``followup --out`` under a file, or on a read-only place,
were ``internal error: NotADirectoryError`` / ``FileNotFoundError``; ``train`` said it after
reading the dataset, where the checkpoint folder was made)."""

from __future__ import annotations

import pytest

from tests.checkout import main_said


@pytest.fixture
def in_the_way(tmp_path):
    path = tmp_path / "a_file"
    path.write_text("not a folder")
    return path


def _one_line(err: str, path) -> None:
    assert err.count("\n") == 1 and err.startswith("neuroview: error: "), err
    assert "internal error" not in err and str(path) in err


def test_dataset_init_under_a_file(capsys, in_the_way):
    code, _, err = main_said(capsys, "dataset", "init", in_the_way / "raw", "--name", "Lesions",
                         "--labels", "background,lesion")
    assert code == 1
    _one_line(err, in_the_way / "raw" / "Dataset501_Lesions")
    assert "cannot create the dataset folder" in err


def test_train_out_under_a_file_is_refused_before_training(capsys, in_the_way):
    pytest.importorskip("torch")
    code, _, err = main_said(capsys, "train", "--synthetic", "--out", in_the_way / "tiny",
                         "--epochs", "1", "--iterations", "1", "--device", "cpu")
    assert code == 1
    _one_line(err, in_the_way)
    assert "a file of that name is in the way" in err


def test_followup_out_under_a_file_is_refused_before_the_studies_are_read(capsys, in_the_way,
                                                                          tmp_path):
    code, _, err = main_said(capsys, "followup", tmp_path / "baseline.nii.gz", tmp_path / "later.nii.gz",
                         "--labels-baseline", tmp_path / "b.nii.gz", "--labels", tmp_path / "l.nii.gz",
                         "--masks-by", "a reader", "--out", in_the_way / "followup")
    assert code == 1
    _one_line(err, in_the_way)


def test_dataset_rank_output_under_a_file_is_refused_before_ranking(capsys, in_the_way, tmp_path,
                                                                    monkeypatch):
    import numpy as np

    import neuroview.dataset.rank as rank_module
    from neuroview.dataset.layout import init_dataset
    from neuroview.io.nifti import save_nifti

    dataset = init_dataset(tmp_path / "raw", "Lesions", ["background", "lesion"])
    save_nifti(np.ones((8, 8, 8), np.float32), np.eye(4), tmp_path / "cases" / "a.nii.gz")
    ranked = []
    monkeypatch.setattr(rank_module, "rank_cases", lambda *a, **k: ranked.append(a))
    code, _, err = main_said(capsys, "dataset", "rank", dataset, "--cases", tmp_path / "cases",
                         "--output", in_the_way / "next.csv")
    assert code == 1 and not ranked, "the cases were ranked before the output was found unwritable"
    _one_line(err, in_the_way)


def test_snapshot_out_under_a_file_names_the_file_in_the_way(capsys, in_the_way, tmp_path):
    import numpy as np

    from neuroview.io.nifti import save_nifti

    save_nifti(np.ones((8, 8, 8), np.float32), np.eye(4), tmp_path / "a.nii.gz")
    code, _, err = main_said(capsys, "snapshot", tmp_path / "a.nii.gz", "--out", in_the_way / "s.png")
    assert code == 1
    _one_line(err, in_the_way)
    assert "a file of that name is in the way" in err  # it said 'cannot write PNG (File exists)'
