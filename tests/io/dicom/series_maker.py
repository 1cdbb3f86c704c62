"""Write DICOM series sampled from a real volume (the MNI152 template) with pydicom.

Each series knows its own truth: the stored pixels, the rescaled values and the RAS position of
every voxel, so tests can check neuroview against it and against dcm2niix.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import ndimage

DCM2NIIX = str(Path(sys.executable).with_name("dcm2niix"))
MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4"
CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
LPS_TO_RAS = np.diag([-1.0, -1.0, 1.0, 1.0])


def rotation(axis: int, degrees: float) -> np.ndarray:
    a = np.radians(degrees)
    c, s = np.cos(a), np.sin(a)
    i, j = [(1, 2), (2, 0), (0, 1)][axis]
    m = np.eye(3)
    m[i, i], m[i, j], m[j, i], m[j, j] = c, -s, s, c
    return m


ORIENTATIONS = {
    # (row direction, column direction) in LPS, as ImageOrientationPatient stores them
    "axial": ((1, 0, 0), (0, 1, 0)),
    "sagittal": ((0, 1, 0), (0, 0, -1)),
    "coronal": ((1, 0, 0), (0, 0, -1)),
    "oblique": tuple(tuple(rotation(2, 12.0) @ rotation(0, 20.0) @ np.array(v, float))
                     for v in ((1, 0, 0), (0, 1, 0))),
    # a CT gantry tilted 15 degrees as scanners write it: the image plane tilted about the
    # left-right axis; with tilt_mm_per_slice = slice_step * tan(15 degrees) the table (the
    # ImagePositionPatient) moves along the body axis only
    # flipped in-plane, as scanners write them too: rows running from left to right, columns
    # upwards or from front to back, the slice normal then pointing the other way
    "axial flipped": ((-1, 0, 0), (0, 1, 0)),
    "coronal flipped": ((-1, 0, 0), (0, 0, 1)),
    "sagittal flipped": ((0, -1, 0), (0, 0, -1)),
    "gantry 15": ((1, 0, 0), (0, float(np.cos(np.radians(15))), float(np.sin(np.radians(15))))),
}


@dataclass
class SeriesSpec:
    orientation: str = "axial"
    rows: int = 64
    cols: int = 56
    n_slices: int = 40
    row_spacing: float = 3.2  # between rows (mm)
    col_spacing: float = 2.9  # between columns (mm)
    slice_step: float = 4.0
    slope: float = 1.0
    intercept: float = 0.0
    shuffle_names: bool = True
    reverse_instances: bool = True
    transfer_syntax: str = "1.2.840.10008.1.2.1"  # explicit VR little endian
    modality: str = "MR"
    series_number: int = 3
    description: str = "T1 test"
    missing: tuple[int, ...] = ()
    tilt_mm_per_slice: float = 0.0  # shift along the column direction per slice (gantry tilt)
    per_slice_slopes: tuple[float, ...] = ()
    series_uid: str = ""
    seed: int = 7
    image_type: tuple[str, ...] = ("ORIGINAL", "PRIMARY", "OTHER")
    echo_number: int = 0
    echo_time: float = 4.2
    value_scale: float = 1.0  # multiplies the stored values (to tell volumes of one series apart)
    first_instance: int = 1
    slice_offsets: tuple[float, ...] = ()
    """Positions of the slices along the normal (mm, first at 0); empty: ``k * slice_step``."""
    extra: tuple = ()
    """(keyword, value) pairs or private (tag, VR, value) triples set on every file."""


@dataclass
class WrittenSeries:
    folder: Path
    files: list[Path]
    values: np.ndarray
    """Rescaled values indexed [column, row, slice], slices in acquisition-position order."""
    ijk_to_ras: np.ndarray
    """Voxel [column, row, slice] -> RAS mm of ``values`` (regular grid; ignores missing slices)."""
    positions_lps: np.ndarray = field(repr=False, default=None)


def _sample(mni_volume, points_ras: np.ndarray) -> np.ndarray:
    ijk = mni_volume.ras_to_ijk_points(points_ras)
    data = np.asarray(mni_volume.array, dtype=np.float32)
    return ndimage.map_coordinates(data, np.moveaxis(ijk, -1, 0), order=1, mode="constant")


def new_dataset(sop_class: str, syntax: str = ""):
    """An empty dataset of ``sop_class`` with its file meta (``syntax``, by default explicit VR
    little endian) and a new SOP Instance UID, both UIDs in the meta and the dataset: what each
    test file begins as."""
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    ds, meta = Dataset(), FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = syntax or ExplicitVRLittleEndian
    ds.file_meta = meta
    ds.SOPClassUID, ds.SOPInstanceUID = sop_class, meta.MediaStorageSOPInstanceUID
    return ds


def write_series(folder: Path, mni_volume, spec: SeriesSpec) -> WrittenSeries:
    import pydicom
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(spec.seed)
    row_dir, col_dir = (np.array(v, float) for v in ORIENTATIONS[spec.orientation])
    normal = np.cross(row_dir, col_dir)
    # Centre the grid on the template's centre (RAS (0, -18, 18) is roughly mid-brain).
    centre_lps = np.array([0.0, 18.0, 18.0])
    offsets = np.array(spec.slice_offsets or [k * spec.slice_step for k in range(spec.n_slices)])
    half = np.array([(spec.cols - 1) * spec.col_spacing, (spec.rows - 1) * spec.row_spacing,
                     offsets[-1]]) / 2
    origin = centre_lps - half[0] * row_dir - half[1] * col_dir - half[2] * normal
    affine_lps = np.eye(4)
    affine_lps[:3, 0] = row_dir * spec.col_spacing
    affine_lps[:3, 1] = col_dir * spec.row_spacing
    affine_lps[:3, 2] = normal * spec.slice_step + col_dir * spec.tilt_mm_per_slice
    affine_lps[:3, 3] = origin
    ijk_to_ras = LPS_TO_RAS @ affine_lps
    grid = np.stack(np.meshgrid(np.arange(spec.cols), np.arange(spec.rows), np.arange(spec.n_slices),
                                indexing="ij"), axis=-1).astype(float)
    if spec.slice_offsets:  # uneven: slice k lies at offsets[k] along the normal
        grid[..., 2] = offsets[None, None, :] / spec.slice_step
    points_ras = grid @ ijk_to_ras[:3, :3].T + ijk_to_ras[:3, 3]
    stored = np.rint(_sample(mni_volume, points_ras) * 8 * spec.value_scale).astype(np.int16)
    slopes = list(spec.per_slice_slopes) or [spec.slope] * spec.n_slices
    values = stored.astype(np.float64) * np.array(slopes)[None, None, :] + spec.intercept
    series_uid = spec.series_uid or generate_uid()
    study_uid, frame_uid = generate_uid(), generate_uid()
    kept = [k for k in range(spec.n_slices) if k not in spec.missing]
    names = [f"IM{k:04d}.dcm" for k in kept]
    if spec.shuffle_names:
        names = [f"{rng.integers(1 << 40):011x}.dcm" for _ in kept]
    files = []
    positions = []
    for index, k in enumerate(kept):
        ds = new_dataset(CT_IMAGE_STORAGE if spec.modality == "CT" else MR_IMAGE_STORAGE)
        ds.PatientName, ds.PatientID = "Doe^Jane", "NV-TEST-0001"
        ds.PatientBirthDate, ds.StudyDate, ds.SeriesDate = "19700101", "20240102", "20240102"
        ds.StudyTime, ds.AcquisitionTime = "101010", f"1010{10 + index % 40:02d}"
        ds.InstitutionName = "Test Hospital"
        ds.AccessionNumber, ds.StudyID = "A1", "1"
        ds.Modality, ds.Manufacturer = spec.modality, "neuroview-tests"
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = (study_uid, series_uid,
                                                                              frame_uid)
        ds.SeriesNumber, ds.SeriesDescription = spec.series_number, spec.description
        ds.InstanceNumber = spec.first_instance - 1 + (
            (spec.n_slices - k) if spec.reverse_instances else k + 1)
        ds.ImageType = list(spec.image_type)
        position = origin + offsets[k] / spec.slice_step * affine_lps[:3, 2]
        positions.append(position)
        ds.ImagePositionPatient = [f"{x:.6f}" for x in position]
        ds.ImageOrientationPatient = [f"{x:.8f}" for x in np.concatenate([row_dir, col_dir])]
        ds.PixelSpacing = [f"{spec.row_spacing:g}", f"{spec.col_spacing:g}"]
        ds.SliceThickness = f"{spec.slice_step:g}"
        ds.Rows, ds.Columns = spec.rows, spec.cols
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
        if spec.slope != 1 or spec.intercept != 0 or spec.per_slice_slopes or spec.modality == "CT":
            ds.RescaleSlope, ds.RescaleIntercept = f"{slopes[k]:g}", f"{spec.intercept:g}"
        if spec.modality == "MR":
            ds.EchoTime, ds.RepetitionTime, ds.MagneticFieldStrength = (f"{spec.echo_time:g}",
                                                                        "2000", "3")
            if spec.echo_number:
                ds.EchoNumbers = spec.echo_number
        for item in spec.extra:  # (keyword, value) or a private (tag, VR, value)
            if len(item) == 3:
                ds.add_new(*item)
            else:
                setattr(ds, *item)
        pixels = np.ascontiguousarray(stored[:, :, k].T)  # [row, column]
        ds.PixelData = pixels.tobytes()
        if spec.transfer_syntax != ExplicitVRLittleEndian:
            ds.compress(spec.transfer_syntax, pixels)
        path = folder / names[index]
        pydicom.dcmwrite(path, ds, enforce_file_format=True)
        files.append(path)
    if spec.missing:
        values = values[:, :, kept]
    return WrittenSeries(folder=folder, files=files, values=values, ijk_to_ras=ijk_to_ras,
                         positions_lps=np.array(positions))


def run_dcm2niix(folder: Path, out: Path) -> list[Path]:
    """Convert a folder with dcm2niix (uncompressed NIfTI, no JSON sidecar, no cropping)."""
    out.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([DCM2NIIX, "-z", "n", "-b", "n", "-f", "%s_%d", "-o", str(out), str(folder)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return sorted(out.glob("*.nii"))


def compare_in_world(array_a, affine_a, array_b, affine_b, tolerance_mm: float = 1e-3,
                     values: bool = True, rtol: float = 1e-6, atol: float = 1e-6) -> None:
    """Assert two grids hold the same values at the same RAS voxel centres (any axis order/flips).

    Every voxel centre of B is mapped into A's index space; it must land on a voxel centre of A
    (within ``tolerance_mm`` in world space) and carry the same value. Both grids must have the
    same number of voxels, so nothing of A is left unmatched either.
    """
    array_a, array_b = np.asarray(array_a), np.asarray(array_b)
    assert array_a.size == array_b.size, (array_a.shape, array_b.shape)
    shape_a, shape_b = array_a.shape[:3], array_b.shape[:3]
    # B's voxel indices in A's index space, built axis by axis (broadcast sums) rather than as a
    # matrix product on a list of every voxel: 3.6 million voxels (a CR image) took 17 s here, most
    # of it np.unique(axis=0) and (N, 3) @ (3, 3); the bijection is now counted with np.bincount
    b_to_a = np.linalg.inv(affine_a) @ affine_b
    ijk_a = b_to_a[:3, 3]
    for axis, n in enumerate(shape_b):
        steps = np.arange(n, dtype=float).reshape([-1 if d == axis else 1 for d in range(3)] + [1])
        ijk_a = ijk_a + steps * b_to_a[:3, axis]
    ijk_a = ijk_a.reshape(-1, 3)
    nearest = np.rint(ijk_a)
    offset = nearest - ijk_a                                   # in A's voxels
    error = max(float(np.abs(offset @ affine_a[row, :3]).max(initial=0.0)) for row in range(3))
    assert error < tolerance_mm, f"voxel centres differ by {error:.3g} mm"
    index = nearest.astype(np.intp)
    assert np.all(index >= 0) and np.all(index < np.array(shape_a)), "grids do not overlap"
    flat = np.ravel_multi_index(tuple(index.T), shape_a)
    assert np.bincount(flat, minlength=int(np.prod(shape_a))).max(initial=0) <= 1, "two voxels map onto one"
    if not values:
        return
    a_values = array_a.reshape(-1, *array_a.shape[3:])[flat]
    b_values = array_b.reshape(-1) if array_b.ndim == 3 else array_b.reshape(-1, *array_b.shape[3:])
    np.testing.assert_allclose(a_values, b_values, rtol=rtol, atol=atol)


def check_4d_against_dcm2niix(folder: Path, out: Path, truth: list) -> None:
    """``folder`` holds one 4D series whose time point t is ``truth[t]`` (values, ijk_to_ras)
    and dcm2niix's volume t, at the same RAS positions."""
    import nibabel as nib

    from neuroview.io import scan

    (candidate,) = scan(folder).candidates
    volume = candidate.load()
    assert volume.axis4 == "time" and volume.array.shape == (*truth[0][0].shape, len(truth))
    (output,) = run_dcm2niix(folder, out)
    reference = nib.load(output)
    data = np.asarray(reference.dataobj)
    for t, (values, ijk_to_ras) in enumerate(truth):
        assert values.std() > 0
        compare_in_world(volume.frame(t), volume.ijk_to_ras, values, ijk_to_ras)
        compare_in_world(volume.frame(t), volume.ijk_to_ras, data[..., t], reference.affine)


def env_without_pythonpath() -> dict:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env
