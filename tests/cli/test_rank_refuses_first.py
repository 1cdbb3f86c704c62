"""``dataset rank`` with a ``--cases`` no worklist can be (the file system's root, a missing
folder, an image file): refused in one line before the model is looked up. The model came first,
so a refused folder waited for the model's lookup, and a model that could not be found hid it."""

from __future__ import annotations

import pytest

from neuroview.dataset.layout import init_dataset

CLI_FORKED = ("what `dataset rank` says for a refused --cases, with a --model it never finds: "
              "not a process's start")
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


@pytest.mark.parametrize("cases, said", [
    ("/", "is the root of the file system, not a worklist folder"),
    ("missing", "no such worklist folder or CSV file"),
    ("scan.nii.gz", "is an image file, not a worklist"),
])
def test_refused_cases_said_before_the_model(tmp_path, cli, cases, said):
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    (tmp_path / "scan.nii.gz").write_bytes(b"not read")
    where = cases if cases == "/" else tmp_path / cases
    result = cli("dataset", "rank", folder, "--cases", where, "--model", "no_such_module:score")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and said in errors[0], result.stderr
    assert "probability function" not in result.stderr
