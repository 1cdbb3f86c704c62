"""A label map whose ``.segments.json`` is empty or cut short (a save killed half-way by an older
neuroview, which wrote it in place, or by another program) opens to view and edit: its voxels
whole, its segments named by value, one line naming the sidecar, which is kept aside as
``NAME.bad`` with its bytes. The load stopped at it (``segment table is unreadable``), so the
mask could not be opened at all. ``dataset add`` still refuses it: a training case's names and
origins are not guessed. Other damage (nested, huge, a pipe) is refused as before
(test_sidecar_bounds.py)."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np
import pytest

from neuroview.app.label_files import read_sidecar, sidecar_path
from neuroview.app.view_labels import load_label_map
from neuroview.core import settings_file
from neuroview.core.errors import LabelMapError

WHOLE = json.dumps([{"name": "left lesion", "value": 1, "color": [255, 0, 0]},
                    {"name": "right lesion", "value": 2, "color": [0, 255, 0]}], indent=1)


@pytest.fixture
def said():
    lines = []
    settings_file.listen(lines.append)
    yield lines
    settings_file.listen(None)


@pytest.mark.parametrize("left", ["", WHOLE[: len(WHOLE) // 2], WHOLE[:-1]],
                         ids=["empty", "cut-in-a-string", "cut-before-the-bracket"])
def test_a_cut_short_sidecar_loads_the_mask_named_by_value(tmp_path, said, left):
    array = np.zeros((8, 8, 8), np.uint8)
    array[1:3], array[5:7] = 1, 2
    path = tmp_path / "lesions.nii.gz"
    nib.save(nib.Nifti1Image(array, np.eye(4)), path)
    sidecar = sidecar_path(path)
    sidecar.write_text(left)

    labels = load_label_map(path)

    assert np.array_equal(labels.array, array)
    assert [s.value for s in labels.segments] == [1, 2]
    assert "left lesion" not in [s.name for s in labels.segments]
    assert len(said) == 1 and said[0].startswith(f"{sidecar}: ")
    assert said[0].endswith("the labels load with their segments named by value; "
                            "the file kept as lesions.segments.json.bad")
    assert sidecar.with_name("lesions.segments.json.bad").read_text() == left
    assert not sidecar.exists()


def test_a_training_case_refuses_a_cut_short_sidecar(tmp_path, said):
    sidecar = tmp_path / "lesions.segments.json"
    sidecar.write_text(WHOLE[:-1])
    with pytest.raises(LabelMapError, match="segment table is unreadable .*cut short"):
        read_sidecar(sidecar)
    assert sidecar.read_text() == WHOLE[:-1] and not said
