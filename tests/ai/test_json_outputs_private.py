"""The CLI's ``--json`` outputs name no folder of the user's: ``models compare --dataset DIR --json
FILE`` wrote the dataset's absolute path (``/home/NAME/...``) into a file people share, and
``models list --json`` each model's absolute folder. They now write what the text output names:
the dataset as ``DatasetNNN_Name``, a model by its ref and its package folder's name; the rest of
the JSON is as before (the Models dialog reads the compare file)."""

from __future__ import annotations

import contextlib
import io
import json

import numpy as np
import pytest

from neuroview.cli.main import main
from tests.ui.train_data import make_raw_dataset

pytest.importorskip("torch")


def _run(*args) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main([str(a) for a in args])
    return code, out.getvalue()


def test_models_compare_json_names_the_dataset_not_its_folder(tiny_package, tmp_path):
    from neuroview.ai.registry import Registry

    ref = Registry().add(tiny_package).ref
    holder = tmp_path / "private-folder-of-Jane-Doe"
    dataset = make_raw_dataset(holder, np.random.default_rng(3))
    written = tmp_path / "measured.json"
    code, out = _run("models", "compare", ref, ref, "--dataset", dataset, "--device", "cpu",
                     "--json", written)
    assert code == 0, out
    text = written.read_text()
    assert "Jane-Doe" not in text and str(tmp_path) not in text
    result = json.loads(text)
    assert result["dataset"] == "Dataset001_Blobs"
    assert sorted(result) == ["case_ids", "cases", "dataset", "models", "split"]   # case_ids: session 50
    # refused (session 52): the held-out cases the card refuses, by case id: none of these blobs
    assert result["cases"] >= 1 and set(result["models"][ref]) == {"dice", "lesionwise", "refused",
                                                                    "reused_from"}
    assert result["models"][ref]["refused"] == {}
    assert len(result["models"][ref]["dice"]) == 1                           # one label: lesion


def test_models_list_json_names_no_absolute_folder(tiny_package, tmp_path):
    from neuroview.ai.registry import Registry
    from neuroview.paths import user_data_dir

    entry = Registry().add(tiny_package)
    code, out = _run("models", "list", "--json")
    assert code == 0
    listed = {row["model"]: row for row in json.loads(out)}
    assert listed[entry.ref]["path"] == entry.path.name == entry.ref
    assert str(user_data_dir()) not in out and str(tmp_path) not in out
    assert all(not row["path"].startswith("/") and "\\" not in row["path"] for row in listed.values())


def test_models_compare_json_names_a_dataset_folder_named_after_a_patient_dataset(tiny_package, tmp_path):
    """A dataset whose own folder is not nnU-Net's ``DatasetNNN_Name`` (here a patient's name, as a
    user may name a folder of one patient's scans) is written ``DATASET``, as a card writes it."""
    from neuroview.ai.registry import Registry

    ref = Registry().add(tiny_package).ref
    dataset = make_raw_dataset(tmp_path / "holder", np.random.default_rng(3))
    patient = tmp_path / "Smith_John"
    dataset.rename(patient)
    written = tmp_path / "measured.json"
    code, out = _run("models", "compare", ref, ref, "--dataset", patient, "--device", "cpu",
                     "--json", written)
    assert code == 0, out
    text = written.read_text()
    assert "Smith" not in text and str(tmp_path) not in text
    assert json.loads(text)["dataset"] == "DATASET"
