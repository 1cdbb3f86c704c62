"""*Send to training set* proposes the channel name a radiologist would give the series (FLAIR,
T1, T2...) from its own fields: the vendors' description and sequence names, else its inversion,
repetition and echo times (an anonymised description), a NIfTI's from its BIDS sidecar. It
proposed the DICOM Modality, ``MR``, for a FLAIR as for a T1. A series whose fields say nothing
clear proposes nothing (the dialog keeps ``MR``). Small series written by the tests' maker, read
by neuroview's scan."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np
import pytest
from series_maker import SeriesSpec, write_series

from neuroview.io import scan
from neuroview.io.contrast import volume_contrast
from neuroview.io.registry import load

SMALL = {"rows": 12, "cols": 10, "n_slices": 3}
SIEMENS, GE = ("Manufacturer", "SIEMENS"), ("Manufacturer", "GE MEDICAL SYSTEMS")
CASES = [   # (vendor's way, description, extra fields, contrast proposed)
    ("siemens tirm", "t2_tirm_tra_dark-fluid", (SIEMENS,), "FLAIR"),
    ("siemens sequence name", "Series 3", (SIEMENS, ("SequenceName", "*tir2d1_16")), "FLAIR"),
    ("ge flair", "Ax T2 FLAIR", (GE,), "FLAIR"),
    ("philips flair", "3D_Brain_VIEW_FLAIR", (("Manufacturer", "Philips"),), "FLAIR"),
    ("siemens mprage", "t1_mprage_sag_p2_iso", (SIEMENS,), "T1"),
    ("ge bravo", "Sag 3D BRAVO", (GE,), "T1"),
    ("philips tfe", "sT1W_3D_TFE", (("Manufacturer", "Philips"),), "T1"),
    ("ge t1 flair", "Ax T1 FLAIR", (GE,), "T1"),
    ("siemens tse", "t2_tse_tra", (SIEMENS,), "T2"),
    ("siemens dwi", "ep2d_diff_3scan_trace", (SIEMENS,), "DWI"),
    ("dark fluid by times", "Series 4", (("ScanningSequence", ["SE", "IR"]), ("InversionTime", 2500),
                                         ("RepetitionTime", 9000)), "FLAIR"),
    ("ir-prep t1 by times", "Series 5", (("ScanningSequence", ["GR", "IR"]), ("InversionTime", 900),
                                          ("RepetitionTime", 2300)), "T1"),
    ("unclear", "Series 6", (("ScanningSequence", "GR"), ("RepetitionTime", 20)), ""),
]


@pytest.mark.parametrize("way, description, extra, contrast", CASES, ids=[c[0] for c in CASES])
def test_a_series_proposes_its_contrast(tmp_path, mni_volume, way, description, extra, contrast):
    write_series(tmp_path / "in", mni_volume, SeriesSpec(**SMALL, description=description, extra=extra,
                                                         echo_time=2.9 if "T1" in (contrast,) else 90.0))
    volume = scan(tmp_path / "in").candidates[0].load()
    assert volume.modality == "MR" and volume_contrast(volume) == contrast


def test_a_nifti_proposes_the_contrast_its_sidecar_names(tmp_path):
    path = tmp_path / "sub-01_run-1.nii.gz"
    nib.save(nib.Nifti1Image(np.zeros((4, 4, 3), np.int16), np.eye(4)), path)
    (tmp_path / "sub-01_run-1.json").write_text(json.dumps({   # BIDS: times in seconds
        "Modality": "MR", "ScanningSequence": "SE_IR", "InversionTime": 2.5, "RepetitionTime": 9.0,
        "EchoTime": 0.09}))
    assert volume_contrast(load([str(path)])) == "FLAIR"
    (tmp_path / "sub-01_run-1.json").write_text(json.dumps({"Modality": "MR"}))
    assert volume_contrast(load([str(path)])) == ""
