"""A worklist from a query: the FLAIR series a reader has not segmented yet, ready to open."""

from __future__ import annotations

import numpy as np
import pydicom
from orthanc_server import server_config
from series_maker import SeriesSpec, write_series

from neuroview.cli.main import main
from neuroview.core.labels import LabelMap
from neuroview.dataset.worklist import Worklist
from neuroview.io import load
from neuroview.io.pacs import SeriesCache, retrieve, save_server, store
from neuroview.io.pacs.save_mask import save_mask_to_pacs


def test_worklist_leaves_out_what_the_reader_did(empty_orthanc, mni_volume, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    config = server_config(empty_orthanc, name="lab")
    save_server(config)
    small = dict(rows=16, cols=16, n_slices=6)
    done = write_series(tmp_path / "a", mni_volume, SeriesSpec(description="FLAIR axial", **small))
    todo = write_series(tmp_path / "b", mni_volume, SeriesSpec(description="flair 3D", **small))
    other = write_series(tmp_path / "c", mni_volume, SeriesSpec(description="T1 MPRAGE", **small))
    for series in (done, todo, other):
        store(config, [series.folder])
    head = pydicom.dcmread(done.files[0], stop_before_pixels=True)
    source = retrieve(config, str(head.StudyInstanceUID), str(head.SeriesInstanceUID),
                      SeriesCache(tmp_path / "cache"))
    volume = load(source)
    mask = np.zeros(volume.shape[:3], np.uint8)
    mask[4:8, 4:8, 1:3] = 1
    save_mask_to_pacs(config, LabelMap(mask, volume.ijk_to_ras), source, reader="Smith^Ann")

    out = tmp_path / "worklist"
    assert main(["pacs", "worklist", "--server", "lab", "--reader", "Smith^Ann", "--modality", "MR",
                 "--date", "20240101-20240131", "--series-description", "*FLAIR*", "-o", str(out)]) == 0
    worklist = Worklist.open(out / "worklist-Smith_Ann.csv")
    todo_uid = str(pydicom.dcmread(todo.files[0], stop_before_pixels=True).SeriesInstanceUID)
    assert [case.case_id for case in worklist.cases] == [todo_uid]
    assert [case.status for case in worklist.cases] == ["new"]
    assert len(list(worklist.cases[0].path.glob("*.dcm"))) == 6
    # another reader still has both FLAIR series to do
    assert main(["pacs", "worklist", "--server", "lab", "--reader", "Jones^Bob",
                 "--series-description", "*flair*", "-o", str(tmp_path / "bob")]) == 0
    assert len(Worklist.open(tmp_path / "bob" / "worklist-Jones_Bob.csv").cases) == 2
