"""A cancel (Esc on an AI click answer, a Segment's Cancel, Ctrl+C) reaches a network's run, not
only the gap between two runs: an ONNX run ends at its next node (onnxruntime's
``RunOptions.terminate``), a torch module's at its next layer, and a network that takes neither
(TorchScript) before its next run, mirrorings included."""

from __future__ import annotations

import _thread
import threading
import time

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from neuroview.ai.networks import UNet3D  # noqa: E402
from neuroview.ai.sliding_window import sliding_window  # noqa: E402
from neuroview.core.errors import Cancelled  # noqa: E402
from neuroview.core.jobs import CancelToken  # noqa: E402


@pytest.fixture(scope="module")
def endless_onnx(tmp_path_factory):
    """neuroview's ONNX runner on a graph that only ends when stopped: ``logits = image`` after
    a Loop of 10^15 turns, each adding 0."""
    onnx = pytest.importorskip("onnx")
    pytest.importorskip("onnxruntime")
    from onnx import TensorProto, helper

    from neuroview.ai.onnx_session import open_session
    from neuroview.ai.package import _OnnxRunner

    value = helper.make_tensor_value_info
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"]),
         helper.make_node("Add", ["v_in", "zero"], ["v_out"])], "turn",
        [value("i", TensorProto.INT64, []), value("cond_in", TensorProto.BOOL, []),
         value("v_in", TensorProto.FLOAT, None)],
        [value("cond_out", TensorProto.BOOL, []), value("v_out", TensorProto.FLOAT, None)],
        [helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0])])
    axes = ["n", "c", "x", "y", "z"]
    graph = helper.make_graph(
        [helper.make_node("Loop", ["turns", "go", "image"], ["logits"], body=body)], "endless",
        [value("image", TensorProto.FLOAT, axes)], [value("logits", TensorProto.FLOAT, axes)],
        [helper.make_tensor("turns", TensorProto.INT64, [], [10 ** 15]),
         helper.make_tensor("go", TensorProto.BOOL, [], [True])])
    path = tmp_path_factory.mktemp("onnx") / "endless.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))
    return _OnnxRunner(open_session(path, ["CPUExecutionProvider"]), path)


def _on_worker(function, cancel: CancelToken):
    """``function()`` on a daemon thread; ``(thread, outcome)``, outcome filled as it ends."""
    outcome = []

    def run() -> None:
        try:
            outcome.append(function())
        except Cancelled:
            outcome.append("cancelled")

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def test_a_cancel_ends_an_onnx_run_of_the_sliding_window(endless_onnx):
    token = CancelToken()
    image = torch.zeros((2, 12, 12, 12))
    thread, outcome = _on_worker(lambda: sliding_window(endless_onnx, image, (8, 8, 8), 2,
                                                        cancel=token), token)
    thread.join(0.3)
    assert thread.is_alive()   # in the endless run
    token.cancel()
    thread.join(30)
    assert not thread.is_alive() and outcome == ["cancelled"]


def test_ctrl_c_ends_an_onnx_run_on_the_main_thread(endless_onnx):
    """``neuroview segment`` runs the model on its main thread, where Ctrl+C waited for the run."""
    timer = threading.Timer(0.3, _thread.interrupt_main)
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        endless_onnx(torch.zeros((1, 2, 8, 8, 8)))
    timer.join()


def test_a_cancel_stops_a_torch_network_within_its_run():
    """The automatic Segment's windows: the cancel set during a window's third layer stops it
    there (its layers look at the thread's token), not after the run's 30 layers."""
    torch.manual_seed(0)
    network = UNet3D(1, 2, base_channels=4, levels=3).eval()
    layers = [m for m in network.modules() if next(m.children(), None) is None]
    ran, token = [], CancelToken()

    def count(_module, _inputs) -> None:
        ran.append(1)
        if len(ran) == 3:
            token.cancel()

    for layer in layers:
        layer.register_forward_pre_hook(count)
    with pytest.raises(Cancelled):
        sliding_window(network, torch.zeros((1, 16, 16, 16)), (16, 16, 16), 2, cancel=token)
    assert len(ran) == 3 < len(layers)


def test_a_network_without_hooks_stops_before_its_next_mirroring():
    """TorchScript takes no hooks: the cancel reaches it between two runs, and a batch of
    windows mirrored three ways is eight runs, not one."""
    token, runs = CancelToken(), []

    def network(batch: torch.Tensor) -> torch.Tensor:   # as a script module: a callable
        runs.append(batch.shape)
        token.cancel()
        return torch.zeros((batch.shape[0], 2) + tuple(batch.shape[2:]))

    with pytest.raises(Cancelled):
        sliding_window(network, torch.zeros((1, 8, 8, 8)), (8, 8, 8), 2, mirror_axes=(0, 1, 2),
                       cancel=token)
    assert len(runs) == 1


def test_an_ai_click_answer_of_an_onnx_network_stops_within_its_run(endless_onnx, mni_volume):
    """Esc on an AI click answer whose network is ONNX: the answer ends (the next click no
    longer waits for the whole run under the engine's lock)."""
    from neuroview.ai.interactive.engine import InteractiveSegmenter
    from neuroview.ai.interactive.model import NetworkPromptModel
    from neuroview.ai.interactive.prompts import PointPrompt, PromptSet

    model = NetworkPromptModel()
    running = threading.Event()

    def network(batch):   # the ONNX runner, once the answer's network runs
        running.set()
        return endless_onnx(batch)

    model.network = network
    segmenter = InteractiveSegmenter(mni_volume.array, mni_volume.ijk_to_ras, model)
    centre = mni_volume.ijk_to_ras @ np.append(np.asarray(mni_volume.shape[:3]) / 2, 1.0)
    token = CancelToken()
    thread, outcome = _on_worker(lambda: segmenter.run(PromptSet([PointPrompt(tuple(centre[:3]), True)]),
                                                       cancel=token), token)
    assert running.wait(60)
    thread.join(0.2)
    token.cancel()   # Esc
    thread.join(30)
    assert not thread.is_alive() and outcome == ["cancelled"]


STOPPED_BY_CTRL_C = """
import sys
import numpy as np
from neuroview.ai.onnx_session import open_session, run_stoppable
session = open_session(sys.argv[1], ["CPUExecutionProvider"])
print("running", flush=True)
try:
    run_stoppable(session, {"image": np.ones((600, 600), np.float32)})
except KeyboardInterrupt:
    print("stopped", flush=True)
    sys.exit(130)
"""


def test_ctrl_c_during_a_long_onnx_node_exits_cleanly(tmp_path):
    """Ctrl+C while onnxruntime is inside a node that takes a while (a turn of 600^2 matrix
    products): the command waits for that node and exits as interrupted. Python 3.11's
    ``Thread.join``, interrupted, took the run's thread for ended, and the interpreter's exit
    under it aborted the process ("terminate called without an active exception")."""
    import signal
    import subprocess
    import sys

    onnx = pytest.importorskip("onnx")
    pytest.importorskip("onnxruntime")
    from onnx import TensorProto, helper

    value = helper.make_tensor_value_info
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"])]
        + [helper.make_node("MatMul", [f"m{i}", f"m{i}"], [f"m{i + 1}"]) for i in range(20)]
        + [helper.make_node("Identity", ["m20"], ["v_out"])], "turn",
        [value("i", TensorProto.INT64, []), value("cond_in", TensorProto.BOOL, []),
         value("m0", TensorProto.FLOAT, [600, 600])],
        [value("cond_out", TensorProto.BOOL, []), value("v_out", TensorProto.FLOAT, [600, 600])])
    graph = helper.make_graph(
        [helper.make_node("Loop", ["turns", "go", "image"], ["out"], body=body)], "slow",
        [value("image", TensorProto.FLOAT, [600, 600])], [value("out", TensorProto.FLOAT, [600, 600])],
        [helper.make_tensor("turns", TensorProto.INT64, [], [10 ** 9]),
         helper.make_tensor("go", TensorProto.BOOL, [], [True])])
    path = tmp_path / "slow.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))
    process = subprocess.Popen([sys.executable, "-c", STOPPED_BY_CTRL_C, str(path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "running\n"
    time.sleep(0.5)   # in a node
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, out, err) == (130, "stopped\n", "")
