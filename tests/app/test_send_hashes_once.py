"""A *Send to training set* hashes the image's voxels once: the send's mark (``send_marker``) and
the training set's record (``store.add_case``) each hashed them, 0.2 s apiece on a 256^3 image.
The digest passed on is the one each computed itself, bit for bit."""

from __future__ import annotations

import json

import numpy as np
import pytest

from neuroview.app import send_marker
from neuroview.app.case import Case
from neuroview.core.volume import Volume
from neuroview.dataset import identity, store
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.store import find_image, list_cases


@pytest.fixture()
def case(tmp_path):
    rng = np.random.default_rng(7)
    volume = Volume(rng.normal(100, 10, (24, 20, 12)).astype(np.float32), np.diag([1.0, 1.0, 2.0, 1.0]))
    case = Case.open(volume, tmp_path / "workspace")
    case.session.segments.add("lesion")
    case.session.apply("paint", at_ras=np.array([10.0, 9.0, 10.0]), radius_mm=3.0, mode="3d")
    yield case
    case.close()


def _counting(monkeypatch) -> tuple[list, list]:
    """Every image_identity call (store imports it by name; the marker through the module), and
    the marks written."""
    calls, marks, real = [], [], identity.image_identity

    def counted(arrays):
        calls.append(len(arrays))
        return real(arrays)

    monkeypatch.setattr(identity, "image_identity", counted)
    monkeypatch.setattr(store, "image_identity", counted)
    write = send_marker.write_text_atomic

    def kept(path, text):
        marks.append(json.loads(text))
        return write(path, text)

    monkeypatch.setattr(send_marker, "write_text_atomic", kept)
    return calls, marks


def test_a_send_hashes_the_voxels_once_with_the_same_digest(case, tmp_path, monkeypatch):
    dataset = init_dataset(tmp_path / "ds", "Lesions", ["background", "lesion"])
    expected = identity.image_identity([case.volume.array])
    calls, marks = _counting(monkeypatch)
    record = case.send_to_training_set(dataset)
    assert calls == [1], calls                      # was [1, 1]: the mark's, then add_case's
    assert len(marks) == 1 and marks[0]["image_id"] == expected
    assert record.image_id == expected
    assert [r.image_id for r in list_cases(dataset)] == [expected]
    # the window's look-up before the send takes the same digest and finds the case
    assert find_image(dataset, case.volume, expected).case == record.case
    assert calls == [1]

