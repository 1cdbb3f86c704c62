"""The ``neuroview`` command: ``neuroview [PATH ...]`` opens the window; verbs work headless.

Each verb lives in its own module with ``register(parser)`` and ``run(args) -> int``; only the
module of the verb being run is imported, so ``neuroview info`` never imports Qt, VTK or torch.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import os
import re
import sys

from .. import __version__
from ..core.errors import Cancelled, LoadError, NeuroviewError, printable, private_reason
from ..core.jobs import end_if_abandoned
from ..core.settings_file import listen
from ..core.thread_errors import install as thread_errors
from .dicom_warnings import install as private_dicom_warnings
from .lazy_imports import light_nibabel
from .log_lines import install as log_lines
from .parent_watch import watch_parent
from .stop_signals import ignore_interrupts, interrupted_once, sigterm_as_interrupt, stopped, take_interrupts

# verb -> (module, one-line help)
VERBS: dict[str, tuple[str, str]] = {
    "info": ("neuroview.cli.info", "list the image series and volumes found in a path"),
    "convert": ("neuroview.cli.convert", "convert DICOM/NIfTI/NRRD to NIfTI"),
    "demo": ("neuroview.cli.demo", "open the bundled demo case in the window"),
    "dataset": ("neuroview.cli.dataset", "training sets: init, add a corrected case, list, rank"),
    "snapshot": ("neuroview.cli.snapshot", "render a view (slices, 3D, four-up) to PNG without a display"),
    "segment": ("neuroview.cli.segment", "segment lesions with an AI model (file, DICOM or a batch)"),
    "train": ("neuroview.cli.train", "train or fine-tune a segmentation model"),
    "models": ("neuroview.cli.models", "list, add, remove, promote and compare models"),
    "followup": ("neuroview.cli.followup", "compare later studies with the baseline: lesions, brain, report"),
    "pacs": ("neuroview.cli.pacs", "DICOM servers: configure, echo, find, get (retrieve), store"),
}


VIEW_WORD = "view"
"""``neuroview view PATH ...`` opens the window as ``neuroview PATH ...`` does (a file or folder
named ``view`` where the command runs is still opened as such). It used to take ``view`` for a
path: "view: no such file or folder", and PATH was not opened."""
WINDOW_VERBS = ("demo",)
"""Verbs that open the window (they need a display); the others run headless."""
HEADLESS_QT_PLATFORMS = ("offscreen", "minimal", "eglfs", "linuxfb", "vnc", "vkkhrdisplay")
"""Qt platforms that draw without an X or Wayland display."""


def display_problem(command: str = "neuroview", environ=None) -> str | None:
    """Why the window cannot open here (one line with the way out), or None when it can.

    Checked before Qt starts: without a display Qt aborts the process (exit 134) with a message
    about its xcb plugin that misleads more than it helps. Only Linux and the BSDs need X11 or
    Wayland; ``QT_QPA_PLATFORM=offscreen`` (or another headless platform) is fine anywhere.
    """
    environ = os.environ if environ is None else environ
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    platform = environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if platform in HEADLESS_QT_PLATFORMS or environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return None
    return (f"the window needs a display and none was found (DISPLAY and WAYLAND_DISPLAY are "
            f"unset): run it on a desktop, set DISPLAY, or use a virtual one: xvfb-run -a {command}; "
            "the headless verbs (neuroview --help) need none")


def _debug() -> bool:
    return os.environ.get("NEUROVIEW_DEBUG", "") not in ("", "0")


def _top_parser() -> argparse.ArgumentParser:
    def listing(names):
        return "\n".join(f"  {name:<10} {VERBS[name][1]}" for name in names)

    window = "\n".join([f"  {'neuroview [view] [PATH ...]':<28} open files or folders in the window"]
                       + [f"  {'neuroview ' + name:<28} {VERBS[name][1]}" for name in WINDOW_VERBS])
    headless = listing(name for name in VERBS if name not in WINDOW_VERBS)
    parser = argparse.ArgumentParser(
        prog="neuroview",
        description="neuroview: view, segment and correct MRI/CT studies.",
        epilog=f"window (needs a display):\n{window}\n\n"
               f"headless verbs (neuroview VERB --help):\n{headless}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", help="files or folders to open in the window")
    parser.add_argument("--version", action="version", version=f"neuroview {__version__}",
                        help="print neuroview's version and exit (as Help > About says it)")
    return parser


def missing_path(paths: list[str]) -> str | None:
    """The first of ``paths`` that does not exist, or None: checked before the display, so that
    ``neuroview view missing.nii`` on a machine without one names the file, not the display."""
    return next((path for path in paths if not os.path.exists(path)), None)


def verb_meant(word: str) -> str:
    """``neuroview sgement ...``: a first word that is no path but close to a verb is named as
    the verb it may be (it was ``sgement: no such file or folder`` alone, as if a file)."""
    import difflib  # noqa: PLC0415 - only for a bad path

    if not re.fullmatch(r"[A-Za-z]+", word):   # '/data/ct', 't1.nii': a path, not a word
        return ""
    close = difflib.get_close_matches(word.lower(), [*VERBS, VIEW_WORD], n=1, cutoff=0.6)
    return f"nor a verb: did you mean 'neuroview {close[0]}'?" if close else ""


def open_window(paths: list[str], command: str = "neuroview") -> int:
    missing = missing_path(paths)
    if missing is not None:  # (a loop of symbolic links is named as one, not "no such file")
        from ..io.header_check import path_problem  # noqa: PLC0415 - only for a bad path

        raise LoadError(path_problem(missing) or "no such file or folder", path=missing)
    problem = display_problem(command)
    if problem:
        raise NeuroviewError(problem)
    try:
        from ..ui.launch import launch  # noqa: PLC0415 - Qt only when the window is wanted
    except ImportError as exc:
        raise NeuroviewError(f"the viewer cannot start ({exc})") from None
    return launch(paths)


NEGATIVE_VALUE = re.compile(r"^-\.?\d")


def negative_values_joined(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """``--at -38,-46,4`` as ``--at=-38,-46,4``: argparse takes a value that starts with a minus
    sign and is not a plain number (a point R,A,S left of or behind the origin) for an option and
    says "expected one argument". Joined only after an option that takes one value."""
    out: list[str] = []
    for word in argv:
        if out and NEGATIVE_VALUE.match(word) and "=" not in out[-1]:
            action = parser._option_string_actions.get(out[-1])
            if action is not None and action.nargs is None and action.option_strings:
                out[-1] = f"{out[-1]}={word}"
                continue
        out.append(word)
    return out


def _run(argv: list[str], whole_process: bool = False) -> int:
    """The verb named first in ``argv``, or the window; ``whole_process``: the process is this
    command's alone (``args.whole_process``, so that a verb may keep the objects it made out of
    the cycle collector's sight for the rest of the process, as ``convert`` does)."""
    if argv and argv[0] in VERBS:
        module_name, help_text = VERBS[argv[0]]
        module = importlib.import_module(module_name)
        parser = argparse.ArgumentParser(prog=f"neuroview {argv[0]}", description=help_text)
        module.register(parser)
        args = parser.parse_args(negative_values_joined(parser, argv[1:]))
        args.whole_process = whole_process
        take_interrupts()   # a background job of a script inherits SIGINT ignored
        with sigterm_as_interrupt():   # `kill PID` cleans up as Ctrl+C does (stop_signals)
            watch_parent()   # started by the window: stop with it
            return int(module.run(args) or 0)
    if argv[:1] == [VIEW_WORD] and not os.path.exists(VIEW_WORD):
        argv = argv[1:]   # `neuroview view DIR`, as other viewers' commands read: `neuroview DIR`
    if argv and not os.path.exists(argv[0]) and verb_meant(argv[0]):   # before argparse's
        raise LoadError("no such file or folder", path=argv[0], hint=verb_meant(argv[0]))  # -o
    args = _top_parser().parse_args(argv)
    return open_window(args.paths)


def main(argv: list[str] | None = None) -> int:
    """The ``neuroview`` command (``argv``: its words after the program's name, else ``sys.argv``'s);
    its exit status. Called as the process's own command (no ``argv``), a headless verb leaves
    the objects alive at its end out of the exit's cycle collection (``gc.freeze``): the
    interpreter's teardown after ``import torch`` walked torch's ~150,000 objects, 0.9-2.2 s of
    the 1-6 s that Ctrl+C took to end ``neuroview segment`` at load 11, now about 0.5 s. Modules
    are still torn down and their objects freed (open files flushed and closed), the exit hooks
    run; only garbage in reference cycles is left to the operating system (no neuroview file is
    written from a destructor: every write is closed, fsync'ed and renamed in a ``with`` block).
    There, a headless verb's first Ctrl+C stops it and later ones are ignored until the process has ended
    (``stop_signals.interrupted_once``, ``ignore_interrupts``): one in the interpreter's teardown
    ended it by SIGINT (exit -2), in 4 of 4 runs with 0.05-0.2 s between two Ctrl+C at load 8-9."""
    whole_process = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    verb = whole_process and bool(argv) and argv[0] in VERBS
    if verb:
        take_interrupts()   # a background job of a script inherits SIGINT ignored
    try:   # a second Ctrl+C does not cut a headless verb's clean-up short (stop_signals)
        with interrupted_once() if verb and argv[0] not in WINDOW_VERBS else contextlib.nullcontext():
            code = _main(argv, whole_process)
    finally:
        if whole_process:   # the command has ended: a Ctrl+C in the teardown changes nothing
            ignore_interrupts()
        if verb:
            gc.freeze()
    # Ctrl+C during a step left running on its own (the brain network's pass): ended here, once
    # the command has unwound, rather than torn down under it
    return end_if_abandoned(code) if whole_process else code


def _main(argv: list[str], whole_process: bool = False) -> int:
    try:   # a Ctrl+C from here on is said in one line (exit 130)
        for stream in (sys.stdout, sys.stderr):  # a name's undecodable bytes never end a command
            with contextlib.suppress(AttributeError, ValueError):
                stream.reconfigure(errors="backslashreplace")
        # a damaged settings file of the user's (recent.json, trusted-code.json): one note each
        listen(lambda line: print(f"note: {line}", file=sys.stderr))
        log_lines()   # a log record's line starts 'neuroview: ' as the others do
        thread_errors()   # a thread's exception: one line, its traceback at DEBUG in the log
        private_dicom_warnings()   # pydicom's warnings name the file and attribute, never the value
        with light_nibabel():   # nibabel without pydicom when no file needs it (lazy_imports)
            return _run(argv, whole_process)
    except Cancelled:
        print("neuroview: cancelled", file=sys.stderr)
        return 130
    except NeuroviewError as exc:
        if _debug():
            raise
        print(f"neuroview: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as stop:  # Ctrl+C or SIGTERM: said, as a cancel is (130 or 143)
        return stopped(stop, whole_process=False)
    except BrokenPipeError:  # `neuroview info DIR | head`: the reader stopped reading, as asked
        with contextlib.suppress(OSError):  # and Python's flush of stdout at exit must not fail
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, as a shell reports a command its pipe's reader ended
    except Exception as exc:  # one line for the user; NEUROVIEW_DEBUG=1 shows the traceback
        if _debug():
            raise
        print(f"neuroview: internal error: {type(exc).__name__}: {printable(private_reason(exc))} "
              "(set NEUROVIEW_DEBUG=1 for details)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
