"""A model's proposal file is written a chunk at a time, Cancel looked at between chunks: a
512x512x300 map's file was one ``np.savez_compressed`` call of 1.9 s that Cancel waited for
(session 43). Cancelled, no file is left; uncancelled, the file reads back as ``np.load`` reads
``np.savez_compressed``'s."""

from __future__ import annotations

import json

import numpy as np
import pytest

from neuroview.app.proposal import write_proposal
from neuroview.core import npz_file
from neuroview.core.errors import Cancelled
from neuroview.core.jobs import CancelToken
from tests.cancel_after import CancelAfter


@pytest.fixture
def labels():
    rng = np.random.default_rng(5)
    return rng.integers(0, 4, (64, 64, 40), dtype=np.uint8)   # 160 KiB: 5 chunks of 32 KiB


def test_cancel_between_chunks_stops_the_write_and_leaves_no_file(tmp_path, labels, monkeypatch):
    monkeypatch.setattr(npz_file, "CHUNK_BYTES", 32 << 10)
    path = tmp_path / "proposal-pending-1.npz"
    token = CancelAfter(2)   # the first chunk is written, the second is not
    with pytest.raises(Cancelled):
        write_proposal(path, labels, {"model": "m"}, token)
    assert token.looks == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("order", ["C", "F"])
def test_the_file_reads_back_as_savez_compressed_writes_it(tmp_path, labels, monkeypatch, order):
    monkeypatch.setattr(npz_file, "CHUNK_BYTES", 32 << 10)
    array = np.asarray(labels, order=order).astype(np.uint16, order=order)
    meta = {"model": "m", "segments": [{"value": 1, "name": "Läsion"}]}
    write_proposal(tmp_path / "p.npz", array, meta, CancelToken())
    np.savez_compressed(tmp_path / "ref.npz", labels=array, meta=np.array(json.dumps(meta)))
    with np.load(tmp_path / "p.npz", allow_pickle=False) as mine, \
            np.load(tmp_path / "ref.npz", allow_pickle=False) as ref:
        assert sorted(mine.files) == sorted(ref.files) == ["labels", "meta"]
        for name in ref.files:
            assert mine[name].dtype == ref[name].dtype
            np.testing.assert_array_equal(mine[name], ref[name])
