"""onnxruntime sessions that a forked copy of the process never frees.

A session keeps a pool of threads, waiting on its condition variables. A fork copies only the
forking thread; a copy that freed a session it inherited (``ai.segment``'s one-model cache,
cleared for the next model) waited in ``pthread_cond_destroy`` for waiters that are not there:
for good. So a forked copy keeps the sessions of its parent: their memory is the parent's pages,
shared until written.
"""

from __future__ import annotations

import os
import weakref

_OPEN: weakref.WeakSet = weakref.WeakSet()
"""This process's sessions."""
INHERITED: list = []
"""In a forked copy, the sessions its parent had open: never freed here."""


def open_session(path: str | os.PathLike, providers: list[str]):
    """An ``onnxruntime.InferenceSession`` of the file at ``path`` on ``providers``."""
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=providers)
    _OPEN.add(session)
    return session


def _keep_inherited() -> None:
    INHERITED.extend(_OPEN)


if hasattr(os, "register_at_fork"):   # not on Windows, which does not fork
    os.register_at_fork(after_in_child=_keep_inherited)
