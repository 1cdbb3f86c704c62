"""``dataset rank`` with the user's private link file damaged (nested 100,000 deep, not an
object, its ``cases`` of the wrong type): one line naming the file, exit 1, the link file left
as it is. It was read with ``json.loads`` of the whole file and used unchecked: RecursionError,
TypeError or AttributeError out of the command (a traceback)."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np
import pytest

from neuroview.dataset.layout import init_dataset, read_dataset
from neuroview.dataset.links import default_links_path

CLI_FORKED = ("what `dataset rank` says, scoring with tests.dataset.fake_model (numpy), not a "
              "process's start")
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

NESTED = "[" * 100_000 + "]" * 100_000
LINKS = {
    "nested": NESTED,
    "cases-nested": '{"cases": ' + NESTED + "}",
    "a-list": "[1, 2]",
    "cases-list": json.dumps({"cases": [1, 2]}),
    "case-number": json.dumps({"cases": {"case_0001": 1e300}}),
    "cut": '{"cases": {"case_0001": {"source_pa',
}


@pytest.mark.parametrize("links", list(LINKS))
def test_a_damaged_link_file_is_one_line_naming_it(tmp_path, cli, links):
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    pool = tmp_path / "pool"
    pool.mkdir()
    nib.save(nib.Nifti1Image(np.arange(8000, dtype=np.float32).reshape(20, 20, 20), np.eye(4)),
             pool / "good.nii.gz")
    path = default_links_path(read_dataset(folder))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(LINKS[links])
    result = cli("dataset", "rank", folder, "--cases", pool, "--model",
                 "tests.dataset.fake_model:probabilities")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("neuroview")]
    assert errors == [line for line in errors if line.startswith(f"neuroview: error: {path}: private "
                                                                "link file is ")] and len(errors) == 1, errors
    assert path.read_text() == LINKS[links]
