"""A *Send to training set* killed half-way is said when the image opens again: whether the
training set holds that send's labels, an earlier label of the image, or nothing of it. The
training set's write is all or nothing, but until session 31 the reopened window said nothing,
and the user could not tell whether the case went in (session 31's walk: SIGKILL during the
send, reopen, no word). Each kill here is a real SIGKILL of a forked copy of this process."""

from __future__ import annotations

import json
import os
import signal

import numpy as np
import pytest

from neuroview.app import send_marker
from neuroview.app.case import Case
from neuroview.app.send_marker import MARK, cut_short, marked
from neuroview.app.shown_time import shown_time
from neuroview.core.errors import DatasetError
from neuroview.core.volume import Volume
from neuroview.dataset import identity, store
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.store import find_image, list_cases
from tests.durability import fork_killed


@pytest.fixture()
def case(tmp_path):
    rng = np.random.default_rng(5)
    volume = Volume(rng.normal(100, 10, (24, 20, 12)).astype(np.float32), np.diag([1.0, 1.0, 2.0, 1.0]))
    case = Case.open(volume, tmp_path / "workspace")
    case.session.segments.add("lesion")
    case.session.apply("paint", at_ras=np.array([10.0, 9.0, 10.0]), radius_mm=3.0, mode="3d")
    yield case
    case.close()


@pytest.fixture()
def dataset(tmp_path):
    return init_dataset(tmp_path / "ds", "Lesions", ["background", "lesion"])


def _killed_send(case, dataset, monkeypatch, after_write: bool) -> int:
    """The send in a forked copy, SIGKILLed before the training set is written, or just after."""
    real = store.add_case

    def add_then_die(*args, **kwargs):
        if after_write:
            real(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(store, "add_case", add_then_die)
    code, _ = fork_killed(case.send_to_training_set, dataset)
    monkeypatch.setattr(store, "add_case", real)
    return code


def test_killed_before_the_write_nothing_is_held(case, dataset, monkeypatch):
    assert _killed_send(case, dataset, monkeypatch, after_write=False) == -9
    assert marked(case.workspace) and list_cases(dataset) == []
    line = cut_short(case.workspace)
    assert line.startswith(f"The last Send to training set of this image, to {dataset.name} (")
    assert line.endswith("was cut short: nothing of it was written (the training set does not hold "
                         "it); send it again.")
    assert not marked(case.workspace) and cut_short(case.workspace) is None   # said once


def test_killed_after_the_write_the_case_is_held(case, dataset, monkeypatch):
    assert _killed_send(case, dataset, monkeypatch, after_write=True) == -9
    (record,) = list_cases(dataset)
    assert cut_short(case.workspace).endswith(
        f"was cut short after it was written: the training set holds it, as {record.case}.")


def test_an_earlier_label_held_is_told_from_this_send(case, dataset, monkeypatch):
    first = case.send_to_training_set(dataset)
    assert not (case.workspace / MARK).exists()          # a send that ended leaves no mark
    case.session.apply("paint", at_ras=np.array([14.0, 9.0, 10.0]), radius_mm=2.0, mode="3d")
    assert _killed_send(case, dataset, monkeypatch, after_write=False) == -9
    line = cut_short(case.workspace)
    added = shown_time(first.added_at)                   # local: 'HH:MM today', not the UTC stamp
    assert f"holds an earlier label of this image ({first.case}, added {added}), not that " \
           "send's; send it again." in line


def test_a_send_that_fails_leaves_no_mark(case, tmp_path):
    other = init_dataset(tmp_path / "two", "Two", ["background", "lesion"], channels=["T1", "T2"])
    with pytest.raises(DatasetError, match="channel"):
        case.send_to_training_set(other)                 # two channels expected, one sent
    assert not marked(case.workspace)


def test_a_training_set_gone_since_is_said(case, dataset, monkeypatch):
    assert _killed_send(case, dataset, monkeypatch, after_write=False) == -9
    import shutil

    shutil.rmtree(dataset)
    line = cut_short(case.workspace)
    assert "its training set cannot be read now" in line and "look there before sending again." in line


# A send hashes the image's voxels once (session 32): the mark and the training set's record
# (``store.add_case``) each hashed them, 0.2 s apiece on a 256^3 image; the digest passed on is
# the one each computed itself, bit for bit.

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

