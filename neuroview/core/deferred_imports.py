"""Keep a library's eager imports of modules a short command never uses off its start-up.

:func:`deferred_imports` wraps :class:`importlib.util.LazyLoader` (the standard library's lazy
import) for a few named modules: found as usual, their code run on first attribute access, if
ever (pydicom's downloader's network libraries). A module that is not installed still raises
ImportError at the import, as before. :func:`hidden_modules` makes a module look not installed
for the imports inside its block, for an optional dependency the library would use at once
(nibabel reads ``pydicom.Dataset`` when its NIfTI module is imported).
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from typing import Iterable, Iterator


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
def deferred_imports(names: Iterable[str]) -> Iterator[None]:
    """Within the block, the first import of each of ``names`` gives a module loaded lazily."""
    finder = _DeferringFinder(names)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


class _Hiding(importlib.abc.MetaPathFinder):
    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(names)

    def find_spec(self, fullname, path, target=None):
        if fullname.partition(".")[0] in self.names and fullname not in sys.modules:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


@contextlib.contextmanager
def hidden_modules(names: Iterable[str]) -> Iterator[None]:
    """Within the block, importing one of ``names`` (not yet imported) raises ImportError."""
    finder = _Hiding(names)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
