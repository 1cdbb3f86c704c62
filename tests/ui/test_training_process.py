"""``TrainingProcess`` reads the train command's lines (stdout: the log, epochs, the package
folder last; stderr: its error line) through ``ProgressProcess``, as the Rank and Models dialogs
read theirs. A child printing what the train command prints stands in for it (no torch)."""

from __future__ import annotations

import math
import sys

import pytest

from neuroview.ui import training_runner
from neuroview.ui.training_runner import TrainingProcess, TrainRequest

SUCCESS = r"""
import sys
print("4 training and 1 held-out cases (split 1a2b)", flush=True)
print("resumed from /m/blobs@1.0.0.checkpoint at epoch 1", flush=True)
sys.stderr.write("UserWarning: a warning\n"); sys.stderr.flush()
print("epoch 2: loss 0.812  held-out Dice 0.431, 0.229  (best)  0.3 min", flush=True)
sys.stdout.write("epoch 3: loss 0.700  held-out Dice 0.300, 0.100  0.3 min\r\n")
print("  held-out Dice lesion 0.455", flush=True)
sys.stdout.write("/home/u/models/blobs@1.0.0")   # the last line, with no line end
"""

RESUMED = r"""
print("resumed from /m/a run at epoch 9/blobs@1.0.0.checkpoint at epoch 1 "
      "(best held-out Dice 0.600 at epoch 1)", flush=True)
print("epoch 2: loss 0.812  held-out Dice 0.300  0.3 min", flush=True)
print("/home/u/models/blobs@1.0.0", flush=True)
"""

FAILURE = r"""
import sys
print("epoch 1: loss 0.9  held-out Dice 0.1  (best)  0.1 min", flush=True)
sys.stderr.write("neuroview: error: d: no dataset.json\n")
sys.stderr.write("a warning printed after it\n")
sys.exit(1)
"""

SPLIT_CHARACTERS = r"""
import os, time
data = "progress 1/2 modèle Ångström\n".encode()
cut = data.index(b"\xc3") + 1                  # inside the "è"
os.write(1, data[:cut]); time.sleep(0.5); os.write(1, data[cut:])
data = "último é".encode()                       # the last line, with no line end
os.write(1, data[:-1]); time.sleep(0.5); os.write(1, data[-1:])
"""


def _run(qtbot, monkeypatch, program, arguments):
    monkeypatch.setattr(training_runner, "neuroview_command", lambda _arguments: (program, arguments))
    process = TrainingProcess()
    epochs, finished = [], []
    process.epoch.connect(lambda *values: epochs.append(values))
    process.finished.connect(lambda ok, text: finished.append((ok, text)))
    process.start(TrainRequest(dataset="d", name="blobs", version="1.0.0", epochs=5))
    qtbot.waitUntil(lambda: bool(finished), timeout=20000)
    assert not process.running
    return process, epochs, finished


def test_a_run_gives_its_epochs_log_and_package_folder(qtbot, monkeypatch):
    process, epochs, finished = _run(qtbot, monkeypatch, sys.executable, ["-c", SUCCESS])
    assert finished == [(True, "/home/u/models/blobs@1.0.0")]
    assert [e[:2] for e in epochs] == [(2, 5), (3, 5)]
    assert math.isclose(epochs[0][2], 0.33) and math.isclose(epochs[0][3], 0.33)
    assert math.isclose(epochs[1][2], 0.2) and math.isclose(epochs[1][3], 0.33)   # best stays
    assert process.epochs_done == 3 and not process.cancelled and not process.crashed
    command = "$ neuroview train --dataset d --out blobs --version 1.0.0 --epochs 5 --device auto"
    assert process.log[0] == command
    assert "  held-out Dice lesion 0.455" in process.log   # stdout's lines as printed
    assert "UserWarning: a warning" in process.log          # and stderr's
    assert process.log[-1] == "/home/u/models/blobs@1.0.0"


def test_a_resumed_run_keeps_the_checkpoints_best_epoch_as_best_so_far(qtbot, monkeypatch):
    """Cancel, then Start with Resume: the epoch kept from before the cancel (Dice 0.600) stays
    the best until a later epoch beats it, as the weights the model gets do. The dialog said
    'best so far -' after a resumed epoch that did not beat it (session 33's walk)."""
    process, epochs, finished = _run(qtbot, monkeypatch, sys.executable, ["-c", RESUMED])
    assert finished == [(True, "/home/u/models/blobs@1.0.0")]
    assert len(epochs) == 1 and epochs[0][:2] == (2, 5)
    assert math.isclose(epochs[0][2], 0.3) and math.isclose(epochs[0][3], 0.6)


def test_a_failing_run_gives_its_own_error_line_over_later_warnings(qtbot, monkeypatch):
    _, epochs, finished = _run(qtbot, monkeypatch, sys.executable, ["-c", FAILURE])
    assert finished == [(False, "neuroview: error: d: no dataset.json")]
    assert len(epochs) == 1


def test_a_process_that_cannot_start_says_so(qtbot, monkeypatch, tmp_path):
    process, _, finished = _run(qtbot, monkeypatch, str(tmp_path / "no-python"), [])
    ok, text = finished[0]
    assert not ok and text.startswith("cannot start the training process (") and process.log[-1] == text


def test_cancel_stops_the_child_and_says_cancelled(qtbot, monkeypatch):
    import os

    monkeypatch.setattr(training_runner, "neuroview_command", lambda _arguments: ("sleep", ["60"]))
    process = TrainingProcess()
    finished = []
    process.finished.connect(lambda ok, text: finished.append((ok, text)))
    process.start(TrainRequest(dataset="d", name="blobs", version="1.0.0"))
    qtbot.waitUntil(lambda: process.running, timeout=5000)
    pid = process.process.processId()
    process.cancel()
    qtbot.waitUntil(lambda: bool(finished), timeout=5000)
    assert finished == [(False, "cancelled")] and process.cancelled
    with pytest.raises(OSError):
        os.kill(pid, 0)


def test_a_merged_progress_process_reads_its_one_channel(qtbot, qtlog, monkeypatch):
    """The Rank and Models dialogs' processes (stderr merged into stdout) read only stdout at the
    end: reading stderr too made Qt warn 'readAllStandardError: Called with MergedChannels'."""
    from neuroview.ui.training_runner import ProgressProcess

    script = "import sys; print('progress 1/2 a'); sys.stderr.write('neuroview: error: x')"
    monkeypatch.setattr(training_runner, "neuroview_command",
                        lambda _arguments: (sys.executable, ["-c", script]))
    runner = ProgressProcess()
    lines, progress, finished = [], [], []
    runner.line.connect(lines.append)
    runner.progress.connect(lambda *values: progress.append(values))
    runner.finished.connect(lambda code, crashed: finished.append((code, crashed)))
    runner.start(["dataset", "rank"])
    qtbot.waitUntil(lambda: bool(finished), timeout=20000)
    assert finished == [(0, False)] and progress == [(1.0, 2.0, "a")] and lines == ["neuroview: error: x"]
    assert not [r for r in qtlog.records if "MergedChannels" in r.message]


def test_a_character_split_across_two_reads_is_kept_whole(qtbot, monkeypatch):
    """A non-ASCII character whose bytes come in two reads (the child writes half, waits, writes
    the rest) reads as itself, not as two replacement characters."""
    from neuroview.ui.training_runner import ProgressProcess

    script = SPLIT_CHARACTERS
    monkeypatch.setattr(training_runner, "neuroview_command",
                        lambda _arguments: (sys.executable, ["-c", script]))
    runner = ProgressProcess(separate_errors=True)
    lines, progress, finished = [], [], []
    runner.line.connect(lines.append)
    runner.progress.connect(lambda *values: progress.append(values))
    runner.finished.connect(lambda code, crashed: finished.append((code, crashed)))
    runner.start(["train"])
    qtbot.waitUntil(lambda: bool(finished), timeout=20000)
    assert finished == [(0, False)]
    assert progress == [(1.0, 2.0, "modèle Ångström")] and lines == ["último é"]


NO_LESION = r"""
print("epoch 1: loss 1.867  held-out Dice -  (best)  0.0 min  no held-out lesion: 1.0 false regions/case",
      flush=True)
print("epoch 2: loss 1.604  held-out Dice -  0.0 min  no held-out lesion: 1.0 false regions/case", flush=True)
print("/home/u/models/blobs@1.0.0", flush=True)
"""


def test_epochs_of_a_split_without_a_lesion_still_count(qtbot, monkeypatch):
    """No held-out case holds a lesion: the epoch line prints Dice '-' (not measured; it printed
    1.000 until session 40); the window still counts the epochs, its Dice unknown."""
    process, epochs, finished = _run(qtbot, monkeypatch, sys.executable, ["-c", NO_LESION])
    assert [e[:2] for e in epochs] == [(1, 5), (2, 5)] and process.epochs_done == 2
    assert all(math.isnan(e[2]) for e in epochs)
