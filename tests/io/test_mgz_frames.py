"""A 4D FreeSurfer ``.mgz`` names its time points as a 4D NIfTI does: its TR (the footer after the
voxels, in ms) is read from the stream the voxels are inflated from. It was left unread (nibabel
reaches it by inflating the whole file before the voxels, and again for them), so the window
said "time point 3 of 20" of a run whose ``.mgh`` said "t = 5 s"."""

from __future__ import annotations

import gzip

import nibabel as nib
import numpy as np
import pytest

from neuroview.app.frames import time_point_text
from neuroview.io import load

SHAPE = (10, 8, 6, 5)


def _run(path, tr_ms=2500.0, dtype=np.int16):
    data = np.arange(np.prod(SHAPE)).reshape(SHAPE).astype(dtype)
    img = nib.MGHImage(data, np.diag([3.0, 3.0, 4.0, 1.0]))
    img.header["tr"] = tr_ms
    img.header["te"] = 30.0
    nib.save(img, path)
    return data


@pytest.mark.parametrize("name", ["bold.mgz", "bold.mgh"])
@pytest.mark.parametrize("dtype", [np.int16, np.float32])
def test_a_4d_mgh_names_the_time_of_each_time_point(tmp_path, name, dtype):
    data = _run(tmp_path / name, dtype=dtype)
    volume = load(tmp_path / name)
    assert time_point_text(volume, 2) == "time point 3 of 5, t = 5 s"
    assert volume.source_metadata["frame_interval_s"] == "2.5"
    assert volume.source_metadata["format"] == "MGHImage"
    assert volume.array.dtype.newbyteorder("=") == np.dtype(dtype)   # a .mgh: memory-mapped
    assert volume.array.dtype.isnative or name.endswith(".mgh")       # (big-endian) as it is
    np.testing.assert_array_equal(volume.array, data)
    np.testing.assert_array_equal(volume.array, np.asanyarray(nib.load(tmp_path / name).dataobj))


def test_a_mgz_ending_after_its_voxels_opens_without_a_tr(tmp_path):
    """A writer that leaves the footer out: the voxels as they are, no time said."""
    data = _run(tmp_path / "full.mgz")
    whole = gzip.decompress((tmp_path / "full.mgz").read_bytes())
    (tmp_path / "bare.mgz").write_bytes(gzip.compress(whole[: 284 + data.nbytes]))
    volume = load(tmp_path / "bare.mgz")
    np.testing.assert_array_equal(volume.array, data)
    assert "frame_interval_s" not in volume.source_metadata
    assert time_point_text(volume, 2) == "time point 3 of 5"


def test_the_footer_costs_no_second_inflate(tmp_path, monkeypatch):
    """How far each gzip stream opened while loading was inflated: one reaches past the voxels
    (the others peek at the header); nibabel's own load inflates the file to its footer, then
    again to the voxels' end."""
    data = _run(tmp_path / "bold.mgz")
    reached = []
    close = gzip.GzipFile.close

    def counted(self):
        if self.mode == gzip.READ and not self.closed:
            reached.append(self.tell())
        close(self)

    monkeypatch.setattr(gzip.GzipFile, "close", counted)
    volume = load(tmp_path / "bold.mgz")
    assert volume.source_metadata["frame_interval_s"] == "2.5"
    assert len([n for n in reached if n >= data.nbytes]) == 1, reached
    reached.clear()
    np.asanyarray(nib.load(tmp_path / "bold.mgz").dataobj)
    assert len([n for n in reached if n >= data.nbytes]) == 2, reached   # what is told apart
