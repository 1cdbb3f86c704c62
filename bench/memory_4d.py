"""Memory and CPU of opening a 4D NIfTI or MGH, against nibabel's own read of the same file.

Each measure runs in a child process of its own (median of ``--repeats``), and reports what the
measure added above the process after its imports: the peak resident memory (``VmHWM``, reset
after the imports, less ``VmRSS`` then; a memory-mapped ``.nii`` counts the pages read) and
the peak of Python/numpy allocations (``tracemalloc``; VTK's C++ buffers are not seen there, a
memory map neither), and the CPU seconds it took (user + system; tracemalloc slows both alike).

  (a) ``nibabel``: ``np.asanyarray(nib.load(path).dataobj)``, nibabel's read in the file's type
      (scaled voxels: float64), the reference every ratio is to;
  (b) ``load``: ``neuroview.io.load``;
  (c) ``open``: (b) and what the window computes when it shows the image, by the same functions
      and without a window: the workspace keys, the opening window/level (``ViewerState``), the
      intensity range, the CT guess, the empty label map, the three slice views of time points 1
      and the middle one, the 3D view's copy into VTK (``render.prepare3d``). ``--steps`` adds
      each step's own tracemalloc peak above what it started with, to find a step that copies.

Without files it writes a 4D int16 image of ``--shape`` (default 96x96x60x150, 158 MiB: session
34's fMRI-sized test) in a temporary folder: ``.nii.gz``, ``.nii``, a ``.nii.gz`` with
scl_slope 0.5 (the voxels are float once scaled) and a FreeSurfer ``.mgz`` with a TR of 2 s
(nibabel inflates it to its footer, then again for the voxels; neuroview reads the footer after
the voxels, from the same stream).

    python bench/memory_4d.py [--shape 96,96,60,150] [--repeats 3] [--steps] [FILE ...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

MEASURES = ("nibabel", "load", "open")


def _status_mib(field: str) -> float | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _start_peak() -> float:
    """The resident memory now, the peak reset to it where Linux allows (importing VTK peaks
    above where it ends: that peak is not the measure's)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass
    now = _status_mib("VmRSS")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 if now is None else now


def _peak_mib() -> float:
    peak = _status_mib("VmHWM")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 if peak is None else peak


def _open_steps(path: str, steps: dict) -> object:
    """What the window does on opening ``path``, without a window; ``steps``: each step's own
    tracemalloc peak (MiB) above the memory traced when it began."""
    from neuroview.app.frames import frame_volume
    from neuroview.app.view_presets import intensity_range
    from neuroview.app.view_state import ViewerState
    from neuroview.core.labels import LabelMap
    from neuroview.io import load
    from neuroview.render.prepare3d import prepare_volume
    from neuroview.render.slices import render_slice

    def step(name, run):
        start = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        result = run()
        peak = tracemalloc.get_traced_memory()[1]
        steps[name] = (peak - start) / 2**20
        steps[""] = max(steps.get("", 0.0), peak / 2**20)   # the whole open's traced peak
        return result

    volume = step("load", lambda: load(path))
    step("workspace key", lambda: (volume.workspace_key(), volume.sampled_key()))
    state = step("window/level", lambda: ViewerState.for_volume(volume))
    step("intensity range", lambda: intensity_range(volume))
    step("CT guess", volume.voxels_look_like_ct)
    labels = step("label map", lambda: LabelMap.empty_like(volume))
    for frame in (0, volume.n_frames // 2):
        step(f"slices, time point {frame + 1}", lambda frame=frame: [
            render_slice(volume, state.geometry(plane, 512, 512), state.window, state.level,
                         labels, frame=frame) for plane in ("axial", "coronal", "sagittal")])
    step("3D view copy", lambda: prepare_volume(frame_volume(volume, 0), "MR default"))
    return volume


def child(measure: str, path: str) -> dict:
    """One measure in this process: what it added to the peak resident memory and the traced
    peak, in MiB, and the array it made."""
    import nibabel as nib
    import numpy as np
    import scipy.ndimage  # noqa: F401 - libraries loaded before the baseline
    import vtkmodules.vtkRenderingVolume  # noqa: F401
    import vtkmodules.vtkRenderingVolumeOpenGL2  # noqa: F401

    import neuroview.io  # noqa: F401
    import neuroview.render.prepare3d  # noqa: F401
    import neuroview.render.slices  # noqa: F401
    from neuroview.app import view_state  # noqa: F401

    base = _start_peak()
    steps: dict = {}
    cpu = time.process_time()
    tracemalloc.start()
    if measure == "nibabel":
        array = np.asanyarray(nib.load(path).dataobj)
    elif measure == "load":
        from neuroview.io import load

        volume = load(path)
        array, steps["TR (s)"] = volume.array, volume.source_metadata.get("frame_interval_s")
    else:
        array = _open_steps(path, steps).array
    peak = max(tracemalloc.get_traced_memory()[1] / 2**20, steps.pop("", 0.0))
    tracemalloc.stop()
    return {"rss": _peak_mib() - base, "traced": peak, "cpu": time.process_time() - cpu,
            "array": array.nbytes / 2**20,
            "dtype": str(array.dtype), "steps": steps}


def run_child(measure: str, path: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    out = subprocess.run([sys.executable, __file__, "--child", measure, path], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def make_inputs(folder: Path, shape: tuple[int, ...]) -> list[str]:
    import nibabel as nib
    import numpy as np

    data = np.random.default_rng(0).integers(0, 1000, shape, dtype=np.int16)
    image = nib.Nifti1Image(data, np.diag([2.5, 2.5, 2.5, 1.0]))
    image.header["pixdim"][4] = 2.0
    paths = [folder / "fmri.nii.gz", folder / "fmri.nii", folder / "fmri_scaled.nii.gz",
             folder / "fmri.mgz"]
    nib.save(image, paths[0])
    nib.save(image, paths[1])
    image.header.set_slope_inter(0.5, 0.0)
    nib.save(image, paths[2])
    mgh = nib.MGHImage(data, image.affine)
    mgh.header["tr"] = 2000.0   # ms
    nib.save(mgh, paths[3])
    return [str(p) for p in paths]


def _ratio(value: float, reference: float) -> str:
    """``(0.50x)``; blank beside a reference under 8 MiB (a memory map nibabel did not read)."""
    return f"({value / reference:4.2f}x)" if reference >= 8 else " " * 7


def report(path: str, repeats: int, show_steps: bool) -> None:
    rows = {m: [run_child(m, path) for _ in range(repeats)] for m in MEASURES}
    reference = {k: statistics.median(r[k] for r in rows["nibabel"])
                 for k in ("rss", "traced", "cpu")}
    first = rows["load"][0]
    print(f"\n{os.path.basename(path)}: {first['array']:.0f} MiB of {first['dtype']} as loaded, "
          f"TR {first['steps'].get('TR (s)') or 'none'} s")
    for measure in MEASURES:
        rss = statistics.median(r["rss"] for r in rows[measure])
        traced = statistics.median(r["traced"] for r in rows[measure])
        cpu = statistics.median(r["cpu"] for r in rows[measure])
        print(f"  {measure:8s} peak RSS +{rss:6.0f} MiB {_ratio(rss, reference['rss'])}  "
              f"traced peak {traced:6.0f} MiB {_ratio(traced, reference['traced'])}  "
              f"CPU {cpu:5.2f} s ({cpu / max(reference['cpu'], 1e-3):4.2f}x)  "
              f"[{rows[measure][0]['dtype']}]")
    if show_steps:
        for name, mib in rows["open"][0]["steps"].items():
            print(f"      {name:26s} traced peak {mib:7.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--shape", default="96,96,60,150")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--steps", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("MEASURE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    print(f"peak memory above imports and CPU time, median of {args.repeats} child processes; "
          f"ratios to nibabel's np.asanyarray(img.dataobj); load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as folder:
        files = args.files or make_inputs(Path(folder), tuple(int(n) for n in args.shape.split(",")))
        for path in files:
            report(path, args.repeats, args.steps)


if __name__ == "__main__":
    main()
