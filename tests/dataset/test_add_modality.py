"""One modality per channel: a CT is not added to an MR channel, nor an MR image to a CT one
(a CT went into a set whose channel is "MRI" without a word, and trained as an MR)."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np
import pytest

from neuroview.core.errors import DatasetError
from neuroview.core.volume import Volume
from neuroview.dataset.channels import channel_kind
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.store import add_case, list_cases
from tests.dataset.label_maps import lesion_map

CLI_FORKED = "what `dataset add` says and stores, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _headerless(volume: Volume, path) -> Volume:
    """The image as a NIfTI gives it: no modality in any header, only voxels."""
    return Volume(np.asarray(volume.array), volume.ijk_to_ras.copy(), source_path=str(path))


def ct_head() -> Volume:
    """A 40^3 head in Hounsfield units: brain 30 HU (noise 5) in a skull 1 voxel thick
    (1200 HU), air -1000 around, as a NIfTI gives it (no header modality)."""
    radius = np.linalg.norm(np.indices((40, 40, 40)) - 19.5, axis=0)
    hu = np.full(radius.shape, -1000.0, np.float32)
    hu[radius <= 15] = 1200.0
    hu[radius <= 14] = 30.0 + np.random.default_rng(1).normal(0, 5, hu[radius <= 14].shape)
    return Volume(hu, np.diag([2.0, 2.0, 2.0, 1.0]), source_path="/data/head_ct.nii.gz")


def test_a_ct_is_refused_from_an_mr_channel_by_header_and_by_voxels(tmp_path, ct_series):
    _, _, ct = ct_series
    folder = init_dataset(tmp_path, "Heads", ["background", "lesion"])   # channel "MRI"
    with pytest.raises(DatasetError) as caught:
        add_case(folder, ct, lesion_map(ct, box=(slice(2, 6), slice(2, 6), slice(1, 3))))
    text = str(caught.value)
    assert text.startswith(f"{ct.source_path}: ") and "'MRI'" in text and "a CT" in text
    assert "\n" not in text and "--allow-modality-mismatch" in text
    nifti = ct_head()
    with pytest.raises(DatasetError, match="^/data/head_ct.nii.gz: .*Hounsfield"):
        add_case(folder, nifti, lesion_map(nifti))
    assert list_cases(folder) == []
    record = add_case(folder, ct, lesion_map(ct, box=(slice(2, 6), slice(2, 6), slice(1, 3))),
                      allow_modality_mismatch=True)
    assert record.modality == "CT" and [r.case for r in list_cases(folder)] == ["nv_0001"]


def test_an_mr_is_refused_from_a_ct_channel_and_kept_in_an_mr_one(tmp_path, small_mr):
    ct_set = init_dataset(tmp_path / "a", "Heads", ["background", "lesion"], channels=["CT"])
    with pytest.raises(DatasetError, match="not a CT .*'CT'"):
        add_case(ct_set, small_mr, lesion_map(small_mr))
    with pytest.raises(DatasetError, match="not in Hounsfield units"):
        add_case(ct_set, _headerless(small_mr, tmp_path / "t1.nii.gz"), lesion_map(small_mr))
    mr_set = init_dataset(tmp_path / "b", "Heads", ["background", "lesion"], channels=["T1", "FLAIR"])
    assert add_case(mr_set, [small_mr, small_mr], lesion_map(small_mr)).case == "nv_0001"


def test_channel_names():
    assert [channel_kind(n) for n in ("CT", "ct", "CTA", "MRI", "T1", "t1_gd", "FLAIR", "PET", "image")] \
        == ["CT", "CT", "CT", "MR", "MR", "MR", "MR", None, None]


def test_cli_refuses_in_one_line_and_the_flag_adds(tmp_path, cli):
    ct = ct_head()
    nib.save(nib.Nifti1Image(np.asarray(ct.array), ct.ijk_to_ras), tmp_path / "ct.nii.gz")
    mask = np.zeros(ct.shape, np.uint8)
    mask[12:20, 12:20, 12:20] = 1
    nib.save(nib.Nifti1Image(mask, ct.ijk_to_ras), tmp_path / "mask.nii.gz")
    assert cli("dataset", "init", tmp_path / "sets", "--name", "Heads", "--labels",
               "background,lesion", "--channels", "T1").returncode == 0
    add = ("dataset", "add", tmp_path / "sets", "--image", tmp_path / "ct.nii.gz", "--labels",
           tmp_path / "mask.nii.gz")
    refused = cli(*add)
    assert refused.returncode != 0
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and str(tmp_path / "ct.nii.gz") in lines[0] and "'T1'" in lines[0], lines
    added = cli(*add, "--allow-modality-mismatch")
    assert added.returncode == 0, added.stderr
    dataset = next((tmp_path / "sets").iterdir())
    assert json.loads((dataset / "dataset.json").read_text())["numTraining"] == 1


def test_a_nifti_told_mr_by_its_sidecar_names_the_sidecar(tmp_path, small_mr):
    """A NIfTI has no modality field: "its header says MR" sent the user to a header that says
    nothing; the JSON sidecar beside it (dcm2niix's) said MR, and the refusal names that file."""
    from neuroview.io.registry import load

    path = tmp_path / "t1w.nii.gz"
    nib.save(nib.Nifti1Image(np.asarray(small_mr.array, np.float32), small_mr.ijk_to_ras), path)
    (tmp_path / "t1w.json").write_text(json.dumps({"Modality": "MR"}))
    nifti = load(str(path))
    ct_set = init_dataset(tmp_path / "a", "Heads", ["background", "lesion"], channels=["CT"])
    with pytest.raises(DatasetError) as caught:
        add_case(ct_set, nifti, lesion_map(nifti))
    text = str(caught.value)
    assert "its JSON sidecar t1w.json says MR" in text and "header" not in text, text
