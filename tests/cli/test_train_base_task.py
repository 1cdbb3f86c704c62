"""``neuroview train --base clickseg`` says that clickseg is an AI click model, which cannot be the
base of an automatic one (session 19: ``--dataset`` said the labels differed, ``['object']``, and
``--synthetic`` that its network was not the recipe's)."""

from __future__ import annotations

import pytest

from tests.ui.train_data import make_raw_dataset

pytest.importorskip("torch")


@pytest.mark.parametrize("source", ["dataset", "synthetic"])
def test_an_ai_click_model_as_the_base_of_an_automatic_one_is_refused_in_words(
        capsys, tmp_path, rng, source):
    from neuroview.cli.main import main

    given = (["--dataset", make_raw_dataset(tmp_path / "sets", rng)] if source == "dataset"
             else ["--synthetic", "--minutes", "0.01"])
    code = main([str(a) for a in ["train", *given, "--base", "clickseg", "--out", "x",
                                  "--epochs", "1", "--device", "cpu"]])
    _, err = capsys.readouterr()
    assert code == 1 and err.count("\n") == 1, err
    assert "clickseg@" in err and "is a promptable (AI click) model" in err
    assert "cannot be the base of an automatic model" in err
    assert "neuroview train --interactive --base clickseg" in err
    assert "object" not in err.split("(give", 1)[1] and "labels" not in err and "unet3d" not in err
