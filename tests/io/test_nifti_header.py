"""``neuroview convert``'s NIfTI writer without nibabel (:mod:`neuroview.io.nifti_header`):
the files are those nibabel writes for the same image (``save_nifti``), byte for byte, and
nibabel reads back the same header fields, affine, forms, scaling, units and voxels."""

from __future__ import annotations

import gzip

import nibabel as nib
import numpy as np
import pytest

from neuroview.core.geometry import shear_mm
from neuroview.io.nifti import SHEAR_TOLERANCE_MM, save_nifti
from neuroview.io.nifti_header import nifti1_header, write_converted


def _rotation(ax: float, ay: float, az: float) -> np.ndarray:
    cx, sx, cy, sy, cz, sz = np.cos(ax), np.sin(ax), np.cos(ay), np.sin(ay), np.cos(az), np.sin(az)
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rz @ ry @ rx


def _affine(linear, origin) -> np.ndarray:
    affine = np.eye(4)
    affine[:3, :3], affine[:3, 3] = linear, origin
    return affine


AFFINES = {
    "identity": np.eye(4),
    # a DICOM axial CT in RAS: LPS flipped, det < 0 (qfac -1)
    "axial ct": _affine(np.diag([-0.48828125, -0.48828125, 0.625]), [124.76, 250.1, -310.5]),
    "sagittal": _affine(np.array([[0, 0, -1.2], [0.9375, 0, 0], [0, -0.9375, 0]]),
                        [80.1, -120.3, 119.9]),
    "oblique": _affine(_rotation(0.31, -0.12, 0.07) @ np.diag([0.9, 0.9, 3.3]), [-91.2, 13, 40]),
    "oblique det<0": _affine(_rotation(-0.4, 0.2, 1.1) @ np.diag([-2.0, 2.0, 2.5]), [1, 2, 3]),
    "gantry tilt (shear)": _affine(np.array([[-0.5, 0, 0], [0, -0.5, 0.21], [0, 0, 0.62]]),
                                   [128, 140.5, -50]),
    "180 degrees about z": _affine(np.diag([-1.0, -1.0, 1.0]), [0, 0, 0]),
    "tiny voxels, far origin": _affine(np.diag([0.01, 0.012, 0.05]), [1e4, -3e4, 2.5e3]),
}

ARRAYS = {
    "int16 3D": ((13, 11, 7), np.int16),
    "uint8 3D": ((5, 6, 4), np.uint8),
    "uint16 4D": ((6, 5, 4, 3), np.uint16),
    "float32 4D": ((4, 5, 6, 2), np.float32),
    "int32 3D": ((3, 4, 5), np.int32),
    "float64 3D": ((3, 4, 2), np.float64),
    "int8 3D": ((3, 3, 3), np.int8),
    "uint32 3D": ((2, 3, 4), np.uint32),
    "one slice": ((9, 8, 1), np.int16),
}


def _array(shape, dtype, rng) -> np.ndarray:
    values = rng.normal(100, 60, shape) if np.dtype(dtype).kind == "f" else rng.integers(
        0, 120, shape)
    return np.asfortranarray(values.astype(dtype))


READ_BACK_FIELDS = ("sizeof_hdr", "dim", "datatype", "bitpix", "pixdim", "vox_offset",
                    "scl_slope", "scl_inter", "xyzt_units", "qform_code", "sform_code",
                    "quatern_b", "quatern_c", "quatern_d", "qoffset_x", "qoffset_y", "qoffset_z",
                    "srow_x", "srow_y", "srow_z", "magic", "descrip", "intent_code", "dim_info")


def _same_read_back(ours: str, reference: str) -> None:
    """What nibabel reads from both files: raw header fields, the image's affine, the coded
    forms, the data scaling, zooms, units, and the voxels."""
    opener = gzip.open if ours.endswith(".gz") else open
    with opener(ours, "rb") as a, opener(reference, "rb") as b:
        raw_ours, raw_ref = nib.Nifti1Header.from_fileobj(a), nib.Nifti1Header.from_fileobj(b)
    for field in READ_BACK_FIELDS:
        value, expected = np.asarray(raw_ours[field]), np.asarray(raw_ref[field])
        assert np.array_equal(value, expected, equal_nan=value.dtype.kind == "f"), field
    img, ref = nib.load(ours), nib.load(reference)
    assert np.array_equal(img.affine, ref.affine)
    sheared = shear_mm(img.shape, img.affine) > SHEAR_TOLERANCE_MM  # no qform can hold it
    for getter, expected in (("get_qform", 0 if sheared else 1), ("get_sform", 1)):
        (form, code), (form_ref, code_ref) = (getattr(i.header, getter)(coded=True)
                                              for i in (img, ref))
        assert code == code_ref == expected
        assert (form is form_ref is None) if sheared and getter == "get_qform" else np.array_equal(
            form, form_ref)
    assert (img.dataobj.slope, img.dataobj.inter) == (ref.dataobj.slope, ref.dataobj.inter)
    assert img.header.get_zooms() == ref.header.get_zooms()
    assert img.header.get_xyzt_units() == ref.header.get_xyzt_units()
    assert img.get_data_dtype() == ref.get_data_dtype() and img.shape == ref.shape
    assert np.array_equal(np.asanyarray(img.dataobj), np.asanyarray(ref.dataobj))


@pytest.mark.parametrize("affine_name", list(AFFINES))
@pytest.mark.parametrize("array_name", list(ARRAYS))
def test_convert_writes_the_bytes_nibabel_writes(tmp_path, rng, affine_name, array_name):
    shape, dtype = ARRAYS[array_name]
    array, affine = _array(shape, dtype, rng), AFFINES[affine_name]
    ours, reference = tmp_path / "ours.nii", tmp_path / "nibabel.nii"
    assert write_converted(array, affine, ours)
    save_nifti(array, affine, reference)
    assert ours.read_bytes() == reference.read_bytes()
    _same_read_back(str(ours), str(reference))


@pytest.mark.parametrize("affine_name", ["axial ct", "oblique det<0"])
def test_gzipped_output_decompresses_to_nibabels_bytes(tmp_path, rng, affine_name):
    array = _array((20, 18, 9, 2), np.int16, rng)
    ours, reference = tmp_path / "ours.nii.gz", tmp_path / "nibabel.nii.gz"
    assert write_converted(array, AFFINES[affine_name], ours)
    save_nifti(array, AFFINES[affine_name], reference)
    assert gzip.decompress(ours.read_bytes()) == gzip.decompress(reference.read_bytes())
    _same_read_back(str(ours), str(reference))


def test_random_affines_give_nibabels_qform(tmp_path, rng):
    """The quaternion, qfac and zooms by nibabel's arithmetic on many random geometries."""
    array = np.zeros((2, 3, 4), np.int16, order="F")
    for _ in range(200):
        linear = _rotation(*rng.uniform(-np.pi, np.pi, 3)) @ np.diag(
            rng.uniform(0.2, 5, 3) * rng.choice([-1, 1], 3))
        linear += rng.normal(0, 0.05, (3, 3)) * (rng.random() < 0.3)  # some with shears
        affine = _affine(linear, rng.uniform(-300, 300, 3))
        expected = save_nifti(array, affine, tmp_path / "nibabel.nii").read_bytes()[:352]
        assert nifti1_header(array.shape, array.dtype, affine) == expected, affine


def test_arrays_it_does_not_write_are_left_to_nibabel(tmp_path, rng):
    affine = AFFINES["axial ct"]
    c_order = np.ascontiguousarray(_array((4, 5, 6), np.int16, rng))
    big_endian = _array((4, 5, 6), np.int16, rng).astype(">i2")
    for array in (c_order, big_endian, np.zeros((3, 3, 3), bool),
                  np.zeros((3, 3, 3), np.int64, order="F"), np.zeros((0, 3, 3), np.int16)):
        assert not write_converted(array, affine, tmp_path / "x.nii")
        assert not (tmp_path / "x.nii").exists()
    assert not write_converted(_array((4, 5, 6), np.int16, rng), affine, tmp_path / "x.mgz")
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind
