"""A complex NIfTI (complex64, a reconstruction's output) opened in the window: it showed the real
part alone (3 for voxels of 3+4i), with only a ComplexWarning on the console. Now it shows their
magnitude (5), as ITK-SNAP does, and the notice bar says so in one line; ``neuroview info`` and
``convert`` (which writes the magnitude) say it too."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from editor_helpers import open_image

from neuroview.io.registry import load

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _complex_file(folder):
    data = np.full((20, 22, 24), 3 + 4j, np.complex64)
    data[5, 6, 7] = -6 - 8j
    path = folder / "recon.nii.gz"
    nib.save(nib.Nifti1Image(data, np.eye(4)), path)
    return path


def test_a_complex_nifti_loads_as_its_magnitude(tmp_path):
    volume = load(_complex_file(tmp_path))
    assert volume.array.dtype == np.float32
    assert volume.array[0, 0, 0] == 5.0 and volume.array[5, 6, 7] == 10.0
    assert volume.warnings == ["recon.nii.gz: complex voxels (complex64): read as their magnitude"]


def test_info_and_convert_say_it(tmp_path, capsys):
    from neuroview.cli.main import main

    path = _complex_file(tmp_path)
    line = "recon.nii.gz: complex voxels (complex64): read as their magnitude"
    assert main(["info", str(path)]) == 0
    assert f"    warning: {line}" in capsys.readouterr().out.splitlines()
    assert main(["convert", str(path), str(tmp_path / "out.nii.gz")]) == 0
    assert capsys.readouterr().err.splitlines() == [f"neuroview convert: warning: series [1]: {line}"]
    written = np.asarray(nib.load(tmp_path / "out.nii.gz").dataobj)
    assert written.dtype == np.float32 and written[5, 6, 7] == 10.0


def test_the_window_shows_a_complex_nifti_as_its_magnitude(qtbot, window, tmp_path):
    open_image(qtbot, window, _complex_file(tmp_path))
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "read as their magnitude" in bar.text, timeout=10000)
    assert bar.text.count("read as their magnitude") == 1, bar.text
    shown = window.controller.shown_volume().array
    assert not np.iscomplexobj(shown) and float(shown.max()) == 10.0 and float(shown.min()) == 5.0
