"""Keep a library's eager imports of modules a short command never uses off its start-up.

:func:`deferred_imports` wraps :class:`importlib.util.LazyLoader` (the standard library's lazy
import) for a few named modules: found as usual, their code run on first attribute access, if
ever (pydicom's downloader's network libraries). A module that is not installed still raises
ImportError at the import, as before. :func:`hidden_modules` makes a module look not installed
for the imports inside its block, for an optional dependency the library would use at once
(nibabel reads ``pydicom.Dataset`` when its NIfTI module is imported). :func:`first_import_without`
applies both to one package's first import, wherever in the program it happens. Each acts only
on imports made by the thread that opened its block: another thread's ``import pydicom`` in the
meantime gets pydicom.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading
from typing import Iterable, Iterator


def _spec_from_the_others(me, fullname, path, target):
    """The spec the finders after ``me`` give (None: not installed)."""
    for finder in sys.meta_path:
        if finder is me or not hasattr(finder, "find_spec"):
            continue
        spec = finder.find_spec(fullname, path, target)
        if spec is not None:
            return spec
    return None


class _DeferringFinder(importlib.abc.MetaPathFinder):
    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(names)
        self.thread = threading.get_ident()

    def find_spec(self, fullname, path, target=None):
        if (fullname not in self.names or fullname in sys.modules
                or threading.get_ident() != self.thread):
            return None
        spec = _spec_from_the_others(self, fullname, path, target)
        if spec is None:
            return None  # not installed: the normal ImportError follows
        # Only plain Python source modules: LazyLoader needs a loader that lets it create the
        # module (extension modules and namespace packages load eagerly, as usual).
        if isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


@contextlib.contextmanager
def _first_finder(finder) -> Iterator[None]:
    """``finder`` asked first about every import made within the block."""
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


def deferred_imports(names: Iterable[str]) -> contextlib.AbstractContextManager:
    """Within the block, the first import of each of ``names`` gives a module loaded lazily."""
    return _first_finder(_DeferringFinder(names))


class _Hiding(importlib.abc.MetaPathFinder):
    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(names)
        self.thread = threading.get_ident()

    def find_spec(self, fullname, path, target=None):
        if (fullname.partition(".")[0] in self.names and fullname not in sys.modules
                and threading.get_ident() == self.thread):
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def hidden_modules(names: Iterable[str]) -> contextlib.AbstractContextManager:
    """Within the block, importing one of ``names`` (not yet imported) raises ImportError."""
    return _first_finder(_Hiding(names))


class _LoaderWithout(importlib.abc.Loader):
    """Runs a package's code with some modules hidden and others deferred, then steps aside."""

    def __init__(self, loader, hidden: tuple[str, ...], deferred: tuple[str, ...]) -> None:
        self.loader, self.hidden, self.deferred = loader, hidden, deferred

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        # the package keeps its own loader (importlib.resources and the like ask it)
        module.__loader__ = self.loader
        if module.__spec__ is not None:
            module.__spec__.loader = self.loader
        with hidden_modules(self.hidden), deferred_imports(self.deferred):
            self.loader.exec_module(module)


class _FirstImport(importlib.abc.MetaPathFinder):
    def __init__(self, package: str, hidden: Iterable[str], deferred: Iterable[str]) -> None:
        self.package, self.hidden, self.deferred = package, tuple(hidden), tuple(deferred)

    def find_spec(self, fullname, path, target=None):
        if fullname != self.package or fullname in sys.modules:
            return None
        spec = _spec_from_the_others(self, fullname, path, target)
        if spec is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _LoaderWithout(spec.loader, self.hidden, self.deferred)
        return spec


@contextlib.contextmanager
def first_import_without(package: str, hidden: Iterable[str] = (),
                         deferred: Iterable[str] = ()) -> Iterator[None]:
    """Within the block, the first import of ``package`` (by any code, in any thread) runs the
    package's own code with ``hidden`` as in :func:`hidden_modules` and ``deferred`` as in
    :func:`deferred_imports`; its submodules imported later, and every other import, as usual."""
    if package in sys.modules:
        yield
        return
    finder = _FirstImport(package, hidden, deferred)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(finder)
