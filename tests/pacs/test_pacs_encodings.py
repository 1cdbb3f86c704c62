"""Instances as they are kept, sent and retrieved against a real Orthanc: compressed transfer
syntaxes, non-image objects and other volumes the loader reads, a CD export with its DICOMDIR."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest
from orthanc_server import server_config

from neuroview.io import load
from neuroview.io.pacs import PacsError, SeriesCache, retrieve, store


def test_store_compressed_files_by_dimse(orthanc_factory, tmp_path):
    """Compressed files go by C-STORE as they are: each compressed transfer syntax in its own
    presentation context (in one context with the uncompressed ones, Orthanc accepted Explicit VR
    and pynetdicom raised ValueError: 'internal error' from pacs store). A server that refuses the
    syntax is one line naming the file."""
    import shutil

    from pydicom.data import get_testdata_file

    files = [shutil.copy(get_testdata_file(name), tmp_path / name)
             for name in ("MR_small_RLE.dcm", "JPEG2000.dcm", "CT_small.dcm")]
    server = orthanc_factory()
    assert store(server_config(server), files, protocol="dimse") == 3
    stored = {server.rest(f"/instances/{i}/header")["0002,0010"]["Value"]
              for i in server.rest("/instances")}
    assert stored == {str(pydicom.dcmread(f, stop_before_pixels=True).file_meta.TransferSyntaxUID)
                      for f in files}
    strict = orthanc_factory(RleTransferSyntaxAccepted=False)
    with pytest.raises(PacsError, match=r"does not accept MR_small_RLE.dcm as it is encoded "
                                        r"\(RLE Lossless\); 0 of 1 file stored"):
        store(server_config(strict), files[:1], protocol="dimse")


@pytest.mark.parametrize("protocol", ["dimse", "web"])
def test_retrieve_compressed_instances_as_the_server_keeps_them(empty_orthanc, tmp_path, protocol):
    """A JPEG 2000 instance comes back as stored, by C-GET and by WADO-RS: Orthanc 1.10 cannot
    decode JPEG 2000 and, asked for Explicit VR Little Endian (WADO-RS without transfer-syntax=*,
    a C-GET whose context for the class accepted that syntax), failed: 'answered HTTP 500 to the
    retrieval', 'could not send the whole series (0 received, 1 failed, status 0xC000)'."""
    import shutil

    from pydicom.data import get_testdata_file

    original = shutil.copy(get_testdata_file("JPEG2000.dcm"), tmp_path / "j2k.dcm")
    config = server_config(empty_orthanc)
    store(config, [original], protocol="web")
    head = pydicom.dcmread(original)
    folder = retrieve(config, str(head.StudyInstanceUID), str(head.SeriesInstanceUID),
                      SeriesCache(tmp_path / "cache"), protocol=protocol)
    (received,) = folder.glob("*.dcm")
    back = pydicom.dcmread(received)
    assert back.file_meta.TransferSyntaxUID == head.file_meta.TransferSyntaxUID
    assert back.PixelData == head.PixelData


def test_c_move_of_a_non_image_object(orthanc_factory, tmp_path):
    """The C-MOVE receiver takes every storage SOP class: a server whose first study is an RT
    dose failed Test connection's return-path check ('connected back to NVTEST ... but sent no
    image (status 0xC000)': the receiver knew image classes only) although C-MOVE worked, and a
    C-MOVE of that series failed the same way."""
    import shutil

    from pydicom.data import get_testdata_file

    from neuroview.io.pacs import move_check

    dose = shutil.copy(get_testdata_file("rtdose.dcm"), tmp_path / "rtdose.dcm")
    server = orthanc_factory()
    store(server_config(server), [dose])
    config = server_config(server, move_port=server.client_port, url="")
    assert move_check.check_move(config) == f"C-MOVE to NVTEST on port {server.client_port}"
    head = pydicom.dcmread(dose, stop_before_pixels=True)
    folder = retrieve(config, str(head.StudyInstanceUID), str(head.SeriesInstanceUID),
                      SeriesCache(tmp_path / "cache"))
    assert [f.name for f in folder.glob("*.dcm")] == [f"{head.SOPInstanceUID}.dcm"]


def test_c_get_of_volumes_the_loader_reads(empty_orthanc, tmp_path):
    """C-GET asks for every kind of volume the loader opens: an RT dose and a Legacy Converted
    Enhanced MR came back as 'could not send the whole series (0 received, 1 failed, status
    0xC000)' (not among the SOP classes offered), though DICOMweb retrieved them."""
    import shutil

    from pydicom.data import get_testdata_file

    dose = shutil.copy(get_testdata_file("rtdose.dcm"), tmp_path / "rtdose.dcm")
    legacy = pydicom.dcmread(get_testdata_file("emri_small.dcm"))
    legacy.SOPClassUID = legacy.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.4.4"
    legacy.save_as(tmp_path / "legacy.dcm")
    config = server_config(empty_orthanc)
    store(config, [dose, tmp_path / "legacy.dcm"])
    for file in (dose, tmp_path / "legacy.dcm"):
        head = pydicom.dcmread(file, stop_before_pixels=True)
        folder = retrieve(config, str(head.StudyInstanceUID), str(head.SeriesInstanceUID),
                          SeriesCache(tmp_path / "cache"), protocol="dimse")
        assert [f.name for f in folder.glob("*.dcm")] == [f"{head.SOPInstanceUID}.dcm"]
        assert load(folder).shape == load(file).shape


@pytest.mark.parametrize("protocol", ["dimse", "web"])
def test_store_a_folder_with_a_dicomdir(empty_orthanc, tmp_path, protocol):
    """A CD or USB export (pydicom's dicomdirtests: images beside DICOMDIR files) is stored
    without its DICOMDIRs, the index of the media, not instances: sending one ended the store
    with 'internal error: AttributeError: ... no attribute SOPClassUID' (C-STORE) or 'answered
    HTTP 400 to the store' (STOW-RS)."""
    import shutil

    from pydicom.data import get_testdata_file

    folder = shutil.copytree(Path(get_testdata_file("DICOMDIR")).parent, tmp_path / "cd")
    instances = set()
    for file in (f for f in folder.rglob("*") if f.is_file()):
        try:
            ds = pydicom.dcmread(file, stop_before_pixels=True)
        except Exception:  # noqa: BLE001 - not DICOM
            continue
        if "SOPInstanceUID" in ds:
            instances.add(str(ds.SOPInstanceUID))
    assert store(server_config(empty_orthanc), [folder], protocol=protocol) == len(instances) > 50
    stored = {empty_orthanc.rest(f"/instances/{i}")["MainDicomTags"]["SOPInstanceUID"]
              for i in empty_orthanc.rest("/instances")}
    assert stored == instances



def test_c_move_check_after_a_c_find_aborted_past_its_cancel(orthanc_factory, small_series,
                                                             monkeypatch):
    """A server slow to end a C-FIND after our C-CANCEL (a loaded one: more than FindStop's
    grace) has its association aborted; Test connection's C-MOVE then went on the dead
    association: 'internal error: RuntimeError: The association with a peer SCP must be
    established before sending a C-MOVE request' (session 51's suite, load 20). Now it
    associates again for the C-MOVE."""
    from neuroview.io.pacs import move_check

    found = move_check._one_image

    def found_then_aborted(assoc, *args):
        image = found(assoc, *args)
        assoc.abort()   # as FindStop does when the grace runs out
        return image

    monkeypatch.setattr(move_check, "_one_image", found_then_aborted)
    server = orthanc_factory()
    store(server_config(server), [small_series.folder])
    config = server_config(server, move_port=server.client_port, url="")
    assert move_check.check_move(config) == f"C-MOVE to NVTEST on port {server.client_port}"
