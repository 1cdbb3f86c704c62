"""*Save labels* writes a C-ordered label map (the window's) as ``.nii.gz`` a piece at a time, put
in NIfTI's order by numpy's copy, which lets Python's interpreter lock go: it went through
nibabel's writer, which gathered each slice voxel by voxel in a ``tobytes`` holding the lock
(0.4 s of a 256^3 map's save), so the GUI thread's brush strokes waited for it."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from turns_seen import progress_seen

from neuroview.io import nifti
from neuroview.io.nifti import save_nifti


class _Counted:
    """A gzip writer that counts the bytes given to it."""

    def __init__(self, handle, counter: list):
        self.handle, self.counter = handle, counter

    def write(self, data) -> int:
        self.counter[0] += memoryview(data).nbytes
        return self.handle.write(data)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self.handle.__exit__(*exc)


def test_the_gui_thread_sees_a_c_ordered_label_map_saved_in_steps(tmp_path, monkeypatch):
    monkeypatch.setattr(nifti, "PIECE_BYTES", 64 << 10)   # 64 pieces
    labels = np.zeros((128, 128, 256), np.uint8)   # C-ordered, as the window's
    labels[20:100, 30:110, 40:200], labels[50:60, 50:60, 50:60] = 1, 2
    given = [0]
    real = nifti.gzip_writer
    monkeypatch.setattr(nifti, "gzip_writer", lambda path, nbytes=0: _Counted(real(path, nbytes), given))
    path = tmp_path / "labels.nii.gz"
    seen = progress_seen(lambda: save_nifti(labels, np.eye(4), path), lambda: given[0])
    between = [n for n in seen if 352 < n < 352 + labels.nbytes]   # past the header, not yet all
    assert len(between) >= 4, seen
    np.testing.assert_array_equal(np.asarray(nib.load(path).dataobj), labels)
