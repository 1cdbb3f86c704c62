"""A follow-up's PACS series retrieved while it is compared says which study comes from which
server and how many of its images have arrived, as *Open from PACS...* does: the status bar said
``step 1 of 5: retrieving`` alone until session 51's walk, a series of 360 images going by with no
count (real Orthanc, by DIMSE and DICOMweb)."""

from __future__ import annotations

import pydicom
import pytest
from orthanc_server import server_config

from neuroview.app.followup import load_study
from neuroview.core.errors import NeuroviewError
from neuroview.io.pacs import save_server, store


@pytest.mark.parametrize("protocol", ["dimse", "web"])
def test_the_retrieval_inside_a_follow_up_names_the_study_and_counts(empty_orthanc, small_series,
                                                                       protocol):
    changes = {"url": ""} if protocol == "dimse" else {"host": ""}
    config = server_config(empty_orthanc, name="lab", **changes)
    save_server(config)
    store(server_config(empty_orthanc), [small_series.folder])
    uid = pydicom.dcmread(small_series.files[0], stop_before_pixels=True).SeriesInstanceUID
    said = []
    with pytest.raises(NeuroviewError):   # no lesion mask nor model: refused once it is read
        load_study(f"pacs://lab/{uid}", name="baseline", model="", brain_threshold=True,
                   progress=lambda done, total, text="": said.append(text))
    assert said[-1] == "retrieving the baseline from lab: 12 of 12 images"
    assert all(text.startswith("retrieving the baseline from lab: ") for text in said)
