"""A segment whose name is not a label of the dataset (a painted "Segment 1") is no label until
someone says which: it was stored as the dataset's label 1 (``lesion``) by its number, silently.
A segment named like a label, and a bare label array (nnU-Net's values), stay silent."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np
import pytest

from neuroview.core.errors import DatasetError
from neuroview.core.labels import LabelMap
from neuroview.core.volume import Volume
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.segment_labels import SegmentNotALabelError
from neuroview.dataset.store import add_case, list_cases
from tests.dataset.label_maps import lesion_map

CLI_FORKED = "what `dataset add` says and stores, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def stored_labels(folder, case="nv_0001"):
    return np.asarray(nib.load(folder / "labelsTr" / f"{case}.nii.gz").dataobj)


def test_segment_1_is_refused_until_mapped(tmp_path, small_mr):
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion", "edema"])
    painted = lesion_map(small_mr, name="Segment 1")
    with pytest.raises(SegmentNotALabelError, match=r"segment 'Segment 1' is not a label of this "
                       r"dataset \(lesion, edema\).*label_for=\{'Segment 1': 'lesion'\}") as raised:
        add_case(folder, small_mr, painted, links_path=tmp_path / "l.json")
    assert raised.value.segments == ("Segment 1",)
    assert list_cases(folder) == []                       # nothing written

    record = add_case(folder, small_mr, painted, links_path=tmp_path / "l.json",
                      label_for={"Segment 1": "edema"})   # the user meant edema, not label 1
    labels = stored_labels(folder)
    assert set(np.unique(labels[painted.array == 1])) == {2} and (labels == 1).sum() == 0
    assert [s.name for s in record.segments if s.final_voxels] == ["edema"]


def test_named_segments_and_bare_arrays_stay_silent(tmp_path, small_mr):
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    add_case(folder, small_mr, lesion_map(small_mr, name="Lesion"), links_path=tmp_path / "l.json")
    assert (stored_labels(folder) == 1).sum() == 1000
    bare = LabelMap(lesion_map(small_mr).array, small_mr.ijk_to_ras)   # nnU-Net's values, no names
    add_case(folder, Volume(small_mr.array + 1, small_mr.ijk_to_ras, modality="MR"), bare,
             links_path=tmp_path / "l.json")
    assert (stored_labels(folder, "nv_0002") == 1).sum() == 1000
    with pytest.raises(DatasetError, match="'Segment 1' is mapped to 'edema', which is not a label"):
        add_case(folder, small_mr, lesion_map(small_mr, name="Segment 1"),
                 links_path=tmp_path / "l.json", label_for={"Segment 1": "edema"})


def test_a_seed_segment_mapped_to_background_is_left_out(tmp_path, small_mr):
    """Grow from seeds' seed segment around a lesion is no label: mapped to the dataset's label 0
    (``background``) it is stored as background, and no segment record names it. The mapping
    was refused (``not a label of this dataset (lesion)``), and the window offered ``lesion``
    alone for it."""
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    labels = lesion_map(small_mr, name="lesion")
    labels.array[2:8, 2:8, 2:8] = 2
    labels.segments.add("Segment 2", value=2, origin="human")
    record = add_case(folder, small_mr, labels, links_path=tmp_path / "l.json",
                      label_for={"Segment 2": "Background"})
    stored = stored_labels(folder)
    assert np.array_equal(stored, (labels.array == 1).astype(stored.dtype))
    assert [(s.name, s.final_voxels) for s in record.segments] == [("lesion", 1000)]
    with pytest.raises(DatasetError, match=r"which is not a label of this dataset \(lesion; "
                       r"background leaves it out\)"):
        add_case(folder, small_mr, labels, links_path=tmp_path / "l.json",
                 label_for={"Segment 2": "edema"})


def test_cli_asks_for_label_for(tmp_path, small_mr, cli):
    nib.save(nib.Nifti1Image(small_mr.array, small_mr.ijk_to_ras), tmp_path / "t1.nii.gz")
    painted = lesion_map(small_mr, name="Segment 1")
    nib.save(nib.Nifti1Image(painted.array, small_mr.ijk_to_ras), tmp_path / "final.nii.gz")
    (tmp_path / "final.segments.json").write_text(json.dumps(painted.segments.to_list()))
    folder = init_dataset(tmp_path / "raw", "Lesions", ["background", "lesion", "edema"])
    add = ("dataset", "add", folder, "--image", tmp_path / "t1.nii.gz",
           "--labels", tmp_path / "final.nii.gz")

    result = cli(*add)
    assert result.returncode == 1 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"neuroview: error: {tmp_path / 'final.nii.gz'}: segment "
                                    "'Segment 1' is not a label of this dataset (lesion, edema)")
    assert "--label-for 'Segment 1=lesion'" in result.stderr
    assert not (folder / "labelsTr" / "nv_0001.nii.gz").exists()

    result = cli(*add, "--label-for", "Segment 1")
    assert result.returncode == 1 and "give SEGMENT=LABEL" in result.stderr
    result = cli(*add, "--label-for", "Segment 1=edema")
    assert result.returncode == 0, result.stderr
    assert set(np.unique(stored_labels(folder)[painted.array == 1])) == {2}

    (tmp_path / "final.segments.json").unlink()        # no names: the file's values are the labels
    nib.save(nib.Nifti1Image(small_mr.array + 1, small_mr.ijk_to_ras), tmp_path / "t1.nii.gz")
    result = cli(*add)
    assert result.returncode == 0, result.stderr
    assert set(np.unique(stored_labels(folder, "nv_0002")[painted.array == 1])) == {1}


def test_cli_shows_a_huge_segment_name_clipped(tmp_path, small_mr, cli):
    """A ``.segments.json`` naming its segment with a long name: the refusal named no file, and
    with 50 MB of text was a line of 100 MB (the name twice). Since a name over 256 characters is
    refused as the sidecar is read (tests/app/test_sidecar_bounds.py), the longest a name can be
    here is 256."""
    nib.save(nib.Nifti1Image(small_mr.array, small_mr.ijk_to_ras), tmp_path / "t1.nii.gz")
    painted = lesion_map(small_mr, name="x" * 256)
    nib.save(nib.Nifti1Image(painted.array, small_mr.ijk_to_ras), tmp_path / "final.nii.gz")
    (tmp_path / "final.segments.json").write_text(json.dumps(painted.segments.to_list()))
    folder = init_dataset(tmp_path / "raw", "Lesions", ["background", "lesion"])
    result = cli("dataset", "add", folder, "--image", tmp_path / "t1.nii.gz",
                 "--labels", tmp_path / "final.nii.gz")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and len(lines[0]) < 400 + len(str(tmp_path)), lines[0][:500]
    assert lines[0].startswith(f"neuroview: error: {tmp_path / 'final.nii.gz'}: segment "
                               f"'{'x' * 57}...' is not a label of this dataset (lesion)")
