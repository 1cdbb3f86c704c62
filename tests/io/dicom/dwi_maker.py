"""DICOM diffusion series whose b-values are written as each vendor writes them: a classic series
(one file per slice) and an enhanced file (all volumes, per-frame MRDiffusionSequence), for the
b-value tests against dcm2niix (``test_dicom_bvals.py``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pydicom
from enhanced_maker import EnhancedSpec, write_enhanced
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.uid import generate_uid
from series_maker import ORIENTATIONS, SeriesSpec, write_series

B_VALUES = (0, 1000, 1000, 2000, 500, 1000)
"""Acquisition order: b = 0 first, shells mixed (a volume order that differs from sorted)."""
DIRECTIONS = ((0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0.6, 0.8), (0.6, 0, 0.8), (0, 0, 1))
"""Each volume's gradient direction in patient coordinates (LPS), as the files give them."""

MAKERS = {
    "standard": "SIEMENS",  # DiffusionBValue (0018,9087) alone, as Siemens XA writes it
    "siemens": "SIEMENS",
    "ge": "GE MEDICAL SYSTEMS",
    "ge-col": "GE MEDICAL SYSTEMS",  # InPlanePhaseEncodingDirection COL: directions read
    "philips": "Philips Medical Systems",
    "uih": "UIH",  # (0065,1009) and (0065,1037), the direction along the image's axes
    "canon": "CANON_MEC",  # the direction as text in ImageComments, along the image's axes
}
CONVENTIONS = tuple(MAKERS)
GE_FLAG = 1_000_000_000
"""GE's flag in the billions of (0043,1039)'s first value (``1000001000`` is b = 1000)."""


def _vendor_elements(convention: str, b_value: int, direction, orientation: str = "axial") -> tuple:
    """The elements (keyword, value) or private (tag, VR, value) of one volume's files."""
    made = (("Manufacturer", MAKERS[convention]),)
    vector = [float(x) for x in direction]
    if convention == "uih":
        # along the image's row, column and normal; UIH's public 0018,9089 holds it unrotated
        # (dcm2niix's issue 836), and dcm2niix reads the private elements first
        row, column = (np.array(v, float) for v in ORIENTATIONS[orientation])
        in_image = [float(np.dot(vector, axis)) for axis in (row, column, np.cross(row, column))]
        gradient = Dataset()
        gradient.DiffusionGradientOrientation = in_image
        return made + (("DiffusionBValue", float(b_value)),
                       ("DiffusionGradientDirectionSequence", Sequence([gradient])),
                       (0x00650010, "LO", "Image Private Header"),
                       (0x00651009, "FD", float(b_value)), (0x00651037, "FD", in_image))
    if convention == "canon":
        # Canon since its takeover of Toshiba: DiffusionBValue, and the direction only as text,
        # 'b=1500(0.445,0.000,0.895)' (dcm2niix's issue 422), its components in the order
        # [Y, X, -Z] of the image's axes: the row takes -y, the column -x, the normal z (6
        # decimals here, where Canon writes 3, so that an oblique plane's directions stay exact)
        row, column = (np.array(v, float) for v in ORIENTATIONS[orientation])
        x, y, z = (-np.dot(vector, column), -np.dot(vector, row),
                   np.dot(vector, np.cross(row, column)))
        return made + (("DiffusionBValue", float(b_value)), ("InPlanePhaseEncodingDirection", "COL"),
                       ("ImageComments", f"b={b_value}({x:.6f},{y:.6f},{z:.6f})"))
    if convention == "standard":
        gradient = Dataset()
        gradient.DiffusionGradientOrientation = vector
        return made + (("DiffusionBValue", float(b_value)),
                       ("DiffusionGradientDirectionSequence", Sequence([gradient])))
    if convention == "siemens":
        return made + ((0x00190010, "LO", "SIEMENS MR HEADER"), (0x0019100C, "IS", str(b_value)),
                       (0x0019100E, "FD", vector))
    if convention.startswith("ge"):
        flagged = b_value + GE_FLAG if b_value else 0
        if convention == "ge-col":  # along the image's axes, the first two negated (dcm2niix)
            row, column = (np.array(v, float) for v in ORIENTATIONS[orientation])
            direction = [float(np.dot(vector, axis)) * sign for axis, sign in (
                (row, -1), (column, -1), (np.cross(row, column), 1))]
            made += (("InPlanePhaseEncodingDirection", "COL"),)
        # dcm2niix writes GE b-values only with the gradient direction (0019,10BB-10BD) beside
        return made + ((0x00190010, "LO", "GEMS_ACQU_01"),
                       (0x001910BB, "DS", f"{direction[0]:.6g}"),
                       (0x001910BC, "DS", f"{direction[1]:.6g}"),
                       (0x001910BD, "DS", f"{direction[2]:.6g}"),
                       (0x00430010, "LO", "GEMS_PARM_01"),
                       (0x00431039, "IS", [str(flagged), "8", "0", "0"]))
    return made + ((0x20010010, "LO", "Philips Imaging DD 001"),
                   (0x20011003, "FL", float(b_value)),
                   (0x20050010, "LO", "Philips MR Imaging DD 001"),
                   (0x200510B0, "FL", vector[0]), (0x200510B1, "FL", vector[1]),
                   (0x200510B2, "FL", vector[2]))


def write_classic_dwi(folder: Path, mni_volume, convention: str, orientation: str = "axial"):
    """One file per slice, one volume after another (instance numbers running on); returns the
    written volumes (their values and grids), in acquisition order."""
    uid = generate_uid()
    written = []
    for t, (b_value, direction) in enumerate(zip(B_VALUES, DIRECTIONS)):
        series = write_series(folder / f"v{t}", mni_volume, SeriesSpec(
            orientation=orientation, rows=24, cols=20, n_slices=5, series_uid=uid,
            value_scale=1.0 - 0.1 * t, first_instance=1 + 5 * t, seed=t, description="DWI",
            extra=_vendor_elements(convention, b_value, direction, orientation)))
        written.append(series)
    return written


def diffusion_sequence(b_value: float, direction, directionality: str | None = None) -> Sequence:
    """A frame's MRDiffusionSequence: ``b_value``, its directionality (by default DIRECTIONAL,
    NONE at b = 0) and, for a DIRECTIONAL one, the gradient ``direction``."""
    diffusion = Dataset()
    diffusion.DiffusionBValue = float(b_value)
    diffusion.DiffusionDirectionality = directionality or ("DIRECTIONAL" if b_value else "NONE")
    if diffusion.DiffusionDirectionality == "DIRECTIONAL":
        gradient = Dataset()
        gradient.DiffusionGradientOrientation = [float(x) for x in direction]
        diffusion.DiffusionGradientDirectionSequence = Sequence([gradient])
    return Sequence([diffusion])


def write_enhanced_dwi(path: Path, mni_volume, manufacturer: str, volumes=None, n_slices: int = 5):
    """One Enhanced MR file holding every volume, each frame with its MRDiffusionSequence item
    (DiffusionBValue, directionality, gradient direction); returns the volumes written.
    ``volumes``: each one's ``(b-value, directionality, direction)`` (:func:`diffusion_sequence`),
    by default :data:`B_VALUES` and :data:`DIRECTIONS`."""
    volumes = volumes or [(b, None, d) for b, d in zip(B_VALUES, DIRECTIONS)]
    uids = dict(series_uid=generate_uid(), study_uid=generate_uid(), frame_uid=generate_uid())
    parts = [write_enhanced(path.parent / "parts" / f"{t}.dcm", mni_volume, EnhancedSpec(
        **uids, rows=24, cols=20, n_slices=n_slices, value_scale=1.0 - 0.1 * t, temporal_index=t + 1,
        manufacturer=manufacturer, description="DWI",
        image_type=("ORIGINAL", "PRIMARY", "DIFFUSION", "NONE"))) for t in range(len(volumes))]
    whole = pydicom.dcmread(parts[0].path)
    items, pixels = [], []
    for t, (part, (b_value, directionality, direction)) in enumerate(zip(parts, volumes)):
        ds = pydicom.dcmread(part.path)
        for item in ds.PerFrameFunctionalGroupsSequence:
            item.MRDiffusionSequence = diffusion_sequence(b_value, direction, directionality)
            content = item.FrameContentSequence[0]
            # dcm2niix orders the frames of a file without DimensionIndexSequence by these
            content.DimensionIndexValues = [content.InStackPositionNumber, t + 1]
            items.append(item)
        pixels.append(ds.PixelData)
    whole.PerFrameFunctionalGroupsSequence = Sequence(items)
    whole.NumberOfFrames, whole.PixelData = len(items), b"".join(pixels)
    path.parent.mkdir(parents=True, exist_ok=True)
    whole.save_as(path, enforce_file_format=True)
    shutil.rmtree(path.parent / "parts")
    return parts
