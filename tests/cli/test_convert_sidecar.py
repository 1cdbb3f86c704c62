"""``neuroview convert`` DICOM -> NIfTI writes a BIDS-style ``NAME.json`` beside the NIfTI, as
dcm2niix's ``-b y``: the same keys and values as dcm2niix's for the acquisition (Modality,
Manufacturer, MagneticFieldStrength, EchoTime, RepetitionTime, SliceThickness, ImageType, a CT's
ConvolutionKernel), nothing
that names the patient, study, site or device; a CT whose voxels do not look like HU reopens as
CT from it. ``--no-sidecar`` writes none. Until session 41 no sidecar was written and such a CT
reopened as non-CT."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from series_maker import DCM2NIIX, SeriesSpec, write_series  # noqa: E402

CLI_FORKED = "what `convert` writes, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

IDENTIFYING = {"PatientName": "Doe^Jane", "PatientID": "NV-TEST-0001", "InstitutionName": "Test Hospital",
               "DeviceSerialNumber": "SN-4711", "StationName": "CTROOM3", "AccessionNumber": "A1",
               "OperatorsName": "Op^Olga", "ReferringPhysicianName": "Ref^Rob"}
KEYS = ("Modality", "Manufacturer", "MagneticFieldStrength", "EchoTime", "RepetitionTime",
        "SliceThickness", "ImageType", "ConvolutionKernel", "BodyPart")


@pytest.fixture(scope="module")
def series(tmp_path_factory, mni_volume) -> Path:
    """A CT (voxels 0..800, no HU look: no air at -1000) of Siemens and an MR of GE, with every
    identifying field filled in, each converted by dcm2niix (``-b y``) into ``dcm2niix/``."""
    root = tmp_path_factory.mktemp("convert_sidecar")
    extra = tuple(IDENTIFYING.items())
    write_series(root / "dicom" / "ct", mni_volume, SeriesSpec(
        modality="CT", n_slices=5, series_number=2, description="head scan",
        extra=(*extra, ("Manufacturer", "SIEMENS"), ("ConvolutionKernel", "B30f"))))
    write_series(root / "dicom" / "mr", mni_volume, SeriesSpec(
        modality="MR", n_slices=5, series_number=3, description="t1 mprage",
        extra=(*extra, ("Manufacturer", "GE MEDICAL SYSTEMS"), ("BodyPartExamined", "HEAD"))))
    for name in ("ct", "mr"):
        out = root / "dcm2niix" / name
        out.mkdir(parents=True)
        proc = subprocess.run([DCM2NIIX, "-z", "y", "-b", "y", "-f", name, "-o", str(out),
                               str(root / "dicom" / name)], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return root


@pytest.mark.parametrize("name", ["ct", "mr"])
def test_the_sidecar_says_what_dcm2niixs_says_and_nothing_identifying(cli, series, tmp_path, name):
    output = tmp_path / f"{name}.nii.gz"
    result = cli("convert", series / "dicom" / name, output)
    assert result.returncode == 0, result.stderr
    sidecar = tmp_path / f"{name}.json"
    assert result.stdout.splitlines() == [str(output), str(sidecar)]   # one line per file written
    ours = json.loads(sidecar.read_text())
    theirs = json.loads((series / "dcm2niix" / name / f"{name}.json").read_text())
    shared = [key for key in KEYS if key in theirs]
    assert {"Modality", "Manufacturer", "SliceThickness", "ImageType"} <= set(shared)
    if name == "ct":   # a head CT's soft-tissue and bone series told apart (no kernel until session 48)
        assert theirs["ConvolutionKernel"] == "B30f"
    if name == "mr":
        assert {"MagneticFieldStrength", "EchoTime", "RepetitionTime", "BodyPart"} <= set(shared)
    assert {key: ours.get(key) for key in shared} == {key: theirs[key] for key in shared}
    assert set(ours) == {*shared, "ConversionSoftware", "ConversionSoftwareVersion"}
    assert ours["ConversionSoftware"] == "neuroview"
    text = sidecar.read_text()
    for value in (*IDENTIFYING.values(), "Doe", "Jane", "2024", "1.2.", "head scan", "t1 mprage"):
        assert value not in text, value
    assert not {"SeriesDescription", "ProtocolName", "SeriesNumber", "AcquisitionTime"} & set(ours)


def test_a_converted_ct_reopens_as_ct_and_no_sidecar_writes_none(cli, series, tmp_path):
    from neuroview.io import load

    output = tmp_path / "ct.nii.gz"
    assert cli("convert", series / "dicom" / "ct", output).returncode == 0
    assert load(str(output)).modality == "CT"
    plain = tmp_path / "plain" / "ct.nii.gz"
    plain.parent.mkdir()
    result = cli("convert", "--no-sidecar", series / "dicom" / "ct", plain)
    assert result.returncode == 0 and result.stdout.splitlines() == [str(plain)]
    assert sorted(p.name for p in plain.parent.iterdir()) == ["ct.nii.gz"]
    assert load(str(plain)).modality != "CT"    # its voxels alone: not taken for HU


def test_a_kernel_of_two_values_is_written_as_dcm2niix_writes_it(tmp_path):
    """Siemens' ``Br40d\\3`` (two values) as dcm2niix's ConvolutionKernel line gives it (its
    1.0.20260724 also writes ``"ReconFilterType": "Br40d\\"``, which no JSON reader reads)."""
    import pydicom
    from pydicom.dataset import FileMetaDataset

    from neuroview.io.dicom.bids_fields import bids_fields

    ds = pydicom.Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = pydicom.uid.ExplicitVRLittleEndian
    ds.Modality, ds.ConvolutionKernel = "CT", ["Br40d", "3"]
    ds.save_as(tmp_path / "ct.dcm", implicit_vr=False, little_endian=True)
    assert bids_fields(str(tmp_path / "ct.dcm")) == {"Modality": "CT", "ConvolutionKernel": "Br40d\\3"}
