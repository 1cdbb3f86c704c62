"""Loaded DICOM series against the truth they were written from and against dcm2niix.

The series are sampled from the MNI152 template in several orientations, with anisotropic
spacing, shuffled file names and reversed instance numbers (so neither file name nor
InstanceNumber order matches the anatomy), with rescale, and compressed.
"""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest
from pydicom.uid import JPEG2000Lossless, JPEGLSLossless, RLELossless
from series_maker import compare_in_world, run_dcm2niix

from neuroview.core.geometry import is_oblique
from neuroview.io import load, scan

CLI_FORKED = "what `convert` writes, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

CASES = {
    "axial": dict(orientation="axial"),
    "sagittal": dict(orientation="sagittal", row_spacing=2.5, col_spacing=3.5, slice_step=3.0),
    "coronal": dict(orientation="coronal", slice_step=2.2),
    "oblique": dict(orientation="oblique", slice_step=3.3),
    "ct_rescale": dict(orientation="axial", modality="CT", slope=0.5, intercept=-1024.25),
    "rle": dict(orientation="coronal", transfer_syntax=RLELossless),
    "jpeg2000": dict(orientation="oblique", transfer_syntax=JPEG2000Lossless, n_slices=24),
    "jpegls": dict(orientation="sagittal", transfer_syntax=JPEGLSLossless, n_slices=16),
}


@pytest.fixture(scope="module")
def converted(make_series, tmp_path_factory):
    """``converted(case)`` -> (written series, neuroview Volume, dcm2niix image)."""
    cache = {}

    def get(case):
        if case not in cache:
            series = make_series(case, **CASES[case])
            volume = load(series.folder)
            outputs = run_dcm2niix(series.folder, tmp_path_factory.mktemp(f"dcm2niix-{case}"))
            assert len(outputs) == 1, outputs
            cache[case] = (series, volume, nib.load(outputs[0]))
        return cache[case]

    return get


@pytest.mark.parametrize("case", list(CASES))
def test_volume_matches_written_truth(converted, case):
    series, volume, _ = converted(case)
    assert volume.shape == series.values.shape
    # Voxel k is the k-th slice along the normal, whatever the file names and instance numbers.
    np.testing.assert_allclose(volume.ijk_to_ras, series.ijk_to_ras, atol=1e-4)
    np.testing.assert_allclose(np.asarray(volume.array, dtype=np.float64), series.values, atol=1e-4)
    assert volume.warnings == []


@pytest.mark.parametrize("case", list(CASES))
def test_volume_matches_dcm2niix_in_world_space(converted, case):
    _, volume, reference = converted(case)
    compare_in_world(volume.array, volume.ijk_to_ras, reference.get_fdata(), reference.affine)


def test_oblique_stays_oblique(converted):
    _, volume, reference = converted("oblique")
    assert volume.is_oblique and volume.orientation_label.endswith("(oblique)")
    assert is_oblique(reference.affine)  # dcm2niix keeps the oblique affine too (not resampled)


def test_rescale_types(converted):
    # integer rescale keeps integers; a fractional slope gives float32 (values checked above)
    assert converted("axial")[1].array.dtype == np.int16
    ct = converted("ct_rescale")[1]
    assert ct.array.dtype == np.float32 and ct.intensity_unit == "HU" and ct.modality == "CT"


def test_candidate_describes_series(make_series):
    series = make_series("sagittal", **CASES["sagittal"])
    result = scan(series.folder)
    assert len(result.candidates) == 1 and not result.notes
    candidate = result.candidates[0]
    assert candidate.shape == series.values.shape and candidate.n_files == 40
    np.testing.assert_allclose(candidate.spacing, (3.5, 2.5, 3.0))
    assert candidate.modality == "MR" and candidate.description == "T1 test"
    assert candidate.series_number == 3 and candidate.confidence == 1.0
    assert candidate.orientation == "PIR"


@pytest.mark.parametrize("case", ["rle", "jpeg2000", "jpegls"])
def test_convert_cli_writes_what_dcm2niix_writes(converted, cli, tmp_path, case):
    """The command line imports pydicom without its codecs and loads them at the first
    compressed frame (neuroview/io/dicom/codecs.py): each codec must still be found."""
    series, volume, reference = converted(case)
    out = tmp_path / "out.nii.gz"
    proc = cli("convert", series.folder, out)
    assert proc.returncode == 0, proc.stderr
    written = nib.load(out)
    compare_in_world(written.get_fdata(), written.affine, reference.get_fdata(), reference.affine)
