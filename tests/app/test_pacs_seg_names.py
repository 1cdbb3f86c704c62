"""A reader's SEG retrieved from a PACS lies in the cache as ``SOPInstanceUID.dcm``: the segment
list's *From* column read ``file 1.2.826.0....dcm`` and the segment's record (``.segments.json``)
kept that UID. Now the window names it by its series description and reader, as Slicer's DICOM
browser and OHIF list a SEG, and the record says ``DICOM SEG``: no UID, description or name."""

from __future__ import annotations

import json
from pathlib import Path

from pacs_seg_cases import cached_seg, cached_series

from neuroview.app.label_files import prepare_label_file
from neuroview.app.session import Session
from neuroview.io import load
from neuroview.io.seg import read_series_headers


def test_a_cached_seg_is_named_by_its_description_and_reader_not_its_uid(tmp_path, mni_volume):
    series = cached_series(tmp_path / "series", mni_volume)
    volume = load(series.folder)
    headers = read_series_headers([series.folder])
    cases = [("Lesions - Ann Smith's version", "Smith^Ann", "SEG Lesions - Ann Smith's version"),
             ("Lesions - Smith^Ann's version", "Smith^Ann", "SEG Lesions - Smith^Ann's version"),
             ("Segmentation", "Doe^Jane", "SEG Segmentation (Jane Doe)"),
             ("", "Doe^Jane", "SEG Jane Doe"), ("", "", "SEG (no description)")]
    for number, (description, reader, shown) in enumerate(cases):
        seg = cached_seg(tmp_path, volume, headers, description, reader)
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
    series = cached_series(tmp_path / "series", mni_volume)
    volume = load(series.folder)
    seg = cached_seg(tmp_path, volume, read_series_headers([series.folder]), "Segmentation", "Doe^Jane")
    named = seg.rename(tmp_path / "case 7 lesions.dcm")
    session = Session(volume)
    session.apply_labels(prepare_label_file(named, volume))
    assert session.segments.source_cell(1)[0] == "file case 7 lesions.dcm"
