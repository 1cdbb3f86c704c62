"""``dataset rank`` says which model scores the cases: without ``--model`` the default ranks, and
``models promote`` changes it (in a walk, a two-epoch model promoted with ``--force`` ranked the
next cases, entropy 0.99 bits on every voxel, with no word of which model it was)."""

from __future__ import annotations

from neuroview.ai.registry import Registry
from neuroview.dataset.layout import init_dataset

CLI_FORKED = ("what `dataset rank` says and writes, scoring with tests.dataset.fake_model "
              "(numpy) or naming a model it never runs, not a process's start")
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _cases_csv(tmp_path):
    cases = tmp_path / "cases.csv"     # nothing left to rank: the model is named, never run
    cases.write_text("path,status\nhead1.nii.gz,corrected\n")
    return cases


def test_rank_names_the_default_model_it_ranks_with(tmp_path, cli):
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])

    result = cli("dataset", "rank", folder, "--cases", _cases_csv(tmp_path))

    assert result.returncode == 0, result.stderr
    default = Registry().default_ref()
    assert default and f"note: ranking with {default} (the default model)" in result.stderr.splitlines()


def test_rank_names_the_model_it_was_given(tmp_path, cli):
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    default = Registry().default_ref()
    for given, named in ((default.split("@")[0], default),
                         ("tests.dataset.fake_model:probabilities",
                          "tests.dataset.fake_model:probabilities")):
        result = cli("dataset", "rank", folder, "--cases", _cases_csv(tmp_path), "--model", given)
        assert result.returncode == 0, result.stderr
        assert f"note: ranking with {named}" in result.stderr.splitlines(), result.stderr
