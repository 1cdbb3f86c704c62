"""A label map's segment sidecar (NAME.segments.json) from elsewhere: one that is huge, nested
past Python's recursion limit or a named pipe is one line naming it (a 20 GB one was read whole
into memory, a deeply nested one raised RecursionError, a named pipe hung the load)."""

from __future__ import annotations

import os
import threading

import nibabel as nib
import numpy as np
import pytest

from neuroview.app.view_labels import load_label_map
from neuroview.core.errors import LabelMapError


@pytest.fixture
def label_file(tmp_path):
    labels = np.zeros((8, 8, 8), np.uint8)
    labels[2:5, 2:5, 2:5] = 1
    path = tmp_path / "lesions.nii.gz"
    nib.save(nib.Nifti1Image(labels, np.eye(4)), path)
    return path


def _load_within(path, seconds=30):
    outcome = {}

    def run():
        try:
            outcome["labels"] = load_label_map(path)
        except Exception as exc:  # noqa: BLE001 - the test looks at what came out
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "loading the label map hung"
    return outcome


def test_a_huge_sidecar_is_refused_unread(label_file, tmp_path):
    with open(tmp_path / "lesions.segments.json", "wb") as handle:
        handle.truncate(3 << 30)   # sparse: 3 GB that old code read whole
    error = _load_within(label_file)["error"]
    assert isinstance(error, LabelMapError) and "it is 3072 MB, more than such a file holds" in str(error)


def test_a_deeply_nested_sidecar_is_one_line(label_file, tmp_path):
    (tmp_path / "lesions.segments.json").write_text("[" * 100_000 + "]" * 100_000)
    error = _load_within(label_file)["error"]
    assert isinstance(error, LabelMapError) and "segment table is unreadable" in str(error)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_sidecar_does_not_hang_the_load(label_file, tmp_path):
    os.mkfifo(tmp_path / "lesions.segments.json")
    error = _load_within(label_file)["error"]
    assert isinstance(error, LabelMapError) and "not a regular file" in str(error)


def test_a_good_sidecar_still_names_the_segment(label_file, tmp_path):
    import json

    (tmp_path / "lesions.segments.json").write_text(json.dumps(
        [{"value": 1, "name": "tumour", "color": [255, 0, 0]}]))
    labels = _load_within(label_file)["labels"]
    assert labels.segments.get(1).name == "tumour"


def test_a_sidecar_with_an_infinite_colour_is_one_line(label_file, tmp_path):
    """1e999 reads as inf; int(inf) raised OverflowError past the reader ('internal error')."""
    (tmp_path / "lesions.segments.json").write_text('[{"value": 1, "name": "a", "color": [1e999, 0, 0]}]')
    error = _load_within(label_file)["error"]
    assert isinstance(error, LabelMapError) and "segment table is unreadable" in str(error)


@pytest.mark.parametrize("segment", [
    {"value": 1, "name": None, "color": [1, 2, 3]},     # 'dataset add': internal error (None.lower)
    {"value": 1, "name": "a", "color": [300, 0, 0]},    # the window's slice drawing: OverflowError
    {"value": 1, "name": "a", "color": [1, 2]},
    {"value": 1, "name": "a", "color": [1, 2, 3], "visible": "no"},   # "no" is true: shown
    {"value": 1, "name": "a", "color": [1, 2, 3], "origin": ["model"]},
    {"value": "1", "name": "a", "color": [1, 2, 3]},
    {"value": 1.5, "name": "a", "color": [1, 2, 3]},
    {"value": 70000, "name": "a", "color": [1, 2, 3]},
    "lesion",
], ids=["name-none", "colour-300", "colour-2", "visible-text", "origin-list", "value-text",
        "value-fraction", "value-70000", "not-an-object"])
def test_a_sidecar_segment_of_the_wrong_type_is_one_line_naming_it(label_file, tmp_path, segment):
    """Found by bench/editor_fuzz.py: such a segment was taken as it was, and failed later where
    it was used (an internal error in 'dataset add', an exception inside the window's drawing)."""
    import json

    (tmp_path / "lesions.segments.json").write_text(json.dumps([segment]))
    error = _load_within(label_file).get("error")
    assert isinstance(error, LabelMapError) and "segment table is unreadable" in str(error)
    assert str(tmp_path / "lesions.segments.json") in str(error)


def test_a_sidecar_the_os_refuses_names_its_path_once(label_file, tmp_path, monkeypatch):
    """An ``OSError`` (here Permission denied, which root's tests cannot make with chmod) said
    ``PATH: segment table is unreadable ([Errno 13] Permission denied: 'PATH')``: the whole path
    twice, the second one in quotes, which the error bar cannot name short. The OS's reason only."""
    from neuroview.app import label_files

    sidecar = tmp_path / "lesions.segments.json"
    sidecar.write_text("[]")

    def refused(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", os.fspath(path))

    monkeypatch.setattr(label_files, "read_json", refused)
    error = _load_within(label_file)["error"]
    assert str(error) == f"{sidecar}: segment table is unreadable (Permission denied)"


def test_a_segment_name_longer_than_256_characters_is_refused(label_file, tmp_path):
    """A sidecar naming its segment with 50 MB of text was read; the window then spent four
    minutes laying the name out (bench/kinds_fuzz.py, session 35). Renaming to such a name is
    refused too, so the window never writes a sidecar it cannot read back."""
    import json

    from neuroview.app.session import Session
    from neuroview.core.volume import Volume

    sidecar = tmp_path / "lesions.segments.json"
    segment = {"value": 1, "name": "x" * 257, "color": [230, 25, 75]}
    sidecar.write_text(json.dumps([segment]))
    error = _load_within(label_file)["error"]
    assert str(error) == (f"{sidecar}: segment table is unreadable (segment 1's name is 257 "
                          "characters long (at most 256))")
    sidecar.write_text(json.dumps([{**segment, "name": "x" * 256}]))
    assert _load_within(label_file)["labels"].segments.get(1).name == "x" * 256

    session = Session(Volume(np.zeros((8, 8, 8), np.int16), np.eye(4)))
    with pytest.raises(LabelMapError, match="name is 300 characters long"):
        session.segments.add("y" * 300)
    session.segments.add("lesion")
    with pytest.raises(LabelMapError, match="segment 1's name is 257 characters long"):
        session.segments.rename(1, "z" * 257)


def test_a_sidecar_that_is_not_utf8_is_said_so(label_file, tmp_path):
    """It was Python's "'utf-8' codec can't decode byte 0xff in position 9: invalid start byte"
    (session 36, ``bench/kinds_fuzz.py --only sidecar``)."""
    (tmp_path / "lesions.segments.json").write_bytes(b'[{"name": \xff"x"}]')
    error = _load_within(label_file)["error"]
    assert isinstance(error, LabelMapError)
    assert str(error) == (f"{tmp_path / 'lesions.segments.json'}: segment table is unreadable "
                          "(not UTF-8 text: byte 0xff at offset 10)")
