"""A file named .nii or .nii.gz that holds something else (a PNG saved under the wrong name, a text
file) is refused in one line that names the file once and says what is wrong in words. It read
`PATH: not a valid NIfTI/MGH header (File PATH is not a gzip file)` and `... (Cannot work out file
type of "PATH")`: nibabel's text, the whole path twice (s30 walk, a PNG dropped as scan.nii.gz)."""

from __future__ import annotations

import pytest

from neuroview.core.errors import CorruptFileError
from neuroview.io.nifti import load_nifti

PNG_START = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


@pytest.mark.parametrize("name, content, words", [
    ("scan é.nii.gz", PNG_START, "not a valid NIfTI/MGH header (not gzip-compressed, though its "
                                 "name ends in .gz)"),
    ("notes ä.nii", b"patient notes, not an image\n" * 40,
     "not a valid NIfTI/MGH header (no NIfTI-1, NIfTI-2 or MGH header at its start)"),
])
def test_a_file_that_is_not_nifti_is_named_once(tmp_path, name, content, words):
    path = tmp_path / "dir with spaces" / name
    path.parent.mkdir()
    path.write_bytes(content)
    with pytest.raises(CorruptFileError) as caught:
        load_nifti(path)
    text = str(caught.value)
    assert text == f"{path}: {words}"
    assert text.count(str(path.parent)) == 1 and "\n" not in text
