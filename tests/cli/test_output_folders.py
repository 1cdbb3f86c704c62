"""An output folder that cannot be made is one line naming it, before the verb's work (session 19:
``dataset init``, ``train --out`` and ``followup --out`` under a file, or on a read-only place,
were ``internal error: NotADirectoryError`` / ``FileNotFoundError``; ``train`` said it after
reading the dataset, where the checkpoint folder was made)."""

from __future__ import annotations

import pytest


def _main(capsys, *args):
    from neuroview.cli.main import main

    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def in_the_way(tmp_path):
    path = tmp_path / "a_file"
    path.write_text("not a folder")
    return path


def _one_line(err: str, path) -> None:
    assert err.count("\n") == 1 and err.startswith("neuroview: error: "), err
    assert "internal error" not in err and str(path) in err


def test_dataset_init_under_a_file(capsys, in_the_way):
    code, _, err = _main(capsys, "dataset", "init", in_the_way / "raw", "--name", "Lesions",
                         "--labels", "background,lesion")
    assert code == 1
    _one_line(err, in_the_way / "raw" / "Dataset501_Lesions")
    assert "cannot create the dataset folder" in err


def test_train_out_under_a_file_is_refused_before_training(capsys, in_the_way):
    pytest.importorskip("torch")
    code, _, err = _main(capsys, "train", "--synthetic", "--out", in_the_way / "tiny",
                         "--epochs", "1", "--iterations", "1", "--device", "cpu")
    assert code == 1
    _one_line(err, in_the_way)
    assert "a file of that name is in the way" in err


def test_followup_out_under_a_file_is_refused_before_the_studies_are_read(capsys, in_the_way,
                                                                          tmp_path):
    code, _, err = _main(capsys, "followup", tmp_path / "baseline.nii.gz", tmp_path / "later.nii.gz",
                         "--labels-baseline", tmp_path / "b.nii.gz", "--labels", tmp_path / "l.nii.gz",
                         "--masks-by", "a reader", "--out", in_the_way / "followup")
    assert code == 1
    _one_line(err, in_the_way)
