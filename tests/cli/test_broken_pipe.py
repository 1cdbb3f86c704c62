"""`neuroview info DIR | head`: when the reader of the output stops reading, the command ends
quietly (exit 141, as a shell reports SIGPIPE) instead of printing an internal BrokenPipeError."""

from __future__ import annotations

import os
import subprocess
import sys

from pydicom.data import get_testdata_file


def test_info_into_a_closed_pipe_ends_quietly():
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line is written
    try:
        proc = subprocess.run([sys.executable, "-m", "neuroview", "info",
                               get_testdata_file("CT_small.dcm")],
                              stdout=write, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write)
    assert proc.returncode == 141, proc.stderr
    assert proc.stderr == "", proc.stderr
