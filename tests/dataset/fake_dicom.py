"""A small CT series written with pydicom, carrying realistic identifying values.

``IDENTIFYING`` lists every identifying value written into the files, so de-identification tests
can look for each of them in whatever neuroview exports.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian

from tests.dicom_pixels import put_int16_slice

UID_ROOT = "1.2.826.0.1.3680043.8.498."

PATIENT = {
    "PatientName": "Quintanilla^Zyxwerth^Marisol",
    "PatientID": "PID8675309X",
    "PatientBirthDate": "19610417",
    "OtherPatientIDs": "OPID4455667",
    "PatientAddress": "17 Wobblethorpe Lane Glimmerton",
    "StudyDate": "20190312",
    "SeriesDate": "20190313",
    "AcquisitionDate": "20190314",
    "ContentDate": "20190315",
    "StudyTime": "101112.5",
    "InstitutionName": "Saint Quirinus Xylo Hospital",
    "InstitutionAddress": "99 Brackenfurze Road Plumbridge",
    "AccessionNumber": "ACC77123Q",
    "ReferringPhysicianName": "Hobbsworth^Eliza",
    "PerformingPhysicianName": "Drumwiddle^Oskar",
    "OperatorsName": "Fennimore^Tabitha",
    "StationName": "CTSTATION42Z",
    "StudyID": "STX99187",
    "DeviceSerialNumber": "SN55443322Q",
}


def identifying_values(datasets) -> list[str]:
    """Every identifying value in ``datasets``: the patient/site values and every UID written."""
    values = set(PATIENT.values())
    values.update(PATIENT["PatientName"].split("^"))
    for ds in datasets:
        for keyword in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID",
                        "FrameOfReferenceUID"):
            values.add(str(ds.get(keyword)))
    values.add(PATIENT["StudyDate"][:4] + "-" + PATIENT["StudyDate"][4:6] + "-" + PATIENT["StudyDate"][6:])
    return sorted(v for v in values if v)


def make_ct_series(folder: Path, shape=(32, 28, 8), spacing=(0.7, 0.8, 2.5),
                   origin_lps=(-12.3, 20.1, 40.0), orientation=(1, 0, 0, 0, 1, 0),
                   seed: int = 7) -> tuple[list[Dataset], np.ndarray, np.ndarray]:
    """Write a CT series; returns (datasets, volume array [i=col, j=row, k=slice], ijk_to_ras).

    ``shape`` is (columns, rows, slices); ``spacing`` (column spacing, row spacing, slice step).
    """
    folder.mkdir(parents=True, exist_ok=True)
    cols, rows, n_slices = shape
    rng = np.random.default_rng(seed)
    # Smooth-ish anatomy: a bright ellipsoid on noise, stored as int16 HU.
    ii, jj, kk = np.meshgrid(np.arange(cols), np.arange(rows), np.arange(n_slices), indexing="ij")
    body = ((ii - cols / 2) / (cols / 3)) ** 2 + ((jj - rows / 2) / (rows / 3)) ** 2 < 1
    volume = np.where(body, 40, -1000).astype(np.int16) + rng.integers(-5, 6, shape).astype(np.int16)
    row_dir = np.asarray(orientation[:3], float)
    col_dir = np.asarray(orientation[3:], float)
    normal = np.cross(row_dir, col_dir)
    study_uid = pydicom.uid.generate_uid(UID_ROOT, entropy_srcs=["study", str(seed)])
    series_uid = pydicom.uid.generate_uid(UID_ROOT, entropy_srcs=["series", str(seed)])
    frame_uid = pydicom.uid.generate_uid(UID_ROOT, entropy_srcs=["frame", str(seed)])
    datasets = []
    for k in range(n_slices):
        position = np.asarray(origin_lps, float) + k * spacing[2] * normal
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = CTImageStorage
        sop_uid = pydicom.uid.generate_uid(UID_ROOT, entropy_srcs=["sop", str(seed), str(k)])
        meta.MediaStorageSOPInstanceUID = sop_uid
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = Dataset()
        ds.file_meta = meta
        for keyword, value in PATIENT.items():
            setattr(ds, keyword, value)
        ds.PatientSex = "F"
        ds.SOPClassUID = CTImageStorage
        ds.SOPInstanceUID = sop_uid
        ds.StudyInstanceUID = study_uid
        ds.SeriesInstanceUID = series_uid
        ds.FrameOfReferenceUID = frame_uid
        ds.Modality = "CT"
        ds.Manufacturer = "FakeScanner"
        ds.SeriesNumber = 3
        ds.InstanceNumber = k + 1
        ds.SeriesDescription = "Head CT"
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.PositionReferenceIndicator = ""
        ds.ImagePositionPatient = [float(x) for x in position]
        ds.ImageOrientationPatient = [float(x) for x in orientation]
        ds.PixelSpacing = [spacing[1], spacing[0]]  # row spacing, column spacing
        ds.SliceThickness = spacing[2]
        put_int16_slice(ds, volume[:, :, k])
        ds.RescaleIntercept = 0
        ds.RescaleSlope = 1
        ds.RescaleType = "HU"
        ds.save_as(folder / f"IM{k:04d}.dcm", enforce_file_format=True)
        datasets.append(ds)
    ijk_to_lps = np.eye(4)
    ijk_to_lps[:3, 0] = row_dir * spacing[0]
    ijk_to_lps[:3, 1] = col_dir * spacing[1]
    ijk_to_lps[:3, 2] = normal * spacing[2]
    ijk_to_lps[:3, 3] = origin_lps
    ijk_to_ras = np.diag([-1.0, -1.0, 1.0, 1.0]) @ ijk_to_lps
    return datasets, volume, ijk_to_ras


def volume_from_series(datasets, volume_array, ijk_to_ras, folder):
    """The Volume a DICOM loader makes: pixels + geometry, tags kept in ``source_metadata``."""
    from neuroview.core.volume import Volume

    first = datasets[0]
    metadata = {elem.keyword: str(elem.value) for elem in first
                if elem.keyword and elem.keyword != "PixelData"}
    return Volume(array=volume_array, ijk_to_ras=ijk_to_ras, modality="CT", intensity_unit="HU",
                  description=str(first.SeriesDescription), source_path=str(folder),
                  source_metadata=metadata)
