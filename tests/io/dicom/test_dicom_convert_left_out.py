"""``convert`` of a folder names the damaged files it left out, one line each on stderr, as
``info`` lists them: a series converted beside them may be a slice short. It said nothing."""

from __future__ import annotations

import nibabel as nib
from raw_series import write_raw_series

CLI_FORKED = "what `convert` writes, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def test_convert_names_the_damaged_files_it_left_out(tmp_path, cli):
    folder = tmp_path / "cd"
    paths = write_raw_series(folder, n=6)
    truncated = folder / "IM0005.dcm"
    truncated.write_bytes(paths[5].read_bytes()[:300])  # a slice cut short by a bad copy
    (folder / "empty.dcm").write_bytes(b"")
    (folder / "README.txt").write_text("not an image, not damage\n")
    done = cli("convert", folder, tmp_path / "out.nii.gz")
    assert done.returncode == 0, done.stderr
    assert nib.load(tmp_path / "out.nii.gz").shape == (12, 16, 5)
    assert done.stderr.splitlines() == [
        f"neuroview convert: note: skipped {folder / 'IM0005.dcm'}: DICOM file holds no readable "
        "data elements (truncated or damaged)",
        f"neuroview convert: note: skipped {folder / 'empty.dcm'}: file is empty (0 bytes)"]
