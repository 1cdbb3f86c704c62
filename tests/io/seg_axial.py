"""An axial CT series' headers made in memory (what ``read_series_headers`` returns: no pixel
data), and the label map a model run leaves on it: lesions over a brain whose extent is the whole
brain mask. Shared by the SEG frame tests and ``bench/seg_memory.py``."""

from __future__ import annotations

import dataclasses

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid

from neuroview.core.extent import encode_extent
from neuroview.core.labels import LabelMap, SegmentTable


def axial_headers(n_slices: int, columns: int, rows: int | None = None, spacing=(0.5, 0.6, 0.7)):
    """Single-frame CT headers of an axial series (``columns x rows``, ``n_slices``) and the
    ijk_to_ras of a label map on its grid (``[i=column, j=row, k=slice]``)."""
    rows = columns if rows is None else rows
    study, series, frame = generate_uid(), generate_uid(), generate_uid()
    origin = np.array([-100.0, -90.0, 20.0])
    headers = []
    for k in range(n_slices):
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = CTImageStorage
        meta.MediaStorageSOPInstanceUID = uid = generate_uid()
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = Dataset()
        ds.file_meta = meta
        ds.PatientName, ds.PatientID, ds.PatientBirthDate, ds.PatientSex = "Axial^Case", "A1", "", "O"
        ds.StudyDate, ds.StudyTime, ds.AccessionNumber, ds.StudyID = "20260101", "120000", "", "1"
        ds.ReferringPhysicianName = ""
        ds.SOPClassUID, ds.SOPInstanceUID = CTImageStorage, uid
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame
        ds.Modality, ds.Manufacturer, ds.SeriesNumber, ds.InstanceNumber = "CT", "Axial", 3, k + 1
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.PositionReferenceIndicator = ""
        ds.ImagePositionPatient = [float(x) for x in origin + [0, 0, k * spacing[2]]]
        ds.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
        ds.PixelSpacing = [spacing[1], spacing[0]]   # row spacing, column spacing
        ds.SliceThickness = spacing[2]
        ds.Rows, ds.Columns = rows, columns
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
        ds.RescaleIntercept, ds.RescaleSlope = -1024, 1
        headers.append(ds)
    ijk_to_lps = np.diag([spacing[0], spacing[1], spacing[2], 1.0])
    ijk_to_lps[:3, 3] = origin
    return headers, np.diag([-1.0, -1.0, 1.0, 1.0]) @ ijk_to_lps


def modelled(shape, ijk_to_ras) -> tuple[LabelMap, np.ndarray, list[np.ndarray]]:
    """Lesions 1-3 over a brain 4 (an ellipsoid; its extent the whole brain), lesion 3 half
    outside it: the label map, the whole brain mask and the lesion masks."""
    axes = [(np.arange(n) - n / 2) / (n * 0.4) for n in shape]
    brain = (axes[0][:, None, None] ** 2 + axes[1][None, :, None] ** 2 + axes[2][None, None, :] ** 2) < 1
    labels = np.where(brain, 4, 0).astype(np.uint8)
    lesions = []
    for n, (ci, cj, ck) in enumerate(((0.4, 0.45, 0.5), (0.55, 0.6, 0.4), (0.5, 0.5, 0.9)), start=1):
        lesion = np.zeros(shape, bool)
        lo = [int(c * s) for c, s in zip((ci, cj, ck), shape)]
        lesion[lo[0]:lo[0] + 5, lo[1]:lo[1] + 4, lo[2]:lo[2] + 3] = True
        labels[lesion] = n
        lesions.append(lesion)
    table = SegmentTable()
    for n in range(1, 4):
        table.add(f"lesion {n}", value=n, origin="model", model="lesionseg@2.5.1")
    segment = table.add("brain", value=4, origin="model", model="lesionseg@2.5.1", visible=False)
    table.put(dataclasses.replace(segment, extent=encode_extent(brain)))
    return LabelMap(labels, ijk_to_ras, table), brain, lesions


def saved_seg(folder, n_slices: int, columns: int, rows: int):
    """The :func:`modelled` label map of ``n_slices`` axial slices of ``columns`` x ``rows`` saved
    as ``folder/labels-seg.dcm`` by neuroview: (labels, headers, the SEG, its bytes)."""
    from neuroview.io.seg import save_seg

    headers, ijk_to_ras = axial_headers(n_slices, columns, rows)
    labels = modelled((columns, rows, n_slices), ijk_to_ras)[0]
    path = folder / "labels-seg.dcm"
    save_seg(labels, headers, path)
    return labels, headers, path, path.read_bytes()


def on_grid(label_map: LabelMap, brain: np.ndarray, old_of_new: np.ndarray, shape) -> LabelMap:
    """``label_map`` (its brain's extent ``brain`` too) on another grid of the same voxels, of
    ``shape``: voxel ``n`` of it is voxel ``old_of_new @ n`` of the map (an integer 4x4: axes in
    another order, flipped, sheared), 0 where that lies outside the map."""
    new = np.indices(shape).reshape(3, -1)
    old = (old_of_new[:3, :3] @ new + old_of_new[:3, 3:]).astype(int)
    kept = np.all((old >= 0) & (old < np.array(label_map.shape)[:, None]), axis=0)
    array, whole = np.zeros(new.shape[1], label_map.array.dtype), np.zeros(new.shape[1], bool)
    array[kept], whole[kept] = label_map.array[tuple(old[:, kept])], brain[tuple(old[:, kept])]
    table = label_map.segments
    table.put(dataclasses.replace(table.get(4), extent=encode_extent(whole.reshape(shape))))
    return LabelMap(array.reshape(shape), label_map.ijk_to_ras @ old_of_new, table)
