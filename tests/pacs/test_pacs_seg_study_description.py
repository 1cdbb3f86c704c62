"""A SEG sent by *Save to PACS* carries its study's description, which the server holds for that
study already. Without it, Orthanc's DICOMweb plugin answered the study's description from the
SEG, its latest instance: the *Open from PACS* tree read "(study)" and a search by description
over DICOMweb no longer found the study (found in the walk: `--description '*brain*'` found 3
studies by DIMSE, 1 by DICOMweb, once two had a reader's SEG)."""

from __future__ import annotations

import numpy as np
import pydicom
from orthanc_server import server_config
from pacs_series import uids
from series_maker import SeriesSpec, write_series

from neuroview.core.labels import LabelMap
from neuroview.io import load
from neuroview.io.pacs import SeriesCache, find, retrieve, store
from neuroview.io.pacs.save_mask import save_mask_to_pacs


def test_a_study_keeps_its_description_once_it_has_a_seg(empty_orthanc, mni_volume, tmp_path):
    series = write_series(tmp_path / "mr", mni_volume, SeriesSpec(
        rows=12, cols=10, n_slices=4, extra=(("StudyDescription", "Schädel MRT"),
                                             ("SpecificCharacterSet", "ISO_IR 100"))))
    config = server_config(empty_orthanc, name="lab")
    store(config, [series.folder])
    volume = load(series.folder)
    mask = np.zeros(volume.shape, np.uint8)
    mask[3:6, 3:6, 1:3] = 1
    labels = LabelMap(mask, volume.ijk_to_ras)
    labels.segments.add("lesion", value=1)
    seg_uid = save_mask_to_pacs(config, labels, series.folder, reader="Ann Smith")
    found = find(config, "STUDY", "web", StudyDescription="*schädel*")
    assert [study.get("StudyDescription") for study in found] == ["Schädel MRT"]
    study_uid, _ = uids(series)
    (seg_file,) = retrieve(config, study_uid, seg_uid, SeriesCache(tmp_path / "cache")).glob("*.dcm")
    assert pydicom.dcmread(seg_file, stop_before_pixels=True).StudyDescription == "Schädel MRT"
