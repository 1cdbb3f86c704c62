"""Defer modules that a library imports eagerly but a short command never uses.

``import pydicom`` imports its test-data downloader (``pydicom.data.download``), which imports
``urllib.request``, ``requests`` and ``tqdm`` at once: about a fifth of pydicom's import time, spent
by every ``neuroview convert`` that downloads nothing. Inside :func:`deferred_imports` those
modules are found as usual but loaded with :class:`importlib.util.LazyLoader` (the standard
library's lazy import): ``import requests`` succeeds (so pydicom still sees it installed) and the
module's code runs on first attribute access, if ever. A module that is not installed still
raises ImportError at the import, as before.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from typing import Iterable, Iterator

from ..io.dicom.codecs import import_pydicom_without_codecs

PYDICOM_UNUSED = ("urllib.request", "requests", "tqdm")
"""Imported by ``pydicom.data.download`` at ``import pydicom``; used only to download test files."""


class _DeferringFinder(importlib.abc.MetaPathFinder):
    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(names)

    def find_spec(self, fullname, path, target=None):
        if fullname not in self.names or fullname in sys.modules:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None  # not installed: the normal ImportError follows
        # Only plain Python source modules: LazyLoader needs a loader that lets it create the
        # module (extension modules and namespace packages load eagerly, as usual).
        if isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


@contextlib.contextmanager
def deferred_imports(names: Iterable[str] = PYDICOM_UNUSED) -> Iterator[None]:
    """Within the block, the first import of each of ``names`` gives a module loaded lazily."""
    finder = _DeferringFinder(names)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


def import_pydicom() -> None:
    """Import pydicom without its downloader's network libraries (they load if ever used) and
    without its compression codecs (loaded before the first compressed frame is decoded:
    :mod:`neuroview.io.dicom.codecs`)."""
    if "pydicom" in sys.modules:
        return
    with deferred_imports():
        import_pydicom_without_codecs()
