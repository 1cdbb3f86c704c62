"""Write Enhanced MR Image Storage (multi-frame) files with pydicom, as XA / Philips scanners do.

Each file holds one volume (``n_slices`` frames) sampled from the MNI152 template, with the
per-frame functional groups dcm2niix and neuroview read: plane position, frame content (stack,
in-stack position, temporal index), echo, frame type, pixel value transformation and, for
Philips, the private precise scale (2005,100E) / intercept (2005,100D).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import numpy as np
from series_maker import LPS_TO_RAS, ORIENTATIONS, _sample, new_dataset

ENHANCED_MR = "1.2.840.10008.5.1.4.1.1.4.1"


@dataclass
class EnhancedSpec:
    rows: int = 40
    cols: int = 36
    n_slices: int = 12
    row_spacing: float = 3.0
    col_spacing: float = 3.5
    slice_step: float = 4.0
    value_scale: float = 1.0
    series_uid: str = ""
    study_uid: str = ""
    frame_uid: str = ""
    series_number: int = 5
    description: str = "fmri run"
    instance: int = 1
    temporal_index: int = 1
    acquisition_time: str = "101010.00"
    image_type: tuple[str, ...] = ("ORIGINAL", "PRIMARY", "M", "NONE")
    complex_component: str = "MAGNITUDE"
    echo_time: float = 30.0
    manufacturer: str = "SIEMENS"
    positions: bool = True
    """False: no plane positions at all (what item 24 of issue 10 is about)."""
    orientation_per_frame: bool = False
    """True: each frame's plane orientation in its own functional group, as Siemens XA writes
    (dcm2niix then stacks a run's one-volume files into one 4D series); False: in the shared
    group (dcm2niix reads all but the first such SIEMENS file of a folder with wrong scales:
    see bench/dicom_studies.py, ``make_enhanced_study``)."""
    rescale: tuple[float, float] = (1.0, 0.0)
    philips_scale: Optional[tuple[float, float]] = None
    """(scale slope (2005,100E), scale intercept (2005,100D)) for every frame."""
    extra: dict = field(default_factory=dict)
    orientation: str = "axial"
    """A key of :data:`series_maker.ORIENTATIONS`."""


@dataclass
class WrittenVolume:
    path: Path
    values: np.ndarray
    """Stored values [column, row, slice]."""
    ijk_to_ras: np.ndarray


def write_enhanced(path: Path, mni_volume, spec: EnhancedSpec) -> WrittenVolume:
    import pydicom
    from pydicom.dataset import Dataset
    from pydicom.sequence import Sequence
    from pydicom.uid import generate_uid

    row_dir, col_dir = (np.array(v, float) for v in ORIENTATIONS[spec.orientation])
    normal = np.cross(row_dir, col_dir)
    half = np.array([(spec.cols - 1) * spec.col_spacing, (spec.rows - 1) * spec.row_spacing,
                     (spec.n_slices - 1) * spec.slice_step]) / 2
    origin = np.array([0.0, 18.0, 18.0]) - np.array([row_dir, col_dir, normal]).T @ half
    affine_lps = np.eye(4)
    affine_lps[:3, 0] = row_dir * spec.col_spacing
    affine_lps[:3, 1] = col_dir * spec.row_spacing
    affine_lps[:3, 2] = normal * spec.slice_step
    affine_lps[:3, 3] = origin
    ijk_to_ras = LPS_TO_RAS @ affine_lps
    grid = np.stack(np.meshgrid(np.arange(spec.cols), np.arange(spec.rows),
                                np.arange(spec.n_slices), indexing="ij"), -1).astype(float)
    points = grid @ ijk_to_ras[:3, :3].T + ijk_to_ras[:3, 3]
    stored = np.rint(_sample(mni_volume, points) * 8 * spec.value_scale).astype(np.int16)

    ds = new_dataset(ENHANCED_MR)
    ds.PatientName, ds.PatientID = "Doe^Jane", "NV-TEST-0002"
    ds.StudyDate = ds.SeriesDate = ds.ContentDate = "20240102"
    ds.StudyTime = ds.SeriesTime = "101010"
    ds.ContentTime = spec.acquisition_time
    ds.AcquisitionDateTime = "20240102" + spec.acquisition_time
    ds.Modality, ds.Manufacturer = "MR", spec.manufacturer
    ds.StudyInstanceUID = spec.study_uid or generate_uid()
    ds.SeriesInstanceUID = spec.series_uid or generate_uid()
    ds.FrameOfReferenceUID = spec.frame_uid or generate_uid()
    ds.SeriesNumber, ds.SeriesDescription = spec.series_number, spec.description
    ds.ProtocolName = spec.description
    ds.InstanceNumber = spec.instance
    ds.AcquisitionNumber = 1
    ds.ImageType = list(spec.image_type)
    ds.ComplexImageComponent = spec.complex_component
    ds.MagneticFieldStrength, ds.RepetitionTime = "3", "2000"
    ds.SpacingBetweenSlices = f"{spec.slice_step:g}"
    ds.Rows, ds.Columns, ds.NumberOfFrames = spec.rows, spec.cols, spec.n_slices
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
    for keyword, value in spec.extra.items():
        setattr(ds, keyword, value)

    shared = Dataset()
    measures = Dataset()
    measures.PixelSpacing = [f"{spec.row_spacing:g}", f"{spec.col_spacing:g}"]
    measures.SliceThickness = f"{spec.slice_step:g}"
    measures.SpacingBetweenSlices = f"{spec.slice_step:g}"
    shared.PixelMeasuresSequence = Sequence([measures])
    orient = Dataset()
    orient.ImageOrientationPatient = [f"{x:.8g}" for x in np.concatenate([row_dir, col_dir])]
    if spec.positions and not spec.orientation_per_frame:
        shared.PlaneOrientationSequence = Sequence([orient])
    echo = Dataset()
    echo.EffectiveEchoTime = spec.echo_time
    shared.MREchoSequence = Sequence([echo])
    transform = Dataset()
    transform.RescaleSlope, transform.RescaleIntercept = (f"{spec.rescale[0]:g}",
                                                          f"{spec.rescale[1]:g}")
    transform.RescaleType = "US"
    shared.PixelValueTransformationSequence = Sequence([transform])
    ds.SharedFunctionalGroupsSequence = Sequence([shared])

    per_frame = []
    for k in range(spec.n_slices):
        item = Dataset()
        content = Dataset()
        content.StackID = "1"
        content.InStackPositionNumber = k + 1
        content.TemporalPositionIndex = spec.temporal_index
        content.DimensionIndexValues = [1, k + 1]
        content.FrameAcquisitionDateTime = ds.AcquisitionDateTime
        item.FrameContentSequence = Sequence([content])
        if spec.positions:
            plane = Dataset()
            plane.ImagePositionPatient = [f"{x:.6f}" for x in origin + k * affine_lps[:3, 2]]
            item.PlanePositionSequence = Sequence([plane])
            if spec.orientation_per_frame:
                item.PlaneOrientationSequence = Sequence([orient])
        frame_type = Dataset()
        frame_type.FrameType = list(spec.image_type)
        frame_type.ComplexImageComponent = spec.complex_component
        item.MRImageFrameTypeSequence = Sequence([frame_type])
        if spec.philips_scale is not None:
            private = Dataset()
            private.add_new(0x20050010, "LO", "Philips Imaging DD 001")
            private.add_new(0x2005100E, "FL", spec.philips_scale[0])
            private.add_new(0x2005100D, "FL", spec.philips_scale[1])
            item.add_new(0x20050010, "LO", "Philips Imaging DD 001")
            item.add_new(0x2005140F, "SQ", Sequence([private]))
        per_frame.append(item)
    ds.PerFrameFunctionalGroupsSequence = Sequence(per_frame)
    if spec.philips_scale is not None:
        ds.add_new(0x20050010, "LO", "Philips Imaging DD 001")
        ds.add_new(0x2005100E, "FL", spec.philips_scale[0])
        ds.add_new(0x2005100D, "FL", spec.philips_scale[1])
    ds.PixelData = np.ascontiguousarray(stored.transpose(2, 1, 0)).tobytes()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pydicom.dcmwrite(path, ds, enforce_file_format=True)
    return WrittenVolume(path=path, values=stored, ijk_to_ras=ijk_to_ras)


ENHANCED_CT = "1.2.840.10008.5.1.4.1.1.2.1"


def write_enhanced_ct_kernels(path: Path, mni_volume, kernels: tuple[str, ...],
                              spec: EnhancedSpec) -> list[WrittenVolume]:
    """One Enhanced CT Image Storage file holding a reconstruction of ``spec``'s volume per
    kernel, their frames one after the other at the same positions, each frame's
    ConvolutionKernel in its own CT Reconstruction functional group (0018,9314), as a scanner
    stores a soft-tissue and a bone reconstruction in one object. Volume t's values are
    ``spec.value_scale * (1 - 0.4 t)`` times the first's."""
    import pydicom
    from pydicom.dataset import Dataset
    from pydicom.sequence import Sequence

    path = Path(path)
    volumes, frames, pixels = [], [], []
    for t, kernel in enumerate(kernels):
        part = path.with_name(f"{path.stem}.{t}.part")
        volumes.append(write_enhanced(part, mni_volume, EnhancedSpec(**{
            **spec.__dict__, "value_scale": spec.value_scale * (1 - 0.4 * t)})))
        ds = pydicom.dcmread(part)
        part.unlink()
        for item in ds.PerFrameFunctionalGroupsSequence:
            frame_type = Dataset()
            frame_type.FrameType = ["ORIGINAL", "PRIMARY", "AXIAL", "NONE"]
            item.CTImageFrameTypeSequence = Sequence([frame_type])
            del item.MRImageFrameTypeSequence
            reconstruction = Dataset()
            reconstruction.ConvolutionKernel = kernel
            reconstruction.ReconstructionAlgorithm = "ITERATIVE"
            item.CTReconstructionSequence = Sequence([reconstruction])
            item.FrameContentSequence[0].DimensionIndexValues = [t + 1, len(frames) % spec.n_slices + 1]
            frames.append(item)
        pixels.append(ds.PixelData)
    ds.PerFrameFunctionalGroupsSequence = Sequence(frames)
    del ds.SharedFunctionalGroupsSequence[0].MREchoSequence
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID = ENHANCED_CT
    ds.Modality, ds.ImageType = "CT", ["ORIGINAL", "PRIMARY", "AXIAL", "MIXED"]
    for keyword in ("ComplexImageComponent", "MagneticFieldStrength", "RepetitionTime"):
        delattr(ds, keyword)
    ds.NumberOfFrames = len(frames)
    ds.PixelData = b"".join(pixels)
    pydicom.dcmwrite(path, ds, enforce_file_format=True)
    return volumes
