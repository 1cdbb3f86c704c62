"""An image whose header says its pixels show identifying text never enters a training set.

A training case is written from pixels and geometry only; text burned into the pixels (a
secondary capture with the patient's name, a scanned form) goes with them. DICOM says so in
BurnedInAnnotation: YES is refused in one line naming the study, before anything is written;
the same study flagged NO (an export with the text removed) is added.
"""

from __future__ import annotations

import os
from pathlib import Path

import nibabel as nib
import numpy as np

from tests.marked_study import TEXT, write_marked_study

CLI_FORKED = "what `dataset` and `convert` say and write, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _mask(study, tmp_path, cli):
    converted = tmp_path / f"{study.name}.nii.gz"
    assert cli("convert", study, converted).returncode == 0
    image = nib.load(converted)
    labels = np.zeros(image.shape, np.uint8)
    labels[20:26, 20:28, 8:12] = 1
    nib.save(nib.Nifti1Image(labels, image.affine), tmp_path / f"{study.name}-labels.nii.gz")
    return tmp_path / f"{study.name}-labels.nii.gz"


def test_burned_in_annotation_is_refused(tmp_path, cli):
    flagged = write_marked_study(tmp_path / "flagged", burned_in="YES")
    cleaned = write_marked_study(tmp_path / "cleaned", variant=1, burned_in="NO")
    assert cli("dataset", "init", tmp_path / "raw", "--name", "Audit", "--labels",
               "background,lesion", "--channels", "T1").returncode == 0
    folder = tmp_path / "raw" / "Dataset501_Audit"

    result = cli("dataset", "add", folder, "--image", flagged, "--labels", _mask(flagged, tmp_path, cli))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(flagged) in lines[0] and "BurnedInAnnotation YES" in lines[0]
    assert TEXT["PatientID"] not in result.stderr
    assert os.listdir(folder / "imagesTr") == [] and os.listdir(folder / "labelsTr") == []
    links = Path(os.environ["NEUROVIEW_HOME"]) / "private-links"
    assert not links.exists() or list(links.iterdir()) == []     # no link row either

    result = cli("dataset", "add", folder, "--image", cleaned, "--labels", _mask(cleaned, tmp_path, cli))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "nv_0001"
