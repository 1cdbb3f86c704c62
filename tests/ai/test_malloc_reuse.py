"""Importing ``neuroview.ai`` lets glibc keep freed memory for the next allocation of its size
(``neuroview.ai._reuse_freed_memory``): a network's layers and the sliding window's patches free
and allocate the same large buffers again and again, and with glibc's default every buffer over
128 KiB went back to the system and came back as fresh zeroed pages (a fifth of deepbet's
processor time in page faults). Read in a new process, as the user runs it: the page faults of
allocating such buffers again (old code: 10 587 for these, 73 540 for three passes of two small
convolution layers at 2x64^3, against 8 192 now)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.checkout import REPO

LAYERS_AGAIN = """
import resource
import numpy as np
import neuroview.ai
def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
def layers():   # buffers of 2-8 MiB written and freed in turn, as a network's layers do
    for size in (2 ** 18, 2 ** 20, 2 ** 19, 2 ** 20, 2 ** 18):
        a = np.ones(size)
        b = a * 2
        del a, b
layers()
before = faults()
for _ in range(3):
    layers()
print(faults() - before)
"""


def _faults(**extra) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    env.update(extra, PYTHONPATH=str(REPO))
    out = subprocess.run([sys.executable, "-c", LAYERS_AGAIN], env=env, capture_output=True,
                         text=True, timeout=120, cwd=REPO)
    assert out.returncode == 0, out.stderr
    return int(out.stdout.strip().splitlines()[-1])


def test_a_freed_buffer_is_reused_without_page_faults():
    if not sys.platform.startswith("linux"):
        return   # glibc only; elsewhere nothing is changed
    assert _faults() < 500          # 10 587 with glibc's default: pages fresh from the system


def test_a_malloc_setting_the_user_made_is_kept():
    if not sys.platform.startswith("linux"):
        return
    assert _faults(MALLOC_MMAP_THRESHOLD_="131072") > 5000   # every buffer mmapped: the user's choice
