"""Philips scaling (issue 11.4): stored, displayed (Rescale) and precise floating-point values.

dcm2niix writes the precise values by default: (stored * RS + RI) / (RS * SS) with RS/RI the
RescaleSlope/Intercept and SS the private scale slope (2005,100E), per frame in enhanced objects.
"""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest
from enhanced_maker import EnhancedSpec, write_enhanced
from series_maker import compare_in_world, run_dcm2niix

from neuroview.io import load, scan
from neuroview.io.dicom import DicomOptions

CLI_FORKED = "what `info` and `convert` print and write, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

RS, RI, SS = 2.5, -10.0, 0.37
PHILIPS = (("Manufacturer", "Philips Medical Systems"), (0x20050010, "LO", "Philips Imaging DD 001"),
           (0x2005100E, "FL", SS))


@pytest.fixture(scope="module")
def classic(make_series):
    return make_series("philips-classic", n_slices=8, slope=RS, intercept=RI, extra=PHILIPS)


def _stored(series) -> np.ndarray:
    return np.rint((series.values - RI) / RS)


def test_default_is_dcm2niix_precise_values(classic, tmp_path):
    volume = load(classic.folder)
    reference = nib.load(run_dcm2niix(classic.folder, tmp_path / "out")[0])
    compare_in_world(volume.array, volume.ijk_to_ras, reference.get_fdata(), reference.affine,
                     rtol=1e-5)
    expected = (_stored(classic) * RS + RI) / (RS * SS)
    np.testing.assert_allclose(volume.array, expected, rtol=1e-5)
    assert volume.source_metadata["PhilipsScale"] == "float"
    assert volume.intensity_unit == "Philips FP (precise)"
    assert any(w.startswith("Philips scale: precise") for w in volume.warnings)


@pytest.mark.parametrize("choice, unit", [("display", "Philips DV (displayed)"),
                                          ("stored", "Philips SV (stored)")])
def test_other_choices_are_used_and_recorded(classic, choice, unit):
    volume = load(classic.folder, dicom_options=DicomOptions(philips_scale=choice))
    expected = classic.values if choice == "display" else _stored(classic)
    np.testing.assert_allclose(volume.array, expected, rtol=1e-6)
    assert volume.source_metadata["PhilipsScale"] == choice and volume.intensity_unit == unit


def test_info_says_which_scale(classic, cli):
    proc = cli("info", classic.folder, "--philips-scale", "display")
    assert proc.returncode == 0, proc.stderr
    assert "Philips scale: displayed values" in proc.stdout


def test_enhanced_per_frame_scale_matches_dcm2niix(tmp_path, mni_volume):
    written = write_enhanced(tmp_path / "in" / "philips.dcm", mni_volume, EnhancedSpec(
        manufacturer="Philips Medical Systems", rescale=(RS, RI), philips_scale=(SS, 0.0)))
    volume = load(written.path)
    reference = nib.load(run_dcm2niix(tmp_path / "in", tmp_path / "out")[0])
    compare_in_world(volume.array, volume.ijk_to_ras, reference.get_fdata(), reference.affine,
                     rtol=1e-5)
    np.testing.assert_allclose(volume.array, (written.values * RS + RI) / (RS * SS), rtol=1e-5)


def test_other_vendors_are_not_touched(make_series):
    series = make_series("not-philips", n_slices=4, slope=RS, intercept=RI,
                         extra=PHILIPS[1:])  # the private tag alone, another manufacturer
    candidate = scan(series.folder).candidates[0]
    assert not any("Philips" in w for w in candidate.warnings)
    np.testing.assert_allclose(candidate.load().array, series.values)


@pytest.mark.parametrize("choice, flags", [("float", []), ("display", ["-p", "n"])])
def test_convert_flag_writes_what_dcm2niix_writes(classic, cli, tmp_path, choice, flags):
    """``neuroview convert --philips-scale`` against dcm2niix's default (precise values) and
    ``-p n`` (displayed values), as whole programs."""
    import subprocess

    from series_maker import DCM2NIIX

    out = tmp_path / "ours.nii.gz"
    proc = cli("convert", classic.folder, out, "--philips-scale", choice)
    assert proc.returncode == 0, proc.stderr
    (tmp_path / "d").mkdir()
    done = subprocess.run([DCM2NIIX, "-z", "n", "-b", "n", *flags, "-o", str(tmp_path / "d"),
                           str(classic.folder)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:]
    (reference,) = [nib.load(p) for p in (tmp_path / "d").glob("*.nii")]
    ours = nib.load(out)
    compare_in_world(ours.get_fdata(), ours.affine, reference.get_fdata(), reference.affine,
                     rtol=1e-5)
    expected = classic.values if choice == "display" else (_stored(classic) * RS + RI) / (RS * SS)
    compare_in_world(ours.get_fdata(), ours.affine, expected, classic.ijk_to_ras, rtol=1e-5)


def _dcm2niix_stored(folder, out):
    """dcm2niix's data array before its scl_slope/scl_inter: the stored pixel values."""
    image = nib.load(run_dcm2niix(folder, out)[0])
    return np.asanyarray(image.dataobj.get_unscaled()), image.affine


def test_convert_stored_writes_dcm2niix_stored_values(classic, cli, tmp_path):
    """``--philips-scale stored``: the raw pixels dcm2niix stores under its scale factors, as
    integers, and the choice said on stderr and recorded on the Volume."""
    out = tmp_path / "ours.nii.gz"
    proc = cli("convert", classic.folder, out, "--philips-scale", "stored")
    assert proc.returncode == 0, proc.stderr
    assert "Philips scale: stored pixel values" in proc.stderr
    ours = nib.load(out)
    stored, affine = _dcm2niix_stored(classic.folder, tmp_path / "d")
    assert ours.get_data_dtype().kind == "i" and float(ours.dataobj.slope) == 1.0
    compare_in_world(ours.get_fdata(), ours.affine, stored, affine, rtol=0)
    compare_in_world(ours.get_fdata(), ours.affine, _stored(classic), classic.ijk_to_ras, rtol=0)
    volume = load(classic.folder, dicom_options=DicomOptions(philips_scale="stored"))
    assert volume.source_metadata["PhilipsScale"] == "stored"
    assert volume.intensity_unit == "Philips SV (stored)" and volume.array.dtype.kind == "i"


def test_enhanced_stored_values_ignore_the_per_frame_scale(tmp_path, mni_volume):
    written = write_enhanced(tmp_path / "in" / "philips.dcm", mni_volume, EnhancedSpec(
        manufacturer="Philips Medical Systems", rescale=(RS, RI), philips_scale=(SS, 0.0)))
    volume = load(written.path, dicom_options=DicomOptions(philips_scale="stored"))
    stored, affine = _dcm2niix_stored(tmp_path / "in", tmp_path / "out")
    compare_in_world(volume.array, volume.ijk_to_ras, stored, affine, rtol=0)
    np.testing.assert_array_equal(volume.array, written.values)
    assert volume.source_metadata["PhilipsScale"] == "stored"


def test_enhanced_frames_with_their_own_scale_slopes_each_get_their_own(tmp_path, mni_volume):
    """Frames of one Philips enhanced file whose private scale slopes differ (0.30 to 0.55, the
    file's top-level one 0.4): each frame's precise values use its own. dcm2niix 1.0.20260724
    applies the top-level slope to every frame (and, where RescaleSlope differs between the frames
    too, writes the displayed values): no reference here, the truth is."""
    import pydicom

    written = write_enhanced(tmp_path / "philips.dcm", mni_volume, EnhancedSpec(
        rows=8, cols=8, n_slices=6, manufacturer="Philips Medical Systems", rescale=(RS, RI),
        philips_scale=(0.4, 0.0)))
    ds = pydicom.dcmread(written.path)
    scales = [0.3 + 0.05 * k for k in range(6)]
    for item, scale in zip(ds.PerFrameFunctionalGroupsSequence, scales):
        item[0x2005140F].value[0][0x2005100E].value = scale
    ds.save_as(written.path)
    volume = load(written.path)
    expected = (written.values * RS + RI) / (RS * np.float32(scales))
    np.testing.assert_allclose(volume.array, expected, rtol=1e-5)
