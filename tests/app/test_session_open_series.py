"""``Session.open(folder)`` on a folder of several series says which it opened (session 32, a walk
of the scripting API): it took the most confident, then largest, without a word, where
``neuroview segment`` and ``snapshot`` name their choice."""

from __future__ import annotations

import warnings

import nibabel as nib
import numpy as np
import pytest

from neuroview import Session


@pytest.fixture
def two_series(tmp_path):
    for name, shape in (("a_t1.nii.gz", (12, 12, 10)), ("b_flair.nii.gz", (16, 16, 14))):
        data = np.random.default_rng(1).random(shape).astype(np.float32) * 100
        nib.save(nib.Nifti1Image(data, np.eye(4)), tmp_path / name)
    return tmp_path


def test_a_folder_of_two_series_warns_naming_the_one_opened(two_series):
    with pytest.warns(UserWarning) as caught:
        session = Session.open(two_series)
    (warning,) = caught
    message = str(warning.message)
    assert message.startswith(f"{two_series}: 2 series found; opened [2] b_flair.nii.gz")
    assert message.endswith("pick another with series=N, as 'neuroview info' numbers them")
    assert warning.filename == __file__   # points at the script's line, not neuroview's
    assert session.volume.array.shape == (16, 16, 14)


def test_series_n_or_a_single_file_opens_without_a_warning(two_series):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Session.open(two_series, series=1).volume.array.shape == (12, 12, 10)
        assert Session.open(two_series / "b_flair.nii.gz").volume.array.shape == (16, 16, 14)
