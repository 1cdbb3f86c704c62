"""Training sets in nnU-Net v2 raw layout: files, labels, provenance, partial review, channels."""

from __future__ import annotations

import json
import os

import nibabel as nib
import numpy as np
import pytest

from neuroview.core.errors import DatasetError, GeometryError
from neuroview.core.labels import LabelMap
from neuroview.core.volume import Volume
from neuroview.dataset.layout import find_dataset, init_dataset, read_dataset
from neuroview.dataset.provenance import Provenance
from neuroview.dataset.store import add_case, list_cases
from tests.dataset.label_maps import lesion_map
from tests.dataset.store_integrity import integrity_check


def _dice(a, b):
    return 2 * np.count_nonzero(a & b) / (np.count_nonzero(a) + np.count_nonzero(b))


def test_init_writes_nnunet_dataset_json(tmp_path):
    folder = init_dataset(tmp_path / "raw", "Lesions", ["background", "lesion", "edema"],
                          channels=["T1", "FLAIR"])
    assert folder == tmp_path / "raw" / "Dataset501_Lesions"
    data = json.loads((folder / "dataset.json").read_text())
    assert data == {"name": "Lesions", "description": data["description"],
                    "channel_names": {"0": "T1", "1": "FLAIR"},
                    "labels": {"background": 0, "lesion": 1, "edema": 2},
                    "numTraining": 0, "file_ending": ".nii.gz"}
    assert all((folder / sub).is_dir() for sub in ("imagesTr", "labelsTr", "provenance"))
    assert find_dataset(tmp_path / "raw") == folder
    # A second dataset takes the next number; the parent then is ambiguous.
    second = init_dataset(tmp_path / "raw", "Other", ["lesion"])
    assert second.name == "Dataset502_Other"
    assert json.loads((second / "dataset.json").read_text())["labels"] == {"background": 0, "lesion": 1}
    with pytest.raises(DatasetError, match="holds 2 datasets"):
        find_dataset(tmp_path / "raw")
    # A folder already named DatasetNNN_Name is used as is.
    named = init_dataset(tmp_path / "Dataset042_Brain", "Brain", ["background", "tumour"])
    assert named == tmp_path / "Dataset042_Brain"
    with pytest.raises(DatasetError, match="already holds a dataset"):
        init_dataset(named, "Brain", ["background", "tumour"])
    with pytest.raises(DatasetError, match="may only hold"):
        init_dataset(tmp_path / "x", "my lesions", ["lesion"])


def test_add_case_files_geometry_and_provenance(tmp_path, small_mr):
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    final = lesion_map(small_mr, value=7)  # named "lesion": stored as the dataset's 1
    proposal = lesion_map(small_mr, value=1, box=(slice(12, 22), slice(12, 22), slice(14, 24)),
                          origin="model", model="tinyunet@0.3")
    record = add_case(folder, small_mr, final,
                      Provenance(annotator="dr.who", model="tinyunet@0.3", editing_seconds=95.5),
                      proposal=proposal, links_path=tmp_path / "links.json")
    assert record.case == "nv_0001" and record.status == "final"

    image = nib.load(folder / "imagesTr" / "nv_0001_0000.nii.gz")
    label = nib.load(folder / "labelsTr" / "nv_0001.nii.gz")
    assert np.allclose(image.affine, small_mr.ijk_to_ras) and np.allclose(label.affine, small_mr.ijk_to_ras)
    assert np.array_equal(image.get_fdata(dtype=np.float32), small_mr.array)
    labels = np.asarray(label.dataobj)
    assert labels.dtype == np.uint8 and set(np.unique(labels)) == {0, 1}
    assert np.array_equal(labels == 1, final.array == 7)

    data = json.loads((folder / "dataset.json").read_text())
    assert data["numTraining"] == 1
    prov = json.loads((folder / "provenance" / "nv_0001.json").read_text())
    a, b = proposal.array == 1, final.array == 7
    assert prov["model"] == {"name": "tinyunet", "version": "0.3"}
    assert prov["annotator"] == "dr.who" and prov["editing_seconds"] == 95.5
    assert prov["status"] == "final" and prov["added_at"]
    assert prov["corrected_at"] is None   # not given: not the time of adding (added_at)
    seg = prov["segments"][0]
    assert seg["name"] == "lesion" and seg["final_voxels"] == int(b.sum())
    assert seg["dice"] == pytest.approx(_dice(a, b), abs=1e-6)
    assert seg["changed_voxels"] == int(np.count_nonzero(a ^ b)) == 400
    assert seg["final_ml"] == pytest.approx(b.sum() * 64 / 1000)

    # A model proposal accepted as is: status "proposed", model taken from the segment's origin.
    another = Volume(small_mr.array + 1, small_mr.ijk_to_ras, modality="MR")   # another scan
    record = add_case(folder, another, proposal, Provenance(status="proposed"),
                      links_path=tmp_path / "links.json")
    assert record.case == "nv_0002" and record.model == {"name": "tinyunet", "version": "0.3"}
    assert [r.status for r in list_cases(folder)] == ["final", "proposed"]


def test_partial_review_uses_ignore_label(tmp_path, small_mr):
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    final = lesion_map(small_mr)
    reviewed = np.zeros(small_mr.shape, bool)
    reviewed[:, :, 10:30] = True  # the annotator went through axial slices 10..29 only
    record = add_case(folder, small_mr, final, Provenance(annotator="a"), reviewed=reviewed,
                      links_path=tmp_path / "links.json")
    assert record.partial and record.reviewed_fraction == pytest.approx(20 / small_mr.shape[2])
    labels = json.loads((folder / "dataset.json").read_text())["labels"]
    assert labels == {"background": 0, "lesion": 1, "ignore": 2}
    stored = np.asarray(nib.load(folder / "labelsTr" / "nv_0001.nii.gz").dataobj)
    assert np.all(stored[~reviewed] == 2)
    assert np.array_equal(stored[reviewed] == 1, final.array[reviewed] == 1)
    assert np.all(stored[reviewed] != 2)


def test_multichannel_case_and_failures_leave_nothing(tmp_path, small_mr):
    folder = init_dataset(tmp_path, "Multi", ["background", "lesion"], channels=["T1", "FLAIR"])
    flair = Volume(np.sqrt(small_mr.array), small_mr.ijk_to_ras, modality="MR")
    add_case(folder, [small_mr, flair], lesion_map(small_mr), links_path=tmp_path / "l.json")
    second = nib.load(folder / "imagesTr" / "nv_0001_0001.nii.gz").get_fdata(dtype=np.float32)
    assert np.allclose(second, flair.array)
    before = sorted(os.listdir(folder / "imagesTr"))

    with pytest.raises(DatasetError, match="expects 2 channels per case, got 1$"):
        add_case(folder, small_mr, lesion_map(small_mr), links_path=tmp_path / "l.json")
    shifted = Volume(flair.array, flair.ijk_to_ras + np.c_[np.zeros((4, 3)), [5, 0, 0, 0]])
    with pytest.raises(GeometryError):
        add_case(folder, [small_mr, shifted], lesion_map(small_mr), links_path=tmp_path / "l.json")
    with pytest.raises(DatasetError, match="'edema' is not a label"):
        add_case(folder, [small_mr, flair], lesion_map(small_mr, name="edema"),
                 links_path=tmp_path / "l.json")
    with pytest.raises(DatasetError, match="outside the dataset folder"):
        add_case(folder, [small_mr, flair], lesion_map(small_mr), links_path=folder / "links.json")
    assert sorted(os.listdir(folder / "imagesTr")) == before
    assert read_dataset(folder).num_training == 1 and len(list_cases(folder)) == 1


def test_nnunet_integrity_check_accepts_the_dataset(tmp_path, small_mr, monkeypatch):
    verify = integrity_check(monkeypatch)   # nnU-Net's own check, its pools of threads
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"], channels=["T1", "T2"])
    t2 = Volume(small_mr.array[::-1].copy(), small_mr.ijk_to_ras)
    add_case(folder, [small_mr, t2], lesion_map(small_mr), links_path=tmp_path / "l.json")
    reviewed = np.ones(small_mr.shape, bool)
    reviewed[:, :, :8] = False
    add_case(folder, [small_mr, t2], lesion_map(small_mr, box=(slice(30, 40),) * 3),
             reviewed=reviewed, links_path=tmp_path / "l.json")
    verify(str(folder), num_processes=1)

    # The check is real: a label value the dataset does not declare makes it fail.
    bad = np.zeros(small_mr.shape, np.uint8)
    bad[0, 0, 0] = 9
    nib.save(nib.Nifti1Image(bad, small_mr.ijk_to_ras), folder / "labelsTr" / "nv_0001.nii.gz")
    with pytest.raises(RuntimeError, match="unexpected labels"):
        verify(str(folder), num_processes=1)


def test_label_map_on_other_grid_is_refused(tmp_path, small_mr):
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    other = LabelMap(np.zeros((5, 5, 5), np.uint8), np.eye(4))
    with pytest.raises(GeometryError, match="does not lie on the image grid"):
        add_case(folder, small_mr, other, links_path=tmp_path / "l.json")
    assert list_cases(folder) == []


def test_a_models_brain_segment_is_not_a_training_label(tmp_path, small_mr):
    """AI > Segment with brain extraction adds a 'brain' segment (origin model) under the lesions:
    sending the case to a lesion training set stores it as background, not as an error."""
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    final = lesion_map(small_mr, value=1)
    final.array[final.array == 0] = 2
    final.segments.add("brain", value=2, origin="model", model="lesionseg@1.2.0")
    add_case(folder, small_mr, final, Provenance(annotator="dr.who"))
    labels = np.asarray(nib.load(folder / "labelsTr" / "nv_0001.nii.gz").dataobj)
    assert set(np.unique(labels)) == {0, 1} and np.array_equal(labels == 1, final.array == 1)
    human = lesion_map(small_mr, value=1)
    human.array[human.array == 0] = 2
    human.segments.add("brain", value=2)  # drawn by a person: a label the dataset lacks
    with pytest.raises(DatasetError, match="'brain' is not a label of this dataset"):
        add_case(folder, small_mr, human, Provenance(annotator="dr.who"))


def test_an_array_as_label_map_says_how_to_make_a_label_map(tmp_path, small_mr):
    """The README's add_case example, with the numpy array a MONAI or nnU-Net user has: it was an
    AttributeError ('numpy.ndarray' object has no attribute 'require_grid_of'), nothing said what
    to pass (session 19)."""
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    array = lesion_map(small_mr).array
    for keywords in ({}, {"proposal": array}):
        label_map = LabelMap(array, small_mr.ijk_to_ras) if keywords else array
        with pytest.raises(TypeError, match=r"must be a LabelMap, not ndarray: LabelMap\(array, "):
            add_case(folder, small_mr, label_map, **keywords)
    assert list_cases(folder) == []
    record = add_case(folder, small_mr, LabelMap(array, small_mr.ijk_to_ras),
                      links_path=tmp_path / "l.json")
    assert record.case == "nv_0001"


def test_a_segment_made_with_ai_click_is_recorded_as_interactive(tmp_path, small_mr):
    """A segment accepted from AI click (origin ``interactive``) was recorded with source
    ``drawn`` in the case's provenance, as if painted voxel by voxel; a painted one next to it
    stays ``drawn``, and a model's proposal stays ``model`` with its Dice."""
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion", "edema"])
    final = lesion_map(small_mr, value=1, origin="interactive", model="clickseg@1.7.0")
    final.array[0:4, 0:4, 0:4] = 2
    final.segments.add("edema", value=2)
    record = add_case(folder, small_mr, final, Provenance(annotator="ann"), links_path=tmp_path / "l.json")
    by_name = {s.name: s for s in record.segments}
    assert by_name["lesion"].source == "interactive" and by_name["lesion"].dice is None
    assert by_name["lesion"].changed_voxels == by_name["lesion"].final_voxels > 0
    assert by_name["edema"].source == "drawn"
    stored = json.loads((folder / "provenance" / f"{record.case}.json").read_text())
    assert [s["source"] for s in stored["segments"]] == ["interactive", "drawn"]
