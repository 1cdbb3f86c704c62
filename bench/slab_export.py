"""File > Export all views (1024 x 1024) of three oblique MIP views: reusing the slabs the views
show against computing them again, same run, rounds interleaved.

    python bench/slab_export.py [--rounds 5] [--thickness 10]

A 512x512x200 int16 CT at 0.45 x 0.45 x 0.625 mm tilted about two axes (three oblique views), as
an uncompressed .nii opened in the main window (1400x900, offscreen Qt), a MIP in every slice
view. Each round: *reuse*: the three slabs on screen, ``export_all`` until the PNG is written;
*again*: the views forget their slabs (slab off and on), ``export_all`` computes the three itself
(its job) until the PNG is written: what every export at 1024 x 1024 did before session 39, whose
tiles were not the views' size. Also the cost of one slab as computed now (on the plane's grid,
drawn at the tile's pixels) against as before (at the tile's 511 x 511 pixels), interleaved.
Prints medians and ratios, with the load.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _wait(app, condition, seconds: float = 120.0) -> None:
    end = time.perf_counter() + seconds
    while not condition() and time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.002)
    if not condition():
        raise SystemExit("bench: timed out")


def _ct(folder: Path) -> Path:
    import nibabel as nib
    from slab import tilted

    rng = np.random.default_rng(0)
    array = rng.integers(-1000, 1500, (512, 512, 200), dtype=np.int16)
    affine = tilted(tilted(np.diag([0.45, 0.45, 0.625, 1.0]), 15.0), 10.0, axis=2)
    path = folder / "ct.nii"
    nib.save(nib.Nifti1Image(array, affine), path)
    return path


def slab_costs(volume, state, thickness: float, rounds: int) -> tuple[float, float]:
    """Median seconds of one axial slab as now (grid, then the tile's pixels) and as before (the
    tile's pixels, ``render.slab._oblique`` straight), interleaved."""
    from neuroview.render import slab as slab_module
    from neuroview.render.layout import tile_sizes

    geom = state.geometry("axial", *tile_sizes(1024, 1024))
    image, ras_to_ijk = volume.frame(0), volume.ras_to_ijk
    step = float(1.0 / np.max(np.abs(ras_to_ijk[:3, :3] @ geom.normal)))
    now, before = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        slab_module.sample_slab(image, ras_to_ijk, geom, thickness, "max")
        now.append(time.perf_counter() - start)
        start = time.perf_counter()
        slab_module._oblique(image, ras_to_ijk, geom, thickness, "max", step)
        before.append(time.perf_counter() - start)
    grid = slab_module.slab_grid(volume.shape, ras_to_ijk, geom)
    print(f"the axial plane's grid: {grid.width}x{grid.height} at {grid.mm_per_pixel:.2f} mm")
    return float(np.median(now)), float(np.median(before))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--thickness", type=float, default=10.0)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from neuroview.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    views = window.slice_views
    row = window.display_panel.slab_row

    def all_drawn() -> bool:
        for view in views.values():
            view.repaint()
        return all(view.title().endswith("MIP %g mm" % args.thickness) for view in views.values())

    def export(path: Path) -> tuple[float, object]:
        written = []
        start = time.perf_counter()
        job = window.export_all(path, written=lambda: written.append(time.perf_counter()))
        _wait(app, lambda: bool(written))
        return written[0] - start, job

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        window.open_paths([_ct(folder)])
        _wait(app, lambda: window.editor.session is not None and not window.runner.busy)
        row.set_slab(args.thickness, "max")
        _wait(app, all_drawn)
        reuse, again = [], []
        for number in range(args.rounds):
            seconds, job = export(folder / f"reuse{number}.png")
            assert job is None, "a slab on screen was computed again"
            reuse.append(seconds)
            row.set_slab(0.0, "max")   # the views forget their slabs
            _wait(app, lambda: not all_drawn())
            row.set_slab(args.thickness, "max")
            for view in views.values():
                view.repaint()
            seconds, job = export(folder / f"again{number}.png")
            assert job is not None
            again.append(seconds)
            _wait(app, all_drawn)   # the export's slabs, handed to the views
        now, before = slab_costs(window.controller.volume, window.controller.state,
                                 args.thickness, args.rounds)
        session = window.editor.session
        session.mark_saved(session.version)
    r, a = float(np.median(reuse)), float(np.median(again))
    print(f"CT 512x512x200 int16 tilted twice, three oblique {args.thickness:g} mm MIP views, "
          f"Export all views 1024x1024, medians of {args.rounds}, load {os.getloadavg()[0]:.1f}, "
          f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC")
    print(f"reusing the views' slabs {1000 * r:.0f} ms, computing them again {1000 * a:.0f} ms "
          f"({r / a:.3f}x); runs {', '.join(f'{1000 * s:.0f}' for s in reuse)} / "
          f"{', '.join(f'{1000 * s:.0f}' for s in again)}")
    print(f"one axial slab for a 511x511 tile: on the plane's grid then the tile {1000 * now:.0f} ms, "
          f"at the tile's pixels as before {1000 * before:.0f} ms ({now / before:.2f}x)")
    window.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
