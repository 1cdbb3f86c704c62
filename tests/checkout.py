"""This checkout as the tests use it: ``REPO``, its folder, and ``run_cli``, the command line run
as a user runs it. A helper module, not the conftest: ten test modules imported ``REPO`` from
``tests.conftest``, which ran ``tests/conftest.py`` a second time beside the ``conftest`` pytest
loaded (``tests/test_collect_together.py``). Import it as ``tests.checkout``, so it too is loaded
once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_cli(*args, cwd=None, timeout=600, env=None) -> subprocess.CompletedProcess:
    """Run ``python -m neuroview ARGS`` as a user would, from this checkout."""
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(REPO) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "neuroview", *map(str, args)],
        cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout,
    )


def start_forked_copy(timeout: int) -> None:
    """What a forked copy of the test process does first (:func:`run_main_forked`,
    ``tests.durability.fork_killed``): it ends itself by SIGALRM after ``timeout`` seconds (timers
    are not inherited across a fork; pytest-timeout's handler is not for the copy), so a copy that
    hangs fails its test in minutes, not at pytest-timeout's 15 with the copy left behind. And
    its torch computes on one thread: the OpenMP pool (libgomp) of a process that ran torch on
    two threads does not come through a fork, and the copy's first parallel region waited for the
    pool's missing threads forever (gdb: ``gomp_team_barrier_wait_end`` under ``softmax``; the
    ``segment`` of test_ai_security.py's torchscript test, run without pytest-xdist after a test
    that ran a network, where the tests run on two torch threads). A command that sets its own
    thread count (``train``) still belongs in ``run_cli``."""
    import signal

    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(timeout)
    torch = sys.modules.get("torch")   # not imported here: a copy that imports it starts afresh
    if torch is not None:
        torch.set_num_threads(1)


FRESH_WARNING_FILTERS = (
    ("default", None, DeprecationWarning, "__main__", 0),
    ("ignore", None, DeprecationWarning, None, 0),
    ("ignore", None, PendingDeprecationWarning, None, 0),
    ("ignore", None, ImportWarning, None, 0),
    ("ignore", None, ResourceWarning, None, 0),
)
"""``warnings.filters`` as a fresh interpreter has it (``python -c "import warnings;
print(warnings.filters)"``; tests/test_forked_output.py checks it), before PYTHONWARNINGS."""


def _as_defined(module, name: str):
    """``module``'s function ``name`` as its source defines it, on the module's globals: pytest's
    capture of warnings replaces ``warnings._showwarnmsg_impl`` by a list's ``append`` (from the
    conftest's import on), and keeps the original only in its own ``catch_warnings``."""
    import types

    code = module.__spec__.loader.get_code(module.__name__)
    body = next(const for const in code.co_consts
                if isinstance(const, types.CodeType) and const.co_name == name)
    return types.FunctionType(body, vars(module), name)


def fresh_process_output() -> None:
    """Logging, warnings and the hooks that print an uncaught exception as a fresh ``neuroview``
    process has them, in a forked copy of the test process (:func:`run_main_forked`), before the
    command's ``main`` sets up its own (``neuroview.cli.dicom_warnings``). The copy inherited
    pytest's: its handlers on the root logger (and on loggers that do not propagate) and its
    recording of warnings took every log line and warning the command made, which a user's terminal
    shows and the copy's stderr did not (suite43: a test of "one line on stderr" could pass while a
    user saw more)."""
    import logging
    import threading
    import warnings

    logging.captureWarnings(False)
    root = logging.getLogger()
    for logger in [root, *root.manager.loggerDict.values()]:
        for handler in list(getattr(logger, "handlers", ())):
            if logger is root or type(handler).__module__.split(".")[0] == "_pytest":
                logger.removeHandler(handler)
    root.setLevel(logging.WARNING)
    logging.disable(logging.NOTSET)
    logging.lastResort = logging._defaultLastResort   # a record no handler takes: on stderr
    logging.raiseExceptions = True

    warnings.resetwarnings()
    warnings.filters[:] = list(FRESH_WARNING_FILTERS)
    if os.environ.get("PYTHONWARNINGS"):   # as a fresh process reads it
        warnings._processoptions(os.environ["PYTHONWARNINGS"].split(","))
    warnings._filters_mutated()
    warnings.onceregistry.clear()
    warnings.showwarning = warnings._showwarning_orig
    warnings.formatwarning = warnings._formatwarning_orig
    warnings._showwarnmsg_impl = _as_defined(warnings, "_showwarnmsg_impl")

    sys.excepthook = sys.__excepthook__
    sys.unraisablehook = sys.__unraisablehook__
    threading.excepthook = threading.__excepthook__


def main_said(capsys, *args) -> tuple[int, str, str]:
    """``neuroview ARGS`` by the command line's ``main`` in this process: its exit code, and what it
    wrote to stdout and stderr (caught by pytest's ``capsys``)."""
    from neuroview.cli.main import main

    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def run_main_forked(*args, env=None, timeout=300) -> subprocess.CompletedProcess:
    """``neuroview ARGS`` by the command line's ``main`` in a forked copy of this process, with
    ``env`` set there: the code ``python -m neuroview`` runs once its imports are made, in a process
    of its own (nothing it keeps in memory reaches the test or the next run), without a fresh
    process's imports (a ``segment`` with torch spent about 2 s of CPU importing before it
    started). Its log lines and warnings reach its stderr as a fresh process's do
    (:func:`fresh_process_output`). For the tests whose claim is not about the process's start;
    ``run_cli`` for those that are. Do the torch work before the fork: only the forking thread
    goes on in the copy, and its torch computes on one thread (:func:`start_forked_copy`)."""
    import faulthandler
    import io
    import tempfile
    import traceback

    argv = [str(a) for a in args]
    jobs = sys.modules.get("neuroview.core.jobs")
    if jobs is not None:   # a step an earlier test abandoned (a model load, mid-import) would hold
        jobs.wait_abandoned(60)   # its locks in the copy for good, with no thread to let them go
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        pid = os.fork()
        if pid == 0:  # the copy: never returns into the test
            code = 1
            try:
                start_forked_copy(timeout)
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", closefd=False), line_buffering=True)
                sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb", closefd=False), line_buffering=True)
                # a copy that hangs says where before its SIGALRM: the CI's one hang of
                # test_ai_security's refused segment (session 40, rc -14) said nothing
                faulthandler.dump_traceback_later(max(1, timeout - 10), file=sys.stderr)
                os.environ.update(env or {})
                fresh_process_output()   # what it logs and warns on its stderr, not pytest's
                from neuroview.cli.main import main

                code = main(argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:
                traceback.print_exc()
            finally:
                for stream in (sys.stdout, sys.stderr):
                    stream.flush()
                os._exit(code if isinstance(code, int) else 0)
        status = os.waitpid(pid, 0)[1]
        streams = []
        for stream in (out, err):
            stream.seek(0)
            streams.append(stream.read().decode(errors="replace"))
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    if code < 0:   # whole in the test's report (an assertion shows the stderr cut short)
        print(f"forked `neuroview {' '.join(argv)}` ended by signal {-code}; its stderr:\n"
              f"{streams[1]}", file=sys.stderr)
    return subprocess.CompletedProcess(["neuroview", *argv], code, *streams)
