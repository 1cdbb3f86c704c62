"""``short_reason``: why an image could not be opened, in words with no path (the status bar's one
line), from the errors the scan of a damaged case really raises."""

from __future__ import annotations

import pytest

from neuroview.core.errors import CorruptFileError, DatasetError, short_reason
from neuroview.io import scan


def test_the_errors_of_real_scans_give_their_words_without_the_path(tmp_path):
    patient = tmp_path / "DOE^JANE"
    patient.mkdir()
    reasons = []
    for make in (lambda: None,                                              # an empty folder
                 lambda: (patient / "t1.nii.gz").write_bytes(b"not a NIfTI file")):
        make()
        with pytest.raises(Exception) as caught:
            scan([patient])
        reasons.append(short_reason(caught.value))
    with pytest.raises(CorruptFileError) as caught:
        scan([patient / "t1.nii.gz"])
    reasons.append(short_reason(caught.value))
    with pytest.raises(Exception) as caught:
        scan([tmp_path / "gone"])
    reasons.append(short_reason(caught.value))
    assert reasons == ["folder is empty", "no image found", "a damaged file, or not an image",
                       "no such file or folder"]
    assert not any("DOE" in reason for reason in reasons)


def test_other_errors_say_their_kind_only():
    assert short_reason(MemoryError()) == "not enough memory"
    assert short_reason(ValueError("/data/DOE^JANE/t1.nii.gz: bad")) == "internal error (ValueError)"
    assert short_reason(DatasetError("no case 'x' in /data/list.csv")) == "it could not be opened"
