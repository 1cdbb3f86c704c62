"""Benchmark: how long a Cancel takes to stop each long step session 43 found it could not stop
midway, against another checkout, in the same run.

Steps (a 512x512xN CT-like series with a model's brain and three lesions, ``tests/io/seg_axial``):
``proposal`` (``app.proposal.write_proposal``: a model's proposal file), ``save_seg``
(``io.seg.save_seg``), ``read_seg`` (``io.seg.load_seg_placed`` of that SEG), ``brain``
(``ai.brain.brain_probability_ras`` on the bundled MNI head: networks loaded, coarse 128^3 pass,
fine pass) and ``staple`` (``dataset.agreement.staple`` of 3 readers, on a smaller grid: 63 s
on the full one). Each step runs twice uncancelled (the second gives its length D), then is cancelled at
``--at`` fractions of D from a timer thread; the time from the Cancel to the call's return (or
its ``Cancelled``) is measured, and so are the time from the Cancel until the work left behind
ended (``jobs.wait_abandoned``) and the processor time the process used meanwhile: the main
thread waits, so it is the abandoned work's. A checkout whose step takes no ``cancel`` gets
none: its figure is how long the step ran on after the Cancel came. Each (checkout, step) runs
in a fresh child process, this checkout and the reference one after the other, so both meet the
same load.

Run: nice -n 10 python bench/cancel_stretches.py --reference /work/main [--steps proposal,save_seg]
[--slices 300] [--at 0.2,0.5,0.8] [--rounds 3]
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEPS = ("proposal", "save_seg", "read_seg", "brain", "staple")


def _with_cancel(function, cancel, **kwargs):
    """``function`` called with ``cancel`` when it takes one."""
    if "cancel" in inspect.signature(function).parameters:
        kwargs["cancel"] = cancel
    return lambda: function(**kwargs)


def _label_map(slices: int):
    sys.path.append(str(ROOT))   # the bench's helpers; neuroview from PYTHONPATH's checkout
    from bench.seg_memory import make_label_map
    from tests.io.seg_axial import axial_headers

    headers, ijk_to_ras = axial_headers(slices, 512)
    return headers, make_label_map(slices, ijk_to_ras)


def calls(step: str, slices: int, folder: str):
    """``make(cancel)`` for ``step``: a function of no arguments running it once."""
    import numpy as np

    if step == "proposal":
        from neuroview.app.proposal import write_proposal

        _headers, label_map = _label_map(slices)
        meta = {"model": "bench", "segments": label_map.segments.to_list()}
        return lambda cancel: _with_cancel(write_proposal, cancel, path=Path(folder) / "p.npz",
                                           array=label_map.array, meta=meta)
    if step in ("save_seg", "read_seg"):
        from neuroview.io import seg

        headers, label_map = _label_map(slices)
        target = os.path.join(folder, "seg.dcm")
        if step == "save_seg":
            return lambda cancel: _with_cancel(seg.save_seg, cancel, label_map=label_map,
                                               sources=headers, path=target)
        seg.save_seg(label_map, headers, target)
        return lambda cancel: _with_cancel(seg.load_seg_placed, cancel, path=target)
    if step == "brain":
        from neuroview.ai import brain
        from neuroview.io.nifti import load_nifti

        head = load_nifti(ROOT / "resources" / "demo" / "mni152_t1_1mm.nii.gz")
        image = np.asarray(head.array, np.float32)
        return lambda cancel: _with_cancel(brain.brain_probability_ras, cancel, x=image, fold=False)
    if step == "staple":
        from neuroview.dataset.agreement import staple

        rng = np.random.default_rng(0)
        base = np.zeros((256, 256, slices // 2), bool)
        base[60:200, 50:210, 20:slices // 2 - 20] = True
        masks = {n: base ^ (rng.random(base.shape) < 0.02) for n in ("a", "b", "c")}
        return lambda cancel: _with_cancel(staple, cancel, masks=masks)
    raise ValueError(step)


def _cancelled_at(call, token, delay: float) -> tuple | None:
    """``(seconds from the Cancel to the call's end, whether it raised Cancelled, processor
    seconds from the Cancel to the end of the work left behind, seconds to that end)``; ``None``
    when the call ended before ``delay``."""
    from neuroview.core.errors import Cancelled
    from neuroview.core.jobs import wait_abandoned

    sent: list = []

    def fire():
        sent.extend((time.perf_counter(), time.process_time()))
        token.cancel()

    timer = threading.Timer(delay, fire)
    timer.start()
    cancelled = False
    try:
        call()
    except Cancelled:
        cancelled = True
    ended = time.perf_counter()
    timer.cancel()
    wait_abandoned(600)   # the work it left running ends before the next run
    if not sent:
        return None
    return (round(ended - sent[0], 3), cancelled, round(time.process_time() - sent[1], 3),
            round(time.perf_counter() - sent[0], 3))


def child(step: str, slices: int, fractions: list[float]) -> dict:
    from neuroview.core.jobs import CancelToken

    with tempfile.TemporaryDirectory(prefix="cancel-stretch-") as folder:
        make = calls(step, slices, folder)
        make(CancelToken())()   # once before: the libraries' code tables, the networks loaded
        started = time.perf_counter()
        make(CancelToken())()
        length = time.perf_counter() - started
        latencies = []
        for fraction in fractions:
            token = CancelToken()
            found = _cancelled_at(make(token), token, fraction * length)
            if found is not None:
                latencies.append(found)
    return {"length": round(length, 3), "latencies": latencies}


def run(tree: Path, step: str, slices: int, at: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree))
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", step,
                          "--slices", str(slices), "--at", at], env=env, capture_output=True,
                         text=True, cwd=tree)
    if out.returncode:
        raise SystemExit(f"{tree} {step}: {out.stderr.strip().splitlines()[-1:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _listed(seconds: list[float]) -> str:
    median = statistics.median(seconds) if seconds else float("nan")
    return f"{', '.join(f'{s:.2f}' for s in seconds)} s (median {median:.2f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, help="another checkout of neuroview (required)")
    parser.add_argument("--steps", default=",".join(STEPS))
    parser.add_argument("--slices", type=int, default=300)
    parser.add_argument("--at", default="0.2,0.5,0.8", help="fractions of the step's length")
    parser.add_argument("--rounds", type=int, default=1,
                        help="rounds of both checkouts taking turns; medians over all rounds")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    fractions = [float(f) for f in args.at.split(",")]
    if args.child:
        print(json.dumps(child(args.child, args.slices, fractions)))
        return 0
    if args.reference is None:
        parser.error("--reference is required")
    print(f"load average at start: {os.getloadavg()[0]:.1f}", flush=True)
    for step in args.steps.split(","):
        found: dict = {"this": [], "reference": []}
        for _round in range(args.rounds):
            for name, tree in (("this", ROOT), ("reference", args.reference)):
                one = run(tree, step, args.slices, args.at)
                found[name].extend(one["latencies"])
                print(f"{step:9s} {name:9s} step {one['length']:6.2f} s", flush=True)
        for name, latencies in found.items():
            print(f"{step:9s} {name:9s} Cancel to return: {_listed([f[0] for f in latencies])}; "
                  f"work left behind ran on {_listed([f[3] for f in latencies])}, using "
                  f"{_listed([f[2] for f in latencies])} of processor; "
                  f"cancelled {sum(f[1] for f in latencies)} of {len(latencies)}", flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
