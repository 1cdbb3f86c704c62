"""How soon a cancelled AI answer lets go of the machine, for each kind of network: an AI click
answer abandoned with Esc, and the automatic Segment's sliding window cancelled mid-run.

    PYTHONPATH=CHECKOUT nice -n 10 python CHECKOUT/bench/click_after_cancel.py \
        [--repeats 5] [--backends torch,torchscript,onnx,nninteractive] [--no-segment]

The MNI head on the CPU. AI click: one include click in the brain; backends ``torch`` (the bundled
AI click network), ``torchscript`` (the same network traced), ``onnx`` (the same network exported,
run by onnxruntime) and ``nninteractive`` (random weights, nnU-Net's ResEnc-L at a 64^3 patch,
the loader's path). Each repeat: ``alone``, the wall time of ``PromptSession.compute`` with
nothing else running; an answer started on a worker thread and its cancel token set (what Esc
does) 40 % into it: ``stop``, the time from the cancel to the worker's end; ``after Esc``, the
next answer's wall time from the click to its return. Segment (``torch``, ``torchscript``,
``onnx``: the bundled lesion model, its brain extraction done before): ``run``, one network run
of the sliding window (a batch of windows), ``stop``, from a cancel set half a run after a batch
started to the worker's end. Prints the medians and the ratios of ``stop`` and ``after Esc`` to
``alone`` (``run`` for Segment).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--backends", default="torch,torchscript,onnx,nninteractive")
    parser.add_argument("--no-segment", action="store_true")
    args = parser.parse_args()
    from neuroview.io.nifti import load_nifti

    volume = load_nifti(REPO / "resources" / "demo" / "mni152_t1_1mm.nii.gz")
    backends = args.backends.split(",")
    with tempfile.TemporaryDirectory() as scratch:
        for backend in backends:
            click(volume, backend, Path(scratch), args.repeats)
        if not args.no_segment:
            for backend in [b for b in backends if b != "nninteractive"]:
                segment(volume, backend, Path(scratch), args.repeats)


def click(volume, backend: str, scratch: Path, repeats: int) -> None:
    from neuroview import Session
    from neuroview.ai.interactive.prompts import PointPrompt
    from neuroview.app.prompting import PromptSession

    session = Session(volume)
    value = session.segments.add("lesion").value
    prompts = PromptSession(session, value, click_model(backend, scratch))
    centre = volume.ijk_to_ras @ np.append(np.asarray(volume.shape[:3]) / 2 + [0, 20, 10], 1.0)
    prompts.prompts.add(PointPrompt(tuple(centre[:3]), True))
    prompts.compute(1)   # the model and the image's statistics loaded

    alone, stop, after = [], [], []
    for _ in range(repeats):
        start = time.perf_counter()
        prompts.compute(1)
        alone.append(time.perf_counter() - start)
        stopped, worker = abandon(lambda cancel: prompts.compute(1, cancel), 0.4 * statistics.median(alone))
        start = time.perf_counter()
        prompts.compute(1)
        after.append(time.perf_counter() - start)
        worker.join()
        stop.append(stopped[0])
    say(f"click {backend}", "alone", alone, {"stop": stop, "after Esc": after})


def segment(volume, backend: str, scratch: Path, repeats: int) -> None:
    from neuroview.ai.api import SegmentationRequest
    from neuroview.ai.infer import choose_device, prepare_stages, run_model
    from neuroview.ai.segment import get_model

    loaded = get_model()
    request = SegmentationRequest([volume.array], volume.ijk_to_ras, device="cpu")
    stages = prepare_stages(loaded.card, request.images, request.ijk_to_ras, choose_device("cpu"))
    model = segment_model(loaded, backend, scratch)
    run, stop = [], []
    for _ in range(repeats):
        batches = []   # when each batch of windows ended

        def progress(done, total, text, batches=batches) -> None:
            if total and done:
                batches.append(time.perf_counter())

        stopped, worker = abandon(lambda cancel, p=progress: run_model(model, request, p, cancel, stages),
                                  until=lambda b=batches: len(b) >= 3, batches=batches)
        worker.join()
        run.append(statistics.median(np.diff(batches[:3])))
        stop.append(stopped[0])
    say(f"segment {backend}", "run", run, {"stop": stop})


def abandon(compute, delay: float = 0.0, until=None, batches=None):
    """``compute(cancel)`` on a worker thread, cancelled after ``delay`` s (or half a batch
    after ``until()`` holds); ``(stopped, worker)``: once the worker is joined, ``stopped[0]``
    is the time from the cancel to its end."""
    from neuroview.core.errors import Cancelled
    from neuroview.core.jobs import CancelToken

    token, stopped = CancelToken(), []

    def run() -> None:
        try:
            compute(cancel=token)
        except Cancelled:
            pass
        stopped.append(time.perf_counter() - cancelled_at[0])

    cancelled_at = [0.0]
    worker = threading.Thread(target=run, name="abandoned")
    worker.start()
    if until is None:
        time.sleep(delay)
    else:
        while not until():
            time.sleep(0.005)
        time.sleep(0.5 * (batches[-1] - batches[-2]))
    cancelled_at[0] = time.perf_counter()
    token.cancel()
    return stopped, worker


def click_model(backend: str, scratch: Path):
    if backend == "nninteractive":
        sys.path.insert(0, str(REPO / "tests" / "ai"))
        from nninteractive_weights import make_weights_folder, resenc_l_architecture

        from neuroview.ai.interactive.nninteractive import load_nninteractive

        folder = make_weights_folder(scratch / backend, architecture=resenc_l_architecture(),
                                     patch_size=(64, 64, 64), background_margin=20.0)
        return load_nninteractive(folder)
    from neuroview.ai.interactive.model import NetworkPromptModel

    model = NetworkPromptModel()
    model.network = converted(model.network, backend, (2, 5) + (model.min_side,) * 3, scratch)
    return model


def segment_model(loaded, backend: str, scratch: Path):
    from dataclasses import replace

    card = loaded.card
    shape = (2, card.n_channels) + tuple(card.patch_size)
    return replace(loaded, network=converted(loaded.network, backend, shape, scratch), kind=backend)


def converted(network, backend: str, shape, scratch: Path):
    """``network`` as it is (``torch``), traced (``torchscript``) or exported and opened in
    onnxruntime (``onnx``, through neuroview's ONNX loader's runner)."""
    import torch

    if backend == "torch":
        return network
    example = torch.zeros(shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if backend == "torchscript":
            return torch.jit.trace(network, example)
        from neuroview.ai.onnx_session import open_session
        from neuroview.ai.package import _OnnxRunner

        target = scratch / f"{id(network)}.onnx"
        axes = {0: "n", 2: "x", 3: "y", 4: "z"}
        torch.onnx.export(network, example, str(target), dynamo=False, input_names=["image"],
                          output_names=["logits"], opset_version=17,
                          dynamic_axes={"image": axes, "logits": axes})
    return _OnnxRunner(open_session(target, ["CPUExecutionProvider"]), target)


def say(name: str, reference: str, base: list, others: dict) -> None:
    b = statistics.median(base)
    parts = [f"{reference} {b * 1000:.0f} ms"]
    for label, values in others.items():
        m = statistics.median(values)
        parts.append(f"{label} {m * 1000:.0f} ms ({m / b:.2f}x)")
    detail = "; ".join(f"{k} {[round(x * 1000) for x in v]}" for k, v in {reference: base, **others}.items())
    print(f"{name:24s} " + "  ".join(parts) + f"   [{detail}]", flush=True)


if __name__ == "__main__":
    main()
