"""Decoders' own panic lines are dropped; anything else written to stderr meanwhile is kept."""

from __future__ import annotations

import os
import sys
import threading

from neuroview.io.dicom import native_stderr

PANIC = ("thread '<unnamed>' panicked at src/lib.rs:487:24:\n"
         "index out of bounds: the len is 8192 but the index is 8192\n")
NOTE = "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n"
BACKTRACE = ("stack backtrace:\n   0: __rustc::rust_begin_unwind\n   1: core::panicking::panic_fmt\n"
             "             at /rustc/src/panicking.rs:75:14\n"
             "note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.\n\n")


def test_without_panics_drops_the_panic_blocks_only():
    text = "before\n" + PANIC + NOTE + "between\n" + PANIC + BACKTRACE + "after\n"
    assert native_stderr.without_panics(text) == "before\nbetween\nafter\n"
    plain = "a line\nthread safety is fine\n"
    assert native_stderr.without_panics(plain) == plain


def test_quiet_drops_what_a_decoder_prints_and_keeps_the_rest(capfd):
    with native_stderr.quiet():
        os.write(2, (PANIC + NOTE).encode())        # a decoder's C/Rust write on descriptor 2
        print("a warning of our own", file=sys.stderr, flush=True)
        with native_stderr.quiet():                  # a second decode beginning meanwhile
            os.write(2, PANIC.encode())
    os.write(2, b"after\n")
    err = capfd.readouterr().err
    assert err == "a warning of our own\nafter\n"


def test_quiet_on_threads_restores_stderr_once_all_end(capfd):
    started, release = threading.Barrier(3), threading.Event()

    def decode():
        with native_stderr.quiet():
            started.wait()
            os.write(2, PANIC.encode())
            release.wait()

    threads = [threading.Thread(target=decode) for _ in range(2)]
    for t in threads:
        t.start()
    started.wait()
    release.set()
    for t in threads:
        t.join()
    os.write(2, b"visible\n")
    assert capfd.readouterr().err == "visible\n"
    assert native_stderr._REDIRECT.depth == 0
