"""The first ``import torch`` of the window's process, made so that the GUI thread keeps running.

The AI runtime loads in a background job, but a thread holds Python's global interpreter lock
(GIL) while an extension module loads and while the cycle collector runs, and the GUI thread
needs that lock for every paint, timer and mouse event. ``import torch`` (2.13, CPU build) held
it for 0.3-0.8 s at a stretch in the window (``bench/ai_runtime_hold.py``):

* ``torch._C``'s import opened ``libtorch_cpu.so`` (about 0.25 s of relocations and C++ static
  initialisers, more on a busy machine) inside the import, with the lock held. ``ctypes.CDLL``
  holds it too (CPython's ``dlopen`` in ``_ctypes`` does not release it); a call of the C
  library's ``dlopen`` *through* ctypes does, as every call of a ``ctypes.CDLL`` function does.
  :func:`preload_torch_libraries` opens torch's libraries that way, in the order and with the
  flags torch's own import uses, so that the import finds them loaded.
* The cycle collector: torch creates about 150,000 objects as it imports, and the collector
  walked every object of the process (the window's included) each time their count had grown
  by a quarter (three full collections of 0.1-0.5 s during the import), besides the pybind11
  types made by ``torch._C``'s initialisation. :func:`import_paused` keeps the collector off
  while torch imports and then moves what exists into its oldest generation
  (``gc.freeze()`` then ``gc.unfreeze()``) without walking it; nothing is frozen for good, and
  garbage made meanwhile is collected at the next full collection.

With both, the longest hold while the runtime loads is about 25 ms of CPU (test:
``tests/ui/test_ai_runtime_hold.py``). :func:`install` makes the first ``import torch`` of the
process, from any thread and whichever AI action comes first, go this way; an ``import torch``
that has already happened is left as it is.
"""

from __future__ import annotations

import contextlib
import gc
import importlib.abc
import importlib.util
import os
import sys
import threading

from ..core.collector import collector_off

_LIBRARIES = (("libtorch_global_deps", True), ("libc10", False), ("libtorch_cpu", False),
              ("libtorch_cuda", False))
"""torch's shared libraries in the order its import opens them; True: opened RTLD_GLOBAL (as
``torch._load_global_deps`` does), else RTLD_LOCAL (as the extension module's import does).
``libtorch.so`` and ``libtorch_python.so`` are left to the import: the latter needs Python."""

preloaded: list[str] = []
"""The libraries :func:`preload_torch_libraries` opened with the GIL released (file names)."""
_lock = threading.Lock()
_finder_lock = threading.Lock()


def _dlopen():
    """The C library's ``dlopen`` as a ctypes foreign function (the GIL is released around it)."""
    import ctypes  # noqa: PLC0415 (the window's start does without it)

    for name in (None, "libdl.so.2"):
        with contextlib.suppress(OSError, AttributeError):
            function = ctypes.CDLL(name).dlopen
            function.argtypes = [ctypes.c_char_p, ctypes.c_int]
            function.restype = ctypes.c_void_p
            return function
    return None


def preload_torch_libraries() -> list[str]:
    """Open torch's large shared libraries with the GIL released; the names opened. Nothing on
    Windows, with ``TORCH_USE_RTLD_GLOBAL`` set, or when torch is not installed or loaded
    already; a library that fails to open ends the preload (torch's import then opens it and
    says why, as before)."""
    with _lock:
        if (sys.platform == "win32" or "torch._C" in sys.modules or os.environ.get("TORCH_USE_RTLD_GLOBAL")
                or preloaded):
            return list(preloaded)
        spec = importlib.util.find_spec("torch")
        dlopen = _dlopen()
        if spec is None or spec.origin is None or dlopen is None:
            return []
        folder = os.path.join(os.path.dirname(spec.origin), "lib")
        suffix = ".dylib" if sys.platform == "darwin" else ".so"
        for stem, global_ in _LIBRARIES:
            path = os.path.join(folder, stem + suffix)
            if not os.path.exists(path):
                continue
            mode = os.RTLD_NOW | (os.RTLD_GLOBAL if global_ else os.RTLD_LOCAL)
            if not dlopen(os.fsencode(path), mode):
                break
            preloaded.append(stem + suffix)
        return list(preloaded)


def import_paused() -> contextlib.AbstractContextManager:
    """The cycle collector off while the block imports; then what exists goes to the collector's
    oldest generation unwalked (module docstring). Left alone when the collector is off already
    or objects are frozen by someone else (``gc.freeze``): their unfreeze is not ours to do."""
    return collector_off(gc.get_freeze_count() == 0, age_survivors=True)


class _GentleLoader(importlib.abc.Loader):
    def __init__(self, loader, finder) -> None:
        self.loader, self.finder = loader, finder

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        module.__loader__ = self.loader   # torch keeps its own loader
        if module.__spec__ is not None:
            module.__spec__.loader = self.loader
        try:
            preload_torch_libraries()
            with import_paused():
                self.loader.exec_module(module)
        finally:
            with _finder_lock, contextlib.suppress(ValueError):
                sys.meta_path.remove(self.finder)   # once: later imports as usual


class _FirstTorchImport(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname != "torch" or "torch" in sys.modules:
            return None
        for finder in list(sys.meta_path):   # the spec the other finders give
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if hasattr(spec.loader, "exec_module"):
                    spec.loader = _GentleLoader(spec.loader, self)
                return spec
        return None   # not installed: the usual ImportError


def install() -> bool:
    """Make the process's first ``import torch`` (any thread) go through
    :func:`preload_torch_libraries` and :func:`import_paused`. False: torch is imported already
    (nothing to do) or the hook is in place."""
    with _finder_lock:
        if "torch" in sys.modules or any(isinstance(f, _FirstTorchImport) for f in sys.meta_path):
            return False
        sys.meta_path.insert(0, _FirstTorchImport())
        return True
