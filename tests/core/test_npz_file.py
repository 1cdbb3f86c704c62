"""The crash journal's base (and a model's proposal) is written as ``np.savez_compressed`` writes
it, but a chunk of the label map at a time, without a copy of it: ``np.savez_compressed`` copied
the whole map with Python's interpreter lock held and deflated it in one call, so a brush stroke
on the GUI thread waited for the copy (session 49's measure: a stroke during a compaction 24-38 ms
against 1.4-1.8 ms)."""

from __future__ import annotations

import io

import numpy as np
from turns_seen import progress_seen

from neuroview.core import npz_file
from neuroview.core.npz_file import write_npz


class _Counted(io.BytesIO):
    """A file that counts the bytes written to it."""

    written = 0

    def write(self, data) -> int:
        self.written += memoryview(data).nbytes
        return super().write(data)


def test_the_gui_thread_sees_the_label_map_written_in_steps(monkeypatch):
    monkeypatch.setattr(npz_file, "CHUNK_BYTES", 128 << 10)
    # noise that deflate cannot shrink: each chunk's bytes reach the file as it is deflated
    labels = np.random.default_rng(0).integers(0, 256, (128, 128, 256), dtype=np.uint8)
    handle = _Counted()
    seen = progress_seen(lambda: write_npz(handle, {"labels": labels}), lambda: handle.written)
    between = [n for n in seen if 1024 < n < labels.nbytes]   # past the header, not yet all
    assert len(between) >= 4, seen
    handle.seek(0)
    with np.load(handle, allow_pickle=False) as back:
        np.testing.assert_array_equal(back["labels"], labels)


def test_it_reads_back_as_savez_compressed_writes_it(tmp_path):
    labels = np.asfortranarray(np.arange(60, dtype=np.uint16).reshape(3, 4, 5))
    arrays = {"labels": labels, "segments": np.array('[{"name": "Läsion"}]'), "image_key": np.array("k")}
    with open(tmp_path / "mine.npz", "wb") as handle:
        write_npz(handle, arrays)
    np.savez_compressed(tmp_path / "ref.npz", **arrays)
    with np.load(tmp_path / "mine.npz", allow_pickle=False) as mine, \
            np.load(tmp_path / "ref.npz", allow_pickle=False) as ref:
        assert mine.files == ref.files == ["labels", "segments", "image_key"]
        for name in ref.files:
            assert mine[name].dtype == ref[name].dtype
            np.testing.assert_array_equal(mine[name], ref[name])
        assert mine["labels"].flags.f_contiguous
