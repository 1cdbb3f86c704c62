"""Loading the AI runtime (the first ``import torch``, in a background job) leaves the window's
GUI thread running: no hold of the interpreter lock of the length a user sees as a frozen window.

A fresh interpreter (torch not imported yet, as in the window a user opens): the main window, a
10 ms QTimer on its GUI thread, and the job *AI > Segment with a model...* and Help > About start
to find the devices (``model_choice.when_devices_known``). Between two ticks of the timer, a hold
is the CPU time the other threads ran, at most the time the GUI thread was blocked (off its CPU
and not waiting for one, nor in its own 2 ms sleeps: waiting for the lock). CPU time and the
scheduler's own count of the GUI thread's wait for a CPU (``/proc/.../schedstat``), not wall time,
so that a busy machine does not decide the outcome: the other threads' CPU alone (as until
session 44) counted their work *beside* the GUI thread (the libraries' loading, with the lock
released, on the second core: 19 ms in a 15 ms gap) and, while the GUI thread waited its turn
for a CPU on a loaded machine (up to 64 ms measured at load 16 on 2 cores), as a hold; it failed
once under load in session 43. Before (``import torch`` as it comes): 0.24-0.29 s at a stretch
(the loading of ``libtorch_cpu.so`` inside ``torch._C``'s import) and three full cycle
collections of 0.1-0.5 s each; now about 25 ms.
"""

from __future__ import annotations

import sys

import pytest
from fresh_window import run_fresh

pytest.importorskip("torch")

CHILD = r"""
import gc
import threading
from PySide6.QtCore import QTimer
from neuroview.ai import runtime_import
from neuroview.ui.model_choice import when_devices_known

full = []
gc.callbacks.append(lambda phase, info: full.append(1)
                    if phase == "start" and info["generation"] == 2 else None)

def waited():   # seconds the GUI thread (this one) spent runnable, waiting for a CPU
    try:
        with open(f"/proc/self/task/{threading.get_native_id()}/schedstat") as stat:
            return int(stat.read().split()[1]) / 1e9
    except OSError:   # not Linux: its waits for a CPU are then counted as blocked
        return 0.0

def now():   # (wall, CPU of every other thread, this one's CPU, its wait for a CPU, its sleeps)
    mine = time.thread_time()
    return (time.perf_counter(), time.clock_gettime(time.CLOCK_PROCESS_CPUTIME_ID) - mine, mine,
            waited(), slept[0])

slept = [0.0]
holds, gaps, last = [], [], [now()]

def tick():
    last[0], before = now(), last[0]
    wall, others, mine, wait, sleeps = (b - a for a, b in zip(before, last[0]))
    holds.append(min(others, max(wall - mine - wait - sleeps, 0.0)))
    gaps.append(wall)

timer = QTimer()
timer.setInterval(10)
timer.timeout.connect(tick)
timer.start()
known = []
when_devices_known(window.runner, known.append)
while not known:   # run_fresh's timeout bounds it
    app.processEvents()
    time.sleep(0.002)
    slept[0] += 0.002
timer.stop()
print(json.dumps({"hold_ms": 1000 * max(holds), "gap_ms": 1000 * max(gaps), "full_collections": len(full),
                  "preloaded": runtime_import.preloaded, "devices": known[0] if known else None,
                  "torch": "torch" in sys.modules}))
window.close()
"""


def test_loading_the_ai_runtime_leaves_the_gui_thread_running(tmp_path):
    seen, stderr, code = run_fresh(CHILD, tmp_path)
    assert code == 0, stderr[-3000:]
    # the runtime loaded: the devices are known (what the dialog's "Runs on" line shows)
    assert seen["torch"] and seen["devices"]["cpu"] == "cpu", seen
    # the mechanism: torch's large libraries were opened with the lock released, before the
    # import of torch._C would have opened them with it held ...
    assert "libtorch_cpu" + (".dylib" if sys.platform == "darwin" else ".so") in seen["preloaded"], seen
    # ... and no full cycle collection walked the whole process while torch was imported
    assert seen["full_collections"] == 0, seen
    # what the user feels: no hold near the 0.1 s a person notices (about 25 ms measured)
    assert seen["hold_ms"] < 150, seen
