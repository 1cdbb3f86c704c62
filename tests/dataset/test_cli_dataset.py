"""``neuroview dataset init|add|list`` as a user types them."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np

from tests.checkout import REPO
from tests.dataset.label_maps import lesion_map

CLI_FORKED = "what `dataset init`, `add` and `list` say and write, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def test_init_add_list(tmp_path, small_mr, cli):
    nib.save(nib.Nifti1Image(small_mr.array, small_mr.ijk_to_ras), tmp_path / "t1.nii.gz")
    final = lesion_map(small_mr).array
    proposal = np.zeros_like(final)
    proposal[10:20, 12:22, 16:24] = 1  # the model missed two slices
    reviewed = np.zeros_like(final)
    reviewed[:, :, 12:30] = 1
    for name, array in (("final", final), ("proposal", proposal), ("reviewed", reviewed)):
        nib.save(nib.Nifti1Image(array, small_mr.ijk_to_ras), tmp_path / f"{name}.nii.gz")

    result = cli("dataset", "init", tmp_path / "raw", "--name", "Lesions", "--labels", "background,lesion")
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "raw" / "Dataset501_Lesions"
    assert result.stdout.strip() == str(folder)

    result = cli("dataset", "add", tmp_path / "raw", "--image", tmp_path / "t1.nii.gz",
                 "--labels", tmp_path / "final.nii.gz", "--annotator", "dr.a",
                 "--proposal", tmp_path / "proposal.nii.gz", "--model", "tinyunet@1.0",
                 "--editing-seconds", "42", "--reviewed", tmp_path / "reviewed.nii.gz")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "nv_0001"
    prov = json.loads((folder / "provenance" / "nv_0001.json").read_text())
    # Inside the reviewed slices 12..29: final has 10x10x10, the proposal 10x10x8, overlap 800.
    assert prov["segments"][0]["changed_voxels"] == 200
    assert prov["segments"][0]["dice"] == round(2 * 800 / 1800, 6)
    assert prov["partial"] and prov["model"] == {"name": "tinyunet", "version": "1.0"}

    nib.save(nib.Nifti1Image(small_mr.array + 1, small_mr.ijk_to_ras), tmp_path / "t1_b.nii.gz")
    result = cli("dataset", "add", folder, "--image", tmp_path / "t1_b.nii.gz",   # another scan
                 "--labels", tmp_path / "final.nii.gz")
    assert result.returncode == 0 and result.stdout.strip() == "nv_0002"

    result = cli("dataset", "list", tmp_path / "raw")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "0=background, 1=lesion, 2=ignore" in lines[0] and "cases: 2" in lines[0]
    assert lines[1].startswith("nv_0001  sub_0001  final") and "model tinyunet@1.0" in lines[1]
    assert "by dr.a" in lines[1] and "dice 0.889 changed 200" in lines[1] and "partial" in lines[1]
    assert "lesion (model, by hand: unknown, AI click: unknown)" in lines[1]   # bare files: no table says how
    assert lines[2].startswith("nv_0002  sub_0002  final") and "lesion (drawn) 1000 vox" in lines[2]
    assert "dice" not in lines[2]   # drawn by hand: nothing to compare with


def test_errors_are_one_line(tmp_path, small_mr, cli):
    nib.save(nib.Nifti1Image(small_mr.array, small_mr.ijk_to_ras), tmp_path / "t1.nii.gz")
    nib.save(nib.Nifti1Image(np.zeros((4, 4, 4), np.uint8), np.eye(4)), tmp_path / "small.nii.gz")
    nib.save(nib.Nifti1Image(np.full(small_mr.shape, 0.5, np.float32), small_mr.ijk_to_ras),
             tmp_path / "prob.nii.gz")

    result = cli("dataset", "add", tmp_path / "nothing", "--image", tmp_path / "t1.nii.gz",
                 "--labels", tmp_path / "small.nii.gz")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"neuroview: error: {tmp_path / 'nothing'}: no such folder "
        "(create one with 'neuroview dataset init DIR --name NAME --labels ...')"]

    cli("dataset", "init", tmp_path / "Dataset007_X", "--name", "X", "--labels", "background,lesion")
    result = cli("dataset", "add", tmp_path / "Dataset007_X", "--image", tmp_path / "t1.nii.gz",
                 "--labels", tmp_path / "small.nii.gz")
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "small.nii.gz: label map of shape (4, 4, 4) does not lie on the image grid" in result.stderr
    result = cli("dataset", "add", tmp_path / "Dataset007_X", "--image", tmp_path / "t1.nii.gz",
                 "--labels", tmp_path / "prob.nii.gz")
    assert result.returncode == 1 and "prob.nii.gz: label map holds non-integer values" in result.stderr
    result = cli("dataset", "init", tmp_path / "y", "--name", "Y", "--labels", "background,lesion,ignore,x")
    assert result.returncode == 1 and "'ignore' must be the last label" in result.stderr


def test_a_registry_model_named_without_version_is_recorded_with_its_cards(tmp_path, small_mr, cli):
    card = json.loads((REPO / "resources" / "models" / "lesionseg" / "model.json").read_text())
    nib.save(nib.Nifti1Image(small_mr.array, small_mr.ijk_to_ras), tmp_path / "t1.nii.gz")
    nib.save(nib.Nifti1Image(lesion_map(small_mr).array, small_mr.ijk_to_ras), tmp_path / "final.nii.gz")
    result = cli("dataset", "init", tmp_path, "--name", "Lesions", "--labels", "background,lesion")
    assert result.returncode == 0, result.stderr
    result = cli("dataset", "add", tmp_path, "--image", tmp_path / "t1.nii.gz",
                 "--labels", tmp_path / "final.nii.gz", "--model", "lesionseg")
    assert result.returncode == 0, result.stderr
    prov = json.loads((tmp_path / "Dataset501_Lesions" / "provenance" / "nv_0001.json").read_text())
    assert prov["model"] == {"name": "lesionseg", "version": card["version"]}
    listing = cli("dataset", "list", tmp_path).stdout
    assert f"model lesionseg@{card['version']}" in listing and "@unknown" not in listing
    # the model's mask, corrected or not: no table says (until session 52 'lesion (drawn) 1000
    # vox changed 1000', a person's drawing beside the model said to have proposed it)
    assert "lesion (model, by hand: unknown, AI click: unknown) 1000 vox  (" in listing, listing
    result = cli("dataset", "add", tmp_path, "--image", tmp_path / "t1.nii.gz",   # the same image
                 "--labels", tmp_path / "final.nii.gz", "--model", "othernet")
    assert result.returncode == 0 and "'othernet' is not in the registry" in result.stderr
    prov = json.loads((tmp_path / "Dataset501_Lesions" / "provenance" / "nv_0001.json").read_text())
    assert prov["model"] == {"name": "othernet", "version": "unknown"}


def test_a_models_mask_keeps_its_segment_table(tmp_path, small_mr, cli):
    """A mask written with its ``.segments.json`` (``neuroview segment``, *Save labels*): its
    lesion is the model's and the model's brain segment is background. ``dataset add`` read the
    voxels alone (session 19): a ``neuroview segment`` mask was recorded 'lesion (drawn)' with no
    model, and a saved mask holding the model's brain segment was refused as 'Segment 2'."""
    from neuroview.app.session import Session

    nib.save(nib.Nifti1Image(small_mr.array, small_mr.ijk_to_ras), tmp_path / "t1.nii.gz")
    result = lesion_map(small_mr).array.astype(np.uint8)
    result[:4] = 2  # the brain mask a model's brain extraction adds
    session = Session(small_mr)
    session.apply_model_result(result, {1: "lesion", 2: "brain"}, model="lesionseg@2.5.1")
    session.save_labels(tmp_path / "from_model.nii.gz")
    assert cli("dataset", "init", tmp_path / "raw", "--name", "Lesions",
               "--labels", "background,lesion").returncode == 0
    added = cli("dataset", "add", tmp_path / "raw", "--image", tmp_path / "t1.nii.gz",
                "--labels", tmp_path / "from_model.nii.gz", "--status", "proposed")
    assert added.returncode == 0, added.stderr
    folder = tmp_path / "raw" / "Dataset501_Lesions"
    prov = json.loads((folder / "provenance" / "nv_0001.json").read_text())
    assert prov["model"] == {"name": "lesionseg", "version": "2.5.1"}
    assert [(s["name"], s["source"]) for s in prov["segments"]] == [("lesion", "model")]
    stored = np.asarray(nib.load(folder / "labelsTr" / "nv_0001.nii.gz").dataobj)
    assert set(np.unique(stored)) == {0, 1}


def _saved_and_added(session, labels, cli):
    """``session``'s labels saved as ``labels`` (with its .segments.json) and added with the image
    ``t1.nii.gz`` beside it to a new dataset ``raw/`` there: its folder."""
    session.save_labels(labels)
    raw = labels.parent / "raw"
    assert cli("dataset", "init", raw, "--name", "Lesions", "--labels", "background,lesion").returncode == 0
    added = cli("dataset", "add", raw, "--image", labels.parent / "t1.nii.gz", "--labels", labels)
    assert added.returncode == 0, added.stderr
    return raw / "Dataset501_Lesions"


def test_a_models_mask_that_found_nothing_stays_the_models(tmp_path, small_mr, cli):
    """A case where ``neuroview segment`` found no lesion (its ``.segments.json`` names the lesion,
    the model's, with no voxel), added as is: until session 40 the sidecar's empty segment was
    dropped, and the case was recorded 'lesion (drawn)' by a person, with no model."""
    from neuroview.app.session import Session

    nib.save(nib.Nifti1Image(small_mr.array, small_mr.ijk_to_ras), tmp_path / "t1.nii.gz")
    session = Session(small_mr)
    session.apply_model_result(np.zeros(small_mr.shape, np.uint8), {1: "lesion"},
                               model="lesionseg@2.5.1")
    folder = _saved_and_added(session, tmp_path / "nothing.nii.gz", cli)
    prov = json.loads((folder / "provenance" / "nv_0001.json").read_text())
    assert prov["model"] == {"name": "lesionseg", "version": "2.5.1"}
    (segment,) = prov["segments"]
    assert (segment["source"], segment["final_voxels"], segment["hand_edited"]) == ("model", 0, False)
    listed = cli("dataset", "list", folder).stdout.splitlines()[1]
    assert "model lesionseg@2.5.1" in listed and "lesion (model) 0 vox" in listed, listed


def test_a_proposed_mask_without_segment_table_is_the_models(tmp_path, small_mr, cli):
    """``--status proposed`` says the mask is a model's output as is: with no ``.segments.json``
    and no ``--proposal`` its segments were recorded ``drawn`` (by a person, changed voxels = all
    of them), which the status denies. They are the model's now, with nothing to compare with."""
    nib.save(nib.Nifti1Image(small_mr.array, small_mr.ijk_to_ras), tmp_path / "t1.nii.gz")
    nib.save(nib.Nifti1Image(lesion_map(small_mr).array, small_mr.ijk_to_ras), tmp_path / "mask.nii.gz")
    assert cli("dataset", "init", tmp_path / "raw", "--name", "Lesions",
               "--labels", "background,lesion").returncode == 0
    added = cli("dataset", "add", tmp_path / "raw", "--image", tmp_path / "t1.nii.gz",
                "--labels", tmp_path / "mask.nii.gz", "--status", "proposed", "--model", "tinyunet@1.0")
    assert added.returncode == 0, added.stderr
    folder = tmp_path / "raw" / "Dataset501_Lesions"
    (segment,) = json.loads((folder / "provenance" / "nv_0001.json").read_text())["segments"]
    assert (segment["source"], segment["final_voxels"]) == ("model", 1000)
    assert segment["dice"] is None and segment["changed_voxels"] is None
    listed = cli("dataset", "list", folder).stdout.splitlines()[1]
    assert " proposed " in listed and "lesion (model) 1000 vox" in listed, listed


def test_a_models_mask_corrected_by_hand_says_so(tmp_path, small_mr, cli):
    """A model's lesion erased in part with the brush and saved: ``dataset add`` reads the mark
    from the ``.segments.json`` and records ``hand_edited``, ``dataset list`` says it (session 26)."""
    from neuroview.app.session import Session

    nib.save(nib.Nifti1Image(small_mr.array, small_mr.ijk_to_ras), tmp_path / "t1.nii.gz")
    session = Session(small_mr)
    session.apply_model_result(lesion_map(small_mr).array, {1: "lesion"}, model="lesionseg@2.5.1")
    inside = np.argwhere(session.labels.array == 1)[0]
    session.apply("erase", at_ras=small_mr.ijk_to_ras[:3, :3] @ inside + small_mr.ijk_to_ras[:3, 3],
                  radius_mm=1.0, mode="3d")
    folder = _saved_and_added(session, tmp_path / "corrected.nii.gz", cli)
    (segment,) = json.loads((folder / "provenance" / "nv_0001.json").read_text())["segments"]
    assert (segment["source"], segment["hand_edited"]) == ("model", True)
    assert segment["final_voxels"] < 1000
    listed = cli("dataset", "list", folder).stdout.splitlines()[1]
    assert "lesion (model, corrected by hand)" in listed, listed


def test_a_corrected_mask_without_segment_table_does_not_claim_no_hand_edits(tmp_path, small_mr, cli):
    """A model's proposal and its correction as bare NIfTI files (made in another tool): nothing
    says whether a person corrected it by hand, so ``hand_edited`` is ``null`` and ``dataset list``
    says ``by hand: unknown``; until session 51 it recorded ``false``, a claim no one made. The
    same correction saved with its ``.segments.json`` (a model's mask, no stroke) still says
    ``false``: that table knows."""
    from neuroview.app.session import Session

    nib.save(nib.Nifti1Image(small_mr.array, small_mr.ijk_to_ras), tmp_path / "t1.nii.gz")
    final = lesion_map(small_mr).array
    proposal = np.zeros_like(final)
    proposal[10:20, 12:22, 16:24] = 1
    for name, array in (("final", final), ("proposal", proposal)):
        nib.save(nib.Nifti1Image(array, small_mr.ijk_to_ras), tmp_path / f"{name}.nii.gz")
    raw = tmp_path / "raw"
    assert cli("dataset", "init", raw, "--name", "Lesions", "--labels", "background,lesion").returncode == 0
    added = cli("dataset", "add", raw, "--image", tmp_path / "t1.nii.gz", "--labels",
                tmp_path / "final.nii.gz", "--proposal", tmp_path / "proposal.nii.gz",
                "--model", "tinyunet@1.0")
    assert added.returncode == 0, added.stderr
    folder = raw / "Dataset501_Lesions"
    (segment,) = json.loads((folder / "provenance" / "nv_0001.json").read_text())["segments"]
    assert (segment["source"], segment["changed_voxels"], segment["hand_edited"], segment["ai_click"]) \
        == ("model", 200, None, None)   # ai_click: false ("no AI click") until session 52
    listed = cli("dataset", "list", folder).stdout.splitlines()[1]
    assert "lesion (model, by hand: unknown, AI click: unknown) 1000 vox dice 0.889 changed 200" \
        in listed, listed
    record = folder / "provenance" / "nv_0001.json"   # old datasets' records read as they did
    data = json.loads(record.read_text())
    data["segments"][0]["ai_click"] = False             # as session 51 wrote it
    record.write_text(json.dumps(data))
    assert "lesion (model, by hand: unknown) 1000 vox" in cli("dataset", "list", folder).stdout
    data["segments"][0]["hand_edited"] = False          # as before, no ai_click key (session 26)
    del data["segments"][0]["ai_click"]
    record.write_text(json.dumps(data))
    assert "lesion (model) 1000 vox" in cli("dataset", "list", folder).stdout

    session = Session(small_mr)   # the window's model result, saved with its table, no stroke
    session.apply_model_result(final, {1: "lesion"}, model="tinyunet@1.0")
    session.save_labels(tmp_path / "saved.nii.gz")
    added = cli("dataset", "add", raw, "--image", tmp_path / "t1.nii.gz", "--labels",
                tmp_path / "saved.nii.gz", "--proposal", tmp_path / "proposal.nii.gz")
    assert added.returncode == 0, added.stderr
    (segment,) = json.loads((folder / "provenance" / "nv_0001.json").read_text())["segments"]
    assert (segment["source"], segment["hand_edited"], segment["ai_click"]) == ("model", False, False)
