"""A reader's SEG retrieved from a PACS lies in the cache as ``SOPInstanceUID.dcm``: the segment
list's *From* column read ``file 1.2.826.0....dcm`` and the segment's record (``.segments.json``)
kept that UID. Now the window names it by its series description and reader, as Slicer's DICOM
browser and OHIF list a SEG, and the record says ``DICOM SEG``: no UID, description or name."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "io" / "dicom"))

from series_maker import SeriesSpec, write_series  # noqa: E402

from neuroview.app.label_files import prepare_label_file  # noqa: E402
from neuroview.app.session import Session  # noqa: E402
from neuroview.core.labels import LabelMap, SegmentTable  # noqa: E402
from neuroview.io import load  # noqa: E402
from neuroview.io.pacs.payload import read_instance  # noqa: E402
from neuroview.io.seg import read_series_headers, save_seg  # noqa: E402


def _cached_seg(tmp_path, volume, headers, description, reader) -> Path:
    """A SEG written with highdicom, renamed as the PACS cache names it: its SOP Instance UID."""
    lesion = np.zeros(volume.shape, np.uint8)
    lesion[4:8, 4:8, 3:6] = 1
    table = SegmentTable()
    table.add("lesion", value=1)
    written = tmp_path / "seg.dcm"
    save_seg(LabelMap(lesion, volume.ijk_to_ras, table), headers, written,
             series_description=description, content_creator=reader)
    uid = str(read_instance(written, str(written), stop_before_pixels=True).SOPInstanceUID)
    return written.rename(tmp_path / f"{uid}.dcm")


def test_a_cached_seg_is_named_by_its_description_and_reader_not_its_uid(tmp_path, mni_volume):
    series = write_series(tmp_path / "series", mni_volume,
                          SeriesSpec(rows=24, cols=20, n_slices=12, row_spacing=6.0, col_spacing=6.0,
                                     slice_step=8.0, description="FLAIR"))
    volume = load(series.folder)
    headers = read_series_headers([series.folder])
    cases = [("Lesions - Smith^Ann's version", "Smith^Ann", "SEG Lesions - Smith^Ann's version"),
             ("Segmentation", "Doe^Jane", "SEG Segmentation (Doe^Jane)"),
             ("", "Doe^Jane", "SEG Doe^Jane"), ("", "", "SEG (no description)")]
    for number, (description, reader, shown) in enumerate(cases):
        seg = _cached_seg(tmp_path, volume, headers, description, reader)
        session = Session(volume)
        session.apply_labels(prepare_label_file(seg, volume))
        cell = session.segments.source_cell(1)[0]
        assert cell == shown, cell
        saved = session.save_labels(tmp_path / f"labels{number}.nii.gz")
        record = Path(str(saved).replace(".nii.gz", ".segments.json")).read_text()
        segment = json.loads(record)
        segment = segment["segments"][0] if isinstance(segment, dict) else segment[0]
        assert segment["origin"] == "loaded" and segment["file"] == "DICOM SEG", record
        assert seg.stem not in record and "Lesions" not in record, record
        assert (reader or "^") not in record and "Segmentation" not in record, record


def test_a_seg_a_person_named_keeps_its_name(tmp_path, mni_volume):
    series = write_series(tmp_path / "series", mni_volume,
                          SeriesSpec(rows=24, cols=20, n_slices=12, row_spacing=6.0, col_spacing=6.0,
                                     slice_step=8.0, description="FLAIR"))
    volume = load(series.folder)
    seg = _cached_seg(tmp_path, volume, read_series_headers([series.folder]), "Segmentation", "Doe^Jane")
    named = seg.rename(tmp_path / "case 7 lesions.dcm")
    session = Session(volume)
    session.apply_labels(prepare_label_file(named, volume))
    assert session.segments.source_cell(1)[0] == "file case 7 lesions.dcm"
