"""A mask + sidecar save (``core.commit.write_together``) beside a reader in another process.

A reader completes a save killed between its renames (``commit.finish``); it must neither delete
a save's temporaries in progress (the save then lost its files, or failed) nor make the writer's
own renames fail when it completed them first.
"""

from __future__ import annotations

import json

import numpy as np

from neuroview.app.label_files import read_label_file, save_label_files
from neuroview.core import commit, crash
from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.io.nifti import save_nifti


def _labels(value: int) -> LabelMap:
    array = np.zeros((6, 6, 6), np.uint8)
    array[1:4, 1:4, 1:4] = value
    table = SegmentTable()
    table.add("lesion", value=value)
    return LabelMap(array, np.eye(4), table)


def test_reading_a_mask_leaves_another_saves_temporaries_alone(tmp_path):
    """``read_label_file`` (File > Load labels) deleted every temporary of the mask it read:
    those of a save in progress in another window, whose renames then found nothing."""
    target = tmp_path / "lesion.nii.gz"
    save_label_files(_labels(1), np.eye(4), target)
    in_progress = commit.temporary_for(target)        # another process is writing it
    in_progress.write_bytes(b"half written")
    volume = read_label_file(target)
    assert int(np.count_nonzero(volume.array)) == 27
    assert in_progress.exists()


def test_a_reader_completing_the_save_first_does_not_fail_the_writer(tmp_path, monkeypatch):
    """A reader's ``finish`` ran the renames of a save whose intent was just written; the
    writer's own renames then raised FileNotFoundError (reading the intent the reader had
    removed) and File > Save said the labels were not saved, though they were."""
    target = tmp_path / "lesion.nii.gz"
    save_nifti(np.zeros((6, 6, 6), np.uint8), np.eye(4), target)
    real_point = crash.point

    def reader_at(name):
        if name == "commit-intent":
            assert commit.finish([target, target.with_name("lesion.segments.json")])
        real_point(name)

    monkeypatch.setattr(crash, "point", reader_at)
    save_label_files(_labels(3), np.eye(4), target)   # raised SaveError on the old code
    monkeypatch.setattr(crash, "point", real_point)
    volume = read_label_file(target)
    assert set(np.unique(volume.array)) == {0, 3}
    sidecar = json.loads(target.with_name("lesion.segments.json").read_text())
    assert [s["name"] for s in (sidecar if isinstance(sidecar, list) else sidecar["segments"])] == ["lesion"]
    assert not list(tmp_path.glob(".*"))


def test_a_reader_removing_the_new_intent_does_not_lose_the_save(tmp_path, monkeypatch):
    """A reader finishing an earlier save unlinks the intent after its renames; a save that
    wrote its own intent meanwhile had it removed, then read no renames back, left its
    temporaries unrenamed and returned as saved: the old mask stayed, without a word."""
    target = tmp_path / "lesion.nii.gz"
    save_label_files(_labels(2), np.eye(4), target)
    real_point = crash.point

    def stale_reader_at(name):
        if name == "commit-intent":   # the stale reader's intent.unlink, after this intent
            (tmp_path / ".lesion.nii.gz.commit").unlink()
        real_point(name)

    monkeypatch.setattr(crash, "point", stale_reader_at)
    save_label_files(_labels(3), np.eye(4), target)
    monkeypatch.setattr(crash, "point", real_point)
    assert set(np.unique(read_label_file(target).array)) == {0, 3}
    assert not list(tmp_path.glob(".*"))


def test_a_reader_leaves_a_newer_saves_intent_alone(tmp_path, monkeypatch):
    """A reader finishing a save a kill cut short unlinked the intent file after its renames,
    also when a newer save had written its own intent meanwhile: that save, killed before its
    renames, then left a mask and a sidecar of different saves with nothing to finish them."""
    target = tmp_path / "lesion.nii.gz"
    sidecar = target.with_name("lesion.segments.json")
    save_label_files(_labels(2), np.eye(4), target)
    intent = tmp_path / ".lesion.nii.gz.commit"
    old_tmp = commit.temporary_for(target)                 # a save killed after its intent
    old_tmp.write_bytes(target.read_bytes())
    intent.write_text(json.dumps([[old_tmp.name, target.name]]))
    newer = json.dumps([[".lesion.nii.gz.newer123.nii.gz", target.name],
                        [".lesion.segments.newer123.json", sidecar.name]])
    real_point = crash.point

    def newer_save_at(name):
        if name == "commit-renaming":    # while the reader renames, a newer save writes its intent
            intent.write_text(newer)
        real_point(name)

    monkeypatch.setattr(crash, "point", newer_save_at)
    assert commit.finish([target, sidecar])
    assert intent.read_text() == newer, "the newer save's intent stays for it (or the next reader)"
