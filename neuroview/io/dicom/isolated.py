"""GDCM's decoding in a child process of its own, which neuroview starts on the first frame that
only GDCM is left to try and keeps for the frames that follow.

GDCM's C++ code ends the process that runs it (``terminate`` on a ``gdcm::Exception``, SIGABRT)
on some damaged JPEG data: no handler can catch that, so a damaged file could close the window.
In a child, a crash is one more reason in the file's error line, and the next request starts a
fresh child. The child is a fresh Python (``subprocess``, safe beside threads, unlike a fork);
requests and answers are JSON lines, the frame comes back as a ``.npy`` file.
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from typing import Optional

import numpy as np

_SERVER = r"""
import json, sys, warnings
import numpy as np, pydicom
from pydicom.pixels import get_decoder
warnings.simplefilter("ignore")
for line in sys.stdin:
    request = json.loads(line)
    try:
        ds = pydicom.dcmread(request["path"])
        array, _ = get_decoder(ds.file_meta.TransferSyntaxUID).as_array(
            ds, index=request["index"], as_rgb=True, decoding_plugin="gdcm")
        np.save(request["out"], array, allow_pickle=False)
        answer = {"ok": True}
    except Exception as exc:
        lines = str(exc).strip().splitlines() or [""]
        answer = {"ok": False, "error": f"{type(exc).__name__}: {lines[-1].strip()}"[:160]}
    print(json.dumps(answer), flush=True)
"""


class IsolatedDecoder:
    """One GDCM child at a time, shared by the threads that decode (one request at a time)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: Optional[subprocess.Popen] = None
        self._answers: queue.Queue = queue.Queue()
        self._folder: Optional[str] = None

    def decode(self, path: str, index: Optional[int], seconds: float = 120) -> np.ndarray:
        """Frame ``index`` (``None``: the only one) of the file at ``path``, or RuntimeError."""
        with self._lock:
            proc = self._running()
            out = os.path.join(self._folder, "frame.npy")
            try:
                proc.stdin.write(json.dumps({"path": path, "index": index, "out": out}) + "\n")
                proc.stdin.flush()
                line = self._answers.get(timeout=seconds)
            except queue.Empty:
                self._stop()
                raise RuntimeError(f"no answer in {seconds:g} s") from None
            except OSError:  # the child is gone: its pipe is closed
                line = ""
            if not line:
                code = proc.wait()
                self._proc = None
                raise RuntimeError(f"the decoder crashed (signal {-code})" if code < 0
                                   else f"the decoder ended (exit {code})")
            answer = json.loads(line)
            if not answer["ok"]:
                raise RuntimeError(answer["error"])
            try:
                return np.load(out, allow_pickle=False)
            finally:
                os.unlink(out)

    def _running(self) -> subprocess.Popen:
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        if self._folder is None:
            self._folder = tempfile.mkdtemp(prefix="neuroview-gdcm-")
            atexit.register(self.close)
        self._proc = subprocess.Popen([sys.executable, "-c", _SERVER], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                      text=True, bufsize=1)
        self._answers = queue.Queue()
        threading.Thread(target=_read_lines, args=(self._proc.stdout, self._answers),
                         daemon=True, name="gdcm-child-answers").start()
        return self._proc

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc = None

    def close(self) -> None:
        with self._lock:
            self._stop()
            if self._folder is not None:
                shutil.rmtree(self._folder, ignore_errors=True)
                self._folder = None


def _read_lines(stream, answers: queue.Queue) -> None:
    """Every answer line of the child, then '' when its output ends (it crashed or exited)."""
    for line in stream:
        answers.put(line)
    answers.put("")


GDCM = IsolatedDecoder()
