"""The crash journal's workspace damaged or handed over (cases ``bench/editor_fuzz.py`` found):
opening the image restores what the intact records hold, or refuses in one line naming the file
(``WorkspaceError``, which the window shows and answers by setting the workspace aside); nothing
is written through a link, no pipe is waited on, no file is read whole that need not be.

Before: a record sealed with a valid CRC but a header of the wrong type raised TypeError,
OverflowError, RecursionError or a numpy ValueError inside the window's slot; a base cut short
raised zipfile.BadZipFile; a journal that is a link to another file had that file truncated and
written over; a named pipe hung the window; a workspace of a newer version was restored as if it
were this one's (and its newer records cut off at the next edit)."""

from __future__ import annotations

import json
import os
import struct
import threading
import tracemalloc
import zipfile
import zlib

import numpy as np
import pytest

from neuroview.app.session import Session
from neuroview.core.errors import NeuroviewError
from neuroview.core.journal import VERSION, WorkspaceError
from neuroview.core.volume import Volume
from tests.app.journal_bytes import HEAD, open_bracket, record_spans, without_stroke


@pytest.fixture
def volume():
    rng = np.random.default_rng(3)
    return Volume(rng.normal(0, 1, (20, 22, 18)).astype(np.float32), np.eye(4))


def edit(volume, workspace, strokes=4, compact_after=None) -> list[np.ndarray]:
    """A session killed after ``strokes`` strokes: the label map after each (and before any)."""
    session = Session(volume, workspace)
    lesion = session.segments.add("lesion")
    states = [session.labels.array.copy()]
    for k in range(strokes):
        session.apply("paint", at_ras=(4.0 + 2 * k, 5.0 + k, 6.0), radius_mm=2.0, mode="3d", segment=lesion)
        states.append(session.labels.array.copy())
        if k == compact_after:
            session.checkpoint()
    session.journal.close()
    return states


def reseal(path, index: int, change) -> None:
    """Record ``index``'s header changed by ``change`` and sealed with a valid CRC."""
    data = path.read_bytes()
    start, end = record_spans(path)[index]
    payload = data[start + HEAD.size:end]
    (head_len,) = struct.unpack_from("<I", payload)
    header = json.loads(payload[4:4 + head_len])
    text = change(header) or json.dumps(header)
    head = text.encode()
    payload = struct.pack("<I", len(head)) + head + payload[4 + head_len:]
    path.write_bytes(data[:start] + HEAD.pack(data[start:start + 4], len(payload), zlib.crc32(payload))
                     + payload + data[end:])


def opened(volume, workspace):
    """What the window does: the restore offer, then the session; both raise only NeuroviewError."""
    steps = Session.recoverable_steps(volume, workspace)
    return steps, Session(volume, workspace)


@pytest.mark.parametrize("change", [
    lambda h: h.update(n=float("-inf")) or json.dumps(h),       # OverflowError
    lambda h: h.update(lo=[0, 0, []]),                           # TypeError
    lambda h: h.update(shape=[1, "/etc/passwd", 2]),
    lambda h: h.update(segments_after=-2 ** 63),                 # 'int' object is not iterable
    lambda h: json.dumps(dict(h, meta="__NEST__")).replace('"__NEST__"', "[" * 100_000 + "]" * 100_000),
    lambda h: h.update(mask_bytes=0),                            # numpy: 27 values into 51 voxels
    lambda h: h.update(lo=[20, 0, 0]),                           # outside the image
    lambda h: h.update(segments_after={"delta": {"1": {"value": 1, "name": None, "color": [1, 2, 3]}}}),
], ids=["n-inf", "lo-list", "shape-text", "segments-int", "meta-nested", "mask-bytes", "outside",
        "segment-name-none"])
def test_a_sealed_record_of_the_wrong_shape_is_skipped_as_damage(tmp_path, volume, change):
    """It is skipped like a damaged record: the records after it are restored (test_damaged_journal)."""
    states = edit(volume, tmp_path / "ws")
    journal = tmp_path / "ws" / "journal-0.bin"
    reseal(journal, 2, change)   # records: segment added, stroke 1, stroke 2 (this one), ...
    offered = Session.recovery(volume, tmp_path / "ws")
    assert (offered.edits, offered.lost, offered.records) == (4, 1, 4)
    steps, session = opened(volume, tmp_path / "ws")
    assert steps == session.restored_steps == 4
    assert "1 edit was lost" in session.restore_notice
    np.testing.assert_array_equal(session.labels.array, without_stroke(states, 2))
    session.apply("paint", at_ras=(10.0, 10.0, 10.0), radius_mm=2.0, mode="3d", segment=1)
    after = session.labels.array.copy()
    session.close()
    again = Session(volume, tmp_path / "ws")   # the new stroke was appended after the intact ones
    np.testing.assert_array_equal(again.labels.array, after)
    again.close()


def test_a_journal_that_links_elsewhere_is_refused_and_the_file_left_alone(tmp_path, volume):
    edit(volume, tmp_path / "ws")
    elsewhere = tmp_path / "another-users-file.txt"
    elsewhere.write_text("not yours")
    journal = tmp_path / "ws" / "journal-0.bin"
    journal.unlink()
    journal.symlink_to(elsewhere)
    with pytest.raises(WorkspaceError, match="journal-0.bin is a symbolic link") as error:
        opened(volume, tmp_path / "ws")
    assert str(error.value).startswith("workspace ws: ") and str(tmp_path) not in str(error.value)
    assert elsewhere.read_text() == "not yours"


def test_a_named_pipe_for_a_journal_is_refused_without_waiting(tmp_path, volume):
    edit(volume, tmp_path / "ws")
    journal = tmp_path / "ws" / "journal-0.bin"
    journal.unlink()
    os.mkfifo(journal)
    outcome = []
    thread = threading.Thread(target=lambda: outcome.append(_error_of(volume, tmp_path / "ws")),
                              daemon=True)
    thread.start()
    thread.join(20)
    assert not thread.is_alive(), "opening the workspace waited on the named pipe"
    assert isinstance(outcome[0], WorkspaceError) and "journal-0.bin is not a regular file" in str(outcome[0])


def _error_of(volume, workspace):
    try:
        opened(volume, workspace)
    except Exception as exc:  # noqa: BLE001 - the test looks at what came out
        return exc
    return None


def test_a_base_cut_short_is_one_line_naming_it(tmp_path, volume):
    edit(volume, tmp_path / "ws", compact_after=1)
    base = tmp_path / "ws" / "base-1.npz"
    os.truncate(base, base.stat().st_size // 2)
    with pytest.raises(WorkspaceError, match="cannot be read") as error:
        opened(volume, tmp_path / "ws")
    assert str(error.value).startswith("workspace ws/base-1.npz: ")   # no absolute path
    assert str(tmp_path) not in str(error.value)


@pytest.mark.parametrize("field, value", [(10, 99), (8, 1)], ids=["compression-99", "encrypted"])
def test_a_base_with_a_flipped_zip_field_is_one_line(tmp_path, volume, field, value):
    """One bit flipped in the base's zip directory: zipfile raised NotImplementedError (an unknown
    compression method) or RuntimeError (an encryption flag), past every handler."""
    edit(volume, tmp_path / "ws", compact_after=1)
    base = tmp_path / "ws" / "base-1.npz"
    data = bytearray(base.read_bytes())
    for entry in [m for m in range(len(data)) if data[m:m + 4] == b"PK\x01\x02"]:
        data[entry + field] = value
    base.write_bytes(bytes(data))
    with pytest.raises(WorkspaceError, match="cannot be read") as error:
        opened(volume, tmp_path / "ws")
    assert str(error.value).startswith("workspace ws/base-1.npz: ")   # no absolute path
    assert str(tmp_path) not in str(error.value)


def test_a_base_declaring_a_huge_label_map_is_refused_before_it_is_read(tmp_path, volume):
    """A base of another image, or a zip of zeros: refused from its header (it was decompressed
    whole first, here 64 MB; a 2 GiB one took 2 GiB before the shape was compared)."""
    edit(volume, tmp_path / "ws", compact_after=1)
    base = tmp_path / "ws" / "base-1.npz"
    with zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("labels.npy", _npy(np.zeros((400, 400, 400), np.uint8)))
        archive.writestr("segments.npy", _npy(np.array("[]")))
    tracemalloc.start()
    try:
        with pytest.raises(WorkspaceError, match=r"not one of this image"):
            opened(volume, tmp_path / "ws")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20


def _npy(array) -> bytes:
    import io

    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def test_a_huge_journal_is_read_record_by_record(tmp_path, volume):
    """Intact records and then 300 MB of zeros (a disk error, a sparse copy): the records are
    restored without reading the zeros into memory (the journal was read whole)."""
    states = edit(volume, tmp_path / "ws")
    journal = tmp_path / "ws" / "journal-0.bin"
    os.truncate(journal, journal.stat().st_size + (300 << 20))
    tracemalloc.start()
    try:
        steps, session = opened(volume, tmp_path / "ws")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert steps == session.restored_steps == 5
    np.testing.assert_array_equal(session.labels.array, states[-1])
    session.close()
    assert peak < 64 << 20


def test_a_workspace_of_a_newer_version_is_refused_and_kept(tmp_path, volume):
    """A newer record format comes with a newer workspace.json version: refused, kept as it is."""
    edit(volume, tmp_path / "ws")
    meta_path, journal = tmp_path / "ws" / "workspace.json", tmp_path / "ws" / "journal-0.bin"
    meta_path.write_text(json.dumps(dict(json.loads(meta_path.read_text()), version=VERSION + 1)))
    size = journal.stat().st_size
    with pytest.raises(WorkspaceError, match="newer neuroview"):
        opened(volume, tmp_path / "ws")
    assert journal.stat().st_size == size


def test_a_bit_flipped_in_a_records_magic_is_damage_not_a_newer_version(tmp_path, volume):
    """NVJ2 with one bit flipped reads NVJ3 (or 0, 5, 9; the checksum covers the payload only):
    that record is damaged, and the records before and after it are offered (the whole
    workspace was refused as one of a newer neuroview and set aside)."""
    states = edit(volume, tmp_path / "ws")
    journal = tmp_path / "ws" / "journal-0.bin"
    start, _end = record_spans(journal)[3]
    data = bytearray(journal.read_bytes())
    data[start + 3] ^= 0x01     # "2" -> "3"
    journal.write_bytes(bytes(data))
    steps, session = opened(volume, tmp_path / "ws")
    assert steps == session.restored_steps == 4
    np.testing.assert_array_equal(session.labels.array, without_stroke(states, 3))
    session.close()


@pytest.mark.parametrize("meta", [[1, 2], {"generation": "x"}, {"generation": -1},
                                  {"editing_seconds": "NaN"}, {"editing_seconds": float("inf")},
                                  {"image_key": None}])
def test_a_workspace_json_of_the_wrong_shape_is_one_line(tmp_path, volume, meta):
    edit(volume, tmp_path / "ws")
    meta_path = tmp_path / "ws" / "workspace.json"
    if isinstance(meta, dict):
        meta = dict(json.loads(meta_path.read_text()), **meta)
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(NeuroviewError) as error:
        opened(volume, tmp_path / "ws")
    assert str(error.value).startswith("workspace ws")   # named, with no absolute path
    assert str(tmp_path) not in str(error.value)


@pytest.mark.parametrize("damage", ["cut", "segments-number", "meta-list"])
def test_a_damaged_model_proposal_loses_only_the_dice_figures(tmp_path, volume, damage):
    """The workspace's proposal.npz (what a model proposed, for Dice after corrections): cut
    short (zipfile.BadZipFile) or with a meta of the wrong shape (TypeError, AttributeError), it
    stopped the case from opening; now the labels are restored and only the proposal is gone."""
    from neuroview.app import workspace_lock
    from neuroview.app.case import Case
    from neuroview.app.proposal import PROPOSAL_FILE

    case = Case.open(volume, tmp_path / "ws")
    model = np.zeros(volume.shape, np.uint8)
    model[4:9, 4:9, 4:9] = 1
    case.apply_model_result(model, {1: "lesion"}, model="m@1.0.0")
    labels = case.labels.array.copy()
    case.session.journal.close()
    workspace_lock.release(tmp_path / "ws")   # killed: nothing saved, the journal left behind
    proposal = tmp_path / "ws" / PROPOSAL_FILE
    if damage == "cut":
        os.truncate(proposal, proposal.stat().st_size // 2)
    else:
        meta = {"segments": 5} if damage == "segments-number" else [1, 2]
        np.savez_compressed(proposal, labels=model, meta=np.array(json.dumps(meta)))
    again = Case.open(volume, tmp_path / "ws")
    np.testing.assert_array_equal(again.labels.array, labels)
    assert again.proposal is None
    again.close()


@pytest.mark.parametrize("member", ["labels.npy", "segments.npy"])
def test_a_base_whose_array_header_is_left_open_is_one_line(tmp_path, volume, member):
    """``bench/mutate_readers.py --only journal``, seed 55, case 292: TokenError out of the restore
    (an internal error as the image opened); now the base is refused in one line naming it."""
    edit(volume, tmp_path / "ws", compact_after=1)
    open_bracket(tmp_path / "ws" / "base-1.npz", member)
    with pytest.raises(WorkspaceError, match="cannot be read") as error:
        opened(volume, tmp_path / "ws")
    assert str(error.value).startswith("workspace ws/base-1.npz: ")


def test_a_proposal_whose_array_header_is_left_open_loses_only_itself(tmp_path, volume):
    from neuroview.app import workspace_lock
    from neuroview.app.case import Case
    from neuroview.app.proposal import PROPOSAL_FILE

    case = Case.open(volume, tmp_path / "ws")
    model = np.zeros(volume.shape, np.uint8)
    model[4:9, 4:9, 4:9] = 1
    case.apply_model_result(model, {1: "lesion"}, model="m@1.0.0")
    labels = case.labels.array.copy()
    case.session.journal.close()
    workspace_lock.release(tmp_path / "ws")
    open_bracket(tmp_path / "ws" / PROPOSAL_FILE, "labels.npy")
    again = Case.open(volume, tmp_path / "ws")
    np.testing.assert_array_equal(again.labels.array, labels)
    assert again.proposal is None
    again.close()


@pytest.mark.parametrize("value, said", [
    ("x", 'its generation is "x", not a whole number from 0'),
    ("1", 'its generation is "1", not a whole number from 0'),   # text: it said '1', as the number
    (None, "its generation is null, not a whole number from 0"),
    (7, "its generation is 7, but base-7.npz, the label map that generation starts from, is not "
        "there; the folder holds generation 1's files: changed by hand or by another program?"),
])
def test_a_changed_generation_says_what_is_wrong_and_keeps_the_files(tmp_path, volume, value, said):
    """workspace.json's generation changed: refused naming the field (not "unreadable"), the
    files kept as they are. A generation whose base is not there opened as never edited, without
    a word: the edits of generation 1 were never offered."""
    edit(volume, tmp_path / "ws", compact_after=1)
    meta_path = tmp_path / "ws" / "workspace.json"
    meta_path.write_text(json.dumps(dict(json.loads(meta_path.read_text()), generation=value)))
    before = {p.name: p.read_bytes() for p in (tmp_path / "ws").iterdir()}
    with pytest.raises(WorkspaceError) as error:
        opened(volume, tmp_path / "ws")
    assert str(error.value) == f"workspace ws/workspace.json: workspace.json cannot be used ({said})"
    assert {p.name: p.read_bytes() for p in (tmp_path / "ws").iterdir()} == before


def test_a_workspace_json_of_another_format_says_which(tmp_path, volume):
    edit(volume, tmp_path / "ws")
    meta_path = tmp_path / "ws" / "workspace.json"
    meta_path.write_text(json.dumps(dict(json.loads(meta_path.read_text()), format="other-tool")))
    with pytest.raises(WorkspaceError) as error:
        opened(volume, tmp_path / "ws")
    assert str(error.value) == ('workspace ws: not a neuroview workspace (workspace.json\'s format is '
                                "\"other-tool\", not 'neuroview-workspace')")
