"""Printing a Volume (repr, str, a log line, a traceback) names no patient: shape, spacing,
orientation and dtype only."""

import logging

import numpy as np

from neuroview.core.volume import Volume


def _volume():
    return Volume(np.zeros((4, 5, 6), np.int16), np.diag([0.5, 0.5, 2.0, 1.0]), modality="MR",
                  description="DOE^JANE brain", source_path="/data/DOE_JANE_12345/t1.nii.gz",
                  source_metadata={"PatientName": "DOE^JANE", "PatientID": "12345"})


def test_repr_and_str_show_geometry_only():
    volume = _volume()
    for text in (repr(volume), str(volume), f"{volume}", repr([volume])):
        assert "DOE" not in text and "JANE" not in text and "12345" not in text
    assert repr(volume) == "Volume(shape=(4, 5, 6), spacing=(0.5, 0.5, 2.0), orientation=RAS, dtype=int16)"


def test_a_log_line_formatting_a_volume_names_no_patient(caplog):
    with caplog.at_level(logging.INFO):
        logging.getLogger("neuroview.test").info("opened %s", _volume())
    assert "opened Volume(shape=(4, 5, 6)" in caplog.text
    assert "DOE" not in caplog.text and "12345" not in caplog.text



def test_an_array_that_is_not_numpy_is_refused_naming_the_argument():
    import pytest

    with pytest.raises(TypeError) as caught:
        Volume([[[0.0, 1.0]]], np.eye(4))
    assert str(caught.value) == ("Volume: array must be a numpy array (np.asarray(...) makes one), "
                                 "not list")
