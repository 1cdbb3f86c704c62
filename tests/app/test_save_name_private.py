"""The name *Save labels* (and *Export view as PNG*) proposes never carries a DICOM description,
which a PACS may fill with patient text: a NIfTI that ``neuroview convert`` named
``NNN_DESCRIPTION`` or dcm2niix named after the protocol proposes ``labels``; one named by hand
or by BIDS keeps its name (``tests/ui/test_save_name_series.py``: a DICOM series, by the dialog).
Until session 46 the converted file's name was proposed: ``007_ZZSECRET_PATIENT-labels.nii.gz``."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np
import pytest

from neuroview.app.save_folder import image_stem
from neuroview.io.nifti import load_nifti
from neuroview.io.nifti_sidecar import write_sidecar


def _image(folder, name, sidecar=None):
    path = folder / name
    nib.save(nib.Nifti1Image(np.zeros((4, 4, 3), np.int16), np.eye(4)), path)
    if sidecar is not None:
        (folder / name.replace(".nii.gz", ".json")).write_text(json.dumps(sidecar))
    return load_nifti(str(path))


def test_a_name_convert_made_of_the_description_is_not_proposed(tmp_path):
    path = tmp_path / "007_ZZSECRET_PATIENT.nii.gz"
    nib.save(nib.Nifti1Image(np.zeros((4, 4, 3), np.int16), np.eye(4)), path)
    write_sidecar(str(path), {"Modality": "MR"})   # as convert signs it
    assert image_stem(load_nifti(str(path))) == "labels"


@pytest.mark.parametrize("name, sidecar, stem", [
    ("study_ZZSECRET_PATIENT_20261207_5.nii.gz",                  # dcm2niix's %f_%p_%t_%s
     {"ProtocolName": "ZZSECRET^PATIENT", "ConversionSoftware": "dcm2niix"}, "labels"),
    ("T2_FLAIR.nii.gz", {"SeriesDescription": "t2 flair", "ConversionSoftware": "dcm2niix"}, "labels"),
    ("sub-01_T1w.nii.gz", {"ProtocolName": "t1_mprage_sag", "ConversionSoftware": "dcm2niix"},
     "sub-01_T1w"),                                              # BIDS: named by the user
    ("007_t1.nii.gz", {"Modality": "MR", "ConversionSoftware": "dcm2niix"}, "007_t1"),
    ("t1.nii.gz", None, "t1"),
    ("t1.nii.gz", ["not", "an", "object"], "t1"),
])
def test_a_name_holding_the_sidecar_description_is_not_proposed(tmp_path, name, sidecar, stem):
    assert image_stem(_image(tmp_path, name, sidecar)) == stem
