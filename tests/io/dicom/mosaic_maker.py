"""Write Siemens MOSAIC files as the scanners do: the slices of one volume as tiles of one image,
their geometry in the CSA image header (0029,1010) (NumberOfImagesInMosaic, SliceNormalVector,
MosaicRefAcqTimes) and ImagePositionPatient naming the corner of the whole mosaic image."""

from __future__ import annotations

import math
import struct
from pathlib import Path

import numpy as np
from series_maker import LPS_TO_RAS, MR_IMAGE_STORAGE, ORIENTATIONS, _sample


def _csa_tag(name: str, vr: str, values: list[str]) -> bytes:
    out = struct.pack("<64si4s3i", name.encode(), len(values), vr.encode(), 0, len(values), 77)
    for value in values:
        text = value.encode() + b"\0"
        out += struct.pack("<4i", len(text), len(text), 77, len(text))
        out += text + b"\0" * (-len(text) % 4)
    return out


def csa_header(tags: dict[str, tuple[str, list[str]]]) -> bytes:
    """A CSA2 ('SV10') header of the given tags: name -> (VR, values as text)."""
    body = b"".join(_csa_tag(name, vr, values) for name, (vr, values) in tags.items())
    return b"SV10\x04\x03\x02\x01" + struct.pack("<2I", len(tags), 77) + body


def write_mosaic_run(folder: Path, mni_volume, n_slices: int = 5, n_volumes: int = 1,
                     orientation: str = "axial", tile: int = 8, spacing=(3.0, 2.5),
                     step: float = 3.5, descending_normal: bool = False,
                     slice_order: str = "ascending", series_number: int = 7,
                     matrix_text: bool = True):
    """One file per volume; returns (files, values [column, row, slice, time], ijk_to_ras).

    ``descending_normal``: SliceNormalVector points against row x column (the tiles follow
    it), as when image numbering runs the other way. ``slice_order`` only sets the slice
    acquisition times (MosaicRefAcqTimes): Siemens stores the tiles in spatial order.
    ``matrix_text``: write AcquisitionMatrixText, which anonymisers may strip."""
    import pydicom
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    folder.mkdir(parents=True, exist_ok=True)
    row_dir, col_dir = (np.array(v, float) for v in ORIENTATIONS[orientation])
    normal = np.cross(row_dir, col_dir) * (-1 if descending_normal else 1)
    row_spacing, col_spacing = spacing
    centre = np.array([0.0, 18.0, 18.0])
    first = (centre - (tile - 1) / 2 * (row_dir * col_spacing + col_dir * row_spacing)
             - (n_slices - 1) / 2 * step * normal)
    affine = np.eye(4)
    affine[:3, 0], affine[:3, 1] = row_dir * col_spacing, col_dir * row_spacing
    affine[:3, 2], affine[:3, 3] = normal * step, first
    ijk_to_ras = LPS_TO_RAS @ affine
    grid = np.stack(np.meshgrid(*map(np.arange, (tile, tile, n_slices)), indexing="ij"), -1)
    points = grid.reshape(-1, 3) @ ijk_to_ras[:3, :3].T + ijk_to_ras[:3, 3]
    base = np.rint(_sample(mni_volume, points).reshape(tile, tile, n_slices) * 8)
    per_row = math.ceil(math.sqrt(n_slices))
    size = per_row * tile
    # the mosaic's ImagePositionPatient: its top left corner as if it were one big slice
    corner = first - (size - tile) / 2 * (row_dir * col_spacing + col_dir * row_spacing)
    order = {"ascending": list(range(n_slices)), "descending": list(range(n_slices))[::-1],
             "interleaved": list(range(0, n_slices, 2)) + list(range(1, n_slices, 2))}[slice_order]
    times = [f"{order.index(k) * 2000 / n_slices:.4f}" for k in range(n_slices)]
    series_uid, study_uid = generate_uid(), generate_uid()
    files, volumes = [], []
    for t in range(n_volumes):
        stored = (base + 10 * t).astype(np.uint16)  # [column, row, slice]
        volumes.append(stored.astype(np.float64))
        image = np.zeros((size, size), np.uint16)
        for k in range(n_slices):
            r, c = divmod(k, per_row)
            image[r * tile:(r + 1) * tile, c * tile:(c + 1) * tile] = stored[:, :, k].T
        ds = Dataset()
        ds.file_meta = FileMetaDataset()
        ds.file_meta.MediaStorageSOPClassUID = MR_IMAGE_STORAGE
        ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.SOPClassUID, ds.SOPInstanceUID = MR_IMAGE_STORAGE, ds.file_meta.MediaStorageSOPInstanceUID
        ds.Modality, ds.Manufacturer = "MR", "SIEMENS"
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study_uid, series_uid
        ds.SeriesNumber, ds.SeriesDescription, ds.ProtocolName = series_number, "ep2d_bold", "bold"
        ds.InstanceNumber, ds.AcquisitionNumber = t + 1, t + 1
        ds.AcquisitionTime = f"1010{10 + 2 * t:02d}.000000"
        ds.ImageType = ["ORIGINAL", "PRIMARY", "M", "ND", "MOSAIC"]
        ds.ImagePositionPatient = [f"{x:.6f}" for x in corner]
        ds.ImageOrientationPatient = [f"{x:.8f}" for x in np.concatenate([row_dir, col_dir])]
        ds.PixelSpacing = [f"{row_spacing:g}", f"{col_spacing:g}"]
        ds.SliceThickness, ds.SpacingBetweenSlices = f"{step:g}", f"{step:g}"
        ds.EchoTime, ds.RepetitionTime = "30", "2000"
        ds.Rows = ds.Columns = size
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
        ds.add_new(0x00290010, "LO", "SIEMENS CSA HEADER")
        tags = {"AcquisitionMatrixText": ("SH", [f"{tile}p*{tile}"])} if matrix_text else {}
        ds.add_new(0x00291010, "OB", csa_header({
            **tags,
            "NumberOfImagesInMosaic": ("US", [str(n_slices)]),
            "SliceNormalVector": ("FD", [f"{x:.8f}" for x in normal]),
            "MosaicRefAcqTimes": ("FD", times),
            "ProtocolSliceNumber": ("IS", ["0"]),
        }))
        ds.PixelData = image.tobytes()
        path = folder / f"MR.{t + 1:04d}.IMA"
        pydicom.dcmwrite(path, ds, enforce_file_format=True)
        files.append(path)
    return files, np.stack(volumes, -1), ijk_to_ras


def write_csa_only_dwi(folder, mni_volume, orientation: str):
    """A Siemens mosaic DWI (b = 0, 1000, 1000) whose b-values and directions lie only in its
    CSA image header (B_value, DiffusionGradientDirection in LPS), the 0019 group left out as
    some exports strip it; returns the directions written."""
    import pydicom

    directions = [(0, 0, 0), (0.6, 0.8, 0), (0.48, 0.6, 0.64)]
    files, _, _ = write_mosaic_run(folder, mni_volume, n_slices=5, n_volumes=3,
                                   orientation=orientation)
    row, column = (np.array(v, float) for v in ORIENTATIONS[orientation])
    for t, (path, direction) in enumerate(zip(files, directions)):
        ds = pydicom.dcmread(path)
        gradient = {"DiffusionGradientDirection": ("FD", [f"{x:g}" for x in direction])} if t else {}
        ds[0x00291010].value = csa_header({
            "AcquisitionMatrixText": ("SH", ["8p*8"]), "NumberOfImagesInMosaic": ("US", ["5"]),
            "SliceNormalVector": ("FD", [f"{x:.8f}" for x in np.cross(row, column)]),
            "B_value": ("IS", ["1000" if t else "0"]), **gradient})
        ds.save_as(path)
    return directions
