"""Journal records and stored label maps are bound to their image's key (workspace version 2):
a journal or base file copied from another image's workspace (same shape and affine) is not
replayed into this one. Workspaces of version 1 (records without a key) are still restored.

Before: only workspace.json named the image; a copied journal-0.bin put another image's strokes
into this one, and a copied base-1.npz replaced its label map."""

from __future__ import annotations

import json
import shutil
import struct
import zlib

import numpy as np
import pytest

from neuroview.app.session import Session
from neuroview.core.journal import WorkspaceError
from neuroview.core.volume import Volume

HEAD = struct.Struct("<4sII")


def image(seed):
    return Volume(np.random.default_rng(seed).normal(0, 1, (20, 22, 18)).astype(np.float32), np.eye(4))


def paint(volume, workspace, strokes=3, checkpoint=False) -> np.ndarray:
    session = Session(volume, workspace)
    lesion = session.segments.add("lesion")
    for k in range(strokes):
        session.apply("paint", at_ras=(5.0 + 3 * k, 6.0, 7.0), radius_mm=2.5, mode="3d", segment=lesion)
        if checkpoint and k == 0:
            session.checkpoint()
    labels = session.labels.array.copy()
    session.journal.close()
    return labels


def test_a_journal_copied_from_another_images_workspace_is_not_replayed(tmp_path):
    a, b = image(1), image(2)
    assert paint(a, tmp_path / "a").any()
    Session(b, tmp_path / "b").close()          # b's workspace, nothing in it
    shutil.copyfile(tmp_path / "a" / "journal-0.bin", tmp_path / "b" / "journal-0.bin")
    copied = (tmp_path / "b" / "journal-0.bin").read_bytes()
    assert Session.recoverable_steps(b, tmp_path / "b") == 0
    session = Session(b, tmp_path / "b")
    assert not session.labels.array.any() and session.restored_steps == 0
    session.segments.add("mine")                # the first record written keeps the copy aside
    session.close()
    assert (next((tmp_path / "b").glob("damaged-*")) / "journal-0.bin").read_bytes() == copied
    assert [r.step.name for r in session.journal.records()] == ["segments.add"]


def test_a_base_copied_from_another_images_workspace_is_refused(tmp_path):
    a, b = image(1), image(2)
    paint(a, tmp_path / "a", checkpoint=True)
    paint(b, tmp_path / "b", strokes=1, checkpoint=True)
    shutil.copyfile(tmp_path / "a" / "base-1.npz", tmp_path / "b" / "base-1.npz")
    with pytest.raises(WorkspaceError, match="another image"):
        Session.recoverable_steps(b, tmp_path / "b")


def as_version_1(workspace) -> None:
    """Rewrite a workspace as neuroview wrote it before the key was bound: NVJ1 records with no
    key in their header, a base without a key, workspace.json version 1."""
    for journal in workspace.glob("journal-*.bin"):
        data, out, pos = journal.read_bytes(), b"", 0
        while pos < len(data):
            _magic, length, _crc = HEAD.unpack_from(data, pos)
            payload = data[pos + HEAD.size:pos + HEAD.size + length]
            (head_len,) = struct.unpack_from("<I", payload)
            header = json.loads(payload[4:4 + head_len])
            header.pop("key")
            head = json.dumps(header, separators=(",", ":")).encode()
            payload = struct.pack("<I", len(head)) + head + payload[4 + head_len:]
            out += HEAD.pack(b"NVJ1", len(payload), zlib.crc32(payload)) + payload
            pos += HEAD.size + length
        journal.write_bytes(out)
    for base in workspace.glob("base-*.npz"):
        with np.load(base) as stored:
            labels, segments = stored["labels"], stored["segments"]
        with open(base, "wb") as handle:
            np.savez_compressed(handle, labels=labels, segments=segments)
    meta_path = workspace / "workspace.json"
    meta_path.write_text(json.dumps(dict(json.loads(meta_path.read_text()), version=1)))


def test_a_version_1_workspace_is_still_restored_and_goes_on_as_version_2(tmp_path):
    volume = image(1)
    labels = paint(volume, tmp_path / "ws", checkpoint=True)
    as_version_1(tmp_path / "ws")
    offered = Session.recovery(volume, tmp_path / "ws")   # the base and two strokes
    assert (offered.edits, offered.lost, offered.records) == (2, 0, 3)
    session = Session(volume, tmp_path / "ws")
    np.testing.assert_array_equal(session.labels.array, labels)
    session.apply("paint", at_ras=(12.0, 14.0, 8.0), radius_mm=2.0, mode="3d", segment=1)
    after = session.labels.array.copy()
    session.close()
    meta = json.loads((tmp_path / "ws" / "workspace.json").read_text())
    assert meta["version"] == 2 and meta["unkeyed_generation"] == 1
    again = Session(volume, tmp_path / "ws")
    np.testing.assert_array_equal(again.labels.array, after)
    again.checkpoint()          # a new generation: keyed base, keyed records only
    again.close()
    meta = json.loads((tmp_path / "ws" / "workspace.json").read_text())
    assert meta["version"] == 2 and "unkeyed_generation" not in meta
    third = Session(volume, tmp_path / "ws")
    np.testing.assert_array_equal(third.labels.array, after)
    third.close()
