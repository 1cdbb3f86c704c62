"""Real DICOM objects: pydicom's test files, pydicom-data, nibabel's Siemens files."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import nibabel as nib
import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file
from series_maker import compare_in_world, run_dcm2niix

from neuroview.io import load, scan

NIBABEL_DATA = Path(nib.__file__).parent / "tests" / "data"
NICOM_DATA = Path(nib.__file__).parent / "nicom" / "tests" / "data"


def _expected(path) -> np.ndarray:
    """pydicom's own pixel_array, rescaled, as [column, row, frame] (the Volume's layout)."""
    ds = pydicom.dcmread(path)
    pixels = ds.pixel_array.astype(np.float64)
    transform = ds
    if "SharedFunctionalGroupsSequence" in ds:  # enhanced CT: the rescale sits in a shared group
        transform = ds.SharedFunctionalGroupsSequence[0].PixelValueTransformationSequence[0]
    slope = float(transform.get("RescaleSlope", 1))
    intercept = float(transform.get("RescaleIntercept", 0))
    padding = ds.get("PixelPaddingValue")   # a CT's stored padding reads as air, -1024 HU
    air = pixels == padding if padding is not None and ds.Modality == "CT" else None
    pixels = pixels * slope + intercept
    if air is not None:
        pixels[air] = -1024
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    if int(ds.SamplesPerPixel) > 1:
        return pixels.reshape((frames, *pixels.shape[-3:])).transpose(2, 1, 0, 3)
    return pixels.reshape((frames, *pixels.shape[-2:])).transpose(2, 1, 0)


# Same image in several transfer syntaxes: uncompressed, big endian, implicit, RLE, JPEG 2000,
# JPEG-LS; single-frame MR, enhanced multi-frame MR, CT 512x512, RGB, JPEG baseline/lossless.
SAME_PIXELS = [
    "CT_small.dcm", "MR_small.dcm", "MR_small_bigendian.dcm", "MR_small_implicit.dcm",
    "MR_small_RLE.dcm", "MR_small_jp2klossless.dcm", "MR_small_jpeg_ls_lossless.dcm",
    "emri_small.dcm", "emri_small_RLE.dcm", "emri_small_jpeg_2k_lossless.dcm",
    "emri_small_jpeg_ls_lossless.dcm", "emri_small_big_endian.dcm", "693_UNCR.dcm",
    "693_J2KR.dcm", "SC_rgb.dcm", "SC_rgb_rle.dcm", "SC_rgb_jpeg_dcmtk.dcm",
    "JPGLosslessP14SV1_1s_1f_8b.dcm", "JPEG-LL.dcm", "SC_ybr_full_422_uncompressed.dcm",
]


@pytest.mark.parametrize("name", SAME_PIXELS)
def test_pixels_equal_pydicom_pixel_array(name):
    path = get_testdata_file(name)
    volume = load(path)
    expected = _expected(path)
    if volume.array.ndim == 4 and volume.axis4 == "channel":
        assert volume.array.shape == (expected.shape[0], expected.shape[1], 1, 3)
        np.testing.assert_array_equal(volume.array[:, :, 0, :], expected[:, :, 0, :])
        return
    assert volume.shape == expected.shape
    if volume.array.shape[2] > 1 and "no patient position" not in " ".join(volume.warnings):
        # frames were sorted along the normal: compare per frame position instead of order
        ds = pydicom.dcmread(path, stop_before_pixels=True)
        assert volume.array.shape[2] == int(ds.NumberOfFrames)
        return
    np.testing.assert_allclose(volume.array, expected)


def test_compressed_512_ct_equals_uncompressed():
    plain, j2k = load(get_testdata_file("693_UNCR.dcm")), load(get_testdata_file("693_J2KR.dcm"))
    assert plain.shape == (512, 512, 1) and plain.intensity_unit == "HU"
    np.testing.assert_array_equal(plain.array, j2k.array)
    np.testing.assert_allclose(plain.ijk_to_ras, j2k.ijk_to_ras)


@pytest.mark.parametrize("name", ["CT_small.dcm", "MR_small.dcm", "693_UNCR.dcm",
                                  "eCT_Supplemental.dcm", "MR_small_jp2klossless.dcm"])
def test_geometry_and_values_match_dcm2niix(name, tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(get_testdata_file(name), source / "image.dcm")
    outputs = run_dcm2niix(source, tmp_path / "out")
    assert len(outputs) == 1
    reference = nib.load(outputs[0])
    volume = load(source / "image.dcm")
    values = reference.get_fdata()
    ds = pydicom.dcmread(source / "image.dcm", stop_before_pixels=True)
    if "PixelPaddingValue" in ds:  # dcm2niix keeps the padding's number (GE: -3024 HU); air here
        values[values == ds.PixelPaddingValue * float(ds.RescaleSlope) + float(ds.RescaleIntercept)] = -1024
    compare_in_world(volume.array, volume.ijk_to_ras, values, reference.affine)


def test_enhanced_ct_frames_sorted_along_the_normal():
    volume = load(get_testdata_file("eCT_Supplemental.dcm"))
    ds = pydicom.dcmread(get_testdata_file("eCT_Supplemental.dcm"))
    # IOP (-1,0,0 / 0,1,0): the normal points to -z (LPS), so the frame at z=-149 comes first
    z = [float(f.PlanePositionSequence[0].ImagePositionPatient[2])
         for f in ds.PerFrameFunctionalGroupsSequence]
    order = np.argsort(-np.array(z))
    np.testing.assert_array_equal(volume.array, _expected(get_testdata_file(
        "eCT_Supplemental.dcm"))[:, :, order])
    assert volume.spacing == pytest.approx((0.388672, 0.388672, 10.0))


def test_siemens_mosaic_geometry_matches_dcm2niix(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(NICOM_DATA / "0.dcm", source / "0.dcm")
    reference = nib.load(run_dcm2niix(source, tmp_path / "out")[0])
    candidate = scan(source).candidates[0]
    assert candidate.shape == (36, 36, 48) == reference.shape
    volume = candidate.load()
    # Geometry only, within 0.05 mm (dcm2niix writes direction cosines rounded to 4 decimals).
    # Values are not compared: this synthetic file's 256x256 mosaic is not a multiple of its
    # 36x36 tiles and dcm2niix unpacks tiles past the first row differently from nibabel's layout.
    compare_in_world(volume.array, volume.ijk_to_ras, reference.get_fdata(), reference.affine,
                     tolerance_mm=0.05, values=False)
    first_tile = np.asarray(pydicom.dcmread(source / "0.dcm").pixel_array[:36, :36], dtype=float)
    np.testing.assert_array_equal(volume.array[:, :, 0], first_tile)


def test_siemens_dti_pair_is_4d():
    volume = load([str(NICOM_DATA / "0.dcm"), str(NICOM_DATA / "1.dcm")])
    assert volume.array.shape == (36, 36, 48, 2) and volume.axis4 == "time"


def test_example4d_nifti_loads_like_nibabel():
    path = NIBABEL_DATA / "example4d.nii.gz"
    reference = nib.load(path)
    volume = load(path)
    assert volume.array.shape == reference.shape and volume.axis4 == "time"
    np.testing.assert_allclose(volume.ijk_to_ras, reference.affine)
    np.testing.assert_allclose(volume.array, reference.get_fdata())


def _same_grid_and_values(volume, reference, atol_mm: float = 1e-3, rtol: float = 1e-5) -> None:
    """Both brought to the closest canonical (RAS) axis order by nibabel (flips and permutations
    only, no resampling): same shape, same affine, same values, voxel by voxel."""
    ours = nib.as_closest_canonical(nib.Nifti1Image(np.asarray(volume.array, dtype=np.float32),
                                                    volume.ijk_to_ras))
    theirs = nib.as_closest_canonical(reference)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours.affine, theirs.affine, atol=atol_mm)
    np.testing.assert_allclose(np.asarray(ours.dataobj, dtype=np.float64), theirs.get_fdata(),
                               rtol=rtol, atol=1e-6)


def _vendor_file(tmp_path, name: str, folder: str = "in") -> Path:
    """nibabel's real scanner file ``name`` (gunzipped) alone in a folder."""
    import gzip

    source = tmp_path / folder
    source.mkdir(exist_ok=True)
    data = (NICOM_DATA / name).read_bytes()
    (source / name.removesuffix(".gz")).write_bytes(gzip.decompress(data) if name.endswith(".gz")
                                                    else data)
    return source


def _dcm2niix(source, out, *options) -> list[Path]:
    from series_maker import DCM2NIIX

    out.mkdir()
    proc = subprocess.run([DCM2NIIX, "-z", "n", "-b", "n", "-f", "%s_%d", *options, "-o",
                           str(out), str(source)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:]
    return sorted(out.glob("*.nii"))


@pytest.mark.parametrize("choice, flags", [("float", []), ("display", ["-p", "n"])])
def test_real_philips_enhanced_mr_scale_matches_dcm2niix(tmp_path, choice, flags):
    """A Philips Achieva enhanced MPRAGE (nibabel's test file, 176 frames, private per-frame
    scale slope 2005,100E): precise values by default, displayed values with 'display', each the
    same voxels at the same RAS positions as dcm2niix (its default, and with -p n)."""
    from neuroview.io.dicom import DicomOptions

    source = _vendor_file(tmp_path, "philips_mprage.dcm.gz")
    (output,) = _dcm2niix(source, tmp_path / "out", *flags)
    volume = load(source, dicom_options=DicomOptions(philips_scale=choice))
    assert volume.source_metadata["PhilipsScale"] == choice
    _same_grid_and_values(volume, nib.load(output))


@pytest.mark.parametrize("names, shape", [
    (["siemens_dwi_0.dcm.gz"], (128, 128, 48)),
    (["siemens_dwi_0.dcm.gz", "siemens_dwi_1000.dcm.gz"], (128, 128, 48, 2)),
    (["decimal_rescale.dcm"], (128, 96, 1)),
])
def test_real_siemens_files_match_dcm2niix(tmp_path, names, shape):
    """Siemens scanner files from nibabel: 896x896 DWI mosaics (b=0 alone, and b=0 with
    b=1000: one 4D series) and a real-valued (ImageType R) map with a decimal rescale, named
    with dcm2niix's '_real' suffix."""
    for name in names:
        source = _vendor_file(tmp_path, name)
    (output,) = _dcm2niix(source, tmp_path / "out")
    (candidate,) = scan(source).candidates
    assert candidate.shape == shape
    assert output.name.removesuffix(".nii").split("_", 1)[1] == candidate.description \
        .replace(" ", "_")
    volume = candidate.load()
    reference = nib.load(output)
    if len(shape) == 4:  # same 4D order: b=0 first, as dcm2niix
        for t in range(shape[3]):
            frame = type(volume)(volume.frame(t), volume.ijk_to_ras)
            _same_grid_and_values(frame, reference.slicer[..., t], atol_mm=1e-3)
    else:
        _same_grid_and_values(volume, reference)


@pytest.mark.parametrize("name", ["rtdose.dcm", "rtdose_1frame.dcm", "rtdose_rle.dcm"])
@pytest.mark.parametrize("units", ["RELATIVE", "GY"])
def test_rt_dose_grid_is_read_as_dose(name, units, tmp_path):
    """An RT dose grid's stored integers times DoseGridScaling are the dose (SlicerRT's reading);
    neuroview gave the integers (1,254,000 where the dose is 1.254), and says the unit."""
    ds = pydicom.dcmread(get_testdata_file(name))
    ds.DoseUnits = units
    path = tmp_path / name
    ds.save_as(path)
    volume = load(path)
    dose = ds.pixel_array.astype(np.float64) * float(ds.DoseGridScaling)
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    expected = dose.reshape((frames, *dose.shape[-2:])).transpose(2, 1, 0)
    assert volume.shape == expected.shape
    # frames are placed by GridFrameOffsetVector (the same order in these files)
    np.testing.assert_allclose(volume.array, expected, rtol=1e-6)
    assert volume.intensity_unit == {"RELATIVE": "relative dose", "GY": "Gy"}[units]
