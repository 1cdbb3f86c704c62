"""``Session(...)`` given what a script has at hand instead of a Volume: a path failed with
"'str' object has no attribute 'shape'", a numpy array with "... no attribute 'ijk_to_ras'"."""

import numpy as np
import pytest

from neuroview.app.session import Session


def test_a_path_points_to_session_open(tmp_path):
    with pytest.raises(TypeError) as raised:
        Session(str(tmp_path / "t1.nii.gz"))
    assert str(raised.value) == ("Session: volume must be a neuroview Volume, not a path "
                                 f"({tmp_path / 't1.nii.gz'}): Session.open(path) opens a file")
    with pytest.raises(TypeError, match=r"not a path \(.*t1.nii.gz\): Session.open\(path\)"):
        Session(tmp_path / "t1.nii.gz")


def test_an_array_says_how_to_make_a_volume():
    with pytest.raises(TypeError) as raised:
        Session(np.zeros((4, 4, 4), np.float32))
    assert str(raised.value) == ("Session: volume must be a neuroview Volume, not ndarray: "
                                 "Volume(array, ijk_to_ras) makes one (neuroview.core.volume)")
