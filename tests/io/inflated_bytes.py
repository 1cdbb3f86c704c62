"""Counting what a command inflates, in process: every ``decompressobj`` output of the modules
patched (zlib's, gzip's own reads included; ISA-L's)."""

from __future__ import annotations


class _Counted:
    def __init__(self, inflater, counter):
        self._inflater, self._counter = inflater, counter

    def decompress(self, *args, **kwargs):
        out = self._inflater.decompress(*args, **kwargs)
        self._counter[0] += len(out)
        return out

    def __getattr__(self, name):
        return getattr(self._inflater, name)


def count_inflated(monkeypatch, *modules) -> list[int]:
    """A one-item list holding the bytes inflated by ``modules``' ``decompressobj`` from now on."""
    counter = [0]
    for module in modules:
        real = module.decompressobj
        monkeypatch.setattr(module, "decompressobj",
                            lambda *a, _real=real, **k: _Counted(_real(*a, **k), counter))
    return counter
