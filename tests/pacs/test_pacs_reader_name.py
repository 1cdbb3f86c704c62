"""*Save to PACS* and *Make worklist* take the reader's name as people write it (``Ann Smith``):
the SEG's ContentCreatorName is DICOM's ``Smith^Ann``, its description ``Ann Smith's version``
(real Orthanc, the SEG read back with pydicom)."""

from __future__ import annotations

import numpy as np
import pydicom
import pytest
from orthanc_server import server_config
from pacs_window import box_mask, menu_action, opened_from_lab, save_to_pacs_as, sent_seg, shown_window

from neuroview.cli.main import main
from neuroview.io.pacs import SeriesCache, store
from neuroview.io.seg import load_seg


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


def test_reader_typed_as_people_write_it(empty_orthanc, small_series, tmp_path, monkeypatch, qtbot,
                                         window, capsys):
    config = opened_from_lab(window, qtbot, empty_orthanc, small_series, tmp_path / "home", monkeypatch)
    case = window.editor.case
    mask = box_mask(case.volume.shape)
    case.apply_model_result(mask, {1: "lesion"}, model="wmh-unet@3")
    save_to_pacs_as(qtbot, window, "Ann Smith")
    assert window.message_bar.text == ""
    assert "Saved to lab: Ann Smith's version as DICOM SEG" in window.notice_bar.text

    description, seg_file = sent_seg(config, small_series, tmp_path / "cache")
    assert description == "Lesions - Ann Smith's version (from model wmh-unet@3)"
    ds = pydicom.dcmread(seg_file, stop_before_pixels=True)
    assert str(ds.ContentCreatorName) == "Smith^Ann"
    assert ds.ContentCreatorName.family_name == "Smith" and ds.ContentCreatorName.given_name == "Ann"
    assert str(ds.SeriesDescription) == "Lesions - Ann Smith's version (from model wmh-unet@3)"
    assert np.array_equal(load_seg(seg_file, volume=case.volume).array > 0, mask > 0)
    # remembered in DICOM's form, shown as typed when the dialog opens again
    assert (tmp_path / "home" / "pacs" / "reader.txt").read_text() == "Smith^Ann"
    menu_action(window, "Save to PACS...").trigger()
    assert window.pacs_actions.save_dialog.reader_edit.text() == "Ann Smith"
    window.pacs_actions.save_dialog.reject()

    # her worklist, asked for as "Smith, Ann": the series she sent is done
    capsys.readouterr()
    assert main(["pacs", "worklist", "--server", "lab", "--reader", "Smith, Ann",
                 "-o", str(tmp_path / "worklist")]) == 0
    assert capsys.readouterr().out.strip() == "nothing left to segment for Ann Smith"
    assert not (tmp_path / "worklist").exists()


def test_a_seg_described_as_before_still_counts_for_her_worklist(empty_orthanc, small_series, tmp_path,
                                                                   monkeypatch):
    """A SEG that Save to PACS described ``Smith^Ann's version`` (before session 34) still takes
    its series off Ann Smith's worklist, and only hers."""
    from neuroview.core.labels import LabelMap
    from neuroview.io import load
    from neuroview.io.pacs.save_mask import save_mask_to_pacs
    from neuroview.io.pacs.worklist import pending_series

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    config = server_config(empty_orthanc, name="lab")
    store(config, [small_series.folder])
    volume = load(small_series.folder)
    mask = np.zeros(volume.shape[:3], np.uint8)
    mask[4:8, 4:8, 1:3] = 1
    save_mask_to_pacs(config, LabelMap(mask, volume.ijk_to_ras), small_series.folder, reader="Smith^Ann",
                      description="Lesions - Smith^Ann's version (from model wmh-unet@3)")
    cache = SeriesCache(tmp_path / "cache")
    for typed in ("Ann Smith", "Smith, Ann", "Smith^Ann"):
        assert pending_series(config, typed, cache=cache) == [], typed
    uid = str(pydicom.dcmread(small_series.files[0], stop_before_pixels=True).SeriesInstanceUID)
    assert [e.series_uid for e in pending_series(config, "Bob Jones", cache=cache)] == [uid]
