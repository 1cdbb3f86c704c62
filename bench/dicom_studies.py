"""The DICOM studies ``bench/load.py`` converts, written with pydicom and cached in a folder.

- :func:`make_series`: a CT-like series sampled from the MNI template, one file per slice;
- :func:`make_enhanced_study`: runs of one-volume Enhanced MR files in the Siemens XA layout;
- :func:`make_4d_series`: a classic 4D series, one single-frame file per slice and time point.

Each folder gets a ``.complete`` marker once written; a folder with it is reused as it is.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np


def _write_slice(args):
    import pydicom
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian

    path, pixels, k, spacing, syntax, uids = args
    instance = int(Path(path).stem.split("_")[0]) * 1000 + k if "_" in Path(path).stem else k
    ds = Dataset()
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    meta.MediaStorageSOPInstanceUID = f"{uids[0][:50]}.{instance + 1}"
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta = meta
    ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = uids
    ds.Modality, ds.SeriesNumber, ds.SeriesDescription, ds.InstanceNumber = ("CT", 1, "bench",
                                                                              instance + 1)
    ds.PatientName, ds.PatientID = "Bench^Case", "BENCH"
    ds.ImagePositionPatient = [-0.5 * 511 * spacing[0], -0.5 * 511 * spacing[0], k * spacing[1]]
    ds.AcquisitionTime = f"10{instance // 1000:02d}00.{k:03d}"
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.PixelSpacing = [spacing[0], spacing[0]]
    ds.SliceThickness = spacing[1]
    ds.Rows, ds.Columns = pixels.shape
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
    ds.RescaleSlope, ds.RescaleIntercept = 1, -1024
    ds.PixelData = pixels.tobytes()
    if syntax != ExplicitVRLittleEndian:
        ds.compress(syntax, pixels)
    pydicom.dcmwrite(path, ds, enforce_file_format=True)


def make_series(folder: Path, n_slices: int, size: int, syntax: str) -> Path:
    """A CT-like series sampled from the MNI template (real anatomy compresses like real data)."""
    from pydicom.uid import generate_uid
    from scipy import ndimage

    from neuroview.io.nifti import load_nifti
    from neuroview.paths import demo_image

    done = folder / ".complete"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    mni = np.asarray(load_nifti(demo_image()).array, dtype=np.float32)
    zoom = (size / mni.shape[0], size / mni.shape[1], n_slices / mni.shape[2])
    uids = (generate_uid(), generate_uid(), generate_uid())
    jobs = []
    for k in range(n_slices):
        z = k / zoom[2]
        plane = ndimage.map_coordinates(
            mni, np.stack(np.meshgrid(np.arange(size) / zoom[0], np.arange(size) / zoom[1],
                                      [z], indexing="ij"))[..., 0], order=1)
        # CT-like: air at 0 (-1024 HU after rescale), tissue above, scanner noise of ~6 HU
        noise = np.random.default_rng(k).normal(0, 6, plane.shape)
        pixels = np.ascontiguousarray(np.clip(plane * 6 + 1024 * (plane > 0) + noise, 0, 4095)
                                      .astype(np.int16).T)
        jobs.append((folder / f"{k:04d}.dcm", pixels, k, (0.5, 0.6), syntax, uids))
    with ProcessPoolExecutor() as pool:
        list(pool.map(_write_slice, jobs, chunksize=8))
    done.write_text("ok")
    return folder


def _write_enhanced(args):
    """One Enhanced MR file holding one volume of a run, laid out as a Siemens XA scanner writes
    an fMRI run: the modules and functional groups a reader of these files uses, with Dimension
    Organization / Index and each frame's plane position and orientation in its own group."""
    import pydicom
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.sequence import Sequence
    from pydicom.tag import Tag
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    path, volume, series, instance, uids = args
    ds = Dataset()
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.4.1"
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta = meta
    ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID, ds.FrameOfReferenceUID = uids[0], uids[1]
    ds.SeriesInstanceUID = uids[2 + series]
    ds.Modality, ds.Manufacturer, ds.SeriesNumber = "MR", "SIEMENS", series + 1
    ds.SeriesDescription = ds.ProtocolName = f"bold run {series + 1}"
    ds.InstanceNumber, ds.PatientName, ds.PatientID = instance + 1, "Bench^Case", "BENCH"
    ds.PatientPosition, ds.AcquisitionNumber = "HFS", 1
    ds.StudyDate, ds.StudyTime = "20240102", "101010"
    # as a scanner: runs one after the other (10 min apart), a volume every 2 s (TR), and each
    # slice at its own time within the volume (slice timing), so no two frames share their time
    start = 8 * 3600 + 600 * series + 2.0 * instance
    ds.AcquisitionDateTime = _datetime(start)
    ds.ImageType = ["ORIGINAL", "PRIMARY", "M", "NONE"]
    ds.PixelPresentation, ds.VolumetricProperties = "MONOCHROME", "VOLUME"
    ds.VolumeBasedCalculationTechnique, ds.ComplexImageComponent = "NONE", "MAGNITUDE"
    ds.AcquisitionContrast, ds.ContentQualification = "T2", "PRODUCT"
    ds.MagneticFieldStrength, ds.ResonantNucleus = 3, "1H"
    ds.Rows, ds.Columns, ds.NumberOfFrames = volume.shape[1], volume.shape[2], volume.shape[0]
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
    organization = generate_uid(prefix=uids[2 + series][:40] + ".")
    ds.DimensionOrganizationSequence = Sequence([Dataset()])
    ds.DimensionOrganizationSequence[0].DimensionOrganizationUID = organization
    pointers = []
    for pointer in ("TemporalPositionIndex", "InStackPositionNumber"):
        item = Dataset()
        item.DimensionOrganizationUID = organization
        item.DimensionIndexPointer = Tag(pointer)
        item.FunctionalGroupPointer = Tag("FrameContentSequence")
        pointers.append(item)
    ds.DimensionIndexSequence = Sequence(pointers)
    shared, measures, echo, transform = Dataset(), Dataset(), Dataset(), Dataset()
    measures.PixelSpacing, measures.SliceThickness = [3.0, 3.0], 3.5
    echo.EffectiveEchoTime = 30.0
    transform.RescaleSlope, transform.RescaleIntercept, transform.RescaleType = 1, 0, "US"
    shared.PixelMeasuresSequence = Sequence([measures])
    shared.MREchoSequence = Sequence([echo])
    shared.PixelValueTransformationSequence = Sequence([transform])
    ds.SharedFunctionalGroupsSequence = Sequence([shared])
    frames = []
    for k in range(volume.shape[0]):
        item, plane, orient, content, kind = Dataset(), Dataset(), Dataset(), Dataset(), Dataset()
        plane.ImagePositionPatient = [-96.0, -96.0, -40.0 + 3.5 * k]
        orient.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        content.StackID, content.InStackPositionNumber = "1", k + 1
        content.TemporalPositionIndex = instance + 1
        content.DimensionIndexValues = [instance + 1, k + 1]
        content.FrameAcquisitionDateTime = _datetime(start + 2.0 * k / volume.shape[0])
        kind.FrameType = ds.ImageType
        kind.PixelPresentation, kind.VolumetricProperties = "MONOCHROME", "VOLUME"
        kind.VolumeBasedCalculationTechnique, kind.ComplexImageComponent = "NONE", "MAGNITUDE"
        kind.AcquisitionContrast = "T2"
        item.FrameContentSequence = Sequence([content])
        item.PlanePositionSequence = Sequence([plane])
        item.PlaneOrientationSequence = Sequence([orient])
        item.MRImageFrameTypeSequence = Sequence([kind])
        frames.append(item)
    ds.PerFrameFunctionalGroupsSequence = Sequence(frames)
    ds.PixelData = volume.tobytes()
    pydicom.dcmwrite(path, ds, enforce_file_format=True)


def _datetime(seconds: float) -> str:
    """A DT value on 2 Jan 2024 ``seconds`` after midnight."""
    whole, micro = divmod(round(seconds * 1e6), 1_000_000)
    return f"20240102{whole // 3600:02d}{whole // 60 % 60:02d}{whole % 60:02d}.{micro:06d}"


def make_enhanced_study(folder: Path, n_series: int = 4, n_files: int = 60, frames: int = 24,
                        size: int = 64) -> Path:
    """Many small Enhanced MR files: ``n_series`` runs of ``n_files`` one-volume files.

    The runs follow each other 10 minutes apart, a volume every 2 s, and each frame carries its
    own acquisition time (slice timing), as a scanner writes them: so every frame's content item
    is its own bytes, as in real files (until 2 Dec 2026, 11:00 UTC, every run repeated the
    first one's times and all frames of a file shared theirs, which the scan's caches of repeated
    bytes read once for the whole study; those studies were in ``enhanced-xa``).

    Until 2 Dec 2026 these files (then in ``enhanced-study``) had no Dimension Index and their
    plane orientation in the shared functional group: dcm2niix 1.0.20260724 then takes its
    fallback for frames without dimension indices (sorting them by position) and reads each
    frame's rescale slope from memory it never filled, so every file converted after the first
    came out as float32 values near 1e-30 (:func:`check_reference` refuses those files)."""
    from pydicom.uid import generate_uid

    done = folder / ".complete"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    uids = [generate_uid() for _ in range(2 + n_series)]
    rng = np.random.default_rng(0)
    jobs = [(folder / f"s{s}_{t:04d}.dcm", rng.integers(0, 2000, (frames, size, size),
                                                          dtype=np.int16), s, t, uids)
            for s in range(n_series) for t in range(n_files)]
    with ProcessPoolExecutor() as pool:
        list(pool.map(_write_enhanced, jobs, chunksize=8))
    done.write_text("ok")
    return folder


def make_4d_series(folder: Path, n_times: int = 20, n_slices: int = 30, size: int = 96) -> Path:
    """A classic 4D series: one single-frame file per slice and time point."""
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    done = folder / ".complete"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    uids = (generate_uid(), generate_uid(), generate_uid())
    rng = np.random.default_rng(0)
    jobs = [(folder / f"{t:03d}_{k:03d}.dcm", rng.integers(0, 2000, (size, size), dtype=np.int16),
             k, (2.0, 3.0), ExplicitVRLittleEndian, uids)
            for t in range(n_times) for k in range(n_slices)]
    with ProcessPoolExecutor() as pool:
        list(pool.map(_write_slice, jobs, chunksize=16))
    done.write_text("ok")
    return folder
