"""A series whose description is its body part ("HEAD", as scanners' head protocols name it) is
added: the body part is recorded on purpose (a model's domain reads it) and identifies nobody,
while every other identifying value of the header is still searched for and refused."""

from __future__ import annotations

import sys
from pathlib import Path

import nibabel as nib
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from ct_maker import write_ct  # noqa: E402


@pytest.fixture
def head_series(tmp_path):
    from neuroview.io import load

    write_ct(tmp_path / "head", modality="MR", body_part="HEAD", size=24, spacing=2.0, n_slices=12)
    volume = load(tmp_path / "head")
    assert volume.source_metadata["SeriesDescription"] == "HEAD"   # the maker's head protocol
    mask = np.zeros(volume.shape, np.uint8)
    mask[10:14, 10:14, 5:7] = 1
    nib.save(nib.Nifti1Image(mask, volume.ijk_to_ras), tmp_path / "m.nii.gz")
    from neuroview.app.view_labels import load_label_map

    return volume, load_label_map(tmp_path / "m.nii.gz")


def test_a_series_described_as_its_body_part_is_added_with_it(head_series, tmp_path):
    from neuroview.dataset.deid import find_identifiers, identifying_values
    from neuroview.dataset.layout import init_dataset
    from neuroview.dataset.store import add_case, list_cases

    volume, labels = head_series
    folder = init_dataset(tmp_path / "sets", "Heads", ["background", "lesion"])
    add_case(folder, volume, labels, label_for={"Segment 1": "lesion"})
    assert [r.body_part for r in list_cases(folder)] == ["HEAD"]
    written = [p for p in folder.rglob("*") if p.is_file() and "nv_0001" in p.name]
    others = [v for v in identifying_values(volume.source_metadata) if v != "HEAD"]
    assert len(others) > 3 and find_identifiers(written, others) == []


def test_another_identifying_value_is_still_refused(head_series, tmp_path):
    """The body part is left out of the search, nothing else: the study's UID written into the
    record (here as the model's name) still refuses the add, and nothing is kept."""
    from neuroview.core.errors import NeuroviewError
    from neuroview.dataset.layout import init_dataset
    from neuroview.dataset.provenance import Provenance
    from neuroview.dataset.store import add_case, list_cases

    volume, labels = head_series
    uid = str(volume.source_metadata["StudyInstanceUID"])
    folder = init_dataset(tmp_path / "sets", "Heads", ["background", "lesion"])
    with pytest.raises(NeuroviewError, match="identifying value of the source"):
        add_case(folder, volume, labels, Provenance(model=f"{uid}@1.0.0"), label_for={"Segment 1": "lesion"})
    assert list_cases(folder) == []
