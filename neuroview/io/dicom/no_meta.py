"""DICOM files written without the 128-byte preamble and file meta group: ACR-NEMA style files,
and datasets saved bare (pydicom's ``ExplVR_LitEndNoMeta.dcm``, ``ExplVR_BigEndNoMeta.dcm``).

pydicom reads them with ``force=True``, guessing the encoding from the first element, but will
not decode their pixels without a transfer syntax in the file meta: :func:`read_forced` names
the one pydicom read (``Dataset.original_encoding``), as pydicom's own error advises. dcm2niix
1.0.20260724 reads such little-endian images (implicit and explicit VR) and finds no DICOM in a
big-endian one; neuroview reads all three.
"""

from __future__ import annotations

import struct

VRS = frozenset(b"AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV "
                 b"TM UC UI UL UN UR US UT UV".split())
"""The two-letter value representations, as bytes."""


def looks_like_dataset_without_meta(head: bytes) -> bool:
    """Whether a file's first 8 bytes start a dataset with no preamble: a first element in
    group 0002 or 0008 with an element number below 0x1000, little endian (implicit VR: a
    length under 64 KiB follows; explicit VR: a VR) or explicit VR big endian."""
    if len(head) < 8:
        return False
    group, element = struct.unpack("<HH", head[:4])
    if group in (0x0002, 0x0008) and element < 0x1000:
        return head[4:6] in VRS or struct.unpack("<I", head[4:8])[0] < 0x10000
    group, element = struct.unpack(">HH", head[:4])
    return group in (0x0002, 0x0008) and element < 0x1000 and head[4:6] in VRS


def read_forced(path: str, **options):
    """``pydicom.dcmread(path, force=True, **options)``, its transfer syntax named
    (:func:`name_syntax`); a file cut short by its pixel data's delimiter read with it
    (:mod:`.cut_short`)."""
    import pydicom

    from .cut_short import read_with_delimiter

    ds = pydicom.dcmread(path, force=True, **options)
    if not ds.keys():
        ds = read_with_delimiter(path, force=True, **options) or ds
    return name_syntax(ds)


def name_syntax(ds):
    """``ds`` with the transfer syntax it was read in written into its file meta where the
    file named none (pydicom decodes no pixels without it)."""
    from pydicom.dataset import FileMetaDataset
    from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian

    meta = getattr(ds, "file_meta", None)
    if meta is not None and "TransferSyntaxUID" in meta:
        return ds
    implicit, little = ds.original_encoding
    if implicit is None:  # nothing was read: the caller reports the empty dataset
        return ds
    if meta is None:
        ds.file_meta = meta = FileMetaDataset()
    meta.TransferSyntaxUID = (ImplicitVRLittleEndian if implicit else
                              ExplicitVRLittleEndian if little else ExplicitVRBigEndian)
    return ds
