"""A DICOM MR study whose every identifying attribute holds a unique marker, for privacy audits.

Each value is a string found nowhere else (``MARKERS``), so a search of whatever neuroview writes
for these strings finds a leak with no false hit. The attributes follow DICOM PS3.15 Annex E's
Basic Profile: names, IDs, dates and times, UIDs, institution, physicians, descriptions, free-text
comments, private tags, Other Patient IDs, a sequence with nested identifying data and the
burned-in annotation flag. The pixels are a smooth head-like ellipsoid with two bright blobs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, MRImageStorage

from tests.dicom_pixels import put_int16_slice

UID_ROOT = "1.2.826.0.1.3680043.8.498.4711"

# Text markers: upper case with digits, so DICOM's PN/LO/SH/CS VRs hold them as they are.
TEXT = {
    "PatientName": "ZQFAMILYMK^ZQGIVENMK^ZQMIDDLEMK",
    "PatientID": "ZQPIDMK7731",
    "IssuerOfPatientID": "ZQISSUERMK",
    "OtherPatientIDs": "ZQOTHERPIDMK",
    "OtherPatientNames": "ZQOTHERNAMEMK^ZQOTHERGIVENMK",
    "PatientBirthName": "ZQBIRTHNAMEMK",
    "PatientMotherBirthName": "ZQMOTHERMK",
    "PatientAddress": "ZQADDRESSMK Lane 9",
    "PatientTelephoneNumbers": "ZQPHONEMK5551",
    "PatientComments": "ZQPATCOMMENTMK free text",
    "AdditionalPatientHistory": "ZQHISTORYMK free text",
    "AccessionNumber": "ZQACCMK442",
    "InstitutionName": "ZQINSTITUTIONMK Hospital",
    "InstitutionAddress": "ZQINSTADDRMK Road 3",
    "InstitutionalDepartmentName": "ZQDEPARTMENTMK",
    "ReferringPhysicianName": "ZQREFERRINGMK^ZQREFGIVENMK",
    "PerformingPhysicianName": "ZQPERFORMINGMK^ZQPERFGIVENMK",
    "NameOfPhysiciansReadingStudy": "ZQREADINGMK^ZQREADGIVENMK",
    "PhysiciansOfRecord": "ZQRECORDMK^ZQRECGIVENMK",
    "OperatorsName": "ZQOPERATORMK^ZQOPGIVENMK",
    "RequestingPhysician": "ZQREQUESTINGMK^ZQREQGIVENMK",
    "StudyDescription": "ZQSTUDYDESCMK",
    "SeriesDescription": "ZQSERIESDESCMK",
    "ProtocolName": "ZQPROTOCOLMK",
    "StudyID": "ZQSTUDYIDMK",
    "StationName": "ZQSTATIONMK",
    "DeviceSerialNumber": "ZQSERIALMK88",
    "ImageComments": "ZQIMAGECOMMENTMK free text",
    "DerivationDescription": "ZQDERIVATIONMK",
    "RequestedProcedureDescription": "ZQREQPROCMK",
    "PerformedProcedureStepDescription": "ZQPPSDESCMK",
    "PerformedProcedureStepID": "ZQPPSIDMK",
}
# Dates and times: valid DA/TM/DT values no other file holds (1917 and odd seconds).
DATES = {
    "PatientBirthDate": "19170523",
    "StudyDate": "19170611",
    "SeriesDate": "19170612",
    "AcquisitionDate": "19170613",
    "ContentDate": "19170614",
    "InstanceCreationDate": "19170615",
    "PerformedProcedureStepStartDate": "19170616",
}
TIMES = {
    "StudyTime": "134711.4711",
    "SeriesTime": "134712.4712",
    "AcquisitionTime": "134713.4713",
    "ContentTime": "134714.4714",
    "PatientBirthTime": "134715.4715",
}
UIDS = {
    "StudyInstanceUID": UID_ROOT + ".1.11",
    "SeriesInstanceUID": UID_ROOT + ".2.22",
    "FrameOfReferenceUID": UID_ROOT + ".3.33",
}
PRIVATE_MARKER = "ZQPRIVATEMK"
NESTED = {"RequestedProcedureID": "ZQNESTEDPROCMK", "ScheduledProcedureStepID": "ZQNESTEDSPSMK",
          "NestedPatientID": "ZQNESTEDPIDMK"}

SHAPE = (48, 56, 20)          # columns, rows, slices
SPACING = (2.0, 2.0, 2.5)     # column spacing, row spacing, slice step (mm)


def sop_uid(k: int) -> str:
    return f"{UID_ROOT}.4.{k + 1}"


def markers() -> list[str]:
    """Every string that must not leave the source: each value, each name part, each spelling."""
    found = set()
    for value in TEXT.values():
        found.add(value.split(" ")[0])            # the marker word of a free-text value
        found.update(part for part in value.split("^") if part)
    for value in DATES.values():
        year, month, day = value[:4], value[4:6], value[6:]
        found.update({value, f"{year}-{month}-{day}", f"{day}.{month}.{year}"})
    for value in TIMES.values():
        found.update({value, value.split(".")[0], f"{value[:2]}:{value[2:4]}:{value[4:6]}"})
    found.update(UIDS.values())
    found.update(sop_uid(k) for k in range(SHAPE[2]))
    found.add(UID_ROOT)
    found.add(PRIVATE_MARKER)
    found.update(NESTED.values())
    return sorted(found)


def head_volume(shape=SHAPE, variant: int = 0) -> np.ndarray:
    """Int16 MR-like values [col, row, slice]: an ellipsoid 'brain' with two bright blobs
    (``variant`` changes the noise: another image of the same head)."""
    cols, rows, slices = shape
    ii, jj, kk = np.meshgrid(np.arange(cols), np.arange(rows), np.arange(slices), indexing="ij")
    r2 = ((ii - cols / 2) / (cols * 0.4)) ** 2 + ((jj - rows / 2) / (rows * 0.4)) ** 2 \
        + ((kk - slices / 2) / (slices * 0.45)) ** 2
    volume = np.where(r2 < 1, 400.0, 0.0)
    for centre in ((cols * 0.35, rows * 0.45, slices * 0.5), (cols * 0.62, rows * 0.55, slices * 0.55)):
        d2 = (ii - centre[0]) ** 2 + (jj - centre[1]) ** 2 + ((kk - centre[2]) * 1.25) ** 2
        volume[d2 < 9] = 900.0
    rng = np.random.default_rng(4711 + variant)
    return (volume + rng.normal(0, 8, shape)).clip(0).astype(np.int16)


def _nested_sequence() -> Sequence:
    item = Dataset()
    item.RequestedProcedureID = NESTED["RequestedProcedureID"]
    item.ScheduledProcedureStepID = NESTED["ScheduledProcedureStepID"]
    item.RequestedProcedureDescription = TEXT["RequestedProcedureDescription"]
    inner = Dataset()
    inner.PatientID = NESTED["NestedPatientID"]
    inner.IssuerOfPatientID = TEXT["IssuerOfPatientID"]
    item.IssuerOfAccessionNumberSequence = Sequence([inner])  # nested twice
    return Sequence([item])


def write_marked_study(folder: Path, variant: int = 0, burned_in: str = "YES") -> Path:
    """Write the study as one MR series of ``SHAPE[2]`` files into ``folder``; returns it.
    ``variant`` > 0 writes other voxels under the same header (a second case of the patient);
    ``burned_in``: the BurnedInAnnotation flag ("YES": the pixels say they show identifying text)."""
    folder.mkdir(parents=True, exist_ok=True)
    volume = head_volume(variant=variant)
    for k in range(SHAPE[2]):
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = MRImageStorage
        meta.MediaStorageSOPInstanceUID = sop_uid(k)
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = Dataset()
        ds.file_meta = meta
        for keyword, value in {**TEXT, **DATES, **TIMES, **UIDS}.items():
            setattr(ds, keyword, value)
        ds.AcquisitionDateTime = DATES["AcquisitionDate"] + TIMES["AcquisitionTime"]
        ds.OtherPatientIDsSequence = Sequence([Dataset()])
        ds.OtherPatientIDsSequence[0].PatientID = TEXT["OtherPatientIDs"]
        ds.OtherPatientIDsSequence[0].TypeOfPatientID = "TEXT"
        ds.RequestAttributesSequence = _nested_sequence()
        ds.BurnedInAnnotation = burned_in
        ds.PatientSex = "O"
        ds.PatientAge = "099Y"
        block = ds.private_block(0x0029, "ZQ PRIVATE CREATOR", create=True)
        block.add_new(0x10, "LO", PRIVATE_MARKER)
        ds.SOPClassUID = MRImageStorage
        ds.SOPInstanceUID = sop_uid(k)
        ds.Modality = "MR"
        ds.Manufacturer = "MakerCo"
        ds.SeriesNumber = 7
        ds.InstanceNumber = k + 1
        ds.ImageType = ["ORIGINAL", "PRIMARY", "M"]
        ds.PositionReferenceIndicator = ""
        ds.ImagePositionPatient = [-48.0, -56.0, -25.0 + k * SPACING[2]]
        ds.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
        ds.PixelSpacing = [SPACING[1], SPACING[0]]
        ds.SliceThickness = SPACING[2]
        put_int16_slice(ds, volume[:, :, k])
        ds.save_as(folder / f"IM{k:04d}.dcm", enforce_file_format=True)
    return folder


def another_series(folder: Path) -> Path:
    """The marked study in ``folder`` made another series of the patient's study: its own series
    and image UIDs under :data:`UID_ROOT` (itself a marker), as a later series is to ``followup``
    (which refuses the same series again) and to the window's overlay and compare."""
    import pydicom

    for path in sorted(folder.glob("*.dcm")):
        ds = pydicom.dcmread(path)
        ds.SeriesInstanceUID = UID_ROOT + ".2.23"
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = f"{UID_ROOT}.5.{ds.InstanceNumber}"
        ds.save_as(path)
    return folder
