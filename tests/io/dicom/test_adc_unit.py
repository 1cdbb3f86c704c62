"""An ADC map's unit, read as the series is loaded: by ImageType (Siemens' DERIVED\\PRIMARY\\
DIFFUSION\\ADC) or, where ImageType names no map (GE's DERIVED\\SECONDARY), by SeriesDescription;
10⁻⁶ mm²/s for the vendors' whole numbers, mm²/s for values under 0.05; none for a trace
image named ADC, an exponential ADC or an ordinary series; a NIfTI's from its dcm2niix sidecar.
Until session 50 every one of them had no unit (``Volume.intensity_unit`` empty)."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np
import pytest
from series_maker import SeriesSpec, write_series

from neuroview.core.volume import Volume
from neuroview.io import scan
from neuroview.io.adc_unit import NOT_ADC
from neuroview.io.dicom.vendor_fields import ISOTROPIC
from neuroview.io.nifti import load_nifti


def _adc_like(tmp_path, name, image_type, description, slope=1.0):
    """A 16 x 16 x 4 series of brain ADCs (stored 700-900, x ``slope``) with ``image_type`` and
    ``description``; its loaded Volume."""
    rng = np.random.default_rng(5)
    source = Volume(array=(87.5 + 25 * rng.random((60, 60, 40))).astype(np.float32),   # x 8 stored
                    ijk_to_ras=np.array([[2.0, 0, 0, -60], [0, 2.0, 0, -78], [0, 0, 2.0, -22],
                                         [0, 0, 0, 1]]))
    write_series(tmp_path / name, source, SeriesSpec(
        rows=16, cols=16, n_slices=4, row_spacing=2.0, col_spacing=2.0, slice_step=4.0,
        description=description, image_type=image_type, slope=slope))
    return scan(tmp_path / name).candidates[0].load()


@pytest.mark.parametrize("image_type, description, unit", [
    (("DERIVED", "PRIMARY", "DIFFUSION", "ADC", "ND", "NORM"), "ep2d_diff_3scan_trace_p2_ADC",
     "×10⁻⁶ mm²/s"),                                                                  # Siemens
    (("DERIVED", "SECONDARY", "OTHER"), "Apparent Diffusion Coefficient (mm2/s)", "×10⁻⁶ mm²/s"),   # GE
    (("DERIVED", "PRIMARY", "DIFFUSION", "TRACEW", "ND"), "DWI_ADC", ""),   # a trace image: signal
    (("DERIVED", "PRIMARY", "EADC"), "eADC", ""),                          # a ratio
    (("ORIGINAL", "PRIMARY", "OTHER"), "T2 TSE", ""),
])
def test_a_dicom_adc_maps_unit(tmp_path, image_type, description, unit):
    volume = _adc_like(tmp_path, "adc", image_type, description)
    assert 700 <= np.median(volume.array) <= 900
    assert volume.intensity_unit == unit
    assert ISOTROPIC in NOT_ADC   # a Philips trace image (its kind spelled there, not imported)


def test_an_adc_map_in_mm2_per_s(tmp_path):
    volume = _adc_like(tmp_path, "adc", ("DERIVED", "PRIMARY", "DIFFUSION", "ADC"), "ADC",
                       slope=1e-6)
    assert 0.0007 <= np.median(volume.array) <= 0.0009
    assert volume.intensity_unit == "mm²/s"


def test_a_nifti_adc_map_takes_its_unit_from_its_sidecar(tmp_path):
    adc = np.full((8, 8, 4), 0.8, np.float32)   # 10⁻³ mm²/s
    for name, fields, unit in (("adc", {"ImageType": ["DERIVED", "PRIMARY", "DIFFUSION", "ADC"]},
                                "×10⁻³ mm²/s"),
                               ("trace", {"ImageType": ["DERIVED", "PRIMARY", "DIFFUSION", "TRACEW"],
                                          "SeriesDescription": "ADC"}, ""),
                               ("plain", None, "")):
        nib.save(nib.Nifti1Image(adc, np.eye(4)), tmp_path / f"{name}.nii.gz")
        if fields is not None:
            (tmp_path / f"{name}.json").write_text(json.dumps(fields))
        assert load_nifti(tmp_path / f"{name}.nii.gz").intensity_unit == unit, name


def _brain_adc(scale: float) -> np.ndarray:
    """A 16 x 16 x 8 ADC map as a scanner's: 0 outside, brain 700-900 and CSF about 3000
    ×10⁻⁶ mm²/s, times ``scale`` (1e-6: mm²/s, 1e-3: ×10⁻³ mm²/s)."""
    adc = np.zeros((16, 16, 8), np.float32)
    adc[2:14, 2:14] = np.random.default_rng(4).uniform(700, 900, (12, 12, 8))
    adc[6:10, 6:10, 2:6] = 3000.0
    return adc * np.float32(scale)


@pytest.mark.parametrize("name, scale, unit", [
    ("sub-01_ADC.nii.gz", 1.0, "×10⁻⁶ mm²/s"),          # dcm2niix's suffix, the vendors' numbers
    ("DWI_ep2d_diff_adc.nii", 1e-3, "×10⁻³ mm²/s"),
    ("adc.nii.gz", 1e-6, "mm²/s"),
    ("sub-01_ADC.nii.gz", 0.05, ""),                    # 99% under 150: no ADC map's size
    ("sub-01_eADC.nii.gz", 1.0, ""),                    # an exponential ADC: a ratio
    ("sub-01_dwi.nii.gz", 1.0, ""),                     # not named ADC
])
def test_a_nifti_named_adc_without_a_sidecar_takes_its_unit_from_its_values(tmp_path, name, scale,
                                                                           unit):
    nib.save(nib.Nifti1Image(_brain_adc(scale), np.eye(4)), tmp_path / name)
    volume = load_nifti(tmp_path / name)
    assert volume.intensity_unit == unit
    said = [w for w in volume.warnings if w.startswith(f"{name}: ")]
    if unit:
        assert len(said) == 1 and said[0].startswith(f"{name}: ADC in {unit}, told from the values")
        assert "no dcm2niix sidecar" in said[0]
    elif "ADC" in name and "eADC" not in name:
        assert len(said) == 1 and "shown without a unit" in said[0]
    else:
        assert said == []


def test_a_nifti_described_as_adc_in_its_header_and_a_sidecar_that_says_otherwise(tmp_path):
    image = nib.Nifti1Image(_brain_adc(1.0), np.eye(4))
    image.header["descrip"] = b"ADC map"
    nib.save(image, tmp_path / "map.nii.gz")
    assert load_nifti(tmp_path / "map.nii.gz").intensity_unit == "×10⁻⁶ mm²/s"
    nib.save(nib.Nifti1Image(_brain_adc(1.0), np.eye(4)), tmp_path / "DWI_ADC.nii.gz")
    (tmp_path / "DWI_ADC.json").write_text(json.dumps(      # Philips' trace, named _ADC by dcm2niix
        {"ImageType": ["DERIVED", "PRIMARY", "DIFFUSION", "ISOTROPIC"]}))
    trace = load_nifti(tmp_path / "DWI_ADC.nii.gz")
    assert trace.intensity_unit == "" and not any("ADC in" in w for w in trace.warnings)
