"""The same image sent twice is one case: its label is replaced, its id and fold kept (a second
case of one image could sit in the training and the validation split of a fold)."""

from __future__ import annotations

import json
import shutil

import nibabel as nib
import numpy as np
import pytest

from neuroview.core.errors import DatasetError
from neuroview.core.volume import Volume
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.provenance import Provenance
from neuroview.dataset.splits import write_splits
from neuroview.dataset.store import add_case, find_image, list_cases
from neuroview.io import load
from tests.dataset.label_maps import lesion_map
from tests.dataset.store_integrity import integrity_check

CLI_FORKED = "what `dataset add` and `list` say and store, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

SMALL = (slice(10, 14), slice(12, 16), slice(14, 18))   # 64 voxels; the default box has 1000


def _labels(folder, case):
    return np.asarray(nib.load(folder / "labelsTr" / f"{case}.nii.gz").dataobj)


def test_same_image_from_another_file_replaces_the_label(tmp_path, small_mr, monkeypatch):
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    links = tmp_path / "links.json"
    first = tmp_path / "t1.nii.gz"
    nib.save(nib.Nifti1Image(small_mr.array, small_mr.ijk_to_ras), first)
    copy = tmp_path / "renamed" / "same_scan_exported_again.nii.gz"
    copy.parent.mkdir()
    shutil.copy(first, copy)
    other = Volume(small_mr.array * 1.5, small_mr.ijk_to_ras, modality="MR")  # another scan

    record = add_case(folder, load(first), lesion_map(small_mr), Provenance(annotator="dr.a"),
                      links_path=links)
    assert record.case == "nv_0001" and record.image_id.startswith("sha256:") and not record.replaced
    add_case(folder, other, lesion_map(other), links_path=links)          # another image: a case
    again = load(copy)
    assert find_image(folder, again).case == "nv_0001"
    record = add_case(folder, again, lesion_map(small_mr, box=SMALL), Provenance(annotator="dr.b"),
                      links_path=links)

    assert record.case == "nv_0001" and record.subject == "sub_0001"       # same id, same fold
    assert [r["annotator"] for r in record.replaced] == ["dr.a"]
    assert [r.case for r in list_cases(folder)] == ["nv_0001", "nv_0002"]
    assert sorted(p.name for p in (folder / "labelsTr").iterdir()) == ["nv_0001.nii.gz", "nv_0002.nii.gz"]
    assert np.count_nonzero(_labels(folder, "nv_0001")) == 64              # the new label
    on_disk = json.loads((folder / "provenance" / "nv_0001.json").read_text())
    assert on_disk["annotator"] == "dr.b" and on_disk["segments"][0]["final_voxels"] == 64
    assert json.loads((folder / "dataset.json").read_text())["numTraining"] == 2
    source = json.loads(links.read_text())["cases"]["nv_0001"]["source_path"]
    assert source == str(copy)                                             # where it came from now
    folds = json.loads(write_splits(folder, n_folds=2).read_text())
    assert all(sorted(f["train"] + f["val"]) == ["nv_0001", "nv_0002"] for f in folds)
    integrity_check(monkeypatch)(str(folder), num_processes=1)             # nnU-Net's own check

    with pytest.raises(DatasetError, match="already case nv_0001"):
        add_case(folder, again, lesion_map(small_mr), links_path=links, same_image="refuse")
    assert np.count_nonzero(_labels(folder, "nv_0001")) == 64


def test_identity_is_the_voxels_and_the_grid_not_the_type(tmp_path, small_mr):
    from neuroview.dataset.identity import image_identity

    whole = small_mr.array.astype(np.int16)
    assert image_identity([whole.astype(np.float32)]) == image_identity([whole])
    changed = whole.copy()
    changed[3, 4, 5] += 1
    assert image_identity([changed]) != image_identity([whole])          # one voxel differs

    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    links = tmp_path / "links.json"
    add_case(folder, Volume(whole, small_mr.ijk_to_ras), lesion_map(small_mr), links_path=links)
    header = small_mr.ijk_to_ras * (1 + 1e-7)               # what a float32 header keeps of it
    header[:3, 3] += 4e-4                                     # and an origin 0.4 um away
    assert find_image(folder, Volume(whole.astype(np.float32), header)).case == "nv_0001"
    moved = small_mr.ijk_to_ras.copy()
    moved[0, 3] += 1.0                                                     # the same voxels 1 mm away
    elsewhere = Volume(whole, moved)
    assert find_image(folder, elsewhere) is None
    assert add_case(folder, elsewhere, lesion_map(elsewhere), links_path=links).case == "nv_0002"


def test_a_case_added_by_an_older_version_is_recognised(tmp_path, small_mr):
    """Records written before image_id existed get it from their imagesTr file."""
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    links = tmp_path / "links.json"
    add_case(folder, small_mr, lesion_map(small_mr), Provenance(annotator="dr.a"), links_path=links)
    record = folder / "provenance" / "nv_0001.json"
    old = json.loads(record.read_text())
    del old["image_id"], old["image_geometry"], old["replaced"]
    record.write_text(json.dumps(old))

    again = add_case(folder, small_mr, lesion_map(small_mr, box=SMALL), links_path=links)
    assert again.case == "nv_0001" and again.replaced[0]["annotator"] == "dr.a"
    assert [r.case for r in list_cases(folder)] == ["nv_0001"]
    assert json.loads(record.read_text())["image_id"] == again.image_id


def test_cli_add_twice_is_one_case(tmp_path, small_mr, cli):
    nib.save(nib.Nifti1Image(small_mr.array, small_mr.ijk_to_ras), tmp_path / "t1.nii.gz")
    shutil.copy(tmp_path / "t1.nii.gz", tmp_path / "copy.nii.gz")
    nib.save(nib.Nifti1Image(lesion_map(small_mr).array, small_mr.ijk_to_ras), tmp_path / "big.nii.gz")
    nib.save(nib.Nifti1Image(lesion_map(small_mr, box=SMALL).array, small_mr.ijk_to_ras),
             tmp_path / "small.nii.gz")
    folder = init_dataset(tmp_path / "raw", "Lesions", ["background", "lesion"])
    links = tmp_path / "links.json"
    add = ("dataset", "add", folder, "--links", links)

    first = cli(*add, "--image", tmp_path / "t1.nii.gz", "--labels", tmp_path / "big.nii.gz")
    assert first.returncode == 0 and first.stdout.strip() == "nv_0001", first.stderr
    second = cli(*add, "--image", tmp_path / "copy.nii.gz", "--labels", tmp_path / "small.nii.gz")
    assert second.returncode == 0 and second.stdout.strip() == "nv_0001", second.stderr
    assert second.stderr.splitlines() == [   # a note, as the others
        "note: the dataset already held this image as nv_0001: its label was replaced "
        "(same case id and fold)"]
    listing = cli("dataset", "list", folder)
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.strip().splitlines()
    assert "cases: 1" in lines[0] and len(lines) == 2
    assert "lesion (drawn) 64 vox" in lines[1] and "label replaced 1 time" in lines[1]

    refused = cli(*add, "--image", tmp_path / "copy.nii.gz", "--labels", tmp_path / "big.nii.gz",
                  "--if-present", "refuse")
    lines = refused.stderr.strip().splitlines()
    assert refused.returncode == 1 and len(lines) == 1 and "already case nv_0001" in lines[0], lines
    # the way to replace it, not "send it again", which refuses again (session 19)
    assert "--if-present replace" in lines[0] and "send it again" not in lines[0]
    assert np.count_nonzero(_labels(folder, "nv_0001")) == 64


def test_replacing_names_the_label_replaced(tmp_path, small_mr):
    """``replacing``: the version the user agreed to replace; a newer one (another annotator sent
    the image meanwhile, within the same second too) is refused, not replaced unseen."""
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    links = tmp_path / "links.json"
    seen = add_case(folder, small_mr, lesion_map(small_mr), Provenance(annotator="dr.a"),
                    links_path=links)
    add_case(folder, small_mr, lesion_map(small_mr, box=SMALL), Provenance(annotator="dr.b"),
             links_path=links)
    with pytest.raises(DatasetError, match="already case nv_0001 .* by dr.b"):
        add_case(folder, small_mr, lesion_map(small_mr), Provenance(annotator="dr.c"),
                 links_path=links, replacing=seen.version)
    assert _labels(folder, "nv_0001").sum() == 64                           # dr.b's, kept
    newest = find_image(folder, small_mr)
    record = add_case(folder, small_mr, lesion_map(small_mr), Provenance(annotator="dr.c"),
                      links_path=links, replacing=newest.version)
    assert [r["annotator"] for r in record.replaced] == ["dr.a", "dr.b"]
