"""A ``.segments.json`` that names one label value twice is refused in one line naming the file
and the value, in the CLI (``convert --labels``, ``dataset add``) as in the window's reader:
until session 36 the last entry won without a word, so voxels drawn as 'lesion' came in named
'other' (ITK-SNAP's and Slicer's colour tables also let the last entry win, unsaid)."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np
import pytest

from neuroview.app.view_labels import load_label_map
from neuroview.cli.main import main
from neuroview.core.errors import LabelMapError

LESION = {"value": 1, "name": "lesion", "color": [230, 25, 75]}
AFFINE = np.diag([1.5, 1.5, 2.0, 1.0])


@pytest.fixture
def case(tmp_path):
    image = (np.arange(540) % 300).reshape(10, 9, 6).astype(np.int16)
    nib.save(nib.Nifti1Image(image, AFFINE), tmp_path / "image.nii.gz")
    labels = np.zeros(image.shape, np.uint8)
    labels[2:5, 2:5, 2:4] = 1
    nib.save(nib.Nifti1Image(labels, AFFINE), tmp_path / "labels.nii.gz")
    return tmp_path


def sidecar(folder, *segments):
    (folder / "labels.segments.json").write_text(json.dumps(list(segments)))


def test_a_value_named_twice_is_refused_naming_the_file_and_value(case):
    sidecar(case, LESION, {**LESION, "name": "other", "color": [0, 0, 255]})
    with pytest.raises(LabelMapError) as caught:
        load_label_map(str(case / "labels.nii.gz"))
    text = str(caught.value)
    assert text.startswith(str(case / "labels.segments.json") + ": ")
    assert "label value 1 twice ('lesion' and 'other')" in text and "\n" not in text


def test_convert_refuses_it_in_one_line_and_writes_nothing(case, capsys):
    sidecar(case, LESION, {**LESION, "name": "other"})
    assert main(["convert", str(case / "image.nii.gz"), str(case / "out.nii.gz"),
                 "--labels", str(case / "labels.nii.gz")]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "labels.segments.json" in lines[0] and "value 1 twice" in lines[0]
    assert not (case / "out.nii.gz").exists() and not (case / "out-labels.nii.gz").exists()


def test_distinct_values_still_read_with_their_names(case):
    sidecar(case, LESION, {**LESION, "value": 2, "name": "oedema"})
    labels = load_label_map(str(case / "labels.nii.gz"))
    assert labels.segments.get(1).name == "lesion"
