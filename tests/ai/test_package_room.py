"""``models add`` copies no file larger than half the space free where the registry is: a package
of 1.4 MB on disk holding a sparse file of 1 TB was copied byte by byte (its holes written as
zeros: 2 GB took 31 s) until the disk was full (session 41). Here the free space is made 200 MB
and the sparse file 300 MB, so that the code before the fix copies only that."""

from __future__ import annotations

import collections
import shutil

import pytest

from neuroview.core.errors import ModelError

pytest.importorskip("torch")


def test_a_sparse_file_larger_than_the_room_is_not_copied(tiny_package, tmp_path, monkeypatch):
    from neuroview.ai.registry import Registry

    with open(tiny_package / "notes.bin", "wb") as handle:
        handle.truncate(300 << 20)
    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(1 << 40, (1 << 40) - (200 << 20),
                                                                 200 << 20))
    registry = Registry()
    with pytest.raises(ModelError) as caught:
        registry.add(tiny_package)
    assert str(caught.value) == (f"{tiny_package}: the model package's notes.bin is 300.0 MB, "
                                 "0 bytes on disk: a sparse file, more than half the 200.0 MB free "
                                 "where it would be copied: not copied")
    assert not registry.models_dir.exists() or not any(registry.models_dir.iterdir())


def test_a_package_with_room_is_added(tiny_package):
    from neuroview.ai.registry import Registry

    entry = Registry().add(tiny_package)
    assert (entry.path / "weights.safetensors").read_bytes() == \
        (tiny_package / "weights.safetensors").read_bytes()
