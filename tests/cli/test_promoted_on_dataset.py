"""A model promoted on a training set's held-out cases (``models promote MODEL --dataset DIR``)
changed the promoting login's default only: another annotator's ``dataset rank`` of that set went
on with their own default, told nothing. The set's folder now records the promotion
(``promoted_model.json``), and a ranking with another model says so in one line, their default
left as it is."""

from __future__ import annotations

import contextlib
import io
import json

import nibabel as nib
import numpy as np

from neuroview.ai.registry import Registry
from neuroview.cli.main import main
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.promoted import record_promoted


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main([str(a) for a in args]) == 0, err.getvalue()
    return out.getvalue(), err.getvalue()


def test_promotion_on_a_training_set_is_recorded_there(tmp_path):
    from neuroview.ai.networks import build_network
    from neuroview.ai.package import save_package
    from tests.ai.model_cards import make_card

    folder = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion"])
    card = make_card(version="4.0.0", metrics={"held_out_dice": {"lesion": 0.1}, "held_out_split": "s1"})
    Registry().add(save_package(tmp_path / "tiny-4.0.0", card,
                                build_network(card.architecture, card.hyperparameters).state_dict()))
    _run("models", "promote", "tiny@4.0.0", "--force", "--dataset", folder)
    recorded = json.loads((folder / "promoted_model.json").read_text())
    assert (recorded["model"], recorded["task"]) == ("tiny@4.0.0", "lesion")
    assert recorded["package"] == str(Registry().get("tiny@4.0.0").path)   # where the others add it from
    pool = tmp_path / "pool"
    pool.mkdir()
    nib.save(nib.Nifti1Image(np.full((12, 10, 8), 0.5, np.float32), np.diag([2.0, 2.0, 3.0, 1.0])),
             pool / "a_t1.nii.gz")
    notes = [line for line in _run("dataset", "rank", folder, "--cases", pool, "--model",
                                   "tests.dataset.fake_model:probabilities")[1].splitlines()
             if "promoted" in line]
    assert notes[0].endswith(": --model tiny@4.0.0 uses theirs, `neuroview models default "
                             "tiny@4.0.0` makes it your default"), notes   # installed here: as before


def test_a_ranking_with_another_model_says_which_was_promoted(tmp_path, rng):
    pool = tmp_path / "pool"
    pool.mkdir()
    nib.save(nib.Nifti1Image((0.5 + 0.1 * rng.uniform(-1, 1, (12, 10, 8))).astype(np.float32),
                             np.diag([2.0, 2.0, 3.0, 1.0])), pool / "a_t1.nii.gz")
    folder = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion"])
    ranked = ("dataset", "rank", folder, "--cases", pool, "--model", "tests.dataset.fake_model:probabilities")
    assert "promoted" not in _run(*ranked)[1]
    (folder / "promoted_model.json").write_text(json.dumps(
        {"model": "lesionseg@9.0.0", "task": "lesion", "by": "lead", "at": "2026-12-07T09:41:00Z"}))
    notes = [line for line in _run(*ranked)[1].splitlines() if "promoted" in line]
    said = ("note: lead promoted lesionseg@9.0.0 to default for lesion on this training set "
            "(2026-12-07); this uses tests.dataset.fake_model:probabilities: ")
    # not among this login's models (the lead's own): how to get it, not a command that fails
    assert notes == [said + "lesionseg@9.0.0 is not among your models: ask lead for its package: "
                     "`neuroview models add PATH` installs it"]
    (folder / "promoted_model.json").write_text(json.dumps(
        {"model": "lesionseg@9.0.0", "task": "lesion", "by": "lead", "at": "2026-12-07T09:41:00Z",
         "package": "/home/lead/.local/share/neuroview/models/lesionseg@9.0.0"}))
    notes = [line for line in _run(*ranked)[1].splitlines() if "promoted" in line]
    assert notes == [said + "lesionseg@9.0.0 is not among your models: `neuroview models add "
                     "/home/lead/.local/share/neuroview/models/lesionseg@9.0.0` installs it (lead's "
                     "copy; ask lead for the package if you cannot read that folder)"]
    record_promoted(folder, "tests.dataset.fake_model:probabilities", "lesion")   # the one used
    assert "promoted" not in _run(*ranked)[1]
