"""Active-learning ranking with a deterministic fake model (no torch)."""

from __future__ import annotations

import csv

import nibabel as nib
import numpy as np
import pytest

from neuroview.core.errors import DatasetError, ModelError
from neuroview.core.volume import Volume
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.rank import DEFAULT_FLIPS, case_uncertainty, flip_tta
from neuroview.dataset.store import add_case, find_image
from neuroview.dataset.worklist import Worklist
from neuroview.io import load
from tests.dataset.fake_model import predict
from tests.dataset.label_maps import lesion_map

CLI_FORKED = ("what `dataset rank` says and writes, scoring with tests.dataset.fake_model "
              "(numpy) or naming a model it never runs, not a process's start")
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _entropy_bits(p):
    return -(p * np.log2(p) + (1 - p) * np.log2(1 - p))


def _case(rng, spread: float, shape=(12, 10, 8)) -> np.ndarray:
    """Intensities around the model's threshold 0.5: a small spread means a hesitant model."""
    return (0.5 + spread * rng.uniform(-1, 1, shape)).astype(np.float32)


def test_scores_match_an_independent_entropy(rng):
    array = _case(rng, 0.1)
    array[:6] += 0.4  # asymmetric along every axis, so a missing un-flip would show
    volume = Volume(array, np.eye(4))
    result = case_uncertainty(volume, flip_tta(predict))
    expected = _entropy_bits(predict(array)).mean()
    assert result.score == pytest.approx(expected, rel=1e-4)
    assert result.mutual_information == pytest.approx(0, abs=1e-5)  # flips agree once un-flipped
    assert result.foreground_voxels == int((predict(array) > 0.5).sum())


def test_flips_that_disagree_raise_mutual_information():
    volume = Volume(np.zeros((9, 4, 4), np.float32), np.eye(4))

    def position_biased(array):  # looks at where, not what: not flip-equivariant
        ramp = np.linspace(0.05, 0.95, array.shape[0])[:, None, None]
        return np.broadcast_to(ramp, array.shape).copy()

    result = case_uncertainty(volume, flip_tta(position_biased), flips=[(), (0,)])
    # Averaging the ramp with its mirror gives 0.5 everywhere: 1 bit of predictive entropy.
    assert result.score == pytest.approx(1.0, abs=1e-6)
    ramp = np.linspace(0.05, 0.95, 9)
    assert result.mutual_information == pytest.approx(1.0 - _entropy_bits(ramp).mean(), abs=1e-5)


def test_bad_model_output_is_reported():
    volume = Volume(np.zeros((4, 4, 4), np.float32), np.eye(4))
    with pytest.raises(ModelError, match="outside"):
        case_uncertainty(volume, flip_tta(lambda a: a + 2.0))
    with pytest.raises(ModelError, match="shape"):
        case_uncertainty(volume, lambda v, flips: np.zeros((1, 2, 2, 2)))
    with pytest.raises(ModelError, match="2 probability maps for 4 flips"):
        case_uncertainty(volume, lambda v, flips: np.zeros((2, 4, 4, 4)))


def test_cli_rank_orders_cases_and_writes_a_worklist(tmp_path, rng, cli, small_mr):
    cases = tmp_path / "pool"
    cases.mkdir()
    spreads = {"sharp": 2.0, "hesitant": 0.05, "middle": 0.3, "labelled": 0.01}
    for name, spread in spreads.items():
        nib.save(nib.Nifti1Image(_case(rng, spread), np.eye(4)), cases / f"{name}.nii.gz")
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    # "labelled" is already in the training set: ranking leaves it out.
    labelled = Volume(np.zeros(small_mr.shape, np.float32), small_mr.ijk_to_ras,
                      source_path=str(cases / "labelled.nii.gz"))
    add_case(folder, labelled, lesion_map(small_mr))

    result = cli("dataset", "rank", folder, "--cases", cases, "--model",
                 "tests.dataset.fake_model:probabilities", "--output", tmp_path / "next.csv")
    assert result.returncode == 0, result.stderr
    order = [line.split()[1] for line in result.stdout.splitlines()[:3]]
    assert order == ["hesitant.nii.gz", "middle.nii.gz", "sharp.nii.gz"]
    assert "labelled.nii.gz" not in result.stdout and len(result.stdout.splitlines()) == 4
    assert "note: labelled.nii.gz: already case nv_0001 in the dataset, not ranked" in result.stderr
    with open(tmp_path / "next.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == order
    expected = _entropy_bits(predict(nib.load(cases / "middle.nii.gz").get_fdata())).mean()
    assert float(rows[1]["score"]) == pytest.approx(expected, abs=1e-5)
    assert [c.case_id for c in Worklist.open(tmp_path / "next.csv").cases] == order
    assert len(DEFAULT_FLIPS) == 4

    result = cli("dataset", "rank", folder, "--cases", cases, "--model", "tests.dataset.fake_model:nothing")
    assert result.returncode == 1 and "cannot load the probability function" in result.stderr


def test_cli_rank_leaves_out_a_copy_of_a_case_under_another_name_and_type(tmp_path, rng, cli):
    """The dataset holds a float32 NIfTI; the pool holds the same voxels as an int16 .mgz under
    another name: not ranked, not in the worklist CSV, reported as the case it already is."""
    affine = np.diag([2.0, 2.0, 3.0, 1.0])
    affine[:3, 3] = [-11.3, 20.7, -5.1]
    voxels = rng.integers(0, 2, (12, 10, 8)).astype(np.int16)
    sent = tmp_path / "sent" / "t1.nii.gz"
    sent.parent.mkdir()
    nib.save(nib.Nifti1Image(voxels.astype(np.float32), affine), sent)
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    case = load(sent)
    add_case(folder, case, lesion_map(case, box=(slice(2, 5),) * 3), links_path=tmp_path / "links.json")

    pool = tmp_path / "pool"
    pool.mkdir()
    nib.save(nib.MGHImage(voxels, affine), pool / "exported_again.mgz")
    moved = affine.copy()
    moved[0, 3] += 2.0  # the same voxels one voxel to the side: another image
    nib.save(nib.Nifti1Image(voxels.astype(np.float32), moved), pool / "moved.nii.gz")
    nib.save(nib.Nifti1Image(_case(rng, 0.05), affine), pool / "other.nii.gz")
    copy = load(pool / "exported_again.mgz")
    assert copy.array.dtype != case.array.dtype and find_image(folder, copy).case == "nv_0001"

    result = cli("dataset", "rank", folder, "--cases", pool, "--model",
                 "tests.dataset.fake_model:probabilities", "--output", tmp_path / "next.csv")
    assert result.returncode == 0, result.stderr
    ranked = [line.split()[1] for line in result.stdout.splitlines()[:-1]]
    assert sorted(ranked) == ["moved.nii.gz", "other.nii.gz"]
    assert "note: exported_again.mgz: already case nv_0001 in the dataset, not ranked" in result.stderr
    assert [c.case_id for c in Worklist.open(tmp_path / "next.csv").cases] == ranked


def test_cli_rank_with_nothing_left_empties_the_worklist_csv(tmp_path, rng, cli):
    """Every pool image is already a training case: the CSV of an earlier run must not stay on
    disk offering them again; it is rewritten with no case (opening it says so)."""
    affine = np.diag([2.0, 2.0, 3.0, 1.0])
    image = tmp_path / "t1.nii.gz"
    nib.save(nib.Nifti1Image(_case(rng, 0.05), affine), image)
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    case = load(image)
    add_case(folder, case, lesion_map(case, box=(slice(2, 5),) * 3), links_path=tmp_path / "links.json")
    pool = tmp_path / "pool"
    pool.mkdir()
    nib.save(nib.load(image), pool / "again.nii.gz")
    stale = tmp_path / "next.csv"
    stale.write_text(f"id,path,status\nagain.nii.gz,{pool / 'again.nii.gz'},new\n")
    result = cli("dataset", "rank", folder, "--cases", pool, "--model",
                 "tests.dataset.fake_model:probabilities", "--output", stale)
    assert result.returncode == 0, result.stderr
    assert "no unlabelled case to rank" in result.stdout
    assert "note: again.nii.gz: already case nv_0001" in result.stderr
    with pytest.raises(DatasetError, match="holds no case|is empty"):
        Worklist.open(stale)
