"""Opening a ``.nii.gz`` cut short in the window: the red bar gives ``neuroview info``'s line
("file is truncated: the header declares ...", naming the file), not "compressed data is broken
or truncated (Compressed file ended before the end-of-stream marker was reached)"; the image on
screen stays."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest

from neuroview.core.errors import CorruptFileError
from neuroview.io.gzip_length import check_gzip_length

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_the_red_bar_names_a_cut_file_as_info_does(qtbot, window, tmp_path):
    voxels = np.random.default_rng(3).normal(size=(40, 36, 20)).astype(np.float32)
    whole = tmp_path / "whole.nii.gz"
    nib.save(nib.Nifti1Image(voxels, np.eye(4)), whole)
    cut = tmp_path / "flair cut.nii.gz"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    window.open_paths([str(whole)])
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                    timeout=30000)
    window.open_paths([str(cut)])
    qtbot.waitUntil(lambda: not window.runner.busy and window.message_bar.text != "",
                    timeout=30000)
    with pytest.raises(CorruptFileError) as raised:   # what `info` tells of it
        check_gzip_length(str(cut), 352 + voxels.nbytes)
    told = str(raised.value)
    assert told.startswith(f"{cut}: file is truncated: the header declares 112.8 kB (header and voxels)")
    assert window.message_bar.text.split("\n")[0] == told
    assert "Compressed file ended" not in window.message_bar.text
    assert np.array_equal(window.controller.volume.array, voxels)   # the whole one stays
