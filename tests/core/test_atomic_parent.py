"""A file where a save's folder should be is named (session 19: ``save_labels("a_file/x.nii.gz")``
said "labels not saved: File exists", ``convert IN a_file/x.nii.gz`` "cannot write file (File
exists)", naming nothing in the way)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.core.atomic import write_text_atomic
from neuroview.core.commit import write_together


@pytest.fixture
def in_the_way(tmp_path):
    path = tmp_path / "a_file"
    path.write_text("not a folder")
    return path


@pytest.mark.parametrize("below", ["x.txt", "sub/x.txt"])
def test_atomic_write_names_the_file_in_the_way(in_the_way, below):
    with pytest.raises(NotADirectoryError) as raised:
        write_text_atomic(in_the_way / below, "text")
    assert raised.value.strerror == f"{in_the_way} is a file, not a folder"
    with pytest.raises(NotADirectoryError, match="a_file is a file, not a folder"):
        with write_together([in_the_way / below]):
            pass
    assert in_the_way.read_text() == "not a folder"


def test_save_labels_under_a_file_says_so(in_the_way, tmp_path):
    from neuroview.app.session import Session
    from neuroview.core.errors import SaveError
    from neuroview.core.volume import Volume

    session = Session(Volume(np.zeros((6, 6, 6), np.float32), np.eye(4)))
    session.segments.add("lesion")
    session.apply("paint", at_ras=(3.0, 3.0, 3.0), radius_mm=2)
    with pytest.raises(SaveError) as raised:
        session.save_labels(in_the_way / "labels.nii.gz")
    assert str(raised.value) == (f"{in_the_way / 'labels.nii.gz'}: labels not saved: "
                                 f"{in_the_way} is a file, not a folder")
