"""The presentation contexts of a C-GET: which SOP classes (storage) and transfer syntaxes neuroview
asks a server to send back, within DICOM's 128 contexts per association (:mod:`.dimse`)."""

from __future__ import annotations

STORAGE_CLASSES = (
    "MRImageStorage", "EnhancedMRImageStorage", "CTImageStorage", "EnhancedCTImageStorage",
    "PositronEmissionTomographyImageStorage", "EnhancedPETImageStorage", "SegmentationStorage",
    "SecondaryCaptureImageStorage", "MultiFrameGrayscaleWordSecondaryCaptureImageStorage",
    "MultiFrameGrayscaleByteSecondaryCaptureImageStorage", "NuclearMedicineImageStorage",
    "UltrasoundImageStorage", "ComputedRadiographyImageStorage", "DigitalXRayImageStorageForPresentation",
    "RawDataStorage", "EnhancedMRColorImageStorage", "MRSpectroscopyStorage",
    "ComprehensiveSRStorage", "EnhancedSRStorage", "BasicTextSRStorage",
    "RTDoseStorage", "LegacyConvertedEnhancedMRImageStorage", "LegacyConvertedEnhancedCTImageStorage",
    "LegacyConvertedEnhancedPETImageStorage", "ParametricMapStorage",
)
"""SOP classes a C-GET may bring back (the SCP role is offered for each): every kind of volume
the loader opens (a C-GET of an RT dose or a Legacy Converted Enhanced MR, not offered, came back
as 'could not send the whole series (0 received, 1 failed)')."""

COMPRESSED_SYNTAXES = (
    "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57",
    "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81",
    "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.5",
)
"""JPEG (baseline, extended, lossless), JPEG-LS, JPEG 2000 and RLE: for the classes of
:data:`COMPRESSED_CLASSES` a C-GET offers each in a context of its own, beside the one with every
syntax, as a server accepts one syntax per context: so a server sends such an instance as it keeps
it. With only the shared context Orthanc accepted Explicit VR Little Endian there and, unable to
decode JPEG 2000, failed the C-GET ('0 received, 1 failed')."""
COMPRESSED_CLASSES = (
    "MRImageStorage", "EnhancedMRImageStorage", "CTImageStorage", "EnhancedCTImageStorage",
    "PositronEmissionTomographyImageStorage", "SecondaryCaptureImageStorage",
    "NuclearMedicineImageStorage", "LegacyConvertedEnhancedMRImageStorage",
    "MultiFrameGrayscaleWordSecondaryCaptureImageStorage",
)
"""9 x 9 contexts: with the 27 others, 108 of the 128 an association may propose."""
