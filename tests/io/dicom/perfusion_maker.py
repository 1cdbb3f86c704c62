"""A CT perfusion run as scanners write it: one series, every time point at the same table
positions, one file per slice and time point, the time told by the vendor's way.

A head slab in HU (air, skull, brain) with an artery whose contrast peaks about 500 HU over its
baseline early and a tissue region that enhances later and less (gamma-variate curves, as a
bolus gives them). ``vendor``:

- ``"siemens"``: AcquisitionNumber 1..N (one per time point) and AcquisitionTime per time point,
  InstanceNumber running on across the run;
- ``"ge"``: TemporalPositionIdentifier 1..N, NumberOfTemporalPositions N, AcquisitionNumber 1;
- ``"canon"``: AcquisitionNumber 1 for the whole run, only AcquisitionTime per time point (and
  InstanceNumber running on).

Returns the HU of each time point, [column, row, slice, time], slices from the lowest z up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
ARTERY = (0.31, 0.375)
"""Column, row of the artery's centre (radius 4 voxels), as fractions of the image's size."""
TISSUE = (0.69, 0.56)
"""Column, row of the enhancing tissue's centre (radius 6 voxels), as fractions of its size."""


@dataclass
class WrittenPerfusion:
    folder: Path
    hu: np.ndarray
    """[column, row, slice, time] HU."""
    seconds: np.ndarray
    """Each time point's time from the first (s)."""
    ijk_to_ras: np.ndarray
    """Voxel [column, row, slice] -> RAS mm, from the positions written."""


def gamma_variate(t: np.ndarray, arrival: float, peak: float, height: float) -> np.ndarray:
    """A bolus's enhancement over ``t`` (s): 0 before ``arrival``, ``height`` at ``peak``."""
    s = np.clip(t - arrival, 0, None)
    tmax = peak - arrival
    return height * (s / tmax) ** 3 * np.exp(3 * (1 - s / tmax))


def write_perfusion(folder: Path, vendor: str = "siemens", size: int = 64, n_slices: int = 8,
                    n_times: int = 30, interval_s: float = 1.5,
                    seconds: Sequence[float] = ()) -> WrittenPerfusion:
    """``seconds``: each time point's time from the first (a run sampled unevenly), else
    ``interval_s`` apart."""
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cols = rows = size
    spacing, step = 0.5, 5.0
    ii, jj = np.meshgrid(np.arange(cols), np.arange(rows), indexing="ij")
    r = np.hypot(ii - cols / 2, (jj - rows / 2) * 1.2) / size   # a skull, brain inside
    slab = np.where(r < 0.47, 1000.0, -1000.0)
    slab = np.where(r < 0.41, 35.0, slab)
    artery = np.hypot(ii - ARTERY[0] * size, jj - ARTERY[1] * size) < 4
    tissue = np.hypot(ii - TISSUE[0] * size, jj - TISSUE[1] * size) < 6
    seconds = np.asarray(seconds, float) if len(seconds) else np.arange(n_times) * interval_s
    n_times = len(seconds)
    artery_curve = gamma_variate(seconds, 6.0, 12.0, 500.0)
    tissue_curve = gamma_variate(seconds, 9.0, 20.0, 40.0)
    hu = np.repeat(slab[:, :, None, None], n_slices, axis=2).repeat(n_times, axis=3)
    hu[artery] += artery_curve
    hu[tissue] += tissue_curve
    hu = np.rint(hu)
    study, series, frame_uid = generate_uid(), generate_uid(), generate_uid()
    for t in range(n_times):
        clock = 93000.0 + seconds[t]   # 09:30:00 + t
        hh, rest = divmod(clock, 10000)
        mm, ss = divmod(rest, 100)
        when = f"{int(hh):02d}{int(mm):02d}{ss:09.6f}"
        for k in range(n_slices):
            meta = FileMetaDataset()
            meta.MediaStorageSOPClassUID = CT_IMAGE_STORAGE
            meta.MediaStorageSOPInstanceUID = generate_uid()
            meta.TransferSyntaxUID = ExplicitVRLittleEndian
            ds = Dataset()
            ds.file_meta = meta
            ds.SOPClassUID, ds.SOPInstanceUID = CT_IMAGE_STORAGE, meta.MediaStorageSOPInstanceUID
            ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame_uid
            ds.PatientName, ds.PatientID = "Perfusion^Test", "CTP001"
            ds.Modality, ds.Manufacturer = "CT", {"siemens": "SIEMENS", "ge": "GE MEDICAL SYSTEMS",
                                                  "canon": "TOSHIBA"}[vendor]
            ds.SeriesNumber, ds.SeriesDescription = 4, "Perfusion 4D"
            ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
            ds.BodyPartExamined = "HEAD"
            ds.StudyDate = ds.SeriesDate = ds.AcquisitionDate = "20260301"
            ds.AcquisitionTime = ds.ContentTime = when
            ds.InstanceNumber = t * n_slices + k + 1
            if vendor == "siemens":
                ds.AcquisitionNumber = t + 1
            elif vendor == "ge":
                ds.AcquisitionNumber = 1
                ds.TemporalPositionIdentifier = t + 1
                ds.NumberOfTemporalPositions = n_times
            else:
                ds.AcquisitionNumber = 1
            ds.ImagePositionPatient = [-cols * spacing / 2, -rows * spacing / 2, k * step]
            ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
            ds.PixelSpacing = [spacing, spacing]
            ds.SliceThickness = step
            ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
            ds.Rows, ds.Columns = rows, cols
            ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
            ds.RescaleIntercept, ds.RescaleSlope, ds.RescaleType = -1024, 1, "HU"
            ds.WindowCenter, ds.WindowWidth = 40, 80
            stored = (hu[:, :, k, t] + 1024).astype(np.int16)
            ds.PixelData = np.ascontiguousarray(stored.T).tobytes()   # rows of columns
            ds.save_as(folder / f"IM{t:03d}_{k:02d}.dcm", enforce_file_format=True)
    ijk_to_ras = np.diag([-spacing, -spacing, step, 1.0])   # LPS rows and columns, flipped
    ijk_to_ras[:3, 3] = [cols * spacing / 2, rows * spacing / 2, 0.0]
    return WrittenPerfusion(folder, hu, seconds, ijk_to_ras)
