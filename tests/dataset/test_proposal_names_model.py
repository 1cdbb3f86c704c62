"""``dataset add --proposal MASK`` without ``--model``, the proposal written by ``neuroview
segment`` (its ``.segments.json`` names the model): the case is the model's. In the loop's walk of
7 Dec 2026 (session 50) eight cases added so, each a hand-drawn correction of ``segment``'s mask,
were recorded ``"model": null`` and listed ``model -`` beside ``lesion (model) ... dice 0.892``:
a Dice against a model the provenance did not name."""

from __future__ import annotations

import json

import nibabel as nib

from tests.dataset.label_maps import lesion_map

CLI_FORKED = "what `dataset add` records and `dataset list` prints, not a process's start"


def test_the_proposals_segment_table_names_the_model(tmp_path, small_mr, cli):
    from neuroview.app.session import Session

    nib.save(nib.Nifti1Image(small_mr.array, small_mr.ijk_to_ras), tmp_path / "t1.nii.gz")
    session = Session(small_mr)
    session.apply_model_result(lesion_map(small_mr).array, {1: "lesion"}, model="lesionseg@2.5.1")
    session.save_labels(tmp_path / "seg.nii.gz")   # as `neuroview segment` writes it, with its sidecar
    final = lesion_map(small_mr, box=(slice(10, 20), slice(12, 22), slice(14, 20))).array
    nib.save(nib.Nifti1Image(final, small_mr.ijk_to_ras), tmp_path / "final.nii.gz")   # no sidecar
    assert cli("dataset", "init", tmp_path / "raw", "--name", "Lesions",
               "--labels", "background,lesion").returncode == 0
    added = cli("dataset", "add", tmp_path / "raw", "--image", tmp_path / "t1.nii.gz",
                "--labels", tmp_path / "final.nii.gz", "--proposal", tmp_path / "seg.nii.gz")
    assert added.returncode == 0, added.stderr
    folder = tmp_path / "raw" / "Dataset501_Lesions"
    prov = json.loads((folder / "provenance" / "nv_0001.json").read_text())
    assert prov["model"] == {"name": "lesionseg", "version": "2.5.1"}
    (segment,) = prov["segments"]
    assert (segment["source"], segment["proposed_voxels"], segment["final_voxels"]) == ("model", 1000, 600)
    listed = cli("dataset", "list", folder).stdout.splitlines()[1]
    assert "model lesionseg@2.5.1" in listed and "dice 0.750" in listed, listed


def test_a_proposal_without_segment_table_names_no_model(tmp_path, small_mr, cli):
    """A proposal with no ``.segments.json`` names nothing: the model stays unrecorded, as before."""
    nib.save(nib.Nifti1Image(small_mr.array, small_mr.ijk_to_ras), tmp_path / "t1.nii.gz")
    mask = lesion_map(small_mr).array
    nib.save(nib.Nifti1Image(mask, small_mr.ijk_to_ras), tmp_path / "seg.nii.gz")
    nib.save(nib.Nifti1Image(mask, small_mr.ijk_to_ras), tmp_path / "final.nii.gz")
    assert cli("dataset", "init", tmp_path / "raw", "--name", "Lesions",
               "--labels", "background,lesion").returncode == 0
    assert cli("dataset", "add", tmp_path / "raw", "--image", tmp_path / "t1.nii.gz", "--labels",
               tmp_path / "final.nii.gz", "--proposal", tmp_path / "seg.nii.gz").returncode == 0
    prov = json.loads((tmp_path / "raw" / "Dataset501_Lesions" / "provenance" / "nv_0001.json").read_text())
    assert prov["model"] is None
