"""An adjudication plan kept in a workspace (``adjudication-TOKEN.npz``, read as every image opens)
damaged: it counts as no plan. A record nested 100,000 deep raised RecursionError, a lesion
numbered 1e999 OverflowError, an array header left open tokenize's TokenError: each an internal
error as the image opened (found reading what the app reads at start, session 51)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from neuroview.app.adjudication_record import plan_file, read_plan

SHAPE = (6, 7, 8)


def _plan(path, record: str, header_open: bool = False) -> None:
    mask = np.zeros(SHAPE, bool)
    mask[2:4, 2:4, 2:4] = True
    np.savez(path, record=np.array(record), mask=mask, lesions=mask.astype(np.int32), landed=mask)
    if header_open:
        import zipfile

        with zipfile.ZipFile(path) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        members["mask.npy"] = members["mask.npy"].replace(b"'shape': (", b"'shape': ((", 1) \
            .replace(b"), }", b"), ", 1)
        with zipfile.ZipFile(path, "w") as archive:
            for name, content in members.items():
                archive.writestr(name, content)


GOOD = {"token": "t1", "segment_value": 1, "adjudicator": "Senior^Sam",
        "lesions": [{"lesion": 1, "taken_from": "ana", "from_reader": True, "voxels": 8}]}


@pytest.mark.parametrize("record, header_open", [
    ("[" * 100_000 + "]" * 100_000, False),
    (json.dumps(GOOD).replace('"segment_value": 1', '"segment_value": 1e999'), False),
    (json.dumps(GOOD).replace('"lesion": 1', '"lesion": 1e999'), False),
    (json.dumps(GOOD), True),
], ids=["nested", "value-1e999", "lesion-1e999", "header-open"])
def test_a_damaged_plan_counts_as_none(tmp_path, record, header_open):
    _plan(plan_file(tmp_path, "t1"), record, header_open)
    assert read_plan(tmp_path, "t1", SHAPE) is None


def test_a_good_plan_is_read(tmp_path):
    _plan(plan_file(tmp_path, "t1"), json.dumps(GOOD))
    assert read_plan(tmp_path, "t1", SHAPE) is not None
