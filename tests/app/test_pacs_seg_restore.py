"""After a crash, *Restore* gives back a reader's SEG opened from the PACS cache with the name it
had before: its series description and reader (``SEG Segmentation (Jane Doe)``). It read ``file
DICOM SEG``, the record's name, since that name was held in memory only. The workspace keeps a
fingerprint of the SEG's file name (no UID, description or name: README, *Security and privacy*),
by which the restore finds the file again beside the image, as the cache lays out series."""

from __future__ import annotations

from pacs_seg_cases import cached_seg, cached_series

from neuroview.app.case import workspace_for
from neuroview.app.label_files import prepare_label_file
from neuroview.app.session import Session
from neuroview.io import load
from neuroview.io.seg import read_series_headers


def _crashed_with_seg(tmp_path, mni_volume, description="Segmentation", reader="Doe^Jane"):
    """The cache's image series and a reader's SEG of it in a folder beside it, the SEG loaded
    and painted over, then the process killed: ``(image folder, SEG file, the From cell then)``."""
    cache = tmp_path / "pacs-cache"
    series = cached_series(cache / "1.2.3.4.5", mni_volume)
    volume = load(series.folder)
    seg = cached_seg(cache / "1.2.3.4.6", volume, read_series_headers([series.folder]), description, reader)
    session = Session(volume, workspace_for(volume))
    session.apply_labels(prepare_label_file(seg, volume))
    session.apply("paint", at_ras=volume.ijk_to_ras[:3, 3], radius_mm=6, segment=1, mode="3d")
    before = session.segments.source_cell(1)[0]
    session.journal.close()   # no close(): the process died
    return series.folder, seg, before


def _restored(folder) -> Session:
    volume = load(folder)
    return Session(volume, workspace_for(volume), restore=True)


def test_a_restored_seg_keeps_its_description_and_reader(tmp_path, mni_volume):
    folder, seg, before = _crashed_with_seg(tmp_path, mni_volume)
    assert before == "SEG Segmentation (Jane Doe) + drawn"
    restored = _restored(folder)
    assert restored.segments.source_cell(1)[0] == before          # it read 'file DICOM SEG + drawn'
    assert restored.labels.segments.get(1).file == "DICOM SEG"     # the record as before
    workspace = workspace_for(restored.volume)
    kept = b"".join(p.read_bytes() for p in workspace.rglob("*") if p.is_file())
    for private in (seg.stem, "Segmentation", "Doe^Jane", "Doe"):  # the UID, description, reader
        assert private.encode() not in kept, private


def test_a_seg_no_longer_in_the_cache_reads_as_its_record(tmp_path, mni_volume):
    """Evicted from the cache meanwhile: the restore names it as the record does, and goes on."""
    folder, seg, _ = _crashed_with_seg(tmp_path, mni_volume)
    seg.unlink()
    restored = _restored(folder)
    assert restored.segments.source_cell(1)[0] == "file DICOM SEG + drawn"
    assert restored.labels.array.any()
